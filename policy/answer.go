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
