package policy

import (
	"slices"
	"strings"
	"time"
)

// The router: a read question becomes parts (one per relation it asks
// about), each part is answered by its intent's answer, and the parts
// combine into one verdict. The router names no product: it finds the
// relations from the policy's own structure (a product with a "with" rule
// pairs with its partner, a product whose releases carry Kubernetes ranges
// hosts Kubernetes, a product whose releases carry platforms runs on them).

// viewOn is the policy as it stood on day (Model.At), and false when this
// policy cannot say: a day before its facts were taken, for a policy that
// holds no dated history.
func (m *Model) viewOn(day time.Time) (*Model, bool) {
	if day.IsZero() {
		return m, true
	}
	if r := m.Root(); r != nil && len(r.views) == 0 && day.Before(m.AsOf) {
		return m, false
	}
	return m.At(day), true
}

// partKind is which answer a part gets.
type partKind uint8

const (
	kStatus partKind = iota
	kProduct
	kPairing
	kKubernetes
	kPlatform
	kInstall
	kAddons
	kScope
	kTopic
	kExperimental
	kSeverity
	kIstio
	kOS
	kUpgrade
	kAfter
	kWhen
	kStatedPairing
	kTerm
)

// part is one relation to evaluate: a kind and the sub-question it reads.
type part struct {
	kind     partKind
	q        Question
	subjects []string
	// implied marks a status part the router added for a product a
	// relation names: it decides the summary only when it is worse.
	implied bool
}

// evaluate answers the question: small talk, help, or its parts.
func (b *answer) evaluate(q Question) {
	content := len(q.Mentions) > 0 || q.Tag != "" || q.BadTag != "" || len(q.Topics) > 0 || q.Loose != nil ||
		q.Experimental || q.Severity || q.Scope || q.ScopeType != "" || q.OS || q.Unknown != "" || q.Term != ""
	switch {
	case !content && len(q.NotUnderstood) == 0 && (q.Thanks || q.Greeting) && !q.Help:
		b.smalltalk(q)
		return
	case !content && (q.Help || len(q.NotUnderstood) == 0):
		b.help()
		return
	}
	parts := b.plan(q)
	switch len(parts) {
	case 0:
		b.unknown(q)
	case 1:
		b.run(parts[0])
		if len(parts[0].subjects) > 1 {
			b.a.Parts = []Part{b.partOf(parts[0].subjects)}
		}
	default:
		b.combine(parts)
	}
}

