package policy

// This file answers status questions: is a version of a product supported.

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

func (b *answer) productOrStatus(q Question) {
	if len(q.Mentions) == 0 {
		b.unknown(q)
		return
	}
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
	if len(mn.Versions) > 0 {
		if ref := mn.Versions[0]; ref.Set() || ref.Pre != "" || ref.Build != "" {
			b.versionForm(p, ref)
			return
		}
	}
	b.status(p, *mn.Version)
}

// versionForm answers a status question about a set of cycles (a bare
// major, a constraint, a range) or a version with pre-release or build
// metadata.
func (b *answer) versionForm(p *Product, ref VersionRef) {
	b.cite(p.Source)
	switch {
	case ref.Set():
		var yes, no, other []string
		if lo := ref.Version.Cycle; !ref.MajorOnly && ref.Matches(lo) && p.Status(lo) == StatusUnsupported {
			if _, ok := p.Release(lo); !ok {
				no = append(no, lo.String()+" and older")
			}
		}
		for _, r := range p.Releases {
			if !ref.Matches(r.Cycle) {
				continue
			}
			switch p.Status(r.Cycle) {
			case StatusSupported:
				yes = append(yes, r.Cycle.String())
			case StatusUnsupported:
				no = append(no, r.Cycle.String())
			default:
				other = append(other, r.Cycle.String())
			}
		}
		name := p.Name + " " + ref.Describe()
		b.a.Version = ref.Raw
		if len(yes)+len(no)+len(other) == 0 {
			b.set(IntentStatus, VerdictUnknown, "The policy knows no %s release matching %s; the latest is %s %s.", p.Name, ref.Describe(), p.Name, p.Latest())
			break
		}
		if len(yes) > 0 {
			b.detail("Supported", "%s %s", p.Name, strings.Join(yes, ", "))
		}
		if len(no) > 0 {
			b.detail("Not supported", "%s %s", p.Name, strings.Join(no, ", "))
		}
		if len(other) > 0 {
			b.detail("Unknown", "%s %s", p.Name, strings.Join(other, ", "))
		}
		switch {
		case ref.MajorOnly:
			b.set(IntentStatus, VerdictUnknown, "%s is a major version with several release lines: %s. Ask about one MAJOR.MINOR line, like `%s %s`.", name, lineList(yes, no, other), p.ID, p.Latest())
		case len(no) == 0 && len(other) == 0:
			b.set(IntentStatus, VerdictSupported, "Every released %s line in %s is supported: %s.", p.Name, ref.Describe(), strings.Join(yes, ", "))
		case len(yes) == 0 && len(other) == 0:
			b.set(IntentStatus, VerdictUnsupported, "No released %s line in %s is supported: %s.", p.Name, ref.Describe(), strings.Join(no, ", "))
		default:
			b.set(IntentStatus, VerdictUnsupported, "Not every %s line in %s is supported: %s.", p.Name, ref.Describe(), lineList(yes, no, other))
		}
		if ref.Constraint != "" {
			b.detail("Note", "Only released lines are counted; a future release that matches %s is not covered until it ships.", ref.Constraint)
		}
	default:
		v := ref.Version
		b.status(p, v)
		b.a.Version = ref.Raw
		if ref.Build != "" && ref.Pre == "" {
			b.detail("Build metadata", "%q does not change the version: %s is read as %s.", "+"+ref.Build, ref.Raw, v)
			return
		}
		line := p.Status(v.Cycle)
		b.detail("Pre-release", "%s is a pre-release of %s (semantic versioning), not a released patch version.", ref.Raw, v)
		if line == StatusSupported || line == StatusUnknown || line == StatusUpcoming || line == StatusUnreleased {
			b.a.Verdict = VerdictUnknown
			b.a.Summary = fmt.Sprintf("%s %s is a pre-release, not a released patch version: the policy covers released %s %s.x versions, and says nothing about pre-releases.", p.Name, ref.Raw, p.Name, v.Cycle)
		}
	}
}

