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
	// IntentUpgrade is an upgrade question: paths and advisories (verdict
	// info where a path exists, unsupported where the pages forbid it).
	IntentUpgrade Intent = "upgrade"
	IntentUnknown Intent = "unknown"
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
	// On is the day the answer is for (YYYY-MM-DD): a date in the question,
	// or the day asked.
	On string `json:"on"`
	// NotUnderstood are the words of the question no part of the answer used
	// (empty when every word was placed). When it is not empty the verdict is
	// never a bare yes or no.
	NotUnderstood []string `json:"not_understood"`
	// Corrections are near misses read as known names (komander → Kommander).
	Corrections []Correction `json:"corrections"`
	// Parts are the relations a multi-part question was answered with, one
	// each (a status, a pairing, a Kubernetes range, a platform); the verdict
	// is the whole question's.
	Parts []Part `json:"parts,omitempty"`

	// Product and Version are what the question was mainly about, for logs and stats.
	Product string `json:"product,omitempty"`
	Version string `json:"version,omitempty"`
	// DidYouMean is a known product close to an unknown word in the question.
	DidYouMean string `json:"did_you_mean,omitempty"`
	// Smalltalk is "greeting" or "thanks" when the message was only that: the
	// answer is a short friendly reply (intent help, verdict info), and a
	// thanks is no question to count as unanswered.
	Smalltalk string `json:"smalltalk,omitempty"`
	// FollowUps are natural next questions (for buttons).
	FollowUps []FollowUp `json:"follow_ups,omitempty"`
}

// Correction is a near miss of a known word and what it was read as.
type Correction struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// Part is one relation of a multi-part question and its own verdict.
type Part struct {
	Subjects []string `json:"subjects"` // product or topic ids, e.g. ["konvoy","kommander"]
	Intent   Intent   `json:"intent"`
	Verdict  Verdict  `json:"verdict"`
	Summary  string   `json:"summary"`
	Sources  []Ref    `json:"sources"`
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

// Ask reads and answers a question as of now (for a view from Model.At: as
// of its day). It is AskOn(text, time.Now()) on the model as loaded.
func (m *Model) Ask(text string) Answer {
	return m.AskOn(text, m.today())
}

// AskOn reads and answers a question as the policy stood on today: a date
// in the question ("in october 2021", "on 2021-09-01", "as of March 2022")
// wins over today.
func (m *Model) AskOn(text string, today time.Time) Answer {
	q := ParseQuestion(text, m)
	day := today
	if !q.On.IsZero() {
		day = q.On
	}
	return m.answerOn(q, day)
}

// answer builds an Answer; its methods add facts and their sources.
type answer struct {
	m *Model
	a Answer
	// relFact is a relation's answer as a plain statement, without its yes
	// ("Kommander 1.2.x pairs with Konvoy 1.6.x"), for a summary that joins
	// it with the parts' statuses.
	relFact string
}

func (b *answer) detail(label, format string, args ...any) {
	if cap(b.a.Details) == 0 {
		b.a.Details = make([]Detail, 0, 8) // one allocation for most answers
	}
	b.a.Details = append(b.a.Details, Detail{Label: label, Text: fmt.Sprintf(format, args...)})
}

func (b *answer) cite(refs ...Ref) {
	for _, r := range refs {
		if r.ID == "" || slices.Contains(b.a.Sources, r) {
			continue
		}
		if cap(b.a.Sources) == 0 {
			b.a.Sources = make([]Ref, 0, 4)
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
	if cap(b.a.FollowUps) == 0 {
		b.a.FollowUps = make([]FollowUp, 0, 3)
	}
	b.a.FollowUps = append(b.a.FollowUps, FollowUp{Label: label, Question: question})
}

func (b *answer) set(i Intent, v Verdict, format string, args ...any) {
	b.a.Intent, b.a.Verdict, b.a.Summary = i, v, fmt.Sprintf(format, args...)
}

// Answer evaluates a read question against the policy as it stands (or on
// the question's own date, when it names one).
func (m *Model) Answer(q Question) Answer {
	return m.answerOn(q, q.On)
}

func newAnswer(m *Model, q Question) *answer {
	return &answer{m: m, a: Answer{Query: q.Text, AsOf: m.AsOf.Format(time.DateOnly), Details: []Detail{}, Sources: []Ref{},
		NotUnderstood: []string{}, Corrections: []Correction{}}}
}

// answerOn evaluates q on day (zero: the policy as it stands).
func (m *Model) answerOn(q Question, day time.Time) Answer {
	view, dated := m.viewOn(day)
	b := newAnswer(view, q)
	if !day.IsZero() {
		b.a.On = day.Format(time.DateOnly)
	}
	switch {
	case q.TooLong > 0:
		b.set(IntentUnknown, VerdictUnknown, "That message is too long for me to read (%d characters; I read up to %d). Ask the question on its own, like `konvoy 1.6`.", q.TooLong, maxMessageRunes)
		b.follow("Help", "help")
	case q.Rambling > 0:
		b.set(IntentUnknown, VerdictUnknown, "I could not find one question in that message: its question sentence has %d words (I read up to %d). Ask it on its own, like `konvoy 1.6`.", q.Rambling, maxTokens)
		b.follow("Help", "help")
	case !dated:
		b.set(IntentUnknown, VerdictUnknown, "I cannot answer as the policy stood on %s: this policy's facts are as of %s, and it holds no history before that.", b.a.On, b.a.AsOf)
		b.detail("Asked for", "%s", b.a.On)
	default:
		b.evaluate(q)
	}
	if b.a.Summary == "" {
		b.set(IntentUnknown, VerdictUnknown, "I could not answer that. Try `help` for what I understand.")
	}
	b.finish(q)
	return b.a
}
