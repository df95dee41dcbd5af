package policy_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/d2iq/supportbot/policy"
)

func dtLoad(tb testing.TB, path string) *policy.Model {
	tb.Helper()
	m, err := policy.Load(path)
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

func dtModel(tb testing.TB) *policy.Model {
	return dtLoad(tb, filepath.Join("testdata", "dated.yaml"))
}

func dtDay(tb testing.TB, s string) time.Time {
	tb.Helper()
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

func dtCycles(cs []policy.Cycle) string {
	s := make([]string, len(cs))
	for i, c := range cs {
		s[i] = c.String()
	}
	return strings.Join(s, " ")
}

func dtProduct(tb testing.TB, m *policy.Model, id string) *policy.Product {
	tb.Helper()
	p, ok := m.Product(id)
	if !ok {
		tb.Fatalf("no product %s", id)
	}
	return p
}

// TestRule_Window: one window computation per rule, over the cycles that
// exist (the 1.8 → 2.0 bump has no 1.9), with a window not yet full.
func TestRule_Window(t *testing.T) {
	tests := []struct {
		name, yaml, product, want string
		full                      bool
	}{
		{"n-minus over a major bump", `{rule: n-minus, n: 2, source: "s#S"}`, "konvoy", "2.0 1.8 1.7", true},
		{"n-minus 0", `{rule: n-minus, n: 0, source: "s#S"}`, "konvoy", "2.0", true},
		{"n-minus not full", `{rule: n-minus, n: 5, source: "s#S"}`, "konvoy", "2.0 1.8 1.7 1.6", false},
		{"with follows the partner", `{rule: n-minus, n: 2, source: "s#S"}`, "kommander", "2.0 1.4 1.3", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := policy.Parse("rule.yaml", fmt.Appendf(nil, `as_of: 2021-09-01
sources: [{id: s, title: S}]
products:
  konvoy:
    name: Konvoy
    support: %s
    releases: [{cycle: "2.0"}, {cycle: "1.8"}, {cycle: "1.7"}, {cycle: "1.6"}]
  kommander:
    name: Kommander
    support: {rule: with, product: konvoy, source: "s#K"}
    releases: [{cycle: "2.0", pairs_with: "2.0"}, {cycle: "1.4", pairs_with: "1.8"}, {cycle: "1.3", pairs_with: "1.7"}, {cycle: "1.2", pairs_with: "1.6"}]
`, tt.yaml))
			if err != nil {
				t.Fatal(err)
			}
			s := dtProduct(t, m, tt.product).Support()
			if got := dtCycles(s.Window); got != tt.want || s.Full != tt.full {
				t.Errorf("window = %s (full %v), want %s (full %v)", got, s.Full, tt.want, tt.full)
			}
			if s.DiffersFromRule() {
				t.Error("no statement is in force, yet the window differs from the rule")
			}
		})
	}
}

// TestModel_At travels across each release date: the day before and the
// day of.
func TestModel_At(t *testing.T) {
	m := dtModel(t)
	tests := []struct {
		day, product, version string
		want                  policy.Status
		window                string
	}{
		{"2020-11-15", "konvoy", "1.5", policy.StatusSupported, "1.5"},
		{"2020-11-16", "konvoy", "1.6", policy.StatusSupported, "1.6 1.5"},
		{"2021-05-04", "konvoy", "1.5", policy.StatusSupported, "1.7 1.6 1.5"},
		{"2021-05-05", "konvoy", "1.5", policy.StatusUnsupported, "1.8 1.7 1.6"},
		{"2021-08-25", "konvoy", "1.6", policy.StatusSupported, "1.8 1.7 1.6"},
		{"2021-08-26", "konvoy", "1.6", policy.StatusUnsupported, "2.0 1.8 1.7"},
		{"2021-08-25", "konvoy", "2.0", policy.StatusUnreleased, "1.8 1.7 1.6"},
		{"2021-08-26", "kommander", "1.2", policy.StatusUnsupported, "2.0 1.4 1.3"},
		{"2021-08-25", "kommander", "1.2", policy.StatusSupported, "1.4 1.3 1.2"},
		// The pages disagree on 2.1's date (2021-11-18 or 2021-12-30):
		// between them, whether 1.7 is supported depends on which is right.
		{"2021-11-17", "konvoy", "1.7", policy.StatusSupported, "2.0 1.8 1.7"},
		{"2021-11-18", "konvoy", "1.7", policy.StatusUnknown, "2.0 1.8 1.7"},
		{"2021-12-29", "konvoy", "1.7", policy.StatusUnknown, "2.0 1.8 1.7"},
		{"2021-12-30", "konvoy", "1.7", policy.StatusUnsupported, "2.1 2.0 1.8"},
		{"2021-11-18", "konvoy", "1.8", policy.StatusSupported, "2.0 1.8 1.7"},
		// Konvoy 2.2's page states 2.1 and 1.8: 2.0 ends, 1.8 stays.
		{"2022-04-07", "konvoy", "2.0", policy.StatusSupported, "2.1 2.0 1.8"},
		{"2022-04-08", "konvoy", "2.0", policy.StatusUnsupported, "2.2 2.1 1.8"},
		{"2022-04-08", "konvoy", "1.8", policy.StatusSupported, "2.2 2.1 1.8"},
		{"2022-04-08", "kommander", "1.4", policy.StatusSupported, "2.2 2.1 1.4"},
		{"2022-04-08", "kommander", "2.0", policy.StatusUnsupported, "2.2 2.1 1.4"},
	}
	for _, tt := range tests {
		t.Run(tt.day+" "+tt.product+" "+tt.version, func(t *testing.T) {
			p := dtProduct(t, m.At(dtDay(t, tt.day)), tt.product)
			v, _ := policy.ParseVersion(tt.version)
			if got := p.Status(v.Cycle); got != tt.want {
				t.Errorf("status = %v, want %v", got, tt.want)
			}
			if got := dtCycles(p.Support().Window); got != tt.window {
				t.Errorf("window = %s, want %s", got, tt.window)
			}
		})
	}
}

func TestModel_At_Cheap(t *testing.T) {
	m := dtModel(t)
	d := dtDay(t, "2021-09-01")
	if a := testing.AllocsPerRun(100, func() { m.At(d) }); a != 0 {
		t.Errorf("At allocates %v times", a)
	}
	if m.At(d) != m.At(dtDay(t, "2021-09-02")) {
		t.Error("two days between the same changes give different views")
	}
	if v := m.At(d); v.At(dtDay(t, "2020-12-01")) != m.At(dtDay(t, "2020-12-01")) {
		t.Error("At on a view is not At on the model")
	}
	if got := m.At(d).On().Format(time.DateOnly); got != "2021-08-26" {
		t.Errorf("On = %s, want the last change, 2021-08-26", got)
	}
	def := policy.Default()
	if def.At(d) != def {
		t.Error("a policy without dates is its own view")
	}
}

func TestProduct_Lifecycle(t *testing.T) {
	m := dtModel(t)
	tests := []struct {
		name, on, product, cycle string
		ended, endedBy           string
		ruleEndedBy              string
		latestPatch              string
		released                 int
	}{
		{"ended by 2.0", "", "konvoy", "1.6", "2021-08-26", "2.0", "2.0", "", 1},
		{"ended on a disputed date", "", "konvoy", "1.7", "2021-12-30", "2.1", "2.1", "", 1},
		{"two release dates", "", "konvoy", "2.1", "", "", "", "", 2},
		{"a stated set ended it, not the count", "", "konvoy", "2.0", "2022-04-08", "2.2", "", "", 1},
		{"the count would have ended it", "", "konvoy", "1.8", "", "", "2.2", "1.8.4", 1},
		{"with follows the partner", "", "kommander", "1.2", "2021-08-26", "2.0", "2.0", "", 0},
		{"not ended yet that day", "2021-08-25", "konvoy", "1.6", "", "", "", "", 1},
		{"latest patch that day", "2021-10-01", "konvoy", "1.8", "", "", "", "1.8.3", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mv := m
			if tt.on != "" {
				mv = m.At(dtDay(t, tt.on))
			}
			c, _ := policy.ParseCycle(tt.cycle)
			lc, ok := dtProduct(t, mv, tt.product).Lifecycle(c)
			if !ok {
				t.Fatal("no lifecycle")
			}
			var ended, endedBy, ruleBy, patch string
			if !lc.Ended.IsZero() {
				ended = lc.Ended.Format(time.DateOnly)
			}
			if lc.EndedBy != nil {
				endedBy = lc.EndedBy.Cycle.String()
			}
			if lc.RuleEndedBy != nil {
				ruleBy = lc.RuleEndedBy.Cycle.String()
			}
			if lc.LatestPatch != nil {
				patch = lc.LatestPatch.Version.String()
			}
			if ended != tt.ended || endedBy != tt.endedBy || ruleBy != tt.ruleEndedBy || patch != tt.latestPatch || len(lc.Released) != tt.released {
				t.Errorf("ended %q by %q, rule %q, patch %q, %d dates; want %q by %q, rule %q, patch %q, %d dates",
					ended, endedBy, ruleBy, patch, len(lc.Released), tt.ended, tt.endedBy, tt.ruleEndedBy, tt.latestPatch, tt.released)
			}
		})
	}
	if _, ok := dtProduct(t, m.At(dtDay(t, "2021-08-25")), "konvoy").Lifecycle(policy.Cycle{Major: 2, Minor: 0}); ok {
		t.Error("a lifecycle for Konvoy 2.0 the day before its release")
	}
}

