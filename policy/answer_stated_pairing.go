package policy

// This file answers pairing questions from stated pairings and bans (a
// policy whose pages list the pairs, rather than a "with" rule).

import (
	"fmt"
	"strings"
)

// statedPairing decides a pairing of the question's two products from the
// pairings and prohibitions the pages state.
func (b *answer) statedPairing(q Question) {
	if len(q.Mentions) < 2 {
		b.unknown(q)
		return
	}
	x, y := q.Mentions[0], q.Mentions[1]
	px, okx := b.m.Product(x.ID)
	py, oky := b.m.Product(y.ID)
	if !okx || !oky {
		b.unknown(q)
		return
	}
	pairs := b.m.PairingsBetween(px.ID, py.ID)
	// Only the pages that state the rows the answer uses are cited (see
	// citeRows), not every page that states some pairing.
	rows := func(match func(Pairing) bool) {
		var refs []Ref
		for _, p := range pairs {
			if match(p) {
				refs = appendRef(refs, p.Source)
			}
		}
		b.cite(b.inForce(refs)...)
	}
	partners := func(c Cycle) []Cycle {
		var out []Cycle
		for _, p := range pairs {
			if p.Cycle == c && !containsCycle(out, p.WithCycle) {
				out = append(out, p.WithCycle)
			}
		}
		return out
	}
	reverse := func(c Cycle) []Cycle {
		var out []Cycle
		for _, p := range pairs {
			if p.WithCycle == c && !containsCycle(out, p.Cycle) {
				out = append(out, p.Cycle)
			}
		}
		return out
	}
	b.a.Product = py.ID
	switch {
	case x.Version != nil && y.Version != nil:
		xc, yc := x.Version.Cycle, y.Version.Cycle
		b.a.Version = y.Version.String()
		for _, bn := range append(b.m.Bans(py.ID, yc, px.ID, xc), b.m.Bans(px.ID, xc, py.ID, yc)...) {
			b.set(IntentPairing, VerdictIncompatible, "No: %s.", strings.TrimSuffix(bn.Statement, "."))
			b.cite(bn.Source)
			b.statusNote(px, xc)
			b.statusNote(py, yc)
			return
		}
		want := partners(xc)
		rows(func(p Pairing) bool { return p.Cycle == xc || p.WithCycle == yc && len(want) == 0 })
		switch {
		case containsCycle(want, yc):
			b.set(IntentPairing, VerdictCompatible, "Yes: the policy pairs %s %s.x with %s %s.x.", px.Name, xc, py.Name, yc)
			b.relFact = fmt.Sprintf("%s %s.x pairs with %s %s.x", px.Name, xc, py.Name, yc)
		case len(want) > 0:
			b.set(IntentPairing, VerdictIncompatible, "No: %s %s.x pairs with %s %s.x; mixing minor versions is prohibited.", px.Name, xc, py.Name, joinCycleX(want))
			b.detail("Not supported", "You cannot deploy %s %s.x on %s %s.x.", py.Name, yc, px.Name, xc)
		default:
			b.set(IntentPairing, VerdictUnknown, "The policy lists no %s pairing for %s %s.", py.Name, px.Name, x.Version.Label())
		}
		b.statusNote(px, xc)
		b.statusNote(py, yc)
	case x.Version != nil:
		rows(func(p Pairing) bool { return p.Cycle == x.Version.Cycle })
		if want := partners(x.Version.Cycle); len(want) > 0 {
			b.set(IntentPairing, VerdictInfo, "%s %s.x pairs with %s %s.x.", px.Name, x.Version.Cycle, py.Name, joinCycleX(want))
		} else {
			b.set(IntentPairing, VerdictUnknown, "The policy lists no %s pairing for %s %s.", py.Name, px.Name, x.Version.Label())
		}
	case y.Version != nil:
		rows(func(p Pairing) bool { return p.WithCycle == y.Version.Cycle })
		if want := reverse(y.Version.Cycle); len(want) > 0 {
			b.set(IntentPairing, VerdictInfo, "%s %s.x pairs with %s %s.x.", py.Name, y.Version.Cycle, px.Name, joinCycleX(want))
		} else {
			b.set(IntentPairing, VerdictUnknown, "The policy lists no %s pairing for %s %s.", px.Name, py.Name, y.Version.Label())
		}
	default:
		var table []string
		for _, r := range px.Releases {
			if want := partners(r.Cycle); len(want) > 0 {
				table = append(table, fmt.Sprintf("%s %s.x ↔ %s %s.x", px.Name, r.Cycle, py.Name, joinCycleX(want)))
			}
		}
		rows(func(Pairing) bool { return true })
		b.set(IntentPairing, VerdictInfo, "%s and %s pair minor to minor: %s.", px.Name, py.Name, strings.Join(table, "; "))
	}
}

// inForce narrows the pages that state a row to those in force on the
// answer's day: for each docs product, the pages of its newest docs version
// released by then. Pages of a docs version not yet released (a staging
// copy, a later page) count only when no page is in force; a page that names
// no docs version only beside none that does.
func (b *answer) inForce(refs []Ref) []Ref {
	if len(refs) < 2 {
		return refs
	}
	newest := map[string]Cycle{}
	for _, r := range refs {
		if p, c, ok := b.docsRelease(r); ok && c.Compare(newest[p]) > 0 {
			newest[p] = c
		}
	}
	if len(newest) == 0 {
		return refs
	}
	var out []Ref
	for _, r := range refs {
		if p, c, ok := b.docsRelease(r); ok && newest[p] == c {
			out = append(out, r)
		}
	}
	return out
}

// docsRelease is the docs product and version of the page r cites, when
// that version is released in the answer's view of the policy.
func (b *answer) docsRelease(r Ref) (string, Cycle, bool) {
	doc, ok := b.m.sources[r.ID]
	if !ok || doc.Product == "" || doc.Cycle == "" {
		return "", Cycle{}, false
	}
	c, err := ParseCycle(doc.Cycle)
	if err != nil {
		return "", Cycle{}, false
	}
	p, ok := b.m.products[doc.Product]
	if !ok {
		return "", Cycle{}, false
	}
	if _, ok := p.Release(c); !ok {
		return "", Cycle{}, false
	}
	return doc.Product, c, true
}

func containsCycle(cs []Cycle, c Cycle) bool {
	for _, x := range cs {
		if x == c {
			return true
		}
	}
	return false
}

func joinCycleX(cs []Cycle) string {
	s := make([]string, len(cs))
	for i, c := range cs {
		s[i] = c.String()
	}
	return strings.Join(s, ".x or ")
}