func lineList(yes, no, other []string) string {
	var parts []string
	if len(yes) > 0 {
		parts = append(parts, strings.Join(yes, ", ")+" supported")
	}
	if len(no) > 0 {
		parts = append(parts, strings.Join(no, ", ")+" not supported")
	}
	if len(other) > 0 {
		parts = append(parts, strings.Join(other, ", ")+" unknown")
	}
	return strings.Join(parts, "; ")
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
	if len(supported) == 0 {
		b.set(IntentStatus, VerdictUnknown, "I cannot say whether %s %s was supported then: %s.", p.Name, v.Label(), b.doubtReason(p))
		b.doubt(p)
		return
	}
	switch p.Status(c) {
	case StatusSupported:
		b.set(IntentStatus, VerdictSupported, "%s %s is supported%s.", p.Name, v.Label(), b.why(p, c))
		b.detail("Supported", "%s %s, all patch versions", p.Name, window)
		b.expiryOf(p, c)
	case StatusUnsupported:
		lc, _ := p.Lifecycle(c)
		if ended, ok := b.endedText(p, lc); ok {
			b.set(IntentStatus, VerdictUnsupported, "%s %s is not supported: %s. Support covers %s %s only.", p.Name, v.Label(), ended, p.Name, window)
			b.endedWhy(p, lc)
		} else {
			b.set(IntentStatus, VerdictUnsupported, "%s %s is not supported: support covers %s %s only.", p.Name, v.Label(), p.Name, window)
		}
		b.detail("Supported", "%s %s, all patch versions", p.Name, window)
		b.detail("Action", "Upgrade to a supported version; the latest is %s %s.", p.Name, supported[0])
	case StatusUpcoming:
		u, _ := p.UpcomingCycle(c)
		b.set(IntentStatus, VerdictUnknown, "%s %s is announced but not released as of %s%s.", p.Name, c, b.day(), expectedSuffix(u.Expected))
		b.detail("Supported now", "%s %s", p.Name, window)
	case StatusUnreleased:
		b.set(IntentStatus, VerdictUnknown, "%s %s is not a release the policy knows as of %s; the latest is %s %s.", p.Name, c, b.day(), p.Name, p.Latest())
		b.detail("Supported", "%s %s", p.Name, window)
	default:
		switch {
		case len(p.uncertain) > 0 || p.sup.Conflict:
			b.set(IntentStatus, VerdictUnknown, "I cannot say whether %s %s was supported then: %s, and the answer depends on it.", p.Name, v.Label(), b.doubtReason(p))
			b.doubt(p)
		default:
			b.set(IntentStatus, VerdictUnknown, "The policy does not list %s %s, so I cannot say whether it is supported.", p.Name, c)
		}
		b.detail("Supported", "%s %s", p.Name, window)
	}
	b.statedFacts(p)
	b.versionFacts(p, v)
	b.ruleNote(p)
	if p.Rule == RuleWith {
		if partner, ok := b.m.products[p.With]; ok {
			b.detail("Derived", "The policy states no support window of its own for %s: this status is derived from its pairing with %s.", p.Name, partner.Name)
		}
	}
	b.pairingFacts(p, c)
	if p.ID == "konvoy" {
		b.follow("Kubernetes versions", fmt.Sprintf("konvoy %s kubernetes", c))
		b.follow("Which Kommander?", fmt.Sprintf("which kommander goes with konvoy %s", c))
	}
	b.follow(p.Name+" support matrix", p.ID)
}

// why explains a supported cycle's place in the rule, or in the stated set.
func (b *answer) why(p *Product, c Cycle) string {
	if p.sup.DiffersFromRule() && !slices.Contains(p.sup.Rule, c) {
		return fmt.Sprintf(": %s states it is supported while %s %s is current, unlike the N-%d count", refList(p.sup.Stated), p.Name, p.Latest(), p.N)
	}
	switch p.Rule {
	case RuleNMinus:
		i := slices.Index(p.supported, c)
		if i == 0 {
			return ": it is the latest release"
		}
		if ri := slices.Index(p.sup.Rule, c); ri > 0 {
			return fmt.Sprintf(": it is N-%d of the latest release, %s", ri, p.supported[0])
		}
		return fmt.Sprintf(": it is in the stated set for %s %s", p.Name, p.supported[0])
	case RuleWith:
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
	if p.Rule == RuleWith {
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
	if q.Rule == RuleNMinus && q.windowFull() && len(q.supported) > 0 && q.supported[len(q.supported)-1] == pc {
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
