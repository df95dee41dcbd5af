package policy

// This file answers Kubernetes questions: the Kubernetes versions of a Konvoy release.

import (
	"strings"
)

func (b *answer) kubernetes(q Question) {
	konvoy, ok := b.m.Product("konvoy")
	kube, _ := q.Has(TopicKubernetes)
	if !ok {
		b.unknown(q)
		return
	}
	b.a.Product = "konvoy"
	var pointer string
	if k := b.m.file.Kubernetes; k != nil {
		pointer = k.Pointer
		b.cite(b.m.ref(k.Source))
	}
	kv, hasKonvoy := q.Has("konvoy")
	if hasKonvoy && kv.Version != nil {
		c := kv.Version.Cycle
		b.a.Version = kv.Version.String()
		r, ok := konvoy.Release(c)
		if u, up := konvoy.UpcomingCycle(c); !ok && up && len(u.KubeRanges) > 0 {
			b.set(IntentKubernetes, VerdictUnknown, "Konvoy %s is not released; the pages state Kubernetes %s for it before it ships.", c, b.rangesText(u.KubeRanges))
			for _, k := range u.KubeRanges {
				b.cite(k.Source)
			}
			return
		}
		if !ok || r.Kubernetes == nil {
			b.set(IntentKubernetes, VerdictUnknown, "The policy does not list the Kubernetes versions of Konvoy %s. %s", c, pointer)
			b.knownRanges(konvoy)
			b.statusNote(konvoy, c)
			return
		}
		b.kubeOf(konvoy, r, *kv.Version, kube.Version, pointer)
		return
	}
	for _, mn := range q.Mentions {
		if p, ok := b.m.Product(mn.ID); ok && p != konvoy && mn.Version != nil {
			// The ranges are stated per Konvoy release, not for this product.
			b.a.Product, b.a.Version = p.ID, mn.Version.String()
			b.set(IntentKubernetes, VerdictUnknown, "The policy states Kubernetes ranges per Konvoy release, not for %s %s. %s", p.Name, mn.Version, pointer)
			b.knownRanges(konvoy)
			return
		}
	}
	if kube.Version != nil {
		b.a.Product, b.a.Version = TopicKubernetes, kube.Version.String()
		var in []string
		for _, r := range konvoy.Releases {
			if r.Kubernetes != nil && r.Kubernetes.Contains(kube.Version.Cycle) {
				in = append(in, "Konvoy "+stated(r.Cycle.String(), r.Kubernetes.StatedFor))
				b.cite(r.Kubernetes.Source)
			}
		}
		if len(in) > 0 {
			b.set(IntentKubernetes, VerdictInfo, "Kubernetes %s is in the supported range of %s.", kube.Version, strings.Join(in, ", "))
		} else {
			b.set(IntentKubernetes, VerdictUnknown, "No Konvoy release in the policy lists Kubernetes %s in its range. %s", kube.Version, pointer)
		}
		b.knownRanges(konvoy)
		return
	}
	b.set(IntentKubernetes, VerdictInfo, "Each Konvoy release supports a range of Kubernetes versions. %s", pointer)
	b.knownRanges(konvoy)
}

// knownRanges lists the Kubernetes ranges the policy holds, and the releases it has none for.
func (b *answer) knownRanges(konvoy *Product) {
	var missing []string
	for _, r := range konvoy.Releases {
		if k := r.Kubernetes; k != nil {
			b.detail("Konvoy "+stated(r.Cycle.String(), k.StatedFor), "%s", kubeRangeText(k))
			b.cite(k.Source)
			b.follow("Konvoy "+r.Cycle.String()+" Kubernetes", "konvoy "+r.Cycle.String()+" kubernetes")
		} else {
			missing = append(missing, r.Cycle.String())
		}
	}
	if len(missing) > 0 {
		b.detail("Not in the policy", "Kubernetes ranges of Konvoy %s: see the release notes", strings.Join(missing, ", "))
	}
}

func kubeRangeText(k *KubeRange) string { return k.Text() }

