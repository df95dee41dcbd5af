package policy

import (
	"slices"
	"time"
)

// Expiry is a planned end of support: when Next is released, support for
// Ends expires.
type Expiry struct {
	Product  string
	Ends     Cycle
	Next     Cycle
	Expected time.Time // zero when the release has no announced date
	// Partners are the cycles of products with rule "with" that pair with
	// Ends, and so lose support with it (Kommander 1.2 with Konvoy 1.6).
	Partners []PartnerCycle
	// After is the support window once Next is released, newest first: the
	// cycles to move to.
	After []Cycle
	// Source is the product's support rule.
	Source Ref
	// Stated cite the pages whose stated set for Next decides the window
	// (empty when the rule's count does).
	Stated []Ref
}

// ended returns the cycles of window that are out of next's window, oldest
// first (cycles the statements dispute are not counted as ended).
func ended(window []Cycle, next Support) []Cycle {
	var out []Cycle
	for i := len(window) - 1; i >= 0; i-- {
		c := window[i]
		if !next.Has(c) && !slices.Contains(next.Disputed, c) {
			out = append(out, c)
		}
	}
	return out
}

// PartnerCycle is a cycle of a product with rule "with".
type PartnerCycle struct {
	Product string
	Cycle   Cycle
}

// Expiries is the timeline of planned ends of support, soonest first, those
// without an announced date last. For each product with an n-minus rule,
// each upcoming cycle newer than the latest release ends support for the
// then-oldest cycle of the window, once the window holds all the cycles its
// rule allows (a window that is not full yet just grows). Upcoming cycles
// follow one another, so with 1.9 and 1.10 announced, 1.9 ends 1.6 and 1.10
// ends 1.7. Products with rule "with" follow their partner: they appear in
// Partners, not as expiries of their own.
func (m *Model) Expiries() []Expiry {
	var out []Expiry
	for _, id := range m.order {
		p := m.products[id]
		if p.Rule != RuleNMinus || len(p.supported) == 0 {
			continue
		}
		released := cyclesOf(p.Releases)
		window := p.sup.Window
		for _, u := range p.Upcoming {
			if u.Cycle.Compare(released[0]) <= 0 {
				continue
			}
			released = append([]Cycle{u.Cycle}, released...)
			next := p.support(released, nil)
			for _, old := range ended(window, next) {
				e := Expiry{
					Product:  id,
					Ends:     old,
					Next:     u.Cycle,
					Expected: u.Expected,
					Partners: m.PartnerCycles(id, old),
					After:    slices.Clone(next.Window),
					Source:   p.Source,
				}
				for _, st := range next.Stated {
					e.Stated = appendRef(e.Stated, st.Source)
				}
				out = append(out, e)
			}
			window = next.Window
		}
	}
	slices.SortStableFunc(out, func(a, b Expiry) int {
		switch {
		case a.Expected.IsZero() && b.Expected.IsZero():
			return 0
		case a.Expected.IsZero():
			return 1
		case b.Expected.IsZero():
			return -1
		}
		return a.Expected.Compare(b.Expected)
	})
	return out
}

// PartnerCycles returns the cycles of the products with rule "with" product
// id that pair with its cycle c, in product order.
func (m *Model) PartnerCycles(id string, c Cycle) []PartnerCycle {
	var out []PartnerCycle
	for _, q := range m.partners(id) {
		if pc, ok := q.pairOf(c); ok {
			out = append(out, PartnerCycle{Product: q.ID, Cycle: pc})
		}
	}
	return out
}

// ReleasedCycles returns every product's released cycles, newest first, as
// strings: the release state a caller keeps to notice new releases with
// NewReleases.
func (m *Model) ReleasedCycles() map[string][]string {
	out := make(map[string][]string, len(m.order))
	for _, id := range m.order {
		cs := make([]string, 0, len(m.products[id].Releases))
		for _, r := range m.products[id].Releases {
			cs = append(cs, r.Cycle.String())
		}
		out[id] = cs
	}
	return out
}

// NewRelease is a release the policy gained since a release state was
// seen, and what it did to the product's support window.
type NewRelease struct {
	Product string
	Cycle   Cycle
	// Ended are the cycles whose support ended with this release, newest
	// first; empty while the window was not full yet.
	Ended []Cycle
	// Partners are the cycles of products with rule "with" that ended with
	// Ended.
	Partners []PartnerCycle
	// InDoubt are the cycles supported before this release whose support
	// the policy cannot settle after it (a stale page and the N-2 count
	// disagree, or pages disagree), newest first: neither ended nor
	// supported.
	InDoubt []Cycle
	// Supported is the product's support window now, newest first.
	Supported []Cycle
	Source    Ref
	// Released holds the release's date values with their sources (empty
	// when undated); Stated cites the pages whose stated set decided Ended.
	Released []DatedValue
	Stated   []Ref
}

// NewReleases compares the model with a release state seen earlier (as
// ReleasedCycles returned it: product id -> released cycles) and returns the
// releases of products with an n-minus rule that are newer than every cycle
// seen for the product, oldest first. Several new releases of one product
// are taken one after the other, so each ends the cycle it pushed out of the
// window. A product missing from seen (new to the policy) has nothing new; a
// cycle added below the newest seen one (history filled in) is not news;
// seen cycles that do not parse are ignored.
func (m *Model) NewReleases(seen map[string][]string) []NewRelease {
	var out []NewRelease
	for _, id := range m.order {
		p := m.products[id]
		prev, ok := seen[id]
		if !ok || p.Rule != RuleNMinus {
			continue
		}
		var known []Cycle
		for _, s := range prev {
			if c, err := ParseCycle(s); err == nil && !slices.Contains(known, c) {
				known = append(known, c)
			}
		}
		if len(known) == 0 {
			continue
		}
		newest := slices.MaxFunc(known, Cycle.Compare)
		for i := len(p.Releases) - 1; i >= 0; i-- { // oldest first
			c := p.Releases[i].Cycle
			if c.Compare(newest) <= 0 {
				continue
			}
			before := p.support(newestFirst(known), nil)
			known = append(known, c)
			after := p.support(newestFirst(known), nil)
			n := NewRelease{Product: id, Cycle: c, Supported: slices.Clone(p.supported), Source: p.Source}
			olds := ended(before.Window, after)
			slices.Reverse(olds) // newest first
			for _, old := range olds {
				n.Ended = append(n.Ended, old)
				n.Partners = append(n.Partners, m.PartnerCycles(id, old)...)
			}
			for _, c := range before.Window {
				if slices.Contains(after.Disputed, c) {
					n.InDoubt = append(n.InDoubt, c)
				}
			}
			if r := p.Releases[i]; !r.Released.IsZero() {
				n.Released = r.Dates
			}
			for _, st := range after.Stated {
				n.Stated = appendRef(n.Stated, st.Source)
			}
			out = append(out, n)
		}
	}
	return out
}

// newestFirst returns the cycles sorted newest first.
func newestFirst(cycles []Cycle) []Cycle {
	s := slices.Clone(cycles)
	slices.SortFunc(s, func(a, b Cycle) int { return b.Compare(a) })
	return s
}
