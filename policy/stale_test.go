package policy_test

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/d2iq/supportbot/policy"
)

func answerText(a policy.Answer) string {
	text := a.Summary
	for _, d := range a.Details {
		text += "\n" + d.Label + ": " + d.Text
	}
	return text
}

// TestStatement_Stale is the rule for stale statements: one whose expires
// names only cycles already out of support before its current release
// repeats an earlier transition. It is weighed with the N-2 count, so the
// cycles they disagree on are in doubt rather than ended.
func TestStatement_Stale(t *testing.T) {
	const head = `as_of: 2022-12-01
sources: [{id: p, title: Page}]
products:
  kaptain:
    name: Kaptain
    support: {rule: n-minus, n: 2, source: "p#Rule"}
    releases: [{cycle: "2.1"}, {cycle: "2.0"}, {cycle: "1.3"}, {cycle: "1.2"}, {cycle: "1.1"}]
    stated:
`
	tests := []struct {
		name   string
		stated string
		// stale lists, per statement, whether it is stale.
		stale []bool
		// supported, unknown and unsupported are the statuses with 2.1 current.
		supported, unknown, unsupported []string
	}{
		{
			name: "a copy of the previous release's sentence",
			stated: `      - {current: "2.0", supported: ["1.3", "1.2"], expires: ["1.1"], source: "p#2.0"}
      - {current: "2.1", supported: ["1.3", "1.2"], expires: ["1.1"], source: "p#2.1"}
`,
			stale:     []bool{false, true},
			supported: []string{"2.1", "1.3"}, unknown: []string{"2.0", "1.2"}, unsupported: []string{"1.1"},
		},
		{
			name: "the release's own transition",
			stated: `      - {current: "2.0", supported: ["1.3", "1.2"], expires: ["1.1"], source: "p#2.0"}
      - {current: "2.1", supported: ["2.0", "1.3"], expires: ["1.2"], source: "p#2.1"}
`,
			stale:     []bool{false, false},
			supported: []string{"2.1", "2.0", "1.3"}, unsupported: []string{"1.2", "1.1"},
		},
		{
			name: "a stated set without expires wins over the count (Konvoy 2.2's \"2.1, and 1.8\")",
			stated: `      - {current: "2.1", supported: ["2.0", "1.2"], source: "p#2.1"}
`,
			stale:     []bool{false},
			supported: []string{"2.1", "2.0", "1.2"}, unsupported: []string{"1.3", "1.1"},
		},
		{
			name: "an after statement that repeats the transition before it",
			stated: `      - {current: "2.0", supported: ["1.3", "1.2"], expires: ["1.1"], source: "p#2.0"}
      - {after: "2.0", supported: ["2.0", "1.3", "1.2"], expires: ["1.1"], source: "p#next"}
`,
			stale:     []bool{false, true},
			supported: []string{"2.1", "2.0", "1.3"}, unknown: []string{"1.2"}, unsupported: []string{"1.1"},
		},
		{
			name: "a fresh statement in force alongside a stale one decides",
			stated: `      - {current: "2.0", supported: ["1.3", "1.2"], expires: ["1.1"], source: "p#2.0"}
      - {current: "2.1", supported: ["1.3", "1.2"], expires: ["1.1"], source: "p#2.1 copy"}
      - {current: "2.1", supported: ["2.1", "2.0", "1.3", "1.2"], source: "p#2.1 example"}
`,
			stale:     []bool{false, true, false},
			supported: []string{"2.1", "1.3", "1.2"}, unknown: []string{"2.0"}, unsupported: []string{"1.1"},
		},
		{
			name: "expires a cycle that was still supported: not stale",
			stated: `      - {current: "2.1", supported: ["1.3"], expires: ["1.2"], source: "p#2.1"}
`,
			stale:     []bool{false},
			supported: []string{"2.1", "1.3"}, unsupported: []string{"2.0", "1.2", "1.1"},
		},
		{
			name: "the first release has nothing before it",
			stated: `      - {current: "1.1", supported: ["1.1"], expires: ["1.0"], source: "p#1.1"}
`,
			stale:     []bool{false},
			supported: []string{"2.1", "2.0", "1.3"}, unsupported: []string{"1.2", "1.1"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := policy.Parse("stale.yaml", []byte(head+tt.stated))
			if err != nil {
				t.Fatal(err)
			}
			k := dtProduct(t, m, "kaptain")
			if len(k.Stated) != len(tt.stale) {
				t.Fatalf("%d statements, want %d", len(k.Stated), len(tt.stale))
			}
			for i, st := range k.Stated {
				if st.Stale != tt.stale[i] {
					t.Errorf("statement %d (%s): stale %v, want %v", i, st.Source.Section, st.Stale, tt.stale[i])
				}
			}
			for want, cycles := range map[policy.Status][]string{
				policy.StatusSupported: tt.supported, policy.StatusUnknown: tt.unknown, policy.StatusUnsupported: tt.unsupported,
			} {
				for _, s := range cycles {
					c, _ := policy.ParseCycle(s)
					if got := k.Status(c); got != want {
						t.Errorf("Kaptain %s: status %v, want %v", s, got, want)
					}
				}
			}
			// A cycle in doubt is not ended by the release.
			for _, s := range tt.unknown {
				c, _ := policy.ParseCycle(s)
				if lc, _ := k.Lifecycle(c); lc.EndedBy != nil {
					t.Errorf("Kaptain %s is in doubt, but its lifecycle says Kaptain %s ended it", s, lc.EndedBy.Cycle)
				}
			}
		})
	}
}

