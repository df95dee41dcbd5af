package policy

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Intent is what a question asks about (a contract: see DESIGN.md).
type Intent string

// The intents.
const (
	IntentStatus     Intent = "status"
	IntentProduct    Intent = "product"
	IntentKubernetes Intent = "kubernetes"
	IntentPairing    Intent = "pairing"
	IntentPlatform   Intent = "platform"
	IntentAddons     Intent = "addons"
	IntentScope      Intent = "scope"
	IntentHelp       Intent = "help"
	IntentUnknown    Intent = "unknown"
)

// Verdict is the answer's yes/no, or info, or unknown (a contract: see DESIGN.md).
type Verdict string

// The verdicts.
const (
	VerdictSupported    Verdict = "supported"
	VerdictUnsupported  Verdict = "unsupported"
	VerdictCompatible   Verdict = "compatible"
	VerdictIncompatible Verdict = "incompatible"
	VerdictInfo         Verdict = "info"
	VerdictUnknown      Verdict = "unknown"
)

// ExitCode is the CLI exit status for the verdict: 0 for supported,
// compatible and info, 1 for unsupported and incompatible, 3 for unknown.
func (v Verdict) ExitCode() int {
	switch v {
	case VerdictUnsupported, VerdictIncompatible:
		return 1
	case VerdictUnknown:
		return 3
	}
	return 0
}

// Answer is the reply to one question. Its JSON form is a contract.
type Answer struct {
	Query   string   `json:"query"`
	Intent  Intent   `json:"intent"`
	Verdict Verdict  `json:"verdict"`
	Summary string   `json:"summary"`
	Details []Detail `json:"details"`
	Sources []Ref    `json:"sources"`
	AsOf    string   `json:"as_of"`

	// Product and Version are what the question was mainly about, for logs and stats.
	Product string `json:"product,omitempty"`
	Version string `json:"version,omitempty"`
	// DidYouMean is a known product close to an unknown word in the question.
	DidYouMean string `json:"did_you_mean,omitempty"`
	// FollowUps are natural next questions (for buttons).
	FollowUps []FollowUp `json:"follow_ups,omitempty"`
}

// Detail is one fact of an answer: a short label and its text.
type Detail struct {
	Label string `json:"label"`
	Text  string `json:"text"`
}

// FollowUp is a suggested next question.
type FollowUp struct {
	Label    string `json:"label"`
	Question string `json:"question"`
}

// Ask parses and answers a question.
func (m *Model) Ask(text string) Answer {
	return m.Answer(ParseQuestion(text, m))
}

// answer builds an Answer; its methods add facts and their sources.
type answer struct {
	m *Model
	a Answer
}

func (b *answer) detail(label, format string, args ...any) {
	b.a.Details = append(b.a.Details, Detail{Label: label, Text: fmt.Sprintf(format, args...)})
}

func (b *answer) cite(refs ...Ref) {
	for _, r := range refs {
		if r.ID == "" || slices.Contains(b.a.Sources, r) {
			continue
		}
		b.a.Sources = append(b.a.Sources, r)
	}
}

func (b *answer) citeAll(refs []string) {
	for _, s := range refs {
		b.cite(b.m.ref(s))
	}
}

func (b *answer) follow(label, question string) {
	if strings.EqualFold(strings.TrimSpace(question), strings.TrimSpace(b.a.Query)) {
		return
	}
	b.a.FollowUps = append(b.a.FollowUps, FollowUp{Label: label, Question: question})
}

func (b *answer) set(i Intent, v Verdict, format string, args ...any) {
	b.a.Intent, b.a.Verdict, b.a.Summary = i, v, fmt.Sprintf(format, args...)
}

// Answer evaluates a parsed question against the policy.
func (m *Model) Answer(q Question) Answer {
	b := &answer{m: m, a: Answer{Query: q.Text, AsOf: m.AsOf.Format(time.DateOnly), Details: []Detail{}, Sources: []Ref{}}}
	b.route(q)
	if b.a.Summary == "" {
		b.set(IntentUnknown, VerdictUnknown, "I could not answer that. Try `help` for what I understand.")
	}
	return b.a
}

