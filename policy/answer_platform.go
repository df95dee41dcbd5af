package policy

// This file answers platform questions: where Kaptain runs and how it installs.

import (
	"fmt"
	"strings"
)

func (b *answer) platform(q Question) {
	kaptain, ok := b.m.Product("kaptain")
	if !ok {
		b.unknown(q)
		return
	}
	b.a.Product = "kaptain"
	km, _ := q.Has("kaptain")
	if len(kaptain.Releases) == 0 {
		b.set(IntentPlatform, VerdictUnknown, "The policy cannot say which Kaptain releases were out then.")
		b.doubt(kaptain)
		return
	}
	rel, pl := kaptain.Releases[0], (*Platforms)(nil)
	if km.Version != nil {
		b.a.Version = km.Version.String()
		r, ok := kaptain.Release(km.Version.Cycle)
		if !ok || r.Platforms == nil {
			b.set(IntentPlatform, VerdictUnknown, "The policy does not say where Kaptain %s runs.", km.Version.Label())
			if asked := b.installAsked(q); asked != "" {
				b.set(IntentPlatform, VerdictUnknown, "The policy does not say how Kaptain %s installs; what it says is for another release.", km.Version.Label())
				b.install(kaptain, "Kaptain "+stated(rel.Cycle.String(), ""), "")
			}
			b.platformKnown(kaptain)
			b.statusNote(kaptain, km.Version.Cycle)
			return
		}
		rel, pl = r, r.Platforms
	} else {
		for _, r := range kaptain.Releases {
			if r.Platforms != nil {
				rel, pl = r, r.Platforms
				break
			}
		}
	}
	if pl == nil {
		b.set(IntentPlatform, VerdictUnknown, "The policy does not say where Kaptain runs.")
		return
	}
	name := "Kaptain " + stated(rel.Cycle.String(), pl.StatedFor)
	b.cite(pl.Source)
	runsOn := platformList(b.m, pl)
	if asked := b.installAsked(q); asked != "" {
		b.install(kaptain, name, asked)
		b.detail("Runs on", "%s", runsOn)
		b.requirements(kaptain)
		return
	}
	target, ok := b.platformTarget(q)
	if !ok {
		b.set(IntentPlatform, VerdictInfo, "%s runs on %s.", name, runsOn)
		b.install(kaptain, name, "")
		b.requirements(kaptain)
		return
	}
	tp, _ := b.m.Product(target.ID)
	verdict := VerdictIncompatible
	newer := true // the target is newer than every version the page names for its product
	for _, p := range pl.RunsOn {
		if b.m.sameLine(p.Product, target.ID) && (p.Constraint != nil || target.Version.Cycle.Compare(p.Version.Cycle) <= 0) {
			newer = false
		}
		in, sure := p.Admits(b.m, target.ID, *target.Version)
		switch {
		case in && sure:
			verdict = VerdictCompatible
		case !sure && verdict != VerdictCompatible:
			verdict = VerdictUnknown
		}
	}
	if verdict == VerdictIncompatible && newer {
		// A page cannot name a platform released after it: that is not a no.
		verdict = VerdictUnknown
	}
	inherit := ""
	if pl.StatedFor != "" && km.Version != nil && km.Version.HasPatch && km.Version.String() != pl.StatedFor {
		inherit = fmt.Sprintf(" (the policy states this for Kaptain %s; Kaptain %s is read as the same line)", pl.StatedFor, km.Version)
	}
	switch verdict {
	case VerdictCompatible:
		b.set(IntentPlatform, verdict, "Yes: %s runs on %s %s%s.", name, tp.Name, target.Version, inherit)
	case VerdictUnknown:
		b.set(IntentPlatform, verdict, "The policy names only %s for %s; it does not say whether %s %s works.", runsOn, name, tp.Name, target.Version)
	default:
		b.set(IntentPlatform, verdict, "No: %s runs on %s, not %s %s%s.", name, runsOn, tp.Name, target.Version, inherit)
	}
	b.detail("Runs on", "%s", runsOn)
	if pl.StatedFor != "" && km.Version != nil && km.Version.String() != pl.StatedFor {
		b.detail("Note", "The policy states this for Kaptain %s.", pl.StatedFor)
	}
	b.install(kaptain, name, "")
	b.requirements(kaptain)
}