// TestHistory_StaleStatements lists the statements of the history file the
// rule marks stale, and that each repeats the page it copies.
func TestHistory_StaleStatements(t *testing.T) {
	m := dtLoad(t, filepath.Join("..", historyFile))
	want := map[string]string{
		// "When the 2.0 version releases, support continues for 1.4, and
		// 1.3. Support for Kommander version 1.1.x expires": 1.1 had
		// expired with 1.4.
		"kommander kommander-2.0-legal-version-support-policy-beta": "kommander-1.2-version-support-policy",
		// The Kaptain 2.1 page's sentence is the 2.0 page's.
		"kaptain kaptain-2.1-version-support-policy": "kaptain-2.0-version-support-policy",
	}
	got := map[string]string{}
	for _, id := range m.Products() {
		p := dtProduct(t, m, id)
		for _, st := range p.Stated {
			if !st.Stale {
				continue
			}
			var repeats []string
			for _, r := range st.Repeats {
				repeats = append(repeats, r.Source.ID)
			}
			got[id+" "+st.Source.ID] = strings.Join(repeats, " ")
		}
	}
	for k, page := range want {
		if !strings.Contains(got[k], page) {
			t.Errorf("%s: repeats %q, want it to name %s", k, got[k], page)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("%s is marked stale; it is not a copy of an earlier transition", k)
		}
	}
}

