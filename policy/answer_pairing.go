package policy

// This file answers pairing questions: Konvoy with Kommander.

import (
	"fmt"
	"strings"
)

// pairingFacts adds the pairing of cycle c of p (either side of a "with" rule).
func (b *answer) pairingFacts(p *Product, c Cycle) {
	for _, q := range b.m.partners(p.ID) {
		if qc, ok := q.pairOf(c); ok {
			b.detail("Pairs with", "%s %s.x pairs with %s %s.x", p.Name, c, q.Name, qc)
			b.cite(q.Source)
		}
	}
	if p.Rule == RuleWith {
		partner := b.m.products[p.With]
		if r, ok := p.Release(c); ok && r.PairsWith != nil {
			b.detail("Pairs with", "%s %s.x pairs with %s %s.x", p.Name, c, partner.Name, *r.PairsWith)
		}
	}
}

// pairing answers Konvoy-with-Kommander questions.
func (b *answer) pairing(q Question) {
	kv, _ := q.Has("konvoy")
	km, _ := q.Has("kommander")
	konvoy, _ := b.m.Product("konvoy")
	kommander, _ := b.m.Product("kommander")
	if konvoy == nil || kommander == nil || !b.m.statesPairing("konvoy", "kommander") {
		b.unknown(q)
		return
	}
	b.cite(kommander.Source)
	b.a.Product = "kommander"
	table := b.pairingTable(konvoy, kommander)
	switch {
	case kv.Version != nil && km.Version != nil:
		b.a.Version = km.Version.String()
		want, ok := b.pairOf(kv.Version.Cycle)
		if !ok {
			b.set(IntentPairing, VerdictUnknown, "The policy lists no Kommander pairing for Konvoy %s.", kv.Version.Label())
			break
		}
		if want == km.Version.Cycle {
			b.set(IntentPairing, VerdictCompatible, "Yes: Kommander %s deploys on any Konvoy %s; they are released together.", km.Version.Label(), kv.Version.Label())
			b.relFact = fmt.Sprintf("Kommander %s.x pairs with Konvoy %s.x", km.Version.Cycle, kv.Version.Cycle)
		} else {
			b.set(IntentPairing, VerdictIncompatible, "No: Konvoy %s.x pairs only with Kommander %s.x; mixing minor versions is prohibited.", kv.Version.Cycle, want)
			b.detail("Not supported", "You cannot deploy Kommander %s.x on Konvoy %s.x.", km.Version.Cycle, kv.Version.Cycle)
			for _, ban := range b.m.Bans("kommander", km.Version.Cycle, "konvoy", kv.Version.Cycle) {
				b.detail("Stated", "%s (%s)", ban.Statement, ban.Source.String())
				b.cite(ban.Source)
			}
		}
		b.statusNote(konvoy, kv.Version.Cycle)
		b.statusNote(kommander, km.Version.Cycle)
	case kv.Version != nil:
		b.a.Product, b.a.Version = "konvoy", kv.Version.String()
		if want, ok := b.pairOf(kv.Version.Cycle); ok {
			b.set(IntentPairing, VerdictInfo, "Konvoy %s.x pairs with Kommander %s.x.", kv.Version.Cycle, want)
			b.statusNote(konvoy, kv.Version.Cycle)
		} else {
			b.set(IntentPairing, VerdictUnknown, "The policy lists no Kommander pairing for Konvoy %s.", kv.Version.Label())
		}
	case km.Version != nil:
		b.a.Version = km.Version.String()
		if kc, refs := b.m.PairedCycles("kommander", km.Version.Cycle, "konvoy"); len(kc) > 0 {
			b.cite(b.inForce(refs)...)
			b.set(IntentPairing, VerdictInfo, "Kommander %s.x pairs with Konvoy %s.x.", km.Version.Cycle, joinCycles(kc))
			b.statusNote(kommander, km.Version.Cycle)
		} else {
			b.set(IntentPairing, VerdictUnknown, "The policy lists no Konvoy pairing for Kommander %s.", km.Version.Label())
		}
	default:
		b.set(IntentPairing, VerdictInfo, "Konvoy and Kommander pair minor to minor: %s.", strings.Join(table, "; "))
	}
	b.detail("Pairings", "%s", strings.Join(table, "; "))
	b.detail("Rule", "%s", kommander.RuleNote)
}

func (b *answer) pairingTable(konvoy, kommander *Product) []string {
	var rows []string
	pairs := b.m.PairingsBetween(konvoy.ID, kommander.ID)
	for _, r := range konvoy.Releases {
		// The table is context: only the pairing asked about is cited. Each
		// row is the newest Kommander cycle stated for the Konvoy cycle.
		var newest Cycle
		found := false
		for _, p := range pairs {
			if p.Cycle == r.Cycle && (!found || p.WithCycle.Compare(newest) > 0) {
				newest, found = p.WithCycle, true
			}
		}
		if found {
			rows = append(rows, fmt.Sprintf("Konvoy %s.x ↔ Kommander %s.x", r.Cycle, newest))
		}
	}
	return rows
}

// pairOf is the Kommander cycle stated to pair with Konvoy cycle c (the
// newest, if pages name several); it cites the pages.
func (b *answer) pairOf(c Cycle) (Cycle, bool) {
	cs, refs := b.m.PairedCycles("konvoy", c, "kommander")
	if len(cs) == 0 {
		return Cycle{}, false
	}
	b.cite(b.inForce(refs)...)
	return cs[0], true
}

// statusNote adds one line on whether a cycle is supported.
func (b *answer) statusNote(p *Product, c Cycle) {
	switch p.Status(c) {
	case StatusSupported:
		b.detail(p.Name+" "+c.String(), "supported")
	case StatusUnsupported:
		b.detail(p.Name+" "+c.String(), "not supported (support covers %s)", joinCycles(p.supported))
	}
	b.cite(p.Source)
}
