package policy_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/d2iq/supportbot/policy"
)

// FuzzParse checks that no input panics, hangs or gets an empty answer.
// Seeds live in testdata/fuzz/FuzzParse; run with `make fuzz`.
func FuzzParse(f *testing.F) {
	for _, form := range policy.Grammar() {
		f.Add(form.Example)
	}
	f.Add("<@U123> <!channel> is *konvoy* `v1.6.x` supported? <https://x|konvoy>")
	m := policy.Default()
	f.Fuzz(func(t *testing.T, s string) {
		a := m.Ask(s)
		if a.Summary == "" || a.Intent == "" || a.Verdict == "" || a.AsOf == "" {
			t.Fatalf("empty answer for %q: %+v", s, a)
		}
		if !utf8.ValidString(a.Summary) && utf8.ValidString(s) {
			t.Fatalf("invalid UTF-8 summary for %q", s)
		}
		if txt := a.Text(); !strings.Contains(txt, "Policy as of") {
			t.Fatalf("text lacks as-of: %q", txt)
		}
	})
}