func TestModel_Conflicts(t *testing.T) {
	m := dtModel(t)
	var facts []string
	for _, c := range m.Conflicts("konvoy", "2.1") {
		facts = append(facts, c.Fact)
		if len(c.Sources) < 2 {
			t.Errorf("conflict %q cites %d sources, want both sides", c.Text, len(c.Sources))
		}
	}
	slices.Sort(facts)
	if got := strings.Join(facts, " "); got != "kubernetes released" {
		t.Errorf("conflicts on Konvoy 2.1: %s, want kubernetes and released", got)
	}
}

// TestAnswers_Dated checks answers that depend on dates, stated sets and
// conflicts.
func TestAnswers_Dated(t *testing.T) {
	m := dtModel(t)
	tests := []struct {
		name, on, q string
		verdict     policy.Verdict
		has         []string
		cites       []string
	}{
		{"ended, with the date", "2021-09-01", "konvoy 1.6", policy.VerdictUnsupported,
			[]string{"support ended on 2021-08-26, when Konvoy 2.0 was released"}, []string{"Konvoy 2.0 Policy"}},
		{"the day before", "2021-08-25", "konvoy 1.6", policy.VerdictSupported, []string{"N-2 of the latest release, 1.8"}, nil},
		{"disputed release date", "2021-12-01", "konvoy 1.7", policy.VerdictUnknown,
			[]string{"2021-11-18", "2021-12-30"}, []string{"Konvoy 2.1.0 Notes", "Konvoy 2.1.1 Notes"}},
		{"stated set wins", "2022-05-01", "konvoy 1.8", policy.VerdictSupported,
			[]string{"unlike the N-2 count", "would give 2.2, 2.1, 2.0"}, []string{"Konvoy 2.2 Policy"}},
		{"stated set ends 2.0", "2022-05-01", "konvoy 2.0", policy.VerdictUnsupported,
			[]string{"support ended on 2022-04-08", "would still support Konvoy 2.0"}, []string{"Konvoy 2.2 Policy"}},
		{"per-patch default", "", "konvoy 1.8.4 kubernetes", policy.VerdictInfo, []string{"default 1.20.13"}, []string{"Konvoy 1.8 Notes"}},
		{"cycle lists patch defaults", "", "konvoy 1.8 kubernetes", policy.VerdictInfo, []string{"default 1.20.6"}, nil},
		{"ranges disagree on the yes/no", "", "konvoy 2.1 kubernetes 1.21.4", policy.VerdictUnknown,
			[]string{"pages disagree"}, []string{"Konvoy 2.1.0 Notes", "Konvoy 2.0 Policy"}},
		{"ranges agree on the yes/no", "", "konvoy 2.1 kubernetes 1.21.7", policy.VerdictCompatible, nil, nil},
		{"a notice on the patch", "", "konvoy 1.8.4", policy.VerdictSupported, []string{"Dispatch is deprecated in favor of Flux"}, []string{"Konvoy 1.8 Notes"}},
		// The reader's time and upgrade frames answer from dates and rules.
		{"asked when support ended", "2021-09-01", "when did konvoy 1.6 support end?", policy.VerdictInfo,
			[]string{"support ended on 2021-08-26, when Konvoy 2.0 was released"}, []string{"Konvoy 2.0 Policy"}},
		{"asked when released", "", "when was konvoy 1.8 released?", policy.VerdictInfo, []string{"released on 2021-05-05"}, []string{"Konvoy 1.8 Notes"}},
		{"asked how long", "2021-09-01", "how long is konvoy 1.8 supported?", policy.VerdictInfo, []string{"until the second Konvoy release from now"}, nil},
		{"asked how to upgrade", "", "how do I upgrade konvoy 1.5 to 1.6?", policy.VerdictInfo, []string{"Konvoy 1.5.6 → Konvoy 1.6.3"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mv := m
			if tt.on != "" {
				mv = m.At(dtDay(t, tt.on))
			}
			a := mv.Ask(tt.q)
			text := a.Summary
			for _, d := range a.Details {
				text += "\n" + d.Text
			}
			if a.Verdict != tt.verdict {
				t.Errorf("verdict %s, want %s: %s", a.Verdict, tt.verdict, text)
			}
			for _, s := range tt.has {
				if !strings.Contains(text, s) {
					t.Errorf("answer lacks %q:\n%s", s, text)
				}
			}
			for _, c := range tt.cites {
				if !slices.ContainsFunc(a.Sources, func(r policy.Ref) bool { return r.Title == c }) {
					t.Errorf("answer does not cite %q: %v", c, a.Sources)
				}
			}
		})
	}
}

