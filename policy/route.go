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

// run answers one part on b.
func (b *answer) run(p part) {
	q := p.q
	switch p.kind {
	case kStatus:
		b.productOrStatus(q)
	case kProduct:
		b.productOrStatus(q)
	case kPairing:
		b.pairing(q)
	case kKubernetes:
		b.kubernetes(q)
	case kPlatform:
		b.platform(q)
	case kInstall:
		b.platform(q)
	case kAddons:
		b.addons(q)
	case kScope:
		_, hasKBA := q.Has(TopicKBA)
		b.scope(q, hasKBA)
	case kTopic:
		b.topic(q)
	case kExperimental:
		b.experimental()
	case kSeverity:
		b.severity()
	case kIstio:
		b.istio()
	case kOS:
		b.operatingSystems()
	case kUpgrade:
		b.upgradeFrame(q)
	case kAfter:
		b.after(q)
	case kWhen:
		b.when(q)
	case kStatedPairing:
		b.statedPairing(q)
	case kTerm:
		if t, ok := b.m.Term(q.Term); ok {
			b.term(t)
		}
	}
}

// partOf is the answer so far as a Part.
func (b *answer) partOf(subjects []string) Part {
	return Part{Subjects: slices.Clone(subjects), Intent: b.a.Intent, Verdict: b.a.Verdict, Summary: b.a.Summary, Sources: slices.Clone(b.a.Sources)}
}

// verdictRank orders verdicts for combining parts: any no makes the whole a
// no, an unknown part makes it unknown, and only all-yes is yes.
var verdictRank = map[Verdict]int{
	VerdictIncompatible: 6, VerdictUnsupported: 5, VerdictUnknown: 4,
	VerdictCompatible: 3, VerdictSupported: 2, VerdictInfo: 1,
}

// combine answers each part and joins them: the verdict is the whole
// question's (any incompatible part makes it incompatible, else any
// unsupported part unsupported, else any unknown part unknown), the summary
// leads with the deciding part, and every part is listed with its own
// verdict.
func (b *answer) combine(parts []part) {
	var answers []Answer
	var facts []string
	lead := 0
	for i, p := range parts {
		sub := newAnswer(b.m, p.q)
		sub.a.Query = b.a.Query
		sub.run(p)
		if sub.a.Summary == "" {
			sub.set(IntentUnknown, VerdictUnknown, "I could not answer this part.")
		}
		answers = append(answers, sub.a)
		facts = append(facts, sub.relFact)
		b.a.Parts = append(b.a.Parts, sub.partOf(p.subjects))
		if verdictRank[sub.a.Verdict] > verdictRank[answers[lead].Verdict] {
			lead = i
		}
	}
	la := answers[lead]
	b.a.Intent, b.a.Verdict = la.Intent, la.Verdict
	b.a.Product, b.a.Version = la.Product, la.Version
	if s, ok := b.statusLed(parts, answers, facts, lead); ok {
		// The relation holds, but a side's status decides: say both.
		b.a.Summary = s
	} else {
		var others []string
		for i, a := range answers {
			if i != lead && (!parts[i].implied || verdictRank[a.Verdict] >= verdictRank[VerdictUnknown]) {
				others = append(others, a.Summary)
			}
		}
		b.a.Summary = la.Summary
		if len(others) > 0 {
			b.a.Summary += " Also: " + strings.Join(others, " ")
		}
	}
	if parts[lead].implied {
		// The question asks about the relation; the status only decides it.
		for i, p := range parts {
			if !p.implied {
				b.a.Intent = answers[i].Intent
				break
			}
		}
	}
	// A support-scope area beside a version ("can we run kafka on konvoy
	// 1.8?") asks a relation the policy does not state: never a bare yes/no.
	area, versioned := "", ""
	for i, p := range parts {
		switch {
		case p.kind == kTerm:
			if t, ok := b.m.Term(p.q.Term); ok {
				area = t.Name
			}
		case p.kind == kScope || p.kind == kTopic:
			if _, ok := p.q.Has(TopicKUDO); ok {
				area = b.areaName(TopicKUDO)
			}
		case p.kind == kStatus && verdictRank[answers[i].Verdict] != verdictRank[VerdictInfo] && answers[i].Verdict != VerdictUnknown:
			versioned = partLabel(b.m, p.q)
		}
	}
	if area != "" && versioned != "" {
		b.a.Verdict = VerdictUnknown
		if _, ok := b.m.Term(area); ok {
			b.a.Summary = "The policy does not say which versions or features are " + area + ", so I cannot say for " + versioned + ". " + b.a.Summary
		} else {
			b.a.Summary = "The policy does not say on which versions " + area + " runs, so I cannot say for " + versioned + ". " + b.a.Summary
		}
	}
	for i, a := range answers {
		label := partLabel(b.m, parts[i].q)
		if parts[i].implied && i != lead && hasLabel(la.Details, label) {
			continue // the deciding part's own details state this status
		}
		b.detail(label, "%s: %s", a.Verdict.Label(), plain(a.Summary))
	}
	for _, d := range la.Details {
		b.a.Details = appendDetail(b.a.Details, d)
	}
	for _, a := range answers {
		b.cite(a.Sources...)
		for _, f := range a.FollowUps {
			if len(b.a.FollowUps) < 3 {
				b.follow(f.Label, f.Question)
			}
		}
	}
}

