package policy

import (
	"strings"
)

// wordClass is what a known word does in a question.
type wordClass uint8

// The word classes. Every word of a question is one of these, a name from
// the policy (a product or topic), a version, a date, a word of the policy's
// own text (a topic word), or content the reader did not understand.
const (
	wNone         wordClass = iota
	wFiller                 // carries no meaning for the policy: "the", "is", "customer"
	wRelation               // on, with, and, vs
	wTo                     // to, into, onto: the target of an upgrade
	wFrom                   // from
	wAfter                  // after, once, when ... ships
	wStatus                 // supported, ok, covered
	wCompat                 // compatible, pairs, goes
	wWhich                  // which, what
	wHelp                   // help, usage
	wScope                  // scope, coverage
	wExperimental           // experimental
	wSeverity               // severity, sev1, terms
	wPlatform               // run, where, platform
	wInstall                // install, installed, installing
	wOS                     // operating systems
	wUpgrade                // upgrade, migrate, move
	wSkip                   // skip, jump
	wHow                    // how, steps, procedure
	wWhen                   // when, date, eol, end
	wShip                   // ships, released, out, ga
	wDefine                 // mean, definition
	wGreeting               // hi, hello
	wThanks                 // thanks, cheers
	wMonth                  // january .. december
	wEnabled                // enabled: a product turned on in the cluster
)

// words is the fixed vocabulary of the reader: English around the policy's
// names. It is read-only after init.
var words = map[string]wordClass{}

func init() {
	add := func(c wordClass, list string) {
		for _, w := range strings.Fields(list) {
			words[w] = c
		}
	}
	add(wFiller, `a an the is are am be been being was were will would shall should can could may might must
		do does did done doing has have had having it its it's this that these those there here
		i i'm im me my mine we we're our ours us you you're your yours they their them he she his her
		of for at by as in about if so but or not no yes yeah yep nope also just only still anymore any
		anything some someone somebody anyone anybody everyone all both each every either neither
		please pls plz kindly quick quickly question questions q qs ask asking asked wondering wonder
		know knows knew tell telling check checking confirm confirming sure unsure really actually
		currently current now today right okay well then than too very much many more most less
		team folks guys people everybody customer customers client clients user users
		cluster clusters environment environments env envs prod production staging dev
		version versions ver release releases releasing line lines cycle cycle's patch patches minor major
		get got getting give need needs needed want wants wanted like looking look see seems
		think thought say says said mean meant let lets let's go gonna going use using used
		new newest old older oldest latest last next previous recent newer
		thing things stuff way case situation point part currently right yet already ever
		officially official policy policies page pages doc's product products
		reach reaches reached hit hits stay stays remain remains lot lots bunch again stack setup combo
		context fyi btw hmm ah oh ok-ish`)
	add(wRelation, `on with and & vs vs. versus against alongside beside together between plus or +
		running-on next-to along without`)
	// Common words of the policy's own sentences that say nothing by themselves.
	add(wFiller, `under over within beyond upon above below through during other others another such same
		different various basic general standard due provided provide provides basis effort identified
		reported mentioned additionally regardless possible available following based level levels
		limited full part parts kind type types any way ways only also using used d2iq d2iq's mesosphere`)
	add(wTo, `to into onto towards`)
	add(wFrom, `from`)
	add(wAfter, `after once`)
	add(wStatus, `supported support supports supporting unsupported ok okay fine valid covered maintained
		good alive eol'd safe allowed permitted status`)
	add(wCompat, `compatible compatibility incompatible work works working worked pair pairs paired pairing
		pairings goes match matches matching combination combine mix mixing`)
	add(wWhich, `which what what's whats`)
	add(wHelp, `help usage commands ?`)
	add(wScope, `scope covered coverage`)
	add(wExperimental, `experimental`)
	add(wSeverity, `severity severities sev sev1 sev2 sev3 sev4 p1 p2 p3 p4 terms`)
	add(wPlatform, `run runs running ran platform platforms where deploy deployed deploying deploys host hosted`)
	add(wInstall, `install installed installing installs installation`)
	add(wOS, `os oses operating rhel centos ubuntu debian flatcar sles`)
	add(wUpgrade, `upgrade upgrades upgrading upgraded migrate migrating migrated move moving moved bump bumping
		update updating updated`)
	add(wEnabled, `enabled enable`)
	add(wSkip, `skip skipping skipped jump jumping`)
	add(wHow, `how steps procedure process path`)
	add(wWhen, `when date dates end ends ending eol end-of-life end-of-support expire expires expiry expiring
		expiration until long sunset deadline life lifecycle`)
	add(wShip, `ship ships shipped shipping released ga out comes lands`)
	add(wDefine, `mean means meaning define defined definition definitions`)
	add(wGreeting, `hi hello hey heya hiya howdy yo morning afternoon evening greetings hallo`)
	add(wThanks, `thanks thank thx ty tnx cheers appreciate appreciated great awesome perfect cool nice helpful`)
	add(wMonth, `january february march april june july august september october november december
		jan feb mar apr may jun jul aug sep sept oct nov dec`)
}

