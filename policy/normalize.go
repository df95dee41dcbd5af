package policy

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// maxMessageRunes is the longest message the reader reads (Slack's own limit
// for a message); a longer one is answered with "too long", never cut silently.
const maxMessageRunes = 40000

var (
	slackLinkRE = regexp.MustCompile(`<([^<>|]*)(?:\|([^<>]*))?>`)
	// strikeRE is Slack's ~struck~ text: it was taken back, so it is dropped.
	strikeRE = regexp.MustCompile(`(^|[\s(])~[^~\n]+~`)
	// shortcodeRE is an emoji shortcode like :tada: or :+1:.
	shortcodeRE = regexp.MustCompile(`:[a-z_+][a-z0-9_+-]*:`)
	entities    = strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">",
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
	}
	if strings.IndexByte(s, '~') >= 0 {
		s = strikeRE.ReplaceAllString(s, "$1 ")
	}
	if strings.IndexByte(s, ':') >= 0 {
		s = shortcodeRE.ReplaceAllString(s, " ")
	}
	return collapseSpace(s), long
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
	var b strings.Builder
	b.Grow(len(s))
	space, nl := false, false
	for _, r := range s {
		switch r {
		case ' ', '\t', '\r', '\f', '\v':
			space = true
			continue
		case '\n':
			nl = true
			continue
		}
		if b.Len() > 0 {
			if nl {
				b.WriteByte('\n')
			} else if space {
				b.WriteByte(' ')
			}
		}
		space, nl = false, false
		b.WriteRune(r)
	}
	return b.String()
}