func TestModel_AnswerTimeline(t *testing.T) {
	m := dtModel(t)
	tests := []struct {
		name, on   string
		kind       policy.TimelineKind
		product, v string
		verdict    policy.Verdict
		has        string
	}{
		{"when did support end", "", policy.TimelineEnd, "konvoy", "1.6", policy.VerdictInfo, "support ended on 2021-08-26, when Konvoy 2.0 was released"},
		{"not ended yet", "2021-08-25", policy.TimelineEnd, "konvoy", "1.6", policy.VerdictInfo, "has not ended: until the next Konvoy release"},
		{"ended on a disputed date", "", policy.TimelineEnd, "konvoy", "1.7", policy.VerdictUnknown, "the pages disagree on that date"},
		{"released", "", policy.TimelineReleased, "konvoy", "1.8", policy.VerdictInfo, "Konvoy 1.8 was released on 2021-05-05"},
		{"patch released", "", policy.TimelineReleased, "konvoy", "1.8.3", policy.VerdictInfo, "Konvoy 1.8.3 was released on 2021-09-23"},
		{"release date disputed", "", policy.TimelineReleased, "konvoy", "2.1", policy.VerdictUnknown, "The pages disagree on when Konvoy 2.1 was released"},
		{"not released then", "2021-08-25", policy.TimelineReleased, "konvoy", "2.0", policy.VerdictUnknown, "not a release the policy knows then"},
		{"how long, ended", "", policy.TimelineHowLong, "konvoy", "1.6", policy.VerdictInfo, "supported from 2020-11-16 to 2021-08-26"},
		{"how long, supported", "2021-09-01", policy.TimelineHowLong, "konvoy", "1.8", policy.VerdictInfo, "until the second Konvoy release from now"},
		{"how long, with", "", policy.TimelineHowLong, "kommander", "1.2", policy.VerdictInfo, "when Konvoy 2.0 was released"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mv := m
			if tt.on != "" {
				mv = m.At(dtDay(t, tt.on))
			}
			a := mv.AnswerTimeline(tt.kind, tt.product, tt.v)
			if a.Verdict != tt.verdict || !strings.Contains(a.Summary, tt.has) {
				t.Errorf("got %s %q, want %s with %q", a.Verdict, a.Summary, tt.verdict, tt.has)
			}
			if len(a.Sources) == 0 {
				t.Error("no sources")
			}
		})
	}
}