// TestHistory_KaptainStaleAnswers: the Kaptain 2.1 page repeats the 2.0
// page's sentence, so it does not end Kaptain 2.0 confidently; the Konvoy
// pages' stated sets still win where they are not stale.
func TestHistory_KaptainStaleAnswers(t *testing.T) {
	m := dtLoad(t, filepath.Join("..", historyFile))
	tests := []struct {
		on, q   string
		verdict policy.Verdict
		has     []string
		lacks   []string
		cites   []string
	}{
		{"2022-04-25", "kaptain 2.0", policy.VerdictSupported, []string{"latest release"}, []string{"appears to repeat"}, nil},
		{"2022-04-25", "kaptain 1.2", policy.VerdictSupported, nil, nil, nil},
		{"2022-04-26", "kaptain 2.0", policy.VerdictUnknown,
			[]string{"states Kaptain 2.1, 1.3, 1.2", "N-2 count gives 2.1, 2.0, 1.3", "appears to repeat the earlier page", "Kaptain 2.0 Version Support Policy (17480e2) already said so"},
			[]string{"support ended", "This answer follows the pages"},
			[]string{"Kaptain 2.1 Version Support Policy (9fe750b)", "Kaptain 2.0 Version Support Policy (17480e2)"}},
		{"2022-05-01", "kaptain 2.0", policy.VerdictUnknown,
			[]string{"appears to repeat the earlier page", "In doubt: Kaptain 2.0, 1.2"}, []string{"support ended"},
			[]string{"Kaptain 2.1 Version Support Policy (9fe750b)", "Kaptain 2.0 Version Support Policy (17480e2)"}},
		{"2022-05-01", "when did kaptain 2.0 support end?", policy.VerdictUnknown,
			[]string{"appears to repeat the earlier page", "N-2 count gives 2.1, 2.0, 1.3"}, []string{"support ended on"}, nil},
		{"2022-05-01", "kaptain 1.2", policy.VerdictUnknown, []string{"appears to repeat the earlier page"}, nil, nil},
		{"2022-05-01", "kaptain 1.3", policy.VerdictSupported, nil, nil, nil},
		{"2022-05-01", "kaptain 2.1", policy.VerdictSupported, []string{"latest release"}, nil, nil},
		{"2022-05-01", "kaptain 1.1", policy.VerdictUnsupported, []string{"support ended on 2022-04-25, when Kaptain 2.0 was released"}, nil, nil},
		// Not stale: Konvoy 2.2's "2.1, and 1.8" wins over the count.
		{"2022-05-01", "konvoy 1.8", policy.VerdictSupported, []string{"unlike the N-2 count"}, []string{"appears to repeat"}, nil},
		{"2022-05-01", "konvoy 2.0", policy.VerdictUnsupported, []string{"support ended on 2022-04-08", "would still support Konvoy 2.0"}, nil, nil},
		// The Konvoy 1.6 pages' example for 1.5 has no expires: as before.
		{"2020-09-01", "konvoy 1.3", policy.VerdictSupported, []string{"N-2 of the latest release, 1.5"}, nil, nil},
		// Kommander 2.0's stale next-release line is outvoted by its example.
		{"2021-12-01", "kommander 1.2", policy.VerdictUnsupported, []string{"when Kommander 2.0 was released"}, []string{"appears to repeat"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.on+" "+tt.q, func(t *testing.T) {
			a := m.AskOn(tt.q, dtDay(t, tt.on))
			text := answerText(a)
			if a.Verdict != tt.verdict {
				t.Errorf("verdict %s, want %s:\n%s", a.Verdict, tt.verdict, text)
			}
			for _, s := range tt.has {
				if !strings.Contains(text, s) {
					t.Errorf("answer lacks %q:\n%s", s, text)
				}
			}
			for _, s := range tt.lacks {
				if strings.Contains(text, s) {
					t.Errorf("answer says %q:\n%s", s, text)
				}
			}
			for _, c := range tt.cites {
				if !slices.ContainsFunc(a.Sources, func(r policy.Ref) bool { return strings.HasPrefix(r.String(), c) }) {
					t.Errorf("answer does not cite %q: %v", c, a.Sources)
				}
			}
		})
	}

	// The news of Kaptain 2.1 ends nothing: 2.0 and 1.2 are in doubt.
	seen := map[string][]string{"kaptain": {"2.0", "1.3", "1.2"}}
	var news []policy.NewRelease
	for _, n := range m.At(dtDay(t, "2022-04-26")).NewReleases(seen) {
		if n.Product == "kaptain" {
			news = append(news, n)
		}
	}
	if len(news) != 1 || news[0].Cycle.String() != "2.1" || len(news[0].Ended) != 0 || dtCycles(news[0].InDoubt) != "2.0 1.2" {
		t.Errorf("news of Kaptain 2.1 = %+v, want 2.1 ending nothing with 2.0, 1.2 in doubt", news)
	}

	// The lifecycle: Kaptain 2.1 does not end 2.0 (nor does the count, which keeps it).
	k := dtProduct(t, m, "kaptain")
	c20, _ := policy.ParseCycle("2.0")
	lc, ok := k.Lifecycle(c20)
	if !ok || lc.EndedBy != nil {
		t.Errorf("Kaptain 2.0 lifecycle: ended by %+v, want no end", lc.EndedBy)
	}
	if lc.RuleEndedBy != nil {
		t.Errorf("Kaptain 2.0 lifecycle: rule ends it with %+v, want no end", lc.RuleEndedBy)
	}
}