func (b *answer) route(q Question) {
	_, kaptain := q.Has("kaptain")
	_, konvoy := q.Has("konvoy")
	_, kommander := q.Has("kommander")
	_, dkp := q.Has("dkp")
	kube, hasKube := q.Has(TopicKubernetes)
	kba, hasKBA := q.Has(TopicKBA)
	_, hasKUDO := q.Has(TopicKUDO)
	_, hasIstio := q.Has(TopicIstio)
	scopeAddons := hasKBA && !strings.HasPrefix(kba.Word, "kba") && (q.Scope || q.ScopeType != "")
	switch {
	case q.Help || len(q.Mentions) == 0 && q.Text == "":
		b.help()
	case q.Tag != "" || q.BadTag != "" && hasKBA:
		b.addons(q)
	case q.OS && len(q.Mentions) <= 1:
		b.operatingSystems()
	case hasIstio:
		b.istio()
	case q.Experimental:
		b.experimental()
	case hasKUDO || scopeAddons || q.Scope:
		b.scope(q, scopeAddons)
	case q.Severity && !q.Scope:
		b.severity()
	case kaptain && (konvoy || dkp || kommander || q.Platform):
		b.platform(q)
	case konvoy && kommander:
		b.pairing(q)
	case hasKube && (konvoy || kube.Version != nil || len(q.Mentions) == 1):
		b.kubernetes(q)
	case hasKBA:
		b.addons(q)
	case len(q.Mentions) > 0:
		b.productOrStatus(q)
	case q.ScopeType != "":
		b.scope(q, false)
	default:
		b.unknown(q)
	}
}