// months maps month words to their number.
var months = map[string]int{
	"january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
	"may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
	"september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}

// Topic ids the reader knows besides the policy's products.
const (
	TopicKubernetes = "kubernetes"
	TopicKBA        = "kba"
	TopicKUDO       = "kudo"
	TopicIstio      = "istio"
)

var topicAliases = map[string]string{
	"kubernetes": TopicKubernetes, "k8s": TopicKubernetes, "kube": TopicKubernetes, "k8": TopicKubernetes,
	"kba": TopicKBA, "addons": TopicKBA, "addon": TopicKBA, "add-ons": TopicKBA, "add-on": TopicKBA,
	"kubernetes-base-addons": TopicKBA,
	"kudo":                   TopicKUDO, "cassandra": TopicKUDO, "kafka": TopicKUDO, "spark": TopicKUDO,
	"istio": TopicIstio,
}

// scopeTypes maps words to the support-scope request types (the first word of
// a table row's type).
var scopeTypes = map[string]string{
	"configuration": "configuration", "config": "configuration", "configure": "configuration", "configuring": "configuration",
	"failure": "failure", "failures": "failure", "assistance": "failure",
	"bug": "bug", "bugs": "bug", "fix": "bug", "fixes": "bug", "bugfix": "bug", "bugfixes": "bug",
	"documentation": "documentation", "docs": "documentation", "doc": "documentation",
}

// lexicon is what the reader knows of one policy: its names, and the words
// of its own text with the sentences they occur in. It is built once per
// Model and read-only after.
type lexicon struct {
	sentences []policySentence
	index     map[string][]int32 // stem -> sentences
	targets   []fuzzyTarget      // names and vocabulary a near miss may be read as
}

// policySentence is one statement of the policy, where it stands, and what
// the reader answers with it.
type policySentence struct {
	Text    string
	Ref     Ref
	Area    string // support-scope area id, when it is a scope item
	Row     string // the row's type of request
	Product string // the product it is about, when one
	Kind    string // "scope", "definition", "note", "experimental", "install", "istio", "rule", "kubernetes", "os", "addons"
}

// fuzzyTarget is a word a near miss may be corrected to.
type fuzzyTarget struct {
	word  string // what is compared, lower case
	canon string // what the correction reads it as
}

func newLexicon(m *Model) *lexicon {
	lx := &lexicon{index: map[string][]int32{}}
	addS := func(s policySentence) {
		for _, part := range splitSentences(s.Text) {
			s.Text = part
			lx.sentences = append(lx.sentences, s)
		}
	}
	f := m.file
	for _, a := range m.areas {
		addS(policySentence{Text: a.Definition, Ref: a.Source, Area: a.ID, Kind: "definition"})
		if a.Note != "" {
			addS(policySentence{Text: a.Note, Ref: a.Source, Area: a.ID, Kind: "note"})
		}
		for _, r := range a.Rows {
			for _, it := range r.Scope {
				lx.sentences = append(lx.sentences, policySentence{Text: it, Ref: a.Source, Area: a.ID, Row: r.Type, Kind: "scope"})
			}
		}
	}
	if s := f.Scope; s != nil && s.Experimental != nil {
		var ref Ref
		if len(s.Experimental.Sources) > 0 {
			ref = m.ref(s.Experimental.Sources[0])
		}
		addS(policySentence{Text: s.Experimental.Definition, Ref: ref, Kind: "experimental"})
		addS(policySentence{Text: s.Experimental.Support, Ref: ref, Kind: "experimental"})
	}
	for _, id := range m.order {
		p := m.products[id]
		if p.RuleNote != "" {
			addS(policySentence{Text: p.RuleNote, Ref: p.Source, Product: id, Kind: "rule"})
		}
		if p.Install != nil && p.Install.Note != "" {
			addS(policySentence{Text: p.Install.Note, Ref: m.ref(p.Install.Source), Product: id, Kind: "install"})
		}
	}
	if is := f.Istio; is != nil {
		for _, st := range is.Statements {
			lx.sentences = append(lx.sentences, policySentence{Text: st, Ref: m.ref(is.Source), Kind: "istio"})
		}
	}
	if k := f.Kubernetes; k != nil {
		addS(policySentence{Text: k.Statement + " " + k.Pointer, Ref: m.ref(k.Source), Kind: "kubernetes"})
	}
	if a := f.Addons; a != nil {
		addS(policySentence{Text: a.Statement, Ref: m.ref(a.Source), Kind: "addons"})
	}
	for i, s := range lx.sentences {
		seen := map[string]bool{}
		for _, w := range strings.FieldsFunc(strings.ToLower(s.Text), notWordRune) {
			st := stem(w)
			if len(st) < 3 || seen[st] || words[w] != wNone || isKnownNameWord(m, w) {
				continue
			}
			seen[st] = true
			lx.index[st] = append(lx.index[st], int32(i))
		}
	}
	// Fuzzy targets: the policy's names first (ids, aliases, one-word
	// names), then the topics and the vocabulary of questions.
	seen := map[string]bool{}
	target := func(w, canon string) {
		w = strings.ToLower(w)
		if len(w) < 3 || seen[w] || strings.ContainsAny(w, " ") {
			return
		}
		seen[w] = true
		lx.targets = append(lx.targets, fuzzyTarget{w, canon})
	}
	for _, id := range m.order {
		p := m.products[id]
		target(id, p.Name)
		target(p.Name, p.Name)
		for _, al := range p.Aliases {
			target(al, p.Name)
		}
	}
	for w, id := range topicAliases {
		_ = id
		target(w, w)
	}
	for _, a := range m.areas {
		target(a.ID, a.ID)
		for _, al := range a.Aliases {
			target(al, al)
		}
	}
	for w, c := range words {
		if len(w) >= 5 && c != wFiller && c != wMonth {
			target(w, w)
		}
	}
	for w := range scopeTypes {
		target(w, w)
	}
	return lx
}

func notWordRune(r rune) bool {
	return (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '-' && r != '\'' && r <= 127
}

// isKnownNameWord reports whether w names a product or topic of the policy.
func isKnownNameWord(m *Model, w string) bool {
	if _, ok := m.Product(w); ok {
		return true
	}
	_, ok := topicAliases[w]
	return ok
}

// stem folds a word to a rough stem, so "maintaining" meets "maintain" and
// "issues" meets "issue": it drops a possessive, then -s, -ing or -ed, then a final e.
func stem(w string) string {
	w = strings.TrimSuffix(w, "'s")
	w = strings.Trim(w, "'-")
	switch {
	case len(w) > 5 && strings.HasSuffix(w, "ing"):
		w = w[:len(w)-3]
	case len(w) > 4 && strings.HasSuffix(w, "ed"):
		w = w[:len(w)-2]
	case len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss"):
		w = w[:len(w)-1]
	}
	if len(w) > 4 {
		w = strings.TrimSuffix(w, "e")
	}
	return w
}

// lexicon returns the model's lexicon, building it when the model was made
// without one.
func (m *Model) lexicon() *lexicon {
	if m.lex != nil {
		return m.lex
	}
	return newLexicon(m)
}

// lookupName resolves a product id or alias, or a topic, and its plural.
func lookupName(m *Model, w string) (string, bool) {
	if p, ok := m.Product(w); ok {
		return p.ID, true
	}
	if t, ok := topicAliases[w]; ok {
		return t, true
	}
	if strings.HasSuffix(w, "s") && len(w) > 4 {
		return lookupName(m, strings.TrimSuffix(w, "s"))
	}
	return "", false
}

// knownNames lists every product id and topic a did-you-mean can offer.
func knownNames(m *Model) []string {
	names := m.Products()
	return append(names, TopicKubernetes, TopicKBA, TopicKUDO, TopicIstio)
}
