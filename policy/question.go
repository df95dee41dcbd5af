package policy

import (
	"regexp"
	"strings"
	"time"
)

// Question is a read question: what the reader placed, and what it could
// not. The zero value asks for help.
type Question struct {
	// Raw is the question as received; Text is it cleaned of Slack formatting
	// and folded (NFKC). Sentence is the part read as the question when the
	// message is long; otherwise it equals Text.
	Raw, Text, Sentence string
	// Mentions are the products and topics named, in order of first mention,
	// each with the versions bound to it.
	Mentions []Mention
	// Tag is a KBA tag, when one was given; BadTag a word that looked like one but is malformed.
	Tag, BadTag string
	// Keywords.
	Help, Scope, Experimental, Severity, Platform, OS, Install, Which, Define bool
	// ScopeType is "configuration", "failure", "bug" or "documentation".
	ScopeType string
	// Upgrade is set by "upgrade", "from X to Y", "upgrading X to Y"; Skip by "skip".
	Upgrade, Skip, How bool
	// Enabled are products named as enabled on the cluster ("with kaptain enabled").
	Enabled []string
	// Can is set when the question asks whether something can be done ("can", "could").
	Can bool
	// When is set by date questions ("end of support date", "when does ... end").
	When bool
	// After is the release of "after 1.9 ships", with the product it was bound to.
	After *Mention
	// Term is the id of a named support term the question uses ("technical
	// preview"), as the policy's scope terms name it.
	Term string
	// Topics are stems of words of the policy's own text the question used
	// ("performance", "forks", "dex").
	Topics []string
	// Greeting and Thanks mark small talk.
	Greeting, Thanks bool
	// On is the day a date in the question names ("in october 2021"); OnText as written.
	On     time.Time
	OnText string
	// TooLong is the length in characters of a message longer than the reader
	// reads; Rambling the number of words of a question sentence too long to
	// read as one question.
	TooLong, Rambling int
	// Unknown names a word that looks like a product the policy doesn't know.
	Unknown string
	// Loose is a version given with no product before or after it.
	Loose *Version
	// Corrections are near misses read as known words.
	Corrections []Correction
	// NotUnderstood are the content words no frame claimed, as written.
	NotUnderstood []string
	// Noticed are products named in the rest of a long message.
	Noticed []string
	// Assumed says how a version with no product was placed ("reading 1.7 as Konvoy 1.7").
	Assumed string
}

// Mention is a product or topic named in a question.
type Mention struct {
	ID   string
	Word string // as written
	// Version is the first version bound to the mention; Versions all of them.
	Version  *Version
	Versions []VersionRef
	// BadVersion is a version-like word that failed to parse (like "1.x").
	BadVersion string
}

// Has reports whether the question mentions id, and returns the first mention.
func (q *Question) Has(id string) (Mention, bool) {
	for _, m := range q.Mentions {
		if m.ID == id {
			return m, true
		}
	}
	return Mention{}, false
}

var (
	kbaTagRE   = regexp.MustCompile(`^(?P<channel>[a-z][a-z0-9]*)-(?P<kubernetes>\d{1,4}\.\d{1,4})-(?P<kba>\d{1,4}\.\d{1,4}\.\d{1,4})$`)
	looseTagRE = regexp.MustCompile(`^[a-z]+-\d[\d.x-]*$`)
)

// KBATag is a parsed Kubernetes Base Addons tag.
type KBATag struct {
	Raw        string
	Channel    string
	Kubernetes Cycle
	KBA        string
}

// ParseKBATag parses "<release_channel>-<kubernetes_version>-<kba_version>",
// like "stable-1.20-4.0.0", with named groups (never a semver parser: the tag
// is not a semantic version).
func ParseKBATag(s string) (KBATag, error) {
	m := kbaTagRE.FindStringSubmatch(strings.ToLower(s))
	if m == nil {
		return KBATag{}, &tagError{s}
	}
	t := KBATag{Raw: s}
	for i, name := range kbaTagRE.SubexpNames() {
		switch name {
		case "channel":
			t.Channel = m[i]
		case "kubernetes":
			c, err := ParseCycle(m[i])
			if err != nil {
				return KBATag{}, &tagError{s}
			}
			t.Kubernetes = c
		case "kba":
			t.KBA = m[i]
		}
	}
	return t, nil
}

type tagError struct{ tag string }

func (e *tagError) Error() string {
	return "\"" + e.tag + "\" is not a KBA tag: tags look like <release_channel>-<kubernetes_version>-<kba_version>, for example stable-1.20-4.0.0"
}

// ParseQuestion reads slash-command text, a mention, a DM or command-line
// words. It never fails: what it cannot place it names in NotUnderstood, and
// the evaluator says so.
func ParseQuestion(raw string, m *Model) Question {
	return read(raw, m)
}
