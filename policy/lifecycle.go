package policy

import (
	"fmt"
	"slices"
	"time"
)

// Lifecycle is a cycle's life under the policy: when it was released, its
// latest patch, and when and why its support ended (or is expected to end).
// Taken from a view (Model.At), it holds what was known that day: an end
// that came later is not in it.
type Lifecycle struct {
	Product string
	Cycle   Cycle
	// Released holds the release date values, each with its source: more
	// than one when pages disagree. Empty when the policy has no date.
	Released []DatedValue
	// LatestPatch is the newest patch the policy lists (in a view: dated on
	// or before its day); nil when it lists none.
	LatestPatch *Patch
	// EndedBy is the release whose release pushed the cycle out of the
	// support window, of product EndedByProduct (the partner's, for rule
	// "with"); nil while the cycle is supported. Ended is its release date,
	// the day support ended (the latest value when pages disagree: EndedDates
	// then holds every value); zero while supported or when the release is
	// undated.
	EndedBy        *Release
	EndedByProduct string
	Ended          time.Time
	EndedDates     []DatedValue
	// EndedStated are the statements in force when support ended: the
	// pages' stated set ended it, not the rule's count. RuleEndedBy and
	// RuleEnded are where the rule alone (the N-2 count) ends it; they
	// differ from EndedBy where the pages' statements do.
	EndedStated []*Statement
	RuleEndedBy *Release
	RuleEnded   time.Time
	// ExpectedEndBy is the announced upcoming cycle whose release is to end
	// support, and ExpectedEnd its expected date (zero when not announced);
	// ExpectedEndBy is nil when no upcoming release ends it.
	ExpectedEndBy *Upcoming
	ExpectedEnd   time.Time
	// Window is N+1 for an n-minus rule: support lasts until the (N+1)th
	// release after the cycle ("the third release after it"); 0 otherwise.
	Window int
	// Sources cite the dates and the rule. Like Released and EndedDates,
	// it is shared with the model (its capacity is its length, so an append
	// copies it): callers must not modify its elements.
	Sources []Ref

	// endedMsg and whyMsg are the answers' sentences about the end,
	// rendered at load (see renderEnd); empty where they depend on more.
	endedMsg, whyMsg string
}

// Lifecycle returns cycle c's lifecycle, and whether c is a release the
// policy (in a view: that day) knows: released, or in doubt.
func (p *Product) Lifecycle(c Cycle) (Lifecycle, bool) {
	r := p.releaseOrUncertain(c)
	if r == nil {
		return Lifecycle{}, false
	}
	lc := p.lifecycleOf(r)
	return lc, true
}

// releaseOrUncertain finds c among the released and the uncertain releases.
func (p *Product) releaseOrUncertain(c Cycle) *Release {
	if r, ok := p.Release(c); ok {
		return r
	}
	for _, r := range p.uncertain {
		if r.Cycle == c {
			return r
		}
	}
	return nil
}

// lifecycleOf is the root's lifecycle of r, less what the view's day did not know yet.
func (p *Product) lifecycleOf(r *Release) Lifecycle {
	lc := p.model.root.lifecycles[p.ID][r.Cycle]
	view := p.model
	if view != view.root {
		if lc.EndedBy != nil && !view.releasedIn(lc.EndedByProduct, lc.EndedBy) {
			lc.EndedBy, lc.EndedByProduct, lc.Ended, lc.EndedDates, lc.EndedStated = nil, "", time.Time{}, nil, nil
			lc.endedMsg, lc.whyMsg = "", ""
		}
		if lc.RuleEndedBy != nil && !view.releasedIn(p.ID, lc.RuleEndedBy) {
			lc.RuleEndedBy, lc.RuleEnded = nil, time.Time{}
		}
		lc.LatestPatch = nil
		for i := len(r.Patches) - 1; i >= 0; i-- {
			pt := r.Patches[i]
			// A patch dated before its cycle's release is a misprint (the
			// conflict is recorded); it does not count as released early.
			if pt.Pre == "" && !pt.Released.IsZero() && !pt.Released.Before(r.releasedFrom) && !pt.Released.After(viewDay(view)) {
				lc.LatestPatch = &r.Patches[i]
				break
			}
		}
	}
	if lc.EndedBy == nil {
		owner, oc := p, r.Cycle
		if p.Rule == RuleWith {
			if w, ok := view.products[p.With]; ok {
				if pc, ok := p.partnerCycle(r.Cycle); ok {
					owner, oc = w, pc
				}
			}
		}
		for _, e := range view.Expiries() {
			if e.Product == owner.ID && e.Ends == oc {
				u, _ := owner.UpcomingCycle(e.Next)
				lc.ExpectedEndBy, lc.ExpectedEnd = &u, e.Expected
				break
			}
		}
	}
	return lc
}

// viewDay is the last day a view can be asked about for facts dated within
// its span: its first day (facts change only at change days).
func viewDay(v *Model) time.Time {
	if v.on.IsZero() && len(v.root.changes) > 0 {
		return v.root.changes[0].AddDate(0, 0, -1)
	}
	return v.on
}

// releasedIn reports whether release r of product id is released in the view.
func (m *Model) releasedIn(id string, r *Release) bool {
	p, ok := m.products[id]
	return ok && slices.Contains(p.Releases, r)
}