// --- status and product matrix ---

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
func (b *answer) product(p *Product) {
	supported, hasRule := p.Supported()
	b.cite(p.Source)
	if !hasRule {
		b.set(IntentProduct, VerdictInfo, "%s releases in the policy: %s. The policy states no support window for %s.", p.Name, joinReleases(p), p.Name)
		b.platformFactsAbout(p, Version{Cycle: p.Latest()})
		return
	}
	b.set(IntentProduct, VerdictInfo, "%s: supported %s (latest %s).", p.Name, joinCycles(supported), supported[0])
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

// --- pairing ---

// pairingFacts adds the pairing of cycle c of p (either side of a "with" rule).
func (b *answer) pairingFacts(p *Product, c Cycle) {
	for _, q := range b.m.partners(p.ID) {
		if qc, ok := q.pairOf(c); ok {
			b.detail("Pairs with", "%s %s.x pairs with %s %s.x", p.Name, c, q.Name, qc)
			b.cite(q.Source)
		}
	}
	if p.Rule == "with" {
		partner := b.m.products[p.With]
		if r, ok := p.Release(c); ok && r.PairsWith != nil {
			b.detail("Pairs with", "%s %s.x pairs with %s %s.x", p.Name, c, partner.Name, *r.PairsWith)
		}
	}
}

// pairing answers Konvoy-with-Kommander questions.
func (b *answer) pairing(q Question) {
	kv, _ := q.Has("konvoy")
	km, _ := q.Has("kommander")
	konvoy, _ := b.m.Product("konvoy")
	kommander, _ := b.m.Product("kommander")
	if konvoy == nil || kommander == nil || kommander.Rule != "with" {
		b.unknown(q)
		return
	}
	b.cite(kommander.Source)
	b.a.Product = "kommander"
	table := b.pairingTable(konvoy, kommander)
	switch {
	case kv.Version != nil && km.Version != nil:
		b.a.Version = km.Version.String()
		want, ok := kommander.pairOf(kv.Version.Cycle)
		if !ok {
			b.set(IntentPairing, VerdictUnknown, "The policy lists no Kommander pairing for Konvoy %s.", kv.Version.Label())
			break
		}
		if want == km.Version.Cycle {
			b.set(IntentPairing, VerdictCompatible, "Yes: Kommander %s deploys on any Konvoy %s; they are released together.", km.Version.Label(), kv.Version.Label())
		} else {
			b.set(IntentPairing, VerdictIncompatible, "No: Konvoy %s.x pairs only with Kommander %s.x; mixing minor versions is prohibited.", kv.Version.Cycle, want)
			b.detail("Not supported", "You cannot deploy Kommander %s.x on Konvoy %s.x.", km.Version.Cycle, kv.Version.Cycle)
		}
		b.statusNote(konvoy, kv.Version.Cycle)
		b.statusNote(kommander, km.Version.Cycle)
	case kv.Version != nil:
		b.a.Product, b.a.Version = "konvoy", kv.Version.String()
		if want, ok := kommander.pairOf(kv.Version.Cycle); ok {
			b.set(IntentPairing, VerdictInfo, "Konvoy %s.x pairs with Kommander %s.x.", kv.Version.Cycle, want)
			b.statusNote(konvoy, kv.Version.Cycle)
		} else {
			b.set(IntentPairing, VerdictUnknown, "The policy lists no Kommander pairing for Konvoy %s.", kv.Version.Label())
		}
	case km.Version != nil:
		b.a.Version = km.Version.String()
		if r, ok := kommander.Release(km.Version.Cycle); ok && r.PairsWith != nil {
			b.set(IntentPairing, VerdictInfo, "Kommander %s.x pairs with Konvoy %s.x.", km.Version.Cycle, *r.PairsWith)
			b.statusNote(kommander, km.Version.Cycle)
		} else {
			b.set(IntentPairing, VerdictUnknown, "The policy lists no Konvoy pairing for Kommander %s.", km.Version.Label())
		}
	default:
		b.set(IntentPairing, VerdictInfo, "Konvoy and Kommander pair minor to minor: %s.", strings.Join(table, "; "))
	}
	b.detail("Pairings", "%s", strings.Join(table, "; "))
	b.detail("Rule", "%s", kommander.RuleNote)
}

func (b *answer) pairingTable(konvoy, kommander *Product) []string {
	var rows []string
	for _, r := range konvoy.Releases {
		if qc, ok := kommander.pairOf(r.Cycle); ok {
			rows = append(rows, fmt.Sprintf("Konvoy %s.x ↔ Kommander %s.x", r.Cycle, qc))
		}
	}
	return rows
}

// statusNote adds one line on whether a cycle is supported.
func (b *answer) statusNote(p *Product, c Cycle) {
	switch p.Status(c) {
	case StatusSupported:
		b.detail(p.Name+" "+c.String(), "supported")
	case StatusUnsupported:
		b.detail(p.Name+" "+c.String(), "not supported (support covers %s)", joinCycles(p.supported))
	}
	b.cite(p.Source)
}

// --- kubernetes ---

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

// --- platform (Kaptain) ---

func (b *answer) platform(q Question) {
	kaptain, ok := b.m.Product("kaptain")
	if !ok {
		b.unknown(q)
		return
	}
	b.a.Product = "kaptain"
	km, _ := q.Has("kaptain")
	rel, pl := kaptain.Releases[0], (*Platforms)(nil)
	if km.Version != nil {
		b.a.Version = km.Version.String()
		r, ok := kaptain.Release(km.Version.Cycle)
		if !ok || r.Platforms == nil {
			b.set(IntentPlatform, VerdictUnknown, "The policy does not say where Kaptain %s runs.", km.Version.Label())
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
	if _, ok := q.Has("kommander"); ok {
		b.install(kaptain, name, true)
		b.detail("Runs on", "%s", runsOn)
		b.requirements(kaptain)
		return
	}
	target, ok := b.platformTarget(q)
	if !ok {
		b.set(IntentPlatform, VerdictInfo, "%s runs on %s.", name, runsOn)
		b.install(kaptain, name, false)
		b.requirements(kaptain)
		return
	}
	tp, _ := b.m.Product(target.ID)
	verdict := VerdictIncompatible
	for _, p := range pl.RunsOn {
		if p.Product != target.ID || p.Version.Cycle != target.Version.Cycle {
			continue
		}
		switch {
		case !p.Version.HasPatch, target.Version.HasPatch && p.Version.Patch == target.Version.Patch:
			verdict = VerdictCompatible
		default:
			verdict = VerdictUnknown
		}
	}
	switch verdict {
	case VerdictCompatible:
		b.set(IntentPlatform, verdict, "Yes: %s runs on %s %s.", name, tp.Name, target.Version)
	case VerdictUnknown:
		b.set(IntentPlatform, verdict, "The policy names only %s for %s; it does not say whether %s %s works.", runsOn, name, tp.Name, target.Version)
	default:
		b.set(IntentPlatform, verdict, "No: %s runs on %s, not %s %s.", name, runsOn, tp.Name, target.Version)
	}
	b.detail("Runs on", "%s", runsOn)
	if pl.StatedFor != "" && km.Version != nil && km.Version.String() != pl.StatedFor {
		b.detail("Note", "The policy states this for Kaptain %s.", pl.StatedFor)
	}
	b.install(kaptain, name, false)
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
		parts = append(parts, name+" "+p.Version.String())
	}
	return strings.Join(parts, ", ")
}

// install adds how Kaptain can be installed; asked says the question was about it.
func (b *answer) install(p *Product, name string, asked bool) {
	in := p.Install
	if in == nil {
		if asked {
			b.set(IntentPlatform, VerdictUnknown, "The policy does not say whether %s can be installed from Kommander.", name)
		}
		return
	}
	b.cite(b.m.ref(in.Source))
	var no []string
	if in.FromKommander != nil && !*in.FromKommander {
		no = append(no, "from Kommander")
	}
	if in.AsAddon != nil && !*in.AsAddon {
		no = append(no, "as an add-on")
	}
	if len(no) > 0 {
		text := fmt.Sprintf("%s cannot be installed %s.", name, strings.Join(no, " or "))
		if asked {
			b.set(IntentPlatform, VerdictIncompatible, "No: %s", text)
		} else {
			b.detail("Install", "%s", text)
		}
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

// --- addons (KBA) ---

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

// --- scope, experimental, severity, istio ---

func (b *answer) scope(q Question, addons bool) {
	s := b.m.file.Scope
	if s == nil || len(b.m.areas) == 0 {
		b.set(IntentScope, VerdictUnknown, "The policy holds no support-scope tables.")
		return
	}
	var areas []*Area
	if _, ok := q.Has(TopicKUDO); ok {
		if a, ok := b.m.Area(TopicKUDO); ok {
			areas = append(areas, a)
		}
	}
	if addons {
		if a, ok := b.m.Area("addons"); ok {
			areas = append(areas, a)
		}
	}
	if len(areas) == 0 {
		areas = b.m.areas
	}
	var matched []string
	for _, a := range areas {
		b.cite(a.Source)
		for _, row := range a.Rows {
			if q.ScopeType != "" && !strings.HasPrefix(strings.ToLower(row.Type), q.ScopeType) {
				continue
			}
			matched = append(matched, fmt.Sprintf("%s — %s: %s", a.Name, row.Type, row.Offered))
			if q.ScopeType != "" {
				for _, item := range row.Scope {
					b.detail(a.Name+" — "+row.Type, "%s", item)
				}
			}
			b.detail("Support offered", "%s — %s: %s", a.Name, row.Type, row.Offered)
		}
		if q.ScopeType == "" {
			b.detail(a.Name, "%s", a.Definition)
			if a.Note != "" {
				b.detail("Note", "%s", a.Note)
			}
			for _, row := range a.Rows {
				b.follow(row.Type, fmt.Sprintf("scope %s %s", a.ID, strings.ToLower(row.Type)))
			}
		}
	}
	switch {
	case len(matched) == 1:
		b.set(IntentScope, VerdictInfo, "%s.", matched[0])
	case len(areas) == 1:
		b.set(IntentScope, VerdictInfo, "Secondary support for %s: %d types of request, each with its scope and the severities supported.", areas[0].Name, len(matched))
	default:
		b.set(IntentScope, VerdictInfo, "Secondary support scope for %s.", areaNames(areas))
	}
	if sv := s.SeverityTerms; sv != nil {
		b.detail("Severity levels", "defined in the support terms: %s", sv.URL)
	}
}

func areaNames(areas []*Area) string {
	names := make([]string, len(areas))
	for i, a := range areas {
		names[i] = a.Name
	}
	return strings.Join(names, " and ")
}

func (b *answer) experimental() {
	s := b.m.file.Scope
	if s == nil || s.Experimental == nil {
		b.set(IntentScope, VerdictUnknown, "The policy holds no statement on experimental components.")
		return
	}
	e := s.Experimental
	b.set(IntentScope, VerdictInfo, "Experimental components qualify for limited, Severity 4 support only and must not be used in Production Environments.")
	b.detail("Definition", "%s", e.Definition)
	b.detail("Support", "%s", e.Support)
	for _, sv := range e.Services {
		b.detail("Offered", "%s", sv)
	}
	if e.Warranty != "" {
		b.detail("Warranty", "%s", e.Warranty)
	}
	b.citeAll(e.Sources)
	b.follow("Istio", "istio")
}

func (b *answer) severity() {
	s := b.m.file.Scope
	if s == nil || s.SeverityTerms == nil {
		b.set(IntentScope, VerdictUnknown, "The policy holds no link to the severity definitions.")
		return
	}
	b.set(IntentScope, VerdictInfo, "Severity levels and support terms are defined on the support terms page: %s", s.SeverityTerms.URL)
	b.citeAll(s.SeverityTerms.Sources)
	b.follow("Experimental support", "experimental")
	b.follow("Support scope", "scope")
}

func (b *answer) istio() {
	is := b.m.file.Istio
	if is == nil || len(is.Statements) == 0 {
		b.set(IntentScope, VerdictUnknown, "The policy holds nothing on Istio.")
		return
	}
	b.a.Product = TopicIstio
	b.set(IntentScope, VerdictInfo, "%s", strings.Join(is.Statements, " "))
	for _, st := range is.Statements {
		b.detail("Istio", "%s", st)
	}
	b.cite(b.m.ref(is.Source))
	if s := b.m.file.Scope; s != nil && s.Experimental != nil {
		b.detail("Experimental", "%s", s.Experimental.Support)
		b.citeAll(s.Experimental.Sources)
	}
	b.follow("Where Kaptain runs", "where does kaptain run")
}

func (b *answer) operatingSystems() {
	os := b.m.file.OperatingSystems
	if os == nil {
		b.set(IntentProduct, VerdictUnknown, "The policy holds nothing on supported operating systems.")
		return
	}
	b.a.Product = "konvoy"
	b.set(IntentProduct, VerdictUnknown, "%s", os.Statement)
	b.cite(b.m.ref(os.Source))
}

// --- help and unknown ---

func (b *answer) help() {
	b.set(IntentHelp, VerdictInfo, "Ask me about D2iQ version support: products, versions, pairings, Kubernetes, KBA tags and support scope.")
	for _, f := range Grammar() {
		b.detail(f.Example, "%s", f.Description)
	}
	b.detail("Products", "%s", strings.Join(knownNames(b.m), ", "))
}

func (b *answer) unknown(q Question) {
	switch {
	case q.Unknown != "":
		if s, ok := DidYouMean(b.m, q.Unknown); ok {
			b.a.DidYouMean = s
			b.set(IntentUnknown, VerdictUnknown, "I don't know a product called %q. Did you mean %s?", q.Unknown, s)
			example := s
			if q.Loose != nil {
				example += " " + q.Loose.String()
			}
			b.follow("Ask about "+s, example)
		} else {
			b.set(IntentUnknown, VerdictUnknown, "I don't know a product called %q. I know %s.", q.Unknown, strings.Join(knownNames(b.m), ", "))
		}
	case q.Loose != nil:
		b.set(IntentUnknown, VerdictUnknown, "Which product is %s? Ask like `konvoy %s`.", q.Loose, q.Loose)
	default:
		b.set(IntentUnknown, VerdictUnknown, "I didn't understand that. Ask like `konvoy 1.6`, or `help` for everything I understand.")
	}
	b.follow("Help", "help")
}
