package policy_test

import (
	"strings"
	"testing"
	"time"

	"github.com/d2iq/supportbot/policy"
)

// combineCase is a multi-part question asked on a day, the verdict of the
// whole, the verdict of each part in order, and words the summary must hold.
type combineCase struct {
	q       string
	on      string // YYYY-MM-DD; empty: the policy as it stands
	verdict policy.Verdict
	parts   []policy.Verdict
	summary []string
}

// TestAsk_CombinesStatusAndRelations checks that every product a relation
// names with a version gets a status part and that the parts combine:
// incompatible over unsupported over unknown over yes.
func TestAsk_CombinesStatusAndRelations(t *testing.T) {
	history, err := policy.Load("../deploy/policies/d2iq-history.yaml")
	if err != nil {
		t.Fatalf("the history policy: %v", err)
	}
	policies := []struct {
		name  string
		m     *policy.Model
		cases []combineCase
	}{
		{"default", policy.Default(), []combineCase{
			{q: "konvoy 1.6 kommander 1.2", verdict: fits, parts: []policy.Verdict{fits, yes, yes}, summary: []string{"Yes: Kommander 1.2.x deploys on any Konvoy 1.6.x"}},
			{q: "konvoy 1.8 kommander 1.3", verdict: clash, parts: []policy.Verdict{clash, yes, yes}, summary: []string{"No: Konvoy 1.8.x pairs only with Kommander 1.4.x"}},
			{q: "konvoy 1.5 kommander 1.2", verdict: no, parts: []policy.Verdict{unsure, no, yes}, summary: []string{"Konvoy 1.5.x is not supported", "no Kommander pairing"}},
			{q: "konvoy 1.5.0 kubernetes 1.17.8", verdict: no, parts: []policy.Verdict{unsure, no}, summary: []string{"Konvoy 1.5.0 is not supported"}},
			{q: "kaptain 1.3 on konvoy 1.5", verdict: clash, parts: []policy.Verdict{clash, no, yes}, summary: []string{"not Konvoy 1.5", "Konvoy 1.5.x is not supported"}},
		}},
		{"history", history, []combineCase{
			// The reported case: a stated pairing of two cycles out of support.
			{q: "konvoy 1.6 kommander 1.2", on: "2022-01-01", verdict: no, parts: []policy.Verdict{fits, no, no},
				summary: []string{"Kommander 1.2.x pairs with Konvoy 1.6.x, but neither is supported any more: support covers", "Konvoy 2.1, 2.0, 1.8"}},
			{q: "konvoy 1.8 kommander 1.4", on: "2022-01-01", verdict: fits, parts: []policy.Verdict{fits, yes, yes}, summary: []string{"Yes: the policy pairs Kommander 1.4.x with Konvoy 1.8.x"}},
			{q: "konvoy 1.8 kommander 1.3", on: "2022-01-01", verdict: clash, parts: []policy.Verdict{clash, no, yes}, summary: []string{"No:", "Kommander 1.3.x is not supported"}},
			// Konvoy 2.0 was released on 2021-08-26 and ended Konvoy 1.6: the day
			// before, 1.6.0 and its Kubernetes are a yes; that day, a no.
			{q: "konvoy 1.6.0 kubernetes 1.18.12", on: "2021-08-25", verdict: fits, parts: []policy.Verdict{fits, yes}, summary: []string{"1.18.12 is in range"}},
			{q: "konvoy 1.6.0 kubernetes 1.18.12", on: "2021-08-26", verdict: no, parts: []policy.Verdict{fits, no},
				summary: []string{"1.18.12 is in range, but Konvoy 1.6 is not supported any more: support covers Konvoy 2.0, 1.8, 1.7"}},
			// Kommander 1.2's end has no date: the day before Konvoy 1.6 ends the
			// pairing holds but Kommander's status is unknown; that day Konvoy 1.6's
			// end decides.
			{q: "konvoy 1.6 kommander 1.2", on: "2021-08-25", verdict: unsure, parts: []policy.Verdict{fits, unsure, yes},
				summary: []string{"Kommander 1.2.x pairs with Konvoy 1.6.x, but I cannot say whether Kommander 1.2.x was supported then"}},
			{q: "konvoy 1.6 kommander 1.2", on: "2021-08-26", verdict: no, parts: []policy.Verdict{fits, unsure, no},
				summary: []string{"but Konvoy 1.6 is not supported any more"}},
			// Kommander 2.1 was released on 2021-11-19 and ended Kommander 1.3.
			{q: "konvoy 1.8 kommander 1.4", on: "2021-11-18", verdict: fits, parts: []policy.Verdict{fits, yes, yes}, summary: []string{"Yes"}},
			{q: "konvoy 1.6 kommander 1.2", on: "2021-11-19", verdict: no, parts: []policy.Verdict{fits, no, no}, summary: []string{"neither is supported any more"}},
		}},
	}
	for _, pc := range policies {
		for _, tc := range pc.cases {
			t.Run(pc.name+"/"+tc.on+"/"+tc.q, func(t *testing.T) {
				var a policy.Answer
				if tc.on == "" {
					a = pc.m.Ask(tc.q)
				} else {
					day, err := time.Parse(time.DateOnly, tc.on)
					if err != nil {
						t.Fatal(err)
					}
					a = pc.m.AskOn(tc.q, day)
				}
				if a.Verdict != tc.verdict {
					t.Errorf("verdict %s, want %s\n%s", a.Verdict, tc.verdict, a.Text())
				}
				if a.Verdict.ExitCode() != tc.verdict.ExitCode() {
					t.Errorf("exit %d, want %d", a.Verdict.ExitCode(), tc.verdict.ExitCode())
				}
				var got []policy.Verdict
				for _, p := range a.Parts {
					got = append(got, p.Verdict)
				}
				if !slicesEqual(got, tc.parts) {
					t.Errorf("parts %v, want %v\n%s", got, tc.parts, a.Text())
				}
				for _, w := range tc.summary {
					if !strings.Contains(a.Summary, w) {
						t.Errorf("summary lacks %q: %s", w, a.Summary)
					}
				}
				for _, p := range a.Parts {
					if len(p.Subjects) == 0 || p.Summary == "" {
						t.Errorf("part without subjects or summary: %+v", p)
					}
				}
			})
		}
	}
}