// plan splits a question into the parts it asks about.
func (b *answer) plan(q Question) []part {
	var parts []part
	add := func(k partKind, sub Question, subjects ...string) {
		if len(subjects) == 0 {
			for _, mn := range sub.Mentions {
				subjects = append(subjects, mn.ID)
			}
		}
		if subjects == nil {
			subjects = []string{}
		}
		parts = append(parts, part{kind: k, q: sub, subjects: subjects})
	}
	only := func(mns ...Mention) Question {
		sub := q
		sub.Mentions = mns
		return sub
	}
	covered := map[string]bool{}
	mention := func(id string) (Mention, bool) { return q.Has(id) }

	// Keyword parts.
	kba, hasKBA := mention(TopicKBA)
	_, hasKUDO := mention(TopicKUDO)
	if _, ok := mention(TopicIstio); ok {
		add(kIstio, only(), TopicIstio)
		covered[TopicIstio] = true
		for _, mn := range q.Mentions {
			if len(mn.Versions) == 0 {
				covered[mn.ID] = true // "does kaptain need istio?": the statements name it
			}
		}
	}
	if q.Term != "" {
		add(kTerm, only())
	}
	if q.Experimental {
		add(kExperimental, only())
	}
	if q.OS {
		add(kOS, only())
	}
	installer := b.installer(q)
	scopeAddons := hasKBA && !strings.HasPrefix(kba.Word, "kba") && installer == nil && (q.Scope || q.ScopeType != "" || len(q.Topics) > 0)
	switch {
	case len(q.Topics) > 0 && installer == nil && !q.Experimental && !q.Severity && !q.OS:
		add(kTopic, q)
		covered[TopicKUDO] = true
		for _, mn := range q.Mentions {
			if len(mn.Versions) == 0 {
				covered[mn.ID] = true // the products the statement is about
			}
		}
		if scopeAddons {
			covered[TopicKBA] = true
		}
	case hasKUDO || scopeAddons || q.Scope || q.ScopeType != "":
		sub := q
		sub.Topics = nil
		add(kScope, sub)
		covered[TopicKUDO] = true
		if scopeAddons {
			covered[TopicKBA] = true
		}
	case q.Severity:
		add(kSeverity, only())
	}
	if q.Tag != "" || q.BadTag != "" && hasKBA {
		sub := only()
		if h := b.kubeHost(); h != nil {
			if mn, ok := mention(h.ID); ok {
				sub.Mentions = append(sub.Mentions, mn)
				covered[h.ID] = true
			}
		}
		add(kAddons, sub, TopicKBA)
		covered[TopicKBA] = true
	}

	// The products: each mention's versions, in the target state of an upgrade.
	state := func(mn Mention) []VersionRef {
		if !q.Upgrade || !hasTarget(mn.Versions) {
			return mn.Versions // nothing to leave out (and nothing to copy)
		}
		var out []VersionRef
		for _, v := range mn.Versions {
			if q.Upgrade && v.Source && hasTarget(mn.Versions) {
				continue
			}
			out = append(out, v)
		}
		return out
	}
	one := func(mn Mention, v VersionRef) Mention {
		if len(mn.Versions) == 1 && mn.Version != nil && mn.Versions[0] == v && *mn.Version == v.Version {
			return mn // already the one version
		}
		vv := v.Version
		mn.Version, mn.Versions = &vv, []VersionRef{v}
		return mn
	}
	cross := func(k partKind, x, y Mention) {
		xs, ys := state(x), state(y)
		switch {
		case len(xs) == 0 && len(ys) == 0:
			add(k, only(x, y), x.ID, y.ID)
		case len(xs) == 0:
			for _, v := range ys {
				if !v.Set() {
					add(k, only(x, one(y, v)), x.ID, y.ID)
				}
			}
		case len(ys) == 0:
			for _, v := range xs {
				if !v.Set() {
					add(k, only(one(x, v), y), x.ID, y.ID)
				}
			}
		default:
			for _, v := range xs {
				for _, w := range ys {
					if !v.Set() && !w.Set() {
						add(k, only(one(x, v), one(y, w)), x.ID, y.ID)
					}
				}
			}
		}
	}

	// Upgrades: from one product's version to its own or another product's target.
	if q.Upgrade || q.Skip {
		var src, dst *Mention
		for i := range q.Mentions {
			mn := &q.Mentions[i]
			p, ok := b.m.Product(mn.ID)
			if !ok || slices.Contains(q.Enabled, mn.ID) {
				continue
			}
			switch {
			case hasTarget(mn.Versions) && src == nil && len(mn.Versions) == 1 && i > 0:
				dst = mn // "konvoy 1.8 to dkp 2.1"
			case src == nil && p.Rule != RuleWith && (hasTarget(mn.Versions) || q.How || q.Skip || len(q.Mentions) == 1 || len(mn.Versions) > 0):
				src = mn
			case src != nil && dst == nil && hasTarget(mn.Versions):
				dst = mn
			}
		}
		if src != nil {
			sub := only(*src)
			covered[src.ID] = true
			if dst == nil && !hasTarget(src.Versions) && !q.How && !q.Skip {
				// "on konvoy 1.5.3, do they need to upgrade?": where it stands first.
				for _, v := range src.Versions {
					add(kStatus, only(one(*src, v)), src.ID)
				}
			}
			if dst != nil && dst.ID != src.ID {
				sub.Mentions = append(sub.Mentions, *dst)
				covered[dst.ID] = true
			}
			for _, id := range q.Enabled {
				covered[id] = true
			}
			add(kUpgrade, sub, src.ID)
		}
	}
	if q.After != nil && q.After.ID != "" {
		if mn, ok := mention(q.After.ID); ok {
			add(kAfter, only(mn), mn.ID)
			covered[mn.ID] = true
		}
	}

	// Relations between products.
	for _, id := range b.m.order {
		w := b.m.products[id]
		if w.Rule != RuleWith {
			continue
		}
		x, okx := mention(w.With)
		y, oky := mention(w.ID)
		if okx && oky && !covered[w.ID] {
			cross(kPairing, x, y)
			covered[w.With], covered[w.ID] = true, true
		}
	}
	// Pairs the pages state, for products without a "with" rule between them.
	for i, x := range q.Mentions {
		for _, y := range q.Mentions[i+1:] {
			px, okx := b.m.products[x.ID]
			py, oky := b.m.products[y.ID]
			if !okx || !oky || covered[x.ID] && covered[y.ID] || px.With == y.ID || py.With == x.ID {
				continue
			}
			if !b.m.statesPairing(x.ID, y.ID) {
				continue
			}
			if b.m.pairings[0].Product == y.ID {
				x, y = y, x
			}
			cross(kStatedPairing, x, y)
			covered[x.ID], covered[y.ID] = true, true
		}
	}
	if host := b.kubeHost(); host != nil {
		kube, okk := mention(TopicKubernetes)
		h, okh := mention(host.ID)
		switch {
		case okk && okh:
			cross(kKubernetes, h, kube)
			covered[host.ID], covered[TopicKubernetes] = true, true
		case okk && !covered[TopicKubernetes]:
			// "dkp 2.2.1 kubernetes": the part keeps the other products'
			// versions, so its answer says whose range it cannot give.
			sub, subjects := only(kube), []string{TopicKubernetes}
			for _, mn := range q.Mentions {
				if p := b.m.products[mn.ID]; p != nil && !covered[mn.ID] && len(state(mn)) == 1 && !state(mn)[0].Set() {
					sub.Mentions = append(sub.Mentions, one(mn, state(mn)[0]))
					subjects = append(subjects, mn.ID)
				}
			}
			add(kKubernetes, sub, subjects...)
			covered[TopicKubernetes] = true
		}
	}
	for _, id := range b.m.order {
		k := b.m.products[id]
		if !hasPlatforms(k) || slices.Contains(q.Enabled, id) {
			continue
		}
		km, ok := mention(id)
		if !ok {
			continue
		}
		targets, bare := 0, 0
		for _, mn := range q.Mentions {
			if mn.ID == id || !b.runsOnProduct(k, mn.ID) {
				continue
			}
			if len(state(mn)) == 0 {
				if len(km.Versions) == 0 {
					bare++ // "kaptain on dkp?"
					covered[mn.ID] = true
				}
				continue
			}
			targets++
			for _, v := range state(mn) {
				if v.Set() {
					continue
				}
				for _, kv := range stateOrNone(state(km)) {
					sub := only(km, one(mn, v))
					if kv != nil {
						sub.Mentions[0] = one(km, *kv)
					}
					add(kPlatform, sub, id, mn.ID)
				}
			}
			if tp := b.m.products[mn.ID]; !covered[mn.ID] {
				covered[mn.ID] = true
				for _, v := range state(mn) {
					if tp.Rule != "" {
						add(kStatus, only(one(mn, v)), mn.ID)
					}
				}
			}
		}
		switch {
		case installer != nil:
			sub := only(km, *installer)
			sub.Install = true
			add(kInstall, sub, id, installer.ID)
			covered[installer.ID] = true
			covered[id] = true
		default:
			if targets > 0 {
				covered[id] = true
				for _, v := range state(km) {
					add(kStatus, only(one(km, v)), id)
				}
			}
			if q.Platform && targets == 0 || bare > 0 {
				add(kPlatform, only(km), id)
				covered[id] = true
			}
		}
	}

	// Everything else named is asked about on its own.
	for _, mn := range q.Mentions {
		if covered[mn.ID] {
			continue
		}
		covered[mn.ID] = true
		switch mn.ID {
		case TopicKBA:
			add(kAddons, only(mn), TopicKBA)
			continue
		case TopicKUDO:
			add(kScope, only(mn), TopicKUDO)
			continue
		case TopicKubernetes:
			add(kKubernetes, only(mn), TopicKubernetes)
			continue
		case TopicIstio:
			continue
		}
		vs := state(mn)
		switch {
		case q.When && len(vs) > 0:
			for _, v := range vs {
				add(kWhen, only(one(mn, v)), mn.ID)
			}
		case len(vs) == 0:
			add(kProduct, only(mn), mn.ID)
		default:
			for _, v := range vs {
				add(kStatus, only(one(mn, v)), mn.ID)
			}
		}
	}
	return dedupeParts(b.withStatusParts(parts))
}

