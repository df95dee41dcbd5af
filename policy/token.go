package policy

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// tokKind is what a token looks like before any frame claims it.
type tokKind uint8

const (
	tWord    tokKind = iota
	tVersion         // 1.8, v1.8.3, 1.8.0-rc1, >=1.6, 1.6-1.8
	tNumber          // a bare integer: a major ("konvoy 2"), a day or a year
	tTag             // a KBA tag
	tBadTag          // looks like a KBA tag, is not one
	tDate            // 2021-09-01
	tName            // a product or topic of the policy
	tTopic           // a word of the policy's own text
)

// token is one word of a question with its place in the text.
type token struct {
	text  string // lower case
	raw   string // as written
	pos   int    // byte offset in the sentence
	kind  tokKind
	class wordClass
	id    string // the product or topic, for tName
	ver   VersionRef
	used  bool // claimed by a frame
	bad   bool // a version-like word that does not parse
}

const maxTokens = 160 // a sentence with more words is not read as a question

func isTokenRune(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.IndexByte(".-+_'*<>=~^", byte(r)) >= 0
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || strings.ContainsRune(".-+_'*<>=~^", r)
}

// tokenize splits a sentence into tokens, dropping the punctuation around
// words but keeping the dots, dashes and plus signs of versions and tags. It
// returns nil and false when the sentence has more than maxTokens words.
func tokenize(s string, m *Model) ([]token, bool) {
	toks := make([]token, 0, min(strings.Count(s, " ")+2, maxTokens))
	for i := 0; i < len(s); {
		r, n := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRuneInString(s[i:])
		}
		if !isTokenRune(r) {
			i += n
			continue
		}
		j := i
		for j < len(s) {
			r, n := rune(s[j]), 1
			if r >= utf8.RuneSelf {
				r, n = utf8.DecodeRuneInString(s[j:])
			}
			if !isTokenRune(r) {
				break
			}
			j += n
		}
		raw := s[i:j]
		start := i
		i = j
		raw = strings.TrimRight(raw, ".-'_*<>=~^")
		lead := len(raw)
		raw = strings.TrimLeft(raw, ".-'_*")
		start += lead - len(raw)
		if raw == "" {
			continue
		}
		if len(toks) >= maxTokens {
			return nil, false
		}
		text := strings.ToLower(raw)
		if strings.HasSuffix(text, "'s") {
			text, raw = text[:len(text)-2], raw[:len(raw)-2]
		}
		// "konvoy-1.8" and "konvoy1.8" are a product and a version.
		if k := strings.IndexFunc(text, unicode.IsDigit); k > 0 && looksLikeVersion(strings.TrimPrefix(text[k:], "v")) {
			if name := strings.TrimSuffix(strings.TrimSuffix(text[:k], "v"), "-"); name != "" {
				if _, ok := lookupName(m, name); ok {
					toks = append(toks, token{text: name, raw: raw[:len(name)], pos: start}, token{text: text[k:], raw: raw[k:], pos: start + k})
					continue
				}
			}
		}
		toks = append(toks, token{text: text, raw: raw, pos: start})
	}
	return toks, true
}

// sentenceEnd reports whether s[i] ends a sentence: ? ! ; and line breaks,
// and a full stop followed by a space (so versions keep their dots).
func sentenceEnd(s string, i int) bool {
	switch s[i] {
	case '?', '!', '\n', ';':
		return true
	case '.':
		return i+1 == len(s) || s[i+1] == ' '
	}
	return false
}

// splitSentences cuts text into sentences, each with its end mark.
func splitSentences(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if sentenceEnd(s, i) {
			if t := strings.TrimSpace(s[start : i+1]); t != "" {
				out = append(out, t)
			}
			start = i + 1
		}
	}
	if t := strings.TrimSpace(s[start:]); t != "" {
		out = append(out, t)
	}
	return out
}

// longMessageWords is where the reader starts looking for the question
// sentence instead of reading the whole message as one question.
const longMessageWords = 40

// pickSentence returns the part of a long message to read as its question:
// the last sentence with a question mark that names a product or topic, else
// the last with a question mark, else the last that names one, else the
// last. noticed lists the products and topics named elsewhere.
func pickSentence(text string, m *Model) (sentence string, noticed []string) {
	if strings.Count(text, " ")+strings.Count(text, "\n") < longMessageWords {
		return text, nil
	}
	type cand struct {
		s         string
		q         bool
		names     []string
		withNames bool
	}
	var cands []cand
	start := 0
	var buf [32]byte
	names := func(s string) []string {
		var out []string
		for i := 0; i < len(s); {
			c := s[i]
			if (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') {
				i++
				continue
			}
			j := i
			for j < len(s) && (s[j] >= 'a' && s[j] <= 'z' || s[j] >= 'A' && s[j] <= 'Z' || s[j] >= '0' && s[j] <= '9' || s[j] == '-') {
				j++
			}
			if n := j - i; n >= 3 && n <= len(buf) {
				w := lowerASCII(buf[:0], s[i:j])
				if id, ok := quickName(m, w); ok && !containsStr(out, id) {
					out = append(out, id)
				}
			}
			i = j
		}
		return out
	}
	for i := 0; i <= len(text); i++ {
		if i < len(text) && !sentenceEnd(text, i) {
			continue
		}
		end := min(i+1, len(text))
		if s := strings.TrimSpace(text[start:end]); s != "" {
			n := names(s)
			cands = append(cands, cand{s: s, q: strings.HasSuffix(s, "?"), names: n, withNames: len(n) > 0})
		}
		start = end
	}
	pick := -1
	for _, want := range []func(c cand) bool{
		func(c cand) bool { return c.q && c.withNames },
		func(c cand) bool { return c.q },
		func(c cand) bool { return c.withNames },
		func(cand) bool { return true },
	} {
		for i := len(cands) - 1; i >= 0 && pick < 0; i-- {
			if want(cands[i]) {
				pick = i
			}
		}
		if pick >= 0 {
			break
		}
	}
	if pick < 0 {
		return text, nil
	}
	for i, c := range cands {
		if i == pick {
			continue
		}
		for _, n := range c.names {
			if !containsStr(noticed, n) && !containsStr(cands[pick].names, n) {
				noticed = append(noticed, n)
			}
		}
	}
	return cands[pick].s, noticed
}

func lowerASCII(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// quickName looks a lower-case word up as a product id or alias or a topic,
// without allocating.
func quickName(m *Model, w []byte) (string, bool) {
	if id, ok := m.aliases[string(w)]; ok {
		return id, true
	}
	if t, ok := topicAliases[string(w)]; ok {
		return t, true
	}
	if n := len(w); n > 4 && w[n-1] == 's' {
		return quickName(m, w[:n-1])
	}
	return "", false
}