// partnerCycle is the partner's cycle that cycle c of p (rule "with") pairs with.
func (p *Product) partnerCycle(c Cycle) (Cycle, bool) {
	if r, ok := p.Release(c); ok && r.PairsWith != nil {
		return *r.PairsWith, true
	}
	for _, r := range p.all {
		if r.Cycle == c && r.PairsWith != nil {
			return *r.PairsWith, true
		}
	}
	return Cycle{}, false
}

// computeLifecycles walks each product's releases oldest first, adding one
// at a time, and records for each cycle the release that pushed it out of
// the window (the statements in force decide where there are any) and the
// one the rule's count alone would have. Products with rule "with" end with
// their partner's cycle.
func (m *Model) computeLifecycles() {
	m.lifecycles = make(map[string]map[Cycle]Lifecycle, len(m.products))
	for _, id := range ruleOrder(m) {
		p := m.products[id]
		out := make(map[Cycle]Lifecycle, len(p.all))
		m.lifecycles[id] = out
		asc := slices.Clone(p.all)
		slices.Reverse(asc)
		for i, r := range asc {
			lc := Lifecycle{Product: id, Cycle: r.Cycle, Released: r.Dates}
			for j := len(r.Patches) - 1; j >= 0; j-- {
				if r.Patches[j].Pre == "" {
					lc.LatestPatch = &r.Patches[j]
					break
				}
			}
			for _, d := range r.Dates {
				lc.Sources = appendRef(lc.Sources, d.Source)
			}
			lc.Sources = appendRef(lc.Sources, r.Source)
			switch p.Rule {
			case RuleNMinus:
				lc.Window = p.N + 1
				m.endOf(p, &lc, asc, i)
			case RuleWith:
				if pc, ok := p.partnerCycle(r.Cycle); ok {
					plc := m.lifecycles[p.With][pc]
					lc.EndedBy, lc.EndedByProduct, lc.Ended, lc.EndedDates = plc.EndedBy, plc.EndedByProduct, plc.Ended, plc.EndedDates
					lc.EndedStated, lc.RuleEndedBy, lc.RuleEnded = plc.EndedStated, plc.RuleEndedBy, plc.RuleEnded
				}
			}
			lc.Sources = slices.Clip(appendRef(lc.Sources, p.Source))
			lc.renderEnd(m, p)
			out[r.Cycle] = lc
		}
	}
}

// renderEnd renders, once at load, the sentences an answer says about a
// dated, undisputed end of support (what endedText and endedWhy would
// format on every answer): "support ended on 2021-08-26, when Konvoy 2.0
// was released" and, where the rule's count ended it, why.
func (lc *Lifecycle) renderEnd(m *Model, p *Product) {
	if lc.EndedBy == nil || len(lc.EndedDates) == 0 || disputedDates(lc.EndedDates) {
		return
	}
	name := p.Name
	if q, ok := m.products[lc.EndedByProduct]; ok {
		name = q.Name
	}
	lc.endedMsg = "support ended on " + lc.EndedDates[0].Date.Format(time.DateOnly) + ", when " + name + " " + lc.EndedBy.Cycle.String() + " was released"
	if len(lc.EndedStated) == 0 || lc.RuleEndedBy == lc.EndedBy {
		lc.whyMsg = fmt.Sprintf("With %s %s released, %s %s is no longer among the latest %d releases (N-%d).", p.Name, lc.EndedBy.Cycle, p.Name, lc.Cycle, p.N+1, p.N)
	}
}

// endOf finds where the cycle asc[i] ends as releases after it are added.
func (m *Model) endOf(p *Product, lc *Lifecycle, asc []*Release, i int) {
	c := asc[i].Cycle
	for k := i + 1; k < len(asc); k++ {
		released := cyclesOf(asc[:k+1])
		slices.Reverse(released) // newest first
		s := p.support(released, nil)
		ender := asc[k]
		if lc.RuleEndedBy == nil && !slices.Contains(s.Rule, c) {
			lc.RuleEndedBy, lc.RuleEnded = ender, ender.releasedBy
			if len(ender.Dates) == 0 {
				lc.RuleEnded = time.Time{}
			}
		}
		if lc.EndedBy != nil || s.Has(c) || slices.Contains(s.Disputed, c) || !s.Full {
			continue
		}
		lc.EndedBy, lc.EndedByProduct, lc.EndedStated = ender, p.ID, s.Stated
		if len(ender.Dates) > 0 {
			lc.Ended, lc.EndedDates = ender.releasedBy, ender.Dates
		}
		for _, d := range ender.Dates {
			lc.Sources = appendRef(lc.Sources, d.Source)
		}
		for _, st := range s.Stated {
			lc.Sources = appendRef(lc.Sources, st.Source)
		}
	}
}

func appendRef(refs []Ref, r Ref) []Ref {
	if r.ID == "" || slices.Contains(refs, r) {
		return refs
	}
	return append(refs, r)
}

// Lifecycles returns the lifecycle of every cycle the policy (in a view:
// that day) knows, product by product in product order, newest cycle
// first: what a calendar of releases and ends of support needs.
func (m *Model) Lifecycles() []Lifecycle {
	var out []Lifecycle
	for _, id := range m.order {
		p := m.products[id]
		for _, r := range p.releasedHi() {
			out = append(out, p.lifecycleOf(r))
		}
	}
	return out
}