// relationKinds are the parts that relate products; each product such a part
// names with a version also gets a status part of its own, so a pairing of
// two cycles that are no longer supported is never a bare yes.
var relationKinds = map[partKind]bool{kPairing: true, kStatedPairing: true, kKubernetes: true, kPlatform: true, kInstall: true}

// withStatusParts adds a status part for every product with a version that
// a relation part between two versions names and no status part covers yet
// (a product whose policy states no support window gets an unknown one: the
// relation holding does not make its version supported).
func (b *answer) withStatusParts(parts []part) []part {
	if !slices.ContainsFunc(parts, func(p part) bool { return relationKinds[p.kind] }) {
		return parts
	}
	has := map[string]bool{}
	key := func(mn Mention) string { return mn.ID + " " + mn.Versions[0].Raw }
	for _, p := range parts {
		if p.kind == kStatus && len(p.q.Mentions) == 1 && p.q.Mentions[0].Version != nil {
			has[key(p.q.Mentions[0])] = true
		}
	}
	n := len(parts)
	for i := 0; i < n; i++ {
		p := parts[i]
		if !relationKinds[p.kind] || versioned(p.q) < 2 {
			continue // a look-up ("which kommander goes with konvoy 1.8?") is no check of two versions
		}
		for _, mn := range p.q.Mentions {
			if mn.Version == nil || len(mn.Versions) != 1 || mn.Versions[0].Set() || b.m.products[mn.ID] == nil || has[key(mn)] {
				continue
			}
			has[key(mn)] = true
			sub := p.q
			sub.Mentions = []Mention{mn}
			parts = append(parts, part{kind: kStatus, q: sub, subjects: []string{mn.ID}, implied: true})
		}
	}
	return parts
}

