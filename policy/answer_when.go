package policy

// This file answers the reader's time and procedure frames from what the
// pages say: "will 1.7 still be supported after 1.9 ships?", "end of
// support date", "how do I upgrade", "can I skip versions", "upgrading
// konvoy 1.7 to 1.8".

import (
	"fmt"
	"slices"
	"strings"
)

// after answers "will X still be supported after Y ships?" by the product's
// rule applied to the window once Y is released.
func (b *answer) after(q Question) {
	mn := q.Mentions[0]
	p, ok := b.m.Product(mn.ID)
	if !ok || q.After == nil || q.After.Version == nil {
		b.unknown(q)
		return
	}
	b.a.Product = p.ID
	b.cite(p.Source)
	next := q.After.Version.Cycle
	if p.Rule != RuleNMinus {
		b.set(IntentStatus, VerdictUnknown, "The policy states no support window of its own for %s, so I cannot say what %s %s changes.", p.Name, p.Name, next)
		return
	}
	if mn.Version == nil {
		b.set(IntentStatus, VerdictInfo, "Once %s %s ships, support covers %s %s.", p.Name, next, p.Name, joinCycles(windowAfter(p, next)))
		b.ruleNote(p)
		return
	}
	c := mn.Version.Cycle
	b.a.Version = mn.Version.String()
	if _, ok := p.Release(next); ok {
		b.set(IntentStatus, VerdictInfo, "%s %s has already shipped.", p.Name, next)
		b.status(p, *mn.Version)
		return
	}
	if _, ok := p.Release(c); !ok {
		b.set(IntentStatus, VerdictUnknown, "The policy does not list %s %s as released, so I cannot say.", p.Name, c)
		return
	}
	w := windowAfter(p, next)
	if slices.Contains(w, c) {
		b.set(IntentStatus, VerdictSupported, "Yes: once %s %s ships, support covers %s %s (N-%d), so %s %s stays supported.", p.Name, next, p.Name, joinCycles(w), p.N, p.Name, mn.Version.Label())
	} else {
		b.set(IntentStatus, VerdictUnsupported, "No: once %s %s ships, support covers %s %s only; support for %s %s ends then.", p.Name, next, p.Name, joinCycles(w), p.Name, c)
	}
	b.detail("Supported now", "%s %s", p.Name, joinCycles(p.supported))
	b.ruleNote(p)
}

// windowAfter is the n-minus window of p once cycle next is released
// (with every announced cycle before it).
func windowAfter(p *Product, next Cycle) []Cycle {
	return p.After(next).Window
}

// when answers a date question about a version: what the policy says about
// its release and its end of support, and that it gives no date where it gives none.
func (b *answer) when(q Question) {
	if b.whenFromLifecycle(q) {
		return
	}
	b.productOrStatus(q)
	mn := q.Mentions[0]
	p, ok := b.m.Product(mn.ID)
	if !ok || mn.Version == nil {
		return
	}
	c := mn.Version.Cycle
	var dates []string
	if r, ok := p.Release(c); ok && !r.Released.IsZero() {
		dates = append(dates, fmt.Sprintf("released %s", r.Released.Format("2006-01-02")))
	}
	if u, ok := p.UpcomingCycle(c); ok && !u.Expected.IsZero() {
		dates = append(dates, "expected "+u.Expected.Format("2006-01-02"))
	}
	ends := ""
	for _, d := range b.a.Details {
		if d.Label == "Ends" {
			ends = d.Text
		}
	}
	var s strings.Builder
	s.WriteString(b.a.Summary)
	if len(dates) > 0 {
		fmt.Fprintf(&s, " The policy gives these dates: %s %s %s.", p.Name, c, strings.Join(dates, ", "))
	} else {
		fmt.Fprintf(&s, " The policy gives no release or end-of-support date for %s %s.", p.Name, c)
	}
	if ends == "" && p.Rule == RuleNMinus && p.Status(c) == StatusSupported {
		if i := slices.Index(p.supported, c); i >= 0 {
			n := p.N + 1 - i
			ends = fmt.Sprintf("Support for %s %s ends when %d more %s %s released (N-%d).", p.Name, c, n, p.Name, plural(n, "version is", "versions are"), p.N)
		}
	}
	if ends != "" {
		s.WriteString(" " + ends)
	}
	if b.a.Verdict != VerdictUnknown {
		b.a.Verdict = VerdictInfo
	}
	b.a.Summary = s.String()
}

// upgradeFrame answers an upgrade question from what the pages say: the
// target's status, and the policy's own words on upgrading.
func (b *answer) upgradeFrame(q Question) {
	if b.upgradeFromRules(q) {
		return
	}
	mn := q.Mentions[0]
	p, ok := b.m.Product(mn.ID)
	if !ok {
		b.unknown(q)
		return
	}
	b.a.Product = p.ID
	b.cite(p.Source)
	advice := upgradeSentence(p)
	var from, to *VersionRef
	for i := range mn.Versions {
		v := &mn.Versions[i]
		switch {
		case v.Target:
			to = v
		case v.Source || from == nil:
			from = v
		}
	}
	say := func(v Verdict, format string, args ...any) {
		b.set(IntentUpgrade, v, format, args...)
		if advice != "" {
			b.detail("Policy", "%s", advice)
		} else {
			b.ruleNote(p)
		}
	}
	switch {
	case to == nil && q.Skip:
		say(VerdictUnknown, "The policy does not say whether you can skip %s versions. It says: %s", p.Name, orNothing(advice))
	case to == nil:
		say(VerdictInfo, "On upgrading %s the policy says: %s It does not describe the steps; the %s documentation does.", p.Name, orNothing(advice), p.Name)
	default:
		target := p.Status(to.Cycle)
		skipped := skippedCycles(p, from, to)
		switch {
		case target == StatusUnsupported:
			say(VerdictUnsupported, "%s %s is not supported: support covers %s %s only.", p.Name, to.Label(), p.Name, joinCycles(p.supported))
		case target != StatusSupported:
			say(VerdictUnknown, "The policy does not list %s %s as a supported release, so I cannot say whether to upgrade to it.", p.Name, to.Label())
		case len(skipped) > 0:
			say(VerdictUnknown, "%s %s is supported, but going there from %s skips %s; the policy does not say whether that path is allowed. It says: %s", p.Name, to.Label(), from.Label(), joinCycles(skipped), orNothing(advice))
		case from != nil:
			say(VerdictInfo, "Upgrading %s %s to %s: %s %s is supported.", p.Name, from.Label(), to.Label(), p.Name, to.Label())
		default:
			say(VerdictInfo, "%s %s is supported.", p.Name, to.Label())
		}
		b.a.Version = to.String()
		b.pairingFacts(p, to.Cycle)
	}
}

func orNothing(s string) string {
	if s == "" {
		return "nothing on upgrading."
	}
	return s
}

// upgradeSentence is the sentence of the product's rule note on upgrading.
func upgradeSentence(p *Product) string {
	for _, s := range splitSentences(p.RuleNote) {
		if strings.Contains(strings.ToLower(s), "upgrade") {
			return s
		}
	}
	return ""
}

// skippedCycles are the released cycles strictly between from and to.
func skippedCycles(p *Product, from, to *VersionRef) []Cycle {
	if from == nil {
		return nil
	}
	var out []Cycle
	for _, r := range p.Releases {
		if r.Cycle.Compare(from.Cycle) > 0 && r.Cycle.Compare(to.Cycle) < 0 {
			out = append(out, r.Cycle)
		}
	}
	return out
}
