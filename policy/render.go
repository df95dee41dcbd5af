package policy

import (
	"strings"
	"unicode/utf8"
)

// verdictLabel is how text output names a verdict.
var verdictLabel = map[Verdict]string{
	VerdictSupported:    "SUPPORTED",
	VerdictUnsupported:  "NOT SUPPORTED",
	VerdictCompatible:   "COMPATIBLE",
	VerdictIncompatible: "INCOMPATIBLE",
	VerdictInfo:         "INFO",
	VerdictUnknown:      "UNKNOWN",
}

// Label is the verdict in capitals, as headers show it.
func (v Verdict) Label() string {
	if l, ok := verdictLabel[v]; ok {
		return l
	}
	return strings.ToUpper(string(v))
}

// Text renders the answer for a terminal: the verdict and summary first, the
// facts aligned under it, the sources and the policy date last.
func (a Answer) Text() string {
	var b strings.Builder
	b.Grow(256 + 96*len(a.Details))
	b.WriteString(a.Verdict.Label())
	b.WriteString("  ")
	b.WriteString(plain(a.Summary))
	b.WriteByte('\n')
	width := 0
	for _, d := range a.Details {
		width = max(width, utf8.RuneCountInString(d.Label))
	}
	width = min(width, 28)
	if len(a.Details) > 0 {
		b.WriteByte('\n')
	}
	for _, d := range a.Details {
		b.WriteString("  ")
		b.WriteString(d.Label)
		if n := utf8.RuneCountInString(d.Label); n < width {
			b.WriteString(strings.Repeat(" ", width-n))
		}
		b.WriteString("  ")
		b.WriteString(plain(d.Text))
		b.WriteByte('\n')
	}
	if len(a.Sources) > 0 {
		b.WriteString("\nSources:\n")
		for _, s := range a.Sources {
			b.WriteString("  - ")
			b.WriteString(s.String())
			if s.URL != "" {
				b.WriteString(" <")
				b.WriteString(s.URL)
				b.WriteString(">")
			}
			b.WriteByte('\n')
		}
	}
	b.WriteString(a.Footer())
	b.WriteByte('\n')
	return b.String()
}

// plain drops the backticks summaries use to mark what to type.
func plain(s string) string { return strings.ReplaceAll(s, "`", "") }

// Footer is the answer's last line: the policy's as-of date, and the day
// asked about when that is before it (a question about the past).
func (a Answer) Footer() string {
	if a.On != "" && a.On < a.AsOf {
		return "Policy as of " + a.AsOf + " · answer for " + a.On
	}
	return "Policy as of " + a.AsOf
}
