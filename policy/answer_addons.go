package policy

// This file answers add-on questions: where a Kubernetes Base Addons tag deploys.

import (
	"fmt"
	"strings"
)

func (b *answer) addons(q Question) {
	af := b.m.file.Addons
	if af == nil {
		b.set(IntentAddons, VerdictUnknown, "The policy holds nothing on Kubernetes Base Addons.")
		return
	}
	b.a.Product = TopicKBA
	b.cite(b.m.ref(af.Source))
	if q.Tag == "" {
		if q.BadTag != "" {
			b.set(IntentAddons, VerdictUnknown, "%s", (&tagError{q.BadTag}).Error())
		} else {
			b.set(IntentAddons, VerdictInfo, "KBA tags read %s; the tag's Kubernetes version decides where it deploys.", af.TagFormat)
		}
		b.detail("Policy", "%s", af.Statement)
		if af.Example != "" {
			b.follow("Example tag", "kba "+af.Example)
		}
		return
	}
	t, _ := ParseKBATag(q.Tag)
	b.a.Version = q.Tag
	b.set(IntentAddons, VerdictInfo, "KBA %s (channel %s, KBA %s) deploys on any Kubernetes %s cluster, regardless of the distribution.", t.Raw, t.Channel, t.KBA, t.Kubernetes)
	b.detail("Tag", "release channel %s, Kubernetes %s, KBA version %s (%s)", t.Channel, t.Kubernetes, t.KBA, af.TagFormat)
	konvoy, ok := b.m.Product("konvoy")
	if ok {
		if kv, has := q.Has("konvoy"); has && kv.Version != nil {
			b.kbaOnKonvoy(konvoy, t, kv.Version.Cycle)
		} else {
			b.kbaKonvoySupport(konvoy, t)
		}
	}
	b.detail("Policy", "%s", af.Statement)
	if af.Example != "" && strings.EqualFold(af.Example, t.Raw) && af.ExampleNote != "" {
		b.detail("Note", "%s", af.ExampleNote)
	}
}

// kbaOnKonvoy decides whether a tag is supported on one Konvoy cycle.
func (b *answer) kbaOnKonvoy(konvoy *Product, t KBATag, c Cycle) {
	b.a.Product = "konvoy"
	r, ok := konvoy.Release(c)
	if !ok || r.Kubernetes == nil {
		b.set(IntentAddons, VerdictUnknown, "KBA %s needs Kubernetes %s; the policy does not list the Kubernetes versions of Konvoy %s.", t.Raw, t.Kubernetes, c)
		return
	}
	k := r.Kubernetes
	b.cite(k.Source)
	if k.Contains(t.Kubernetes) {
		b.set(IntentAddons, VerdictCompatible, "Yes: KBA %s needs Kubernetes %s, which Konvoy %s supports (%s).", t.Raw, t.Kubernetes, stated(c.String(), k.StatedFor), kubeRangeText(k))
	} else {
		b.set(IntentAddons, VerdictIncompatible, "No: KBA %s needs Kubernetes %s, outside what Konvoy %s supports (%s).", t.Raw, t.Kubernetes, stated(c.String(), k.StatedFor), kubeRangeText(k))
	}
	b.statusNote(konvoy, c)
}

// kbaKonvoySupport lists the Konvoy releases whose Kubernetes range covers the tag.
func (b *answer) kbaKonvoySupport(konvoy *Product, t KBATag) {
	var on, unknown []string
	for _, r := range konvoy.Releases {
		switch {
		case r.Kubernetes == nil:
			unknown = append(unknown, r.Cycle.String())
		case r.Kubernetes.Contains(t.Kubernetes):
			on = append(on, fmt.Sprintf("%s (Kubernetes %s)", stated(r.Cycle.String(), r.Kubernetes.StatedFor), kubeRangeText(r.Kubernetes)))
			b.cite(r.Kubernetes.Source)
		}
	}
	if len(on) > 0 {
		b.detail("On Konvoy", "%s", strings.Join(on, "; "))
	} else {
		b.detail("On Konvoy", "no Konvoy release in the policy lists Kubernetes %s", t.Kubernetes)
	}
	if len(unknown) > 0 {
		b.detail("Not in the policy", "Kubernetes ranges of Konvoy %s", strings.Join(unknown, ", "))
	}
}