// kubeOf answers the Kubernetes range of one Konvoy version, and whether a
// Kubernetes version is in it. Ranges the pages disagree on are all given,
// and a yes/no that depends on which page is right is unknown.
func (b *answer) kubeOf(konvoy *Product, r *Release, v Version, kube *Version, pointer string) {
	c := v.Cycle
	ks := r.KubeFor(v)
	k := ks[0]
	for _, x := range ks {
		b.cite(x.Source)
	}
	name := "Konvoy " + stated(c.String(), k.StatedFor)
	rng := kubeRangeText(k)
	conflict := KubeConflict(ks)
	switch {
	case kube == nil && conflict:
		b.set(IntentKubernetes, VerdictInfo, "The pages disagree on the Kubernetes versions of %s: %s.", name, b.rangesText(ks))
	case kube == nil:
		b.set(IntentKubernetes, VerdictInfo, "%s supports Kubernetes %s.", name, rng)
	default:
		yes, no := 0, 0
		for _, x := range ks {
			in, sure := x.Admits(*kube)
			switch {
			case !sure:
			case in:
				yes++
			default:
				no++
			}
		}
		switch {
		case yes == len(ks):
			b.set(IntentKubernetes, VerdictCompatible, "Yes: %s supports Kubernetes %s; %s is in range.", name, rng, kube)
		case no == len(ks):
			b.set(IntentKubernetes, VerdictIncompatible, "No: %s supports Kubernetes %s; %s is outside it.", name, rng, kube)
		case conflict:
			b.set(IntentKubernetes, VerdictUnknown, "The pages disagree on the Kubernetes versions of %s (%s), so I cannot say whether %s is in range.", name, b.rangesText(ks), kube)
		default:
			b.set(IntentKubernetes, VerdictUnknown, "%s supports Kubernetes %s; give the patch of %s to decide.", name, rng, kube)
		}
	}
	b.detail("Minimum", "%s", boundText(k.MinVersion))
	b.detail("Maximum", "%s", boundText(k.MaxVersion))
	if k.Default != "" {
		b.detail("Default", "%s", k.Default)
	}
	if conflict {
		for _, x := range ks {
			b.detail("Pages disagree", "%s: %s", x.Source.String(), kubeRangeText(x))
		}
	}
	for _, x := range ks {
		if x.AsPrinted {
			b.detail("As printed", "%s prints these values though they contradict each other%s.", x.Source.String(), noteSuffix(x.Note))
		}
	}
	for _, x := range ks {
		if x.Attached {
			b.detail("Attached clusters", "Any cluster you attach must run a Kubernetes version in this range (%s).", x.Source.String())
			break
		}
	}
	if !v.HasPatch {
		for _, d := range r.patchDefaults() {
			if d.StatedFor != k.StatedFor {
				b.detail("Default of "+d.StatedFor, "%s (%s)", d.Default, d.Source.String())
				b.cite(d.Source)
			}
		}
	}
	if k.StatedFor != "" && k.StatedFor != v.String() && len(r.KubeRanges) == 1 {
		b.detail("Note", "The policy states this range for Konvoy %s; the release notes of other %s patches describe theirs. %s", k.StatedFor, c, pointer)
	}
	b.statusNote(konvoy, c)
}

// rangesText renders ranges with their sources, the same values once:
// "A per page 1 and page 2, or B per page 3".
func (b *answer) rangesText(ks []*KubeRange) string {
	var texts []string
	pages := map[string][]string{}
	for _, k := range ks {
		t := kubeRangeText(k)
		if _, ok := pages[t]; !ok {
			texts = append(texts, t)
		}
		pages[t] = append(pages[t], k.Source.String())
	}
	parts := make([]string, len(texts))
	for i, t := range texts {
		parts[i] = t + " per " + andJoin(pages[t])
	}
	return strings.Join(parts, ", or ")
}

// andJoin joins "a, b and c".
func andJoin(s []string) string {
	if len(s) <= 1 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}

func noteSuffix(n string) string {
	if n == "" {
		return ""
	}
	return ": " + n
}
