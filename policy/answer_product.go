package policy

// This file answers product questions: a product's support matrix.

import (
	"fmt"
	"strings"
)

func (b *answer) product(p *Product) {
	supported, hasRule := p.Supported()
	b.cite(p.Source)
	if !hasRule {
		b.set(IntentProduct, VerdictInfo, "%s releases in the policy: %s. The policy states no support window for %s.", p.Name, joinReleases(p), p.Name)
		b.platformFactsAbout(p, Version{Cycle: p.Latest()})
		return
	}
	if len(supported) == 0 {
		b.set(IntentProduct, VerdictUnknown, "The policy cannot say which %s releases were out then: %s.", p.Name, b.doubtReason(p))
		b.doubt(p)
		return
	}
	b.set(IntentProduct, VerdictInfo, "%s: supported %s (latest %s).", p.Name, joinCycles(supported), supported[0])
	b.statedFacts(p)
	b.detail("Supported", "%s, all patch versions", joinCycles(supported))
	var older []string
	for _, r := range p.Releases {
		if p.Status(r.Cycle) == StatusUnsupported {
			older = append(older, r.Cycle.String())
		}
	}
	if len(older) > 0 {
		b.detail("Not supported", "%s and anything older than %s", strings.Join(older, ", "), supported[len(supported)-1])
	} else if p.windowFull() {
		b.detail("Not supported", "anything older than %s", supported[len(supported)-1])
	}
	for _, u := range p.Upcoming {
		b.detail("Upcoming", "%s %s%s", p.Name, u.Cycle, expectedSuffix(u.Expected))
	}
	b.ruleNote(p)
	for _, c := range supported {
		b.pairingFacts(p, c)
	}
	if p.ID == "konvoy" {
		for _, r := range p.Releases {
			if k := r.Kubernetes; k != nil {
				b.detail("Kubernetes", "Konvoy %s: %s", stated(r.Cycle.String(), k.StatedFor), kubeRangeText(k))
				b.cite(k.Source)
			}
		}
	}
	for _, c := range supported {
		b.follow(fmt.Sprintf("%s %s", p.Name, c), fmt.Sprintf("%s %s", p.ID, c))
		if len(b.a.FollowUps) == 3 {
			break
		}
	}
}

func joinCycles(cs []Cycle) string {
	s := make([]string, len(cs))
	for i, c := range cs {
		s[i] = c.String()
	}
	return strings.Join(s, ", ")
}

func joinReleases(p *Product) string {
	cs := make([]Cycle, len(p.Releases))
	for i, r := range p.Releases {
		cs[i] = r.Cycle
	}
	return joinCycles(cs)
}

func stated(cycle, statedFor string) string {
	if statedFor != "" {
		return statedFor
	}
	return cycle
}
