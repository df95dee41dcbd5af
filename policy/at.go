package policy

import (
	"slices"
	"sort"
	"time"
)

// At returns the policy as it stood on day t: the cycles released on or
// before that day count as released (a cycle whose release date the pages
// disagree on, or an undated one between dated releases, is in doubt on the
// days in between, and answers that depend on it say so), and the
// statements in force are those for the latest release then. Upcoming
// cycles are kept only on days after every listed release.
//
// The views are computed when the policy is loaded, one per span of days
// between changes; At finds one by binary search and allocates nothing. A
// view keeps every method of Model. For a policy without dates, At returns
// the model itself.
func (m *Model) At(t time.Time) *Model {
	r := m.root
	if len(r.views) == 0 {
		return r
	}
	d := dateOf(t)
	i := sort.Search(len(r.changes), func(i int) bool { return r.changes[i].After(d) })
	return r.views[i]
}

// On returns the first day of the span of days the view holds: the latest
// release date (or other change) on or before the day given to At. It is
// zero for the model as loaded, and for days before the first dated release.
func (m *Model) On() time.Time { return m.on }

// Root returns the model as loaded, of which views are taken.
func (m *Model) Root() *Model { return m.root }

// buildViews computes the change days (release and patch dates) and a view
// for each span.
func (m *Model) buildViews() {
	var days []time.Time
	for _, id := range m.order {
		for _, r := range m.products[id].all {
			for _, t := range []time.Time{r.releasedFrom, r.releasedBy} {
				if !t.IsZero() {
					days = append(days, t)
				}
			}
			for _, pt := range r.Patches {
				for _, d := range pt.Dates {
					days = append(days, d.Date)
				}
			}
		}
	}
	if len(days) == 0 {
		return
	}
	slices.SortFunc(days, time.Time.Compare)
	days = slices.CompactFunc(days, time.Time.Equal)
	m.changes = days
	m.views = make([]*Model, len(days)+1)
	m.views[0] = m.viewAt(days[0].AddDate(0, 0, -1), time.Time{})
	for i, d := range days {
		m.views[i+1] = m.viewAt(d, d)
	}
}

// viewAt builds the policy as it stood on day d; on is the view's first day.
func (m *Model) viewAt(d, on time.Time) *Model {
	v := *m
	v.root, v.on = m, on
	v.changes, v.views = nil, nil
	v.products = make(map[string]*Product, len(m.products))
	for _, id := range ruleOrder(m) {
		p := m.products[id]
		q := *p
		q.Releases, q.uncertain = nil, nil
		for _, r := range p.all {
			switch released, notYet := r.releasedAt(d); {
			case released:
				q.Releases = append(q.Releases, r)
			case !notYet:
				q.uncertain = append(q.uncertain, r)
			}
		}
		if len(q.Releases) < len(p.all) {
			q.Upcoming = nil
		}
		var partnerLo, partnerHi []Cycle
		if q.Rule == RuleWith {
			if w, ok := v.products[q.With]; ok {
				partnerLo, partnerHi = w.sup.Window, w.supHi.Window
			}
		}
		q.sup = q.support(cyclesOf(q.Releases), partnerLo)
		q.supHi = q.sup
		if len(q.uncertain) > 0 {
			q.supHi = q.support(cyclesOf(q.releasedHi()), partnerHi)
		}
		q.supported = q.sup.Window
		v.products[id] = &q
	}
	return &v
}

// ruleOrder lists product ids with the products whose rule follows another
// ("with") after the others, so a partner's window is known first.
func ruleOrder(m *Model) []string {
	out := make([]string, 0, len(m.order))
	for _, id := range m.order {
		if m.products[id].Rule != RuleWith {
			out = append(out, id)
		}
	}
	for _, id := range m.order {
		if m.products[id].Rule == RuleWith {
			out = append(out, id)
		}
	}
	return out
}

func cyclesOf(rs []*Release) []Cycle {
	out := make([]Cycle, len(rs))
	for i, r := range rs {
		out[i] = r.Cycle
	}
	return out
}

// today is the day a question without a date is asked on: now for the
// model as loaded, the view's day for a view (so a view answers as it
// stood, as At promised).
func (m *Model) today() time.Time {
	if m == m.root || m.root == nil {
		return time.Now()
	}
	return viewDay(m)
}