func stateOrNone(vs []VersionRef) []*VersionRef {
	if len(vs) == 0 {
		return []*VersionRef{nil}
	}
	out := make([]*VersionRef, len(vs))
	for i := range vs {
		out[i] = &vs[i]
	}
	return out
}

// dedupeParts drops a status part that an earlier status part already
// states (the same product and version).
func dedupeParts(parts []part) []part {
	status := func(p part) (string, string, bool) {
		if p.kind == kStatus && len(p.q.Mentions) == 1 && len(p.q.Mentions[0].Versions) > 0 {
			return p.q.Mentions[0].ID, p.q.Mentions[0].Versions[0].Raw, true
		}
		return "", "", false
	}
	out := parts[:0]
	for _, p := range parts {
		if id, raw, ok := status(p); ok && slices.ContainsFunc(out, func(o part) bool {
			oid, oraw, ook := status(o)
			return ook && oid == id && oraw == raw
		}) {
			continue
		}
		out = append(out, p)
	}
	return out
}

// statesPairing reports whether the pages state any pairing between
// products a and b (PairingsBetween is not empty), without building it.
func (m *Model) statesPairing(a, b string) bool {
	for _, p := range m.pairings {
		if p.Product == a && p.With == b || p.Product == b && p.With == a {
			return true
		}
	}
	return false
}

// versioned counts the mentions of q with a version.
func versioned(q Question) int {
	n := 0
	for _, mn := range q.Mentions {
		if mn.Version != nil {
			n++
		}
	}
	return n
}

func hasTarget(vs []VersionRef) bool {
	return slices.ContainsFunc(vs, func(v VersionRef) bool { return v.Target })
}

func hasVersions(q Question) bool {
	return slices.ContainsFunc(q.Mentions, func(mn Mention) bool { return len(mn.Versions) > 0 })
}

// kubeHost is the product whose releases state Kubernetes ranges.
func (b *answer) kubeHost() *Product {
	for _, id := range b.m.order {
		for _, r := range b.m.products[id].Releases {
			if r.Kubernetes != nil {
				return b.m.products[id]
			}
		}
	}
	return nil
}

func hasPlatforms(p *Product) bool {
	return slices.ContainsFunc(p.Releases, func(r *Release) bool { return r.Platforms != nil })
}

// runsOnProduct reports whether any release of p names product id as a platform.
func (b *answer) runsOnProduct(p *Product, id string) bool {
	for _, r := range p.Releases {
		if r.Platforms != nil && slices.ContainsFunc(r.Platforms.RunsOn, func(pl Platform) bool { return pl.Product == id }) {
			return true
		}
	}
	return false
}

// installer is what the question asks a product with install facts to be
// installed from or as (the partner it cannot be installed from, an add-on),
// or nil when it asks no such thing.
func (b *answer) installer(q Question) *Mention {
	for _, id := range b.m.order {
		p := b.m.products[id]
		if p.Install == nil {
			continue
		}
		if _, ok := q.Has(id); !ok {
			continue
		}
		for i, mn := range q.Mentions {
			switch {
			case mn.ID == TopicKBA && q.Install:
				return &q.Mentions[i]
			case mn.ID != id && len(mn.Versions) == 0 && b.m.products[mn.ID] != nil && b.m.products[mn.ID].Rule == RuleWith &&
				(q.Install || !hasVersions(q) || !b.anyTarget(p, q)):
				if len(q.Topics) > 0 && !q.Install {
					return nil // "can kaptain use kommander's dex?" asks about a statement, not the install
				}
				return &q.Mentions[i]
			}
		}
	}
	return nil
}

// anyTarget reports whether the question names a platform of p with a version.
func (b *answer) anyTarget(p *Product, q Question) bool {
	for _, mn := range q.Mentions {
		if mn.ID != p.ID && len(mn.Versions) > 0 && b.runsOnProduct(p, mn.ID) {
			return true
		}
	}
	return false
}