func TestModel_AnswerUpgrade(t *testing.T) {
	m := dtModel(t)
	v := func(s string) policy.Version { x, _ := policy.ParseVersion(s); return x }
	ptr := func(s string) *policy.Version { x := v(s); return &x }
	tests := []struct {
		name    string
		q       policy.UpgradeQuery
		verdict policy.Verdict
		has     string
	}{
		{"stated path", policy.UpgradeQuery{Product: "konvoy", From: v("1.5"), To: ptr("1.6")}, policy.VerdictInfo, "Konvoy 1.5.x → Konvoy 1.5.6 → Konvoy 1.6.3"},
		{"forbidden with kaptain", policy.UpgradeQuery{Product: "konvoy", From: v("1.8"), To: ptr("2.1"), Enabled: []string{"kaptain"}}, policy.VerdictUnsupported, "when Kaptain is enabled"},
		{"no path stated", policy.UpgradeQuery{Product: "konvoy", From: v("1.8"), To: ptr("2.1")}, policy.VerdictUnknown, "state no upgrade path"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := m.AnswerUpgrade(tt.q)
			text := a.Summary
			for _, d := range a.Details {
				text += "\n" + d.Text
			}
			if a.Intent != "upgrade" || a.Verdict != tt.verdict || !strings.Contains(text, tt.has) {
				t.Errorf("got %s %s:\n%s\nwant %s with %q", a.Intent, a.Verdict, text, tt.verdict, tt.has)
			}
		})
	}
	// Without Kaptain named, the forbidden case is still said.
	a := m.AnswerUpgrade(policy.UpgradeQuery{Product: "konvoy", From: v("1.8"), To: ptr("2.1")})
	if !slices.ContainsFunc(a.Details, func(d policy.Detail) bool { return strings.Contains(d.Text, "With Kaptain enabled") }) {
		t.Errorf("the Kaptain rule is not mentioned: %v", a.Details)
	}
}

