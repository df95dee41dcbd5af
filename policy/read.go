package policy

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The reader turns text into a Question in four steps: tokens (every word
// kept with its place), the lexicon (names, versions, dates, vocabulary, the
// policy's own words, near misses), frames that claim tokens (a product and
// its versions, an upgrade's from/to, "after X ships", a date), and last the
// words no frame claimed, which the answer names as not understood.

var (
	isoDateRE = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})$`)
	yearRE    = regexp.MustCompile(`^(19|20)\d\d$`)
)

// multiWord are names written as several words.
var multiWord = []struct {
	words []string
	id    string
}{
	{[]string{"kubernetes", "base", "addons"}, TopicKBA},
	{[]string{"kubernetes", "base", "add-ons"}, TopicKBA},
	{[]string{"d2iq", "kubernetes", "platform"}, "dkp"},
}

type reader struct {
	m    *Model
	lx   *lexicon
	q    *Question
	toks []token
}

func read(raw string, m *Model) Question {
	q := Question{Raw: raw}
	text, long := clean(raw)
	q.Text = text
	if long > 0 {
		q.TooLong = long
		return q
	}
	q.Sentence, q.Noticed = pickSentence(dropQuotes(text), m)
	toks, ok := tokenize(q.Sentence, m)
	if !ok {
		q.Rambling = len(strings.Fields(q.Sentence))
		return q
	}
	if len(toks) == 0 {
		q.Help = true
		return q
	}
	r := reader{m: m, lx: m.lexicon(), q: &q, toks: toks}
	r.classify()
	r.terms()
	r.dates()
	r.bind()
	r.keywords()
	r.leftovers()
	return q
}

// terms claims the name of a support term the policy states ("technical
// preview", "tech-preview"), by its name, id or an alias.
func (r *reader) terms() {
	sc := r.m.file.Scope
	if sc == nil || len(sc.Terms) == 0 {
		return
	}
	for _, t := range sc.Terms {
		names := append([]string{t.Name, t.ID}, t.Aliases...)
		for _, name := range names {
			ws := strings.Fields(strings.ToLower(strings.ReplaceAll(name, "-", " ")))
			if i, n := r.find(ws, strings.ToLower(name)); n > 0 {
				r.q.Term = t.ID
				for k := i; k < i+n; k++ {
					r.toks[k].kind, r.toks[k].class, r.toks[k].used = tWord, wFiller, true
				}
				return
			}
		}
	}
}

// find is where the words ws follow each other in the question (or one
// token is whole, as "tech-preview"), and how many tokens they take.
func (r *reader) find(ws []string, whole string) (int, int) {
	if len(ws) == 0 {
		return 0, 0
	}
	for i := range r.toks {
		if r.toks[i].text == whole {
			return i, 1
		}
		if i+len(ws) > len(r.toks) {
			continue
		}
		match := true
		for k, w := range ws {
			if r.toks[i+k].text != w {
				match = false
				break
			}
		}
		if match {
			return i, len(ws)
		}
	}
	return 0, 0
}

// hasRepeat reports whether a version is named twice in vs.
func hasRepeat(vs []VersionRef) bool {
	for i, v := range vs {
		for _, w := range vs[:i] {
			if w.Raw == v.Raw && w.Target == v.Target {
				return true
			}
		}
	}
	return false
}

// dropQuotes removes Slack quote lines ("> ...") from a message that has
// other lines: they quote someone else, the question is the rest.
func dropQuotes(s string) string {
	if !strings.Contains(s, "\n") || !strings.Contains(s, ">") {
		return s
	}
	lines := strings.Split(s, "\n")
	kept := lines[:0]
	for _, l := range lines {
		if !strings.HasPrefix(strings.TrimSpace(l), ">") {
			kept = append(kept, l)
		}
	}
	if len(kept) == 0 {
		return s
	}
	return strings.Join(kept, "\n")
}

// classify gives every token its kind: name, version, tag, date, vocabulary,
// a word of the policy, or (after a near-miss correction) one of those.
func (r *reader) classify() {
	for i := range r.toks {
		t := &r.toks[i]
		c0 := t.text[0]
		digit := c0 >= '0' && c0 <= '9'
		if digit || c0 == 'v' && len(t.text) > 1 && t.text[1] >= '0' && t.text[1] <= '9' || strings.IndexByte("<>=~^", c0) >= 0 {
			if ref, ok, bad := parseVersionToken(t.text); ok {
				t.kind, t.ver, t.bad = tVersion, ref, bad
				continue
			}
			switch {
			case numberRE.MatchString(t.text):
				t.kind = tNumber
				continue
			case digit && len(t.text) == 10 && isoDateRE.MatchString(t.text):
				t.kind = tDate
				continue
			}
		}
		if strings.IndexByte(t.text, '-') > 0 && strings.IndexAny(t.text, "0123456789") > 0 {
			if _, err := ParseKBATag(t.text); err == nil {
				t.kind = tTag
				continue
			}
			if looseTagRE.MatchString(t.text) {
				t.kind = tBadTag
				continue
			}
		}
		r.word(t, t.text)
		if t.kind == tWord && t.class == wNone {
			if ft, ok := r.lx.correct(t.text); ok {
				r.word(t, strings.ToLower(ft.word))
				if t.kind != tWord || t.class != wNone {
					r.q.Corrections = append(r.q.Corrections, Correction{From: t.raw, To: ft.canon})
					t.text = strings.ToLower(ft.word)
				}
			}
		}
	}
	for i := 0; i < len(r.toks); i++ {
	next:
		for _, mw := range multiWord {
			if i+len(mw.words) > len(r.toks) {
				continue
			}
			for k, w := range mw.words {
				if r.toks[i+k].text != w {
					continue next
				}
			}
			r.toks[i].kind, r.toks[i].id, r.toks[i].class = tName, mw.id, wNone
			for k := 1; k < len(mw.words); k++ {
				r.toks[i+k].kind, r.toks[i+k].class, r.toks[i+k].used = tWord, wFiller, true
			}
		}
	}
}

// word classifies a word token as w.
func (r *reader) word(t *token, w string) {
	if id, ok := lookupName(r.m, w); ok {
		t.kind, t.id = tName, id
		return
	}
	if c, ok := words[w]; ok {
		t.class = c
		return
	}
	if _, ok := scopeTypes[w]; ok {
		t.class = wScope
		return
	}
	if st := stem(w); len(st) >= 3 {
		if _, ok := r.lx.index[st]; ok {
			t.kind = tTopic
		}
	}
}

// dates claims a date: 2021-09-01, "october 2021", "march 5, 2022", "5 march 2022".
func (r *reader) dates() {
	for i := range r.toks {
		t := &r.toks[i]
		if t.kind == tDate {
			if d, err := time.Parse(time.DateOnly, t.text); err == nil {
				r.setDate(d, t.raw)
				t.used = true
			}
			continue
		}
		if t.class != wMonth {
			continue
		}
		month := months[t.text]
		day := 1
		j := i + 1
		if j < len(r.toks) && r.toks[j].kind == tNumber && !yearRE.MatchString(r.toks[j].text) {
			day, _ = strconv.Atoi(r.toks[j].text)
			j++
		} else if i > 0 && r.toks[i-1].kind == tNumber && !yearRE.MatchString(r.toks[i-1].text) {
			if d, _ := strconv.Atoi(r.toks[i-1].text); d >= 1 && d <= 31 {
				day = d
				r.toks[i-1].used = true
			}
		}
		if j >= len(r.toks) || !yearRE.MatchString(r.toks[j].text) {
			if t.text == "may" {
				t.class = wFiller // "may I ask"
			}
			continue
		}
		year, _ := strconv.Atoi(r.toks[j].text)
		d := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
		if d.Day() != day {
			continue
		}
		for k := i; k <= j; k++ {
			r.toks[k].used = true
		}
		r.setDate(d, strings.Join(rawOf(r.toks[i:j+1]), " "))
	}
}

func (r *reader) setDate(d time.Time, text string) {
	if r.q.On.IsZero() {
		r.q.On, r.q.OnText = d, text
	}
}

func rawOf(ts []token) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.raw
	}
	return out
}

// prevSignificant returns the class of the nearest token before i that is
// not filler, or wNone.
func (r *reader) prevSignificant(i int) (wordClass, int) {
	for k := i - 1; k >= 0; k-- {
		t := r.toks[k]
		if t.kind == tWord && t.class == wFiller {
			continue
		}
		if t.kind == tWord {
			return t.class, k
		}
		return wNone, k
	}
	return wNone, -1
}

// bind is the product frame: each version belongs to the product or word
// right before it (never re-bound to another product), a version before any
// product to the first product named; "to" marks an upgrade's target, "from"
// its start, "after X ships" a release to come.
func (r *reader) bind() {
	q := r.q
	head := -1        // index into q.Mentions
	unknownHead := -1 // token index of an unknown word that took the last version role
	var pending []VersionRef
	var withNamed []string // products introduced by "with"
	for i := range r.toks {
		t := &r.toks[i]
		switch t.kind {
		case tName:
			t.used = true
			if _, k := r.prevSignificant(i); k >= 0 && r.toks[k].text == "with" {
				withNamed = append(withNamed, t.id)
			}
			idx := -1
			for k := range q.Mentions {
				if q.Mentions[k].ID == t.id {
					idx = k
				}
			}
			if idx < 0 {
				q.Mentions = append(q.Mentions, Mention{ID: t.id, Word: t.raw})
				idx = len(q.Mentions) - 1
			}
			head, unknownHead = idx, -1
			if len(pending) > 0 && len(q.Mentions[idx].Versions) == 0 && idx == 0 {
				q.Mentions[idx].Versions = append(q.Mentions[idx].Versions, pending...)
				pending = nil
			}
		case tWord:
			if t.class == wNone {
				head, unknownHead = -1, i
			}
			if t.class == wEnabled && head >= 0 && !containsStr(q.Enabled, q.Mentions[head].ID) {
				q.Enabled = append(q.Enabled, q.Mentions[head].ID)
			}
		case tNumber:
			// A bare number right after a product is its major ("konvoy 2").
			if i > 0 && r.toks[i-1].kind == tName && head >= 0 && !t.used {
				n, _ := strconv.ParseUint(strings.TrimPrefix(t.text, "v"), 10, 64)
				ref := VersionRef{Version: Version{Cycle: Cycle{Major: n}}, Raw: t.raw, MajorOnly: true}
				q.Mentions[head].Versions = append(q.Mentions[head].Versions, ref)
				t.used = true
			} else if !t.used && len(t.text) <= 2 {
				t.used = true // a count or a day ("3 clusters"): no bearing on the policy
			}
		case tVersion:
			ref := t.ver
			prev, k := r.prevSignificant(i)
			if k >= 0 && r.toks[k].kind == tName && prev == wNone {
				// "to dkp 2.1": the relation word comes before the product.
				prev, _ = r.prevSignificant(k)
			}
			after := prev == wAfter
			if i+1 < len(r.toks) && r.toks[i+1].class == wShip {
				after = after || prev == wAfter || r.before(i, wAfter)
			}
			switch prev {
			case wTo:
				ref.Target = true
			case wFrom:
				ref.Source = true
			}
			if t.bad {
				if head >= 0 && len(q.Mentions[head].Versions) == 0 {
					q.Mentions[head].BadVersion = t.raw
					t.used = true
				}
				continue
			}
			if after {
				mn := Mention{Version: &Version{}}
				*mn.Version = ref.Version
				mn.Versions = []VersionRef{ref}
				if head >= 0 {
					mn.ID, mn.Word = q.Mentions[head].ID, q.Mentions[head].Word
				}
				q.After = &mn
				t.used = true
				continue
			}
			switch {
			case head >= 0:
				q.Mentions[head].Versions = append(q.Mentions[head].Versions, ref)
				t.used = true
			case unknownHead >= 0:
				// "rancher 2.5": the version is the unknown word's; it stays unclaimed.
				r.toks[unknownHead].raw += " " + t.raw
			default:
				pending = append(pending, ref)
				t.used = true
			}
		}
	}
	for k := range q.Mentions {
		mn := &q.Mentions[k]
		// The same version named twice ("kommander 1.3 with konvoy 1.7 and
		// kaptain 1.3 on konvoy 1.7") is one.
		if hasRepeat(mn.Versions) {
			var seen []VersionRef
			for _, v := range mn.Versions {
				if !slices.ContainsFunc(seen, func(w VersionRef) bool { return w.Raw == v.Raw && w.Target == v.Target }) {
					seen = append(seen, v)
				}
			}
			mn.Versions = seen
		}
		if len(mn.Versions) > 0 {
			v := mn.Versions[0].Version
			mn.Version = &v
		}
		for j := range mn.Versions {
			if mn.Versions[j].Target {
				q.Upgrade = true
				if j > 0 {
					mn.Versions[j-1].Source = true
				}
			}
		}
	}
	if q.Upgrade {
		// "upgrading konvoy 1.7 to 1.8 with kaptain": a product named with no
		// version beside an upgrade is one enabled on the cluster.
		for _, mn := range q.Mentions {
			if len(mn.Versions) == 0 && containsStr(withNamed, mn.ID) && !containsStr(q.Enabled, mn.ID) {
				q.Enabled = append(q.Enabled, mn.ID)
			}
		}
	}
	if len(pending) > 0 {
		r.placeLoose(pending)
	}
	if q.After != nil && q.After.ID == "" {
		for _, mn := range q.Mentions {
			if _, ok := r.m.Product(mn.ID); ok {
				q.After.ID, q.After.Word = mn.ID, mn.Word
				break
			}
		}
	}
}

// before reports whether a token of class c comes before token i.
func (r *reader) before(i int, c wordClass) bool {
	for k := i - 1; k >= 0; k-- {
		if r.toks[k].class == c {
			return true
		}
	}
	return false
}

// placeLoose places versions given with no product: when exactly one product
// of the policy has released those cycles, they are its versions, and the
// answer says it assumed so; otherwise the question is which product.
func (r *reader) placeLoose(pending []VersionRef) {
	q := r.q
	var match *Product
	for _, id := range r.m.order {
		p := r.m.products[id]
		all := true
		for _, v := range pending {
			if _, ok := p.Release(v.Cycle); !ok || v.Set() {
				all = false
			}
		}
		if all {
			if match != nil {
				match = nil
				break
			}
			match = p
		}
	}
	if match == nil || len(q.Mentions) > 0 {
		v := pending[0].Version
		q.Loose = &v
		return
	}
	first := pending[0].Version
	mn := Mention{ID: match.ID, Word: match.Name, Versions: pending, Version: &first}
	q.Mentions = append(q.Mentions, mn)
	var vs []string
	for _, v := range pending {
		vs = append(vs, v.Raw)
	}
	q.Assumed = "reading " + strings.Join(vs, " and ") + " as " + match.Name + " " + strings.Join(vs, " and ") + ", the only product with " + plural(len(vs), "that release", "those releases")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// keywords claims the vocabulary and sets the question's flags.
func (r *reader) keywords() {
	q := r.q
	for i := range r.toks {
		t := &r.toks[i]
		switch t.kind {
		case tTag:
			if q.Tag == "" {
				q.Tag = t.raw
			}
			t.used = true
			continue
		case tBadTag:
			if q.BadTag == "" {
				q.BadTag = t.raw
			}
			t.used = true
			continue
		case tTopic:
			st := stem(t.text)
			if !containsStr(q.Topics, st) {
				q.Topics = append(q.Topics, st)
			}
			t.used = true
			continue
		case tWord:
		default:
			continue
		}
		if t.class != wNone && t.class != wMonth {
			t.used = true // a month is used only as part of a date
		}
		if t.text == "can" || t.text == "could" {
			q.Can = true
		}
		switch t.class {
		case wHelp:
			q.Help = true
		case wScope:
			if st, ok := scopeTypes[t.text]; ok {
				if q.ScopeType == "" {
					q.ScopeType = st
				}
			} else {
				q.Scope = true
			}
		case wExperimental:
			q.Experimental = true
		case wSeverity:
			q.Severity = true
		case wPlatform:
			q.Platform = true
		case wInstall:
			q.Install, q.Platform = true, true
		case wOS:
			q.OS = true
		case wUpgrade:
			q.Upgrade = true
		case wSkip:
			q.Skip, q.Upgrade = true, true
		case wHow:
			if i+1 < len(r.toks) && r.toks[i+1].text == "about" {
				break // "how about kaptain 1.1?"
			}
			q.How = true
		case wWhen:
			q.When = true
		case wWhich:
			q.Which = true
		case wDefine:
			q.Define = true
		case wGreeting:
			q.Greeting = true
		case wThanks:
			q.Thanks = true
		}
	}
}

// leftovers names the content words no frame claimed.
func (r *reader) leftovers() {
	q := r.q
	for _, mn := range q.Mentions {
		// The policy has no versions of its topics (Istio, KUDO services,
		// KBA apart from its tags): such a version is not understood.
		if (mn.ID == TopicIstio || mn.ID == TopicKUDO || mn.ID == TopicKBA) && len(mn.Versions) > 0 {
			for _, v := range mn.Versions {
				q.NotUnderstood = append(q.NotUnderstood, mn.Word+" "+v.Raw)
			}
		}
	}
	for i := range r.toks {
		t := r.toks[i]
		if t.used {
			continue
		}
		switch {
		case t.kind == tWord && t.class == wMonth:
			q.NotUnderstood = append(q.NotUnderstood, t.raw) // a month with no year
		case t.kind == tWord && t.class == wNone:
			if len(q.Mentions) == 0 && q.Unknown == "" && len(t.text) >= 3 && isWordText(t.text) {
				// A word with a version after it ("openshift 4.6") names a product.
				if _, ok := DidYouMean(r.m, t.text); ok || t.raw != t.text && strings.HasPrefix(strings.ToLower(t.raw), t.text+" ") {
					q.Unknown = t.text
				}
			}
			q.NotUnderstood = append(q.NotUnderstood, t.raw)
		case t.kind == tNumber && len(t.text) > 2:
			q.NotUnderstood = append(q.NotUnderstood, t.raw)
		}
	}
}

func isWordText(w string) bool {
	for _, r := range w {
		if (r < 'a' || r > 'z') && r != '-' {
			return false
		}
	}
	return w != ""
}
