package policy

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits that keep parsing bounded whatever a user pastes.
const (
	maxQuestionBytes = 4096 // longer input is cut here before parsing
	maxTokens        = 200
	maxFuzzyLen      = 20 // longer words are not candidates for did-you-mean
)

// Topic ids the parser knows besides the policy's products.
const (
	TopicKubernetes = "kubernetes"
	TopicKBA        = "kba"
	TopicKUDO       = "kudo"
	TopicIstio      = "istio"
)

var topicAliases = map[string]string{
	"kubernetes": TopicKubernetes, "k8s": TopicKubernetes, "kube": TopicKubernetes,
	"kba": TopicKBA, "addons": TopicKBA, "addon": TopicKBA, "add-ons": TopicKBA, "add-on": TopicKBA,
	"kubernetes-base-addons": TopicKBA,
	"kudo":                   TopicKUDO, "cassandra": TopicKUDO, "kafka": TopicKUDO, "spark": TopicKUDO,
	"istio": TopicIstio,
}

// scopeTypes maps words to the support-scope request types (the first word of
// a table row's type).
var scopeTypes = map[string]string{
	"configuration": "configuration", "config": "configuration", "configure": "configuration",
	"failure": "failure", "failures": "failure", "assistance": "failure",
	"bug": "bug", "bugs": "bug", "fix": "bug", "fixes": "bug", "bugfix": "bug", "bugfixes": "bug",
	"documentation": "documentation", "docs": "documentation", "doc": "documentation",
}

// stopWords are words of plain questions that never name a product.
var stopWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`the and are can does which what version versions release releases
		still supported support supports with for run runs running use using upgrade install installed
		deploy deployed from into about tell show give latest current new old older newer was were will
		has have had our their your you they this that there here when then also just only yes not`) {
		stopWords[w] = true
	}
}

// Question is a parsed question. The zero value asks for help.
type Question struct {
	// Raw is the question as received; Text is it cleaned of Slack formatting.
	Raw, Text string
	// Mentions are the products and topics named, in order, each with the
	// version that follows it.
	Mentions []Mention
	// Tag is a KBA tag, when one was given; BadTag a word that looked like one but is malformed.
	Tag, BadTag string
	// Keywords.
	Help, Scope, Experimental, Severity, Platform, OS bool
	// ScopeType is "configuration", "failure", "bug" or "documentation".
	ScopeType string
	// Unknown names a word that looks like a product the policy doesn't know.
	Unknown string
	// Loose is a version given with no product before or after it.
	Loose *Version
}

// Mention is a product or topic named in a question.
type Mention struct {
	ID      string
	Word    string // as written
	Version *Version
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
	slackLinkRE = regexp.MustCompile(`<([^<>|]*)(?:\|([^<>]*))?>`)
	kbaTagRE    = regexp.MustCompile(`^(?P<channel>[a-z][a-z0-9]*)-(?P<kubernetes>\d{1,4}\.\d{1,4})-(?P<kba>\d{1,4}\.\d{1,4}\.\d{1,4})$`)
	looseTagRE  = regexp.MustCompile(`^[a-z]+-\d[\d.x-]*$`)
	versionish  = regexp.MustCompile(`^v?\d+(\.[\dx*]+)*$`)
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

// CleanText removes Slack formatting from a message: user and channel
// mentions and special commands (<@U…>, <#C…|name>, <!here>) are dropped,
// links become their label or address, and *bold*, _italic_, ~strike~ and
// `code` marks are removed.
func CleanText(s string) string {
	if len(s) > maxQuestionBytes {
		s = s[:maxQuestionBytes]
		for !utf8.ValidString(s) && len(s) > 0 {
			s = s[:len(s)-1]
		}
	}
	s = slackLinkRE.ReplaceAllStringFunc(s, func(m string) string {
		sub := slackLinkRE.FindStringSubmatch(m)
		target, label := sub[1], sub[2]
		switch {
		case strings.HasPrefix(target, "@"), strings.HasPrefix(target, "!"), strings.HasPrefix(target, "#"):
			return " "
		case label != "":
			return " " + label + " "
		}
		return " " + target + " "
	})
	s = strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">").Replace(s)
	return strings.Join(strings.Fields(s), " ")
}

