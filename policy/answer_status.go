package policy

// This file answers status questions: is a version of a product supported.

import (
	"fmt"
	"slices"
	"time"
)

func (b *answer) productOrStatus(q Question) {
	mn := q.Mentions[0]
	p, ok := b.m.Product(mn.ID)
	if !ok {
		b.unknown(q)
		return
	}
	b.a.Product = p.ID
	if mn.Version == nil {
		if mn.BadVersion != "" {
			b.set(IntentStatus, VerdictUnknown, "%q is not a version I can read. Write it like `%s %s`.", mn.BadVersion, p.ID, p.Latest())
			b.cite(p.Source)
			return
		}
		b.product(p)
		return
	}
	b.status(p, *mn.Version)
}

// status answers "is <product> <version> supported?".
func (b *answer) status(p *Product, v Version) {
	b.a.Version = v.String()
	c := v.Cycle
	supported, hasRule := p.Supported()
	b.cite(p.Source)
	if !hasRule {
		b.set(IntentStatus, VerdictUnknown, "The policy states no support window for %s, so I cannot say whether %s %s is supported.", p.Name, p.Name, v.Label())
		b.platformFactsAbout(p, v)
		return
	}
	window := joinCycles(supported)
	switch p.Status(c) {
	case StatusSupported:
		b.set(IntentStatus, VerdictSupported, "%s %s is supported%s.", p.Name, v.Label(), b.why(p, c))
		b.detail("Supported", "%s %s, all patch versions", p.Name, window)
		b.expiryOf(p, c)
	case StatusUnsupported:
		b.set(IntentStatus, VerdictUnsupported, "%s %s is not supported: support covers %s %s only.", p.Name, v.Label(), p.Name, window)
		b.detail("Supported", "%s %s, all patch versions", p.Name, window)
		b.detail("Action", "Upgrade to a supported version; the latest is %s %s.", p.Name, supported[0])
	case StatusUpcoming:
		u, _ := p.UpcomingCycle(c)
		b.set(IntentStatus, VerdictUnknown, "%s %s is announced but not released as of %s%s.", p.Name, c, b.a.AsOf, expectedSuffix(u.Expected))
		b.detail("Supported now", "%s %s", p.Name, window)
	case StatusUnreleased:
		b.set(IntentStatus, VerdictUnknown, "%s %s is not a release the policy knows as of %s; the latest is %s %s.", p.Name, c, b.a.AsOf, p.Name, p.Latest())
		b.detail("Supported", "%s %s", p.Name, window)
	default:
		b.set(IntentStatus, VerdictUnknown, "The policy does not list %s %s, so I cannot say whether it is supported.", p.Name, c)
		b.detail("Supported", "%s %s", p.Name, window)
	}
	b.ruleNote(p)
	b.pairingFacts(p, c)
	if p.ID == "konvoy" {
		b.follow("Kubernetes versions", fmt.Sprintf("konvoy %s kubernetes", c))
		b.follow("Which Kommander?", fmt.Sprintf("which kommander goes with konvoy %s", c))
	}
	b.follow(p.Name+" support matrix", p.ID)
}

// why explains a supported cycle's place in the rule.
func (b *answer) why(p *Product, c Cycle) string {
	switch p.Rule {
	case "n-minus":
		i := slices.Index(p.supported, c)
		if i == 0 {
			return ": it is the latest release"
		}
		return fmt.Sprintf(": it is N-%d of the latest release, %s", i, p.supported[0])
	case "with":
		partner := b.m.products[p.With]
		for _, r := range p.Releases {
			if r.Cycle == c && r.PairsWith != nil {
				return fmt.Sprintf(": it is released and supported together with %s %s.x, which is supported", partner.Name, *r.PairsWith)
			}
		}
	}
	return ""
}

// expiryOf says when support for a supported cycle is planned to end.
func (b *answer) expiryOf(p *Product, c Cycle) {
	q := p
	pc := c
	if p.Rule == "with" {
		q = b.m.products[p.With]
		for _, r := range p.Releases {
			if r.Cycle == c && r.PairsWith != nil {
				pc = *r.PairsWith
			}
		}
	}
	for _, e := range b.m.Expiries() {
		if e.Product == q.ID && e.Ends == pc {
			b.detail("Ends", "Support ends when %s %s is released%s.", q.Name, e.Next, expectedSuffix(e.Expected))
			return
		}
	}
	if q.Rule == "n-minus" && q.windowFull() && q.supported[len(q.supported)-1] == pc {
		b.detail("Ends", "This is the oldest supported %s cycle: support ends when the next %s version is released.", q.Name, q.Name)
	}
}

func expectedSuffix(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return " (expected " + t.Format(time.DateOnly) + ")"
}

func (b *answer) ruleNote(p *Product) {
	if p.RuleNote != "" {
		b.detail("Policy", "%s", p.RuleNote)
	}
}

// product answers "konvoy": the product's support matrix.