func slicesEqual(a, b []policy.Verdict) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestAsk_PairingCitesRowsInForce: a pairing answer cites the pages that
// state the rows it used, those of the docs versions in force on its day,
// not every page that states some pairing.
func TestAsk_PairingCitesRowsInForce(t *testing.T) {
	m, err := policy.Load("../deploy/policies/d2iq-history.yaml")
	if err != nil {
		t.Fatalf("the history policy: %v", err)
	}
	day := time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		q         string
		wantPaths []string // every pairing source's path holds one of these
		max       int
	}{
		// On 2022-01-01 Konvoy 2.1 and Kommander 2.1 are the newest docs.
		{"kommander 1.4 konvoy", []string{"/konvoy/2.1/", "/kommander/2.1/"}, 3},
		// The 1.6 ↔ 1.2 row was last stated by the Konvoy 1.8 and Kommander 1.4 pages.
		{"konvoy 1.6 kommander 1.2", []string{"/konvoy/1.8/", "/kommander/1.4/", "seed"}, 5},
	}
	for _, tc := range cases {
		a := m.AskOn(tc.q, day)
		var pairing []policy.Ref
		for _, r := range a.Sources {
			if strings.HasPrefix(r.Section, "Supported Kommander") || strings.HasPrefix(r.Section, "Supported Konvoy") {
				pairing = append(pairing, r)
			}
		}
		if len(pairing) == 0 || len(pairing) > tc.max {
			t.Errorf("%q cites %d pairing pages, want 1 to %d:\n%s", tc.q, len(pairing), tc.max, a.Text())
		}
		for _, r := range pairing {
			ok := false
			for _, w := range tc.wantPaths {
				ok = ok || strings.Contains(r.Path, w) || strings.Contains(r.Title, w)
			}
			if !ok {
				t.Errorf("%q cites %s (%s), not a page in force", tc.q, r.Title, r.Path)
			}
		}
	}
}