// ParseQuestion parses slash-command text, a mention, a DM or command-line
// words. It never fails: what it cannot place it leaves out, and the
// evaluator says so.
func ParseQuestion(raw string, m *Model) Question {
	q := Question{Raw: raw, Text: CleanText(raw)}
	words := tokenize(q.Text, m)
	if len(words) == 0 {
		q.Help = true
		return q
	}
	var pendingVersion *Version // a version seen before any product
	var unknownBeforeVersion string
	prevUnknown := ""
	for _, w := range words {
		if id, ok := lookupName(m, w); ok {
			mn := Mention{ID: id, Word: w}
			if pendingVersion != nil && len(q.Mentions) == 0 {
				mn.Version, pendingVersion = pendingVersion, nil
			}
			q.Mentions = append(q.Mentions, mn)
			prevUnknown = ""
			continue
		}
		if looksLikeVersion(w) {
			v, err := ParseVersion(w)
			last := len(q.Mentions) - 1
			switch {
			case err != nil && last >= 0 && q.Mentions[last].Version == nil:
				q.Mentions[last].BadVersion = w
			case err != nil:
			case last >= 0 && q.Mentions[last].Version == nil:
				q.Mentions[last].Version = &v
			case last < 0 && pendingVersion == nil:
				pendingVersion = &v
				if prevUnknown != "" && unknownBeforeVersion == "" {
					unknownBeforeVersion = prevUnknown
				}
			}
			prevUnknown = ""
			continue
		}
		if _, err := ParseKBATag(w); err == nil {
			if q.Tag == "" {
				q.Tag = w
			}
			continue
		}
		if looseTagRE.MatchString(w) && q.BadTag == "" {
			q.BadTag = w
			continue
		}
		switch w {
		case "help", "usage", "commands", "?":
			q.Help = true
		case "scope", "covered", "coverage":
			q.Scope = true
		case "experimental":
			q.Experimental = true
		case "severity", "severities", "sev", "sev1", "sev2", "sev3", "sev4", "p1", "p2", "p3", "p4":
			q.Severity = true
		case "run", "runs", "running", "installed", "platform", "platforms", "where":
			q.Platform = true
		case "os", "oses", "operating", "rhel", "centos", "ubuntu", "debian", "flatcar", "sles":
			q.OS = true
		}
		if t, ok := scopeTypes[w]; ok && q.ScopeType == "" {
			q.ScopeType = t
		}
		if isWord(w) && len(w) >= 3 && !stopWords[w] {
			prevUnknown = w
		} else {
			prevUnknown = ""
		}
	}
	if pendingVersion != nil {
		q.Loose = pendingVersion
	}
	if len(q.Mentions) == 0 {
		q.Unknown = unknownBeforeVersion
		if q.Unknown == "" && q.Loose == nil {
			q.Unknown = firstFuzzyWord(m, words)
		}
	}
	return q
}

// tokenize lower-cases the text and splits it into words, dropping
// punctuation around them but keeping the dots and dashes of versions and tags.
func tokenize(s string, m *Model) []string {
	s = strings.ToLower(s)
	f := strings.FieldsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '.' && r != '-' && r != '*' && r != '+'
	})
	words := make([]string, 0, min(len(f), maxTokens))
	for _, w := range f {
		w = strings.Trim(w, ".-*+")
		if w == "" {
			continue
		}
		if len(words) == maxTokens {
			break
		}
		// "konvoy-1.8" and "konvoy1.8" are a product and a version.
		if i := strings.IndexFunc(w, unicode.IsDigit); i > 0 && looksLikeVersion(w[i:]) {
			if name := strings.TrimSuffix(w[:i], "-"); isKnownName(m, name) {
				words = append(words, name, w[i:])
				continue
			}
		}
		words = append(words, w)
	}
	if len(words) > maxTokens {
		words = words[:maxTokens]
	}
	return words
}

func looksLikeVersion(w string) bool { return versionish.MatchString(w) && strings.Contains(w, ".") }

func isWord(w string) bool {
	for _, r := range w {
		if !unicode.IsLetter(r) && r != '-' {
			return false
		}
	}
	return w != ""
}

// lookupName resolves a product id or alias, or a topic.
func lookupName(m *Model, w string) (string, bool) {
	if p, ok := m.Product(w); ok {
		return p.ID, true
	}
	if t, ok := topicAliases[w]; ok {
		return t, true
	}
	// Plural and possessive forms: "konvoys".
	if strings.HasSuffix(w, "s") && len(w) > 4 {
		return lookupName(m, strings.TrimSuffix(w, "s"))
	}
	return "", false
}

func isKnownName(m *Model, w string) bool {
	_, ok := lookupName(m, w)
	return ok
}

// knownNames lists every product id and topic a did-you-mean can offer.
func knownNames(m *Model) []string {
	names := m.Products()
	return append(names, TopicKubernetes, TopicKBA, TopicKUDO, TopicIstio)
}

// firstFuzzyWord returns the first word that is close to, but not, a known name.
func firstFuzzyWord(m *Model, words []string) string {
	for _, w := range words {
		if len(w) >= 4 && len(w) <= maxFuzzyLen && isWord(w) {
			if _, ok := DidYouMean(m, w); ok {
				return w
			}
		}
	}
	return ""
}

// DidYouMean returns the known product or topic closest to word, if one is
// within a small edit distance.
func DidYouMean(m *Model, word string) (string, bool) {
	if len(word) > maxFuzzyLen {
		return "", false
	}
	best, bestD := "", 3
	for _, name := range knownNames(m) {
		d := editDistance(word, name)
		if len(name) <= 4 {
			d++ // short names match too easily
		}
		if d < bestD {
			best, bestD = name, d
		}
	}
	return best, best != ""
}

// editDistance is the Levenshtein distance of two short strings.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