// platformTarget is the Konvoy or DKP version asked about.
func (b *answer) platformTarget(q Question) (Mention, bool) {
	for _, mn := range q.Mentions {
		if (mn.ID == "konvoy" || mn.ID == "dkp") && mn.Version != nil {
			return mn, true
		}
	}
	return Mention{}, false
}

func platformList(m *Model, pl *Platforms) string {
	var parts []string
	for _, p := range pl.RunsOn {
		name := p.Product
		if pp, ok := m.Product(p.Product); ok {
			name = pp.Name
		}
		parts = append(parts, p.render(name))
	}
	return strings.Join(parts, ", ")
}

// installAsked is what the question asks Kaptain to be installed from or
// as: "kommander" (a product Kaptain's partner rule names), "addon", or "".
func (b *answer) installAsked(q Question) string {
	for _, mn := range q.Mentions {
		if p, ok := b.m.products[mn.ID]; ok && p.Rule == RuleWith && len(mn.Versions) == 0 {
			return "kommander"
		}
		if mn.ID == TopicKBA && q.Install {
			return "addon"
		}
	}
	return ""
}

// install adds how Kaptain can be installed; asked is what the question
// asked about ("kommander", "addon"), which then leads the answer.
func (b *answer) install(p *Product, name string, asked string) {
	in := p.Install
	if in == nil {
		if asked != "" {
			b.set(IntentPlatform, VerdictUnknown, "The policy does not say whether %s can be installed that way.", name)
		}
		return
	}
	b.cite(b.m.ref(in.Source))
	var no []string
	fromKommander := in.FromKommander != nil && !*in.FromKommander
	asAddon := in.AsAddon != nil && !*in.AsAddon
	if asked == "addon" && asAddon {
		no = append(no, "as an add-on")
	}
	if fromKommander {
		no = append(no, "from Kommander")
	}
	if asAddon && asked != "addon" {
		no = append(no, "as an add-on")
	}
	if len(no) > 0 {
		text := fmt.Sprintf("%s cannot be installed %s.", name, strings.Join(no, " or "))
		if asked != "" {
			b.set(IntentPlatform, VerdictIncompatible, "No: %s", text)
		} else {
			b.detail("Install", "%s", text)
		}
	} else if asked != "" {
		b.set(IntentPlatform, VerdictUnknown, "The policy does not say that %s cannot be installed that way.", name)
	}
	if in.Note != "" {
		b.detail("Note", "%s", in.Note)
	}
}

func (b *answer) requirements(p *Product) {
	for _, rq := range p.Requires {
		name := rq.Product
		if rq.Product == TopicIstio {
			name = "Istio"
		}
		b.detail("Requires", "%s is a required prerequisite for %s.", name, p.Name)
		b.cite(b.m.ref(rq.Source))
	}
}

// platformKnown lists the Kaptain releases the policy has platforms for.
func (b *answer) platformKnown(p *Product) {
	for _, r := range p.Releases {
		if r.Platforms != nil {
			b.detail("Known", "%s %s runs on %s", p.Name, stated(r.Cycle.String(), r.Platforms.StatedFor), platformList(b.m, r.Platforms))
			b.cite(r.Platforms.Source)
		}
	}
}

// platformFactsAbout adds what other products' platform facts say about p v (DKP).
func (b *answer) platformFactsAbout(p *Product, v Version) {
	for _, id := range b.m.order {
		for _, r := range b.m.products[id].Releases {
			if r.Platforms == nil {
				continue
			}
			for _, pl := range r.Platforms.RunsOn {
				if pl.Product == p.ID && pl.Version.Cycle == v.Cycle {
					b.detail("Known", "%s %s runs on %s %s", b.m.products[id].Name, stated(r.Cycle.String(), r.Platforms.StatedFor), p.Name, pl.Version)
					b.cite(r.Platforms.Source)
				}
			}
		}
	}
}