// statusLed is the summary of a question whose relations all hold (or are
// facts) while the status of a product they name decides the verdict:
// "Kommander 1.2.x pairs with Konvoy 1.6.x, but neither is supported any
// more: support covers ...". It is false when a relation itself decides.
func (b *answer) statusLed(parts []part, answers []Answer, facts []string, lead int) (string, bool) {
	if !parts[lead].implied {
		return "", false
	}
	var rel []string
	var relSubjects []string
	for i, p := range parts {
		if p.kind == kStatus {
			continue
		}
		switch answers[i].Verdict {
		case VerdictCompatible, VerdictSupported, VerdictInfo:
		default:
			return "", false
		}
		f := facts[i]
		if f == "" {
			f = strings.TrimSuffix(strings.TrimPrefix(answers[i].Summary, "Yes: "), ".")
		}
		rel = append(rel, f)
		relSubjects = append(relSubjects, p.subjects...)
	}
	if len(rel) == 0 {
		return "", false
	}
	var ended, endedCovers, others []string
	for i, p := range parts {
		if p.kind != kStatus || verdictRank[answers[i].Verdict] < verdictRank[VerdictUnknown] {
			continue
		}
		mn := p.q.Mentions[0]
		pr := b.m.products[mn.ID]
		if answers[i].Verdict == VerdictUnsupported && pr != nil && mn.Version != nil && pr.Status(mn.Version.Cycle) == StatusUnsupported && len(pr.supported) > 0 {
			ended = append(ended, pr.Name+" "+mn.Version.Cycle.String())
			endedCovers = append(endedCovers, pr.Name+" "+joinCycles(pr.supported))
			continue
		}
		others = append(others, answers[i].Summary)
	}
	var s string
	switch {
	case len(ended) > 0:
		who := joinAnd(ended) + " " + plural(len(ended), "is not", "are not")
		if len(ended) == 2 && len(relSubjects) == 2 && len(rel) == 1 {
			who = "neither is"
		}
		s = strings.Join(rel, "; ") + ", but " + who + " supported any more: support covers " + joinAnd(endedCovers) + "."
		if len(others) > 0 {
			s += " Also: " + strings.Join(others, " ")
		}
	case len(others) > 0:
		s = strings.Join(rel, "; ") + ", but " + lowerFirst(others[0])
		if len(others) > 1 {
			s += " Also: " + strings.Join(others[1:], " ")
		}
	default:
		return "", false
	}
	return s, true
}

// joinAnd joins names: "a", "a and b", "a, b and c".
func joinAnd(ws []string) string {
	switch len(ws) {
	case 0:
		return ""
	case 1:
		return ws[0]
	}
	return strings.Join(ws[:len(ws)-1], ", ") + " and " + ws[len(ws)-1]
}

// lowerFirst lowers the first word of a sentence that starts with a plain
// word ("The policy ..."), not a name or "I".
func lowerFirst(s string) string {
	for _, w := range []string{"The ", "There ", "It ", "This "} {
		if strings.HasPrefix(s, w) {
			return strings.ToLower(s[:1]) + s[1:]
		}
	}
	return s
}

func hasLabel(ds []Detail, label string) bool {
	return slices.ContainsFunc(ds, func(d Detail) bool { return d.Label == label })
}

func appendDetail(ds []Detail, d Detail) []Detail {
	if slices.Contains(ds, d) {
		return ds
	}
	return append(ds, d)
}

// partLabel names a part by what it is about: "Kaptain 1.3 + Konvoy 1.6".
func partLabel(m *Model, q Question) string {
	var names []string
	for _, mn := range q.Mentions {
		name := mn.ID
		if p, ok := m.Product(mn.ID); ok {
			name = p.Name
		} else if mn.ID == TopicKubernetes {
			name = "Kubernetes"
		}
		if len(mn.Versions) > 0 {
			name += " " + mn.Versions[0].Raw
		}
		names = append(names, name)
	}
	if len(names) == 0 {
		return "Part"
	}
	return strings.Join(names, " + ")
}

// finish adds what the reader corrected, assumed and did not understand,
// and keeps a bare yes or no from standing over words it did not use.
func (b *answer) finish(q Question) {
	a := &b.a
	a.Corrections = append(a.Corrections, q.Corrections...)
	var notes []string
	for _, c := range q.Corrections {
		notes = append(notes, "reading '"+c.From+"' as "+c.To)
	}
	if q.Assumed != "" {
		notes = append(notes, q.Assumed)
		b.detail("Derived", "%s", q.Assumed)
	}
	if len(notes) > 0 {
		a.Summary += " (" + upperFirst(strings.Join(notes, "; ")) + ".)"
	}
	a.NotUnderstood = append(a.NotUnderstood, q.NotUnderstood...)
	if n := len(a.NotUnderstood); n > 0 {
		list := joinWords(a.NotUnderstood)
		switch a.Verdict {
		case VerdictSupported, VerdictCompatible, VerdictUnsupported, VerdictIncompatible:
			a.Verdict = VerdictUnknown
			a.Summary = strings.TrimSuffix(a.Summary, ".") + "; the policy says nothing about " + list + "."
		case VerdictInfo:
			a.Summary += " The policy says nothing about " + list + "."
		}
		b.detail("Not understood", "%s: the answer does not take %s into account", list, plural(n, "it", "them"))
	}
	if q.Sentence != "" && q.Sentence != q.Text {
		b.detail("Read as the question", "%s", q.Sentence)
	}
	if len(q.Noticed) > 0 {
		var names []string
		for _, id := range q.Noticed {
			switch p, ok := b.m.Product(id); {
			case ok:
				names = append(names, p.Name)
			case id == TopicKubernetes:
				names = append(names, "Kubernetes")
			default:
				names = append(names, b.areaName(id))
			}
		}
		b.detail("Also mentioned", "%s (elsewhere in the message; ask about it on its own)", strings.Join(names, ", "))
	}
}

func joinWords(ws []string) string {
	switch len(ws) {
	case 1:
		return ws[0]
	case 2:
		return ws[0] + " or " + ws[1]
	}
	return strings.Join(ws[:len(ws)-1], ", ") + " or " + ws[len(ws)-1]
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