func TestModel_ExpiriesStated(t *testing.T) {
	m, err := policy.Parse("exp.yaml", []byte(`as_of: 2022-01-01
sources: [{id: s, title: S}]
products:
  konvoy:
    name: Konvoy
    support: {rule: n-minus, n: 2, source: "s#S"}
    stated: [{current: "2.2", supported: ["2.1", "1.8"], source: "s#Stated"}]
    releases: [{cycle: "2.1"}, {cycle: "2.0"}, {cycle: "1.8"}]
    upcoming: [{cycle: "2.2", expected: 2022-04-08}]
`))
	if err != nil {
		t.Fatal(err)
	}
	ex := m.Expiries()
	if len(ex) != 1 || ex[0].Ends.String() != "2.0" || len(ex[0].Stated) != 1 {
		t.Errorf("expiries = %+v, want 2.0 ending with 2.2 by the stated set", ex)
	}
}

func TestModel_Lifecycles(t *testing.T) {
	m := dtModel(t)
	var ended []string
	for _, lc := range m.At(dtDay(t, "2021-09-01")).Lifecycles() {
		if lc.EndedBy != nil && lc.Product == "konvoy" {
			ended = append(ended, lc.Cycle.String()+"@"+lc.Ended.Format(time.DateOnly))
		}
	}
	if got := strings.Join(ended, " "); got != "1.6@2021-08-26 1.5@2021-05-05" {
		t.Errorf("ended Konvoy cycles on 2021-09-01: %s", got)
	}
}

// TestModel_StatedConflict: two pages state different sets for the same
// current release; a cycle one supports and the other does not is unknown,
// and the answer cites both pages.
func TestModel_StatedConflict(t *testing.T) {
	m, err := policy.Parse("stated.yaml", []byte(`as_of: 2022-01-01
sources: [{id: a, title: Page A}, {id: b, title: Page B}]
products:
  kaptain:
    name: Kaptain
    support: {rule: n-minus, n: 2, source: "a#Rule"}
    stated:
      - {current: "2.1", supported: ["2.1", "2.0", "1.3"], source: "a#Version Support Policy"}
      - {current: "2.1", supported: ["1.3", "1.2"], source: "b#Version Support Policy"}
    releases: [{cycle: "2.1"}, {cycle: "2.0"}, {cycle: "1.3"}, {cycle: "1.2"}]
`))
	if err != nil {
		t.Fatal(err)
	}
	k := dtProduct(t, m, "kaptain")
	for _, tt := range []struct {
		cycle string
		want  policy.Status
	}{{"2.1", policy.StatusSupported}, {"1.3", policy.StatusSupported}, {"2.0", policy.StatusUnknown}, {"1.2", policy.StatusUnknown}} {
		c, _ := policy.ParseCycle(tt.cycle)
		if got := k.Status(c); got != tt.want {
			t.Errorf("Kaptain %s: %v, want %v", tt.cycle, got, tt.want)
		}
	}
	if cs := m.Conflicts("kaptain", "2.1"); len(cs) != 1 || cs[0].Fact != "stated" {
		t.Errorf("conflicts = %+v, want one on the stated set", cs)
	}
	a := m.Ask("kaptain 2.0")
	text := a.Summary
	for _, d := range a.Details {
		text += "\n" + d.Text
	}
	if a.Verdict != policy.VerdictUnknown || !strings.Contains(text, "disagree") {
		t.Errorf("kaptain 2.0: %s\n%s", a.Verdict, text)
	}
	for _, title := range []string{"Page A", "Page B"} {
		if !slices.ContainsFunc(a.Sources, func(r policy.Ref) bool { return r.Title == title }) {
			t.Errorf("does not cite %s: %v", title, a.Sources)
		}
	}
}

func TestModel_AnswerTerm(t *testing.T) {
	m := dtLoad(t, filepath.Join("testdata", "schema-example.yaml"))
	a := m.AnswerTerm("tech preview")
	if a.Verdict != policy.VerdictInfo || !strings.Contains(a.Summary, "Technical Preview") || len(a.Sources) == 0 {
		t.Errorf("tech preview: %s %q %v", a.Verdict, a.Summary, a.Sources)
	}
	if a := m.AnswerTerm("beta"); a.Verdict != policy.VerdictUnknown {
		t.Errorf("an unknown term: %s %q", a.Verdict, a.Summary)
	}
}
