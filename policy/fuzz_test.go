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
	for _, tc := range readerCases {
		f.Add(tc.q)
	}
	f.Add("konvoy 1.6-1.8 >=1.5 ^1.2 ~1.3 1.8.0-rc.1+build.5 v2 kubernetes 1.20.6 on 2021-02-30 in may 2021")
	f.Add("<<a|b>> ~~x~ :a::b: ~konvoy 1.6~ \u00a0 １．６")
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
		if a.NotUnderstood == nil || a.Corrections == nil {
			t.Fatalf("nil not_understood or corrections for %q", s)
		}
		if len(a.NotUnderstood) > 0 && a.Verdict != policy.VerdictInfo && a.Verdict != policy.VerdictUnknown {
			t.Fatalf("%q: verdict %s over words not understood %v", s, a.Verdict, a.NotUnderstood)
		}
	})
}
