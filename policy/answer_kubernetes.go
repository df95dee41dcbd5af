package policy

// This file answers Kubernetes questions: the Kubernetes versions of a Konvoy release.

import (
	"fmt"
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
		if !ok || r.Kubernetes == nil {
			b.set(IntentKubernetes, VerdictUnknown, "The policy does not list the Kubernetes versions of Konvoy %s. %s", c, pointer)
			b.knownRanges(konvoy)
			b.statusNote(konvoy, c)
			return
		}
		k := r.Kubernetes
		b.cite(k.Source)
		rng := kubeRangeText(k)
		if kube.Version == nil {
			b.set(IntentKubernetes, VerdictInfo, "Konvoy %s supports Kubernetes %s.", stated(c.String(), k.StatedFor), rng)
		} else if k.Contains(kube.Version.Cycle) {
			b.set(IntentKubernetes, VerdictCompatible, "Yes: Konvoy %s supports Kubernetes %s; %s is in range.", stated(c.String(), k.StatedFor), rng, kube.Version)
		} else {
			b.set(IntentKubernetes, VerdictIncompatible, "No: Konvoy %s supports Kubernetes %s; %s is outside it.", stated(c.String(), k.StatedFor), rng, kube.Version)
		}
		b.detail("Minimum", "%s.x", k.Min)
		b.detail("Maximum", "%s.x", k.Max)
		if k.Default != "" {
			b.detail("Default", "%s", k.Default)
		}
		if k.StatedFor != "" && k.StatedFor != kv.Version.String() {
			b.detail("Note", "The policy states this range for Konvoy %s; the release notes of other %s patches describe theirs. %s", k.StatedFor, c, pointer)
		}
		b.statusNote(konvoy, c)
		return
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

func kubeRangeText(k *KubeRange) string {
	s := fmt.Sprintf("%s.x to %s.x", k.Min, k.Max)
	if k.Default != "" {
		s += " (default " + k.Default + ")"
	}
	return s
}
