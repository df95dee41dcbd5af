package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"

	"github.com/d2iq/supportbot/policy"
)

// writeStack writes a stack file into a temporary directory and returns its path.
func writeStack(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "stack.yaml")
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// policyWithUpcoming writes the default policy with Konvoy 1.9 announced for
// the given day, and returns an environment that loads it.
func policyWithUpcoming(t *testing.T, expected time.Time) map[string]string {
	t.Helper()
	f := policy.Default().File()
	p := f.Products["konvoy"]
	p.Upcoming = []policy.UpcomingFile{{Cycle: "1.9", Expected: &policy.Date{Time: expected}}}
	f.Products["konvoy"] = p
	data, err := yaml.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "policy.yaml")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := policy.Load(path); err != nil {
		t.Fatalf("test policy does not load: %v", err)
	}
	return map[string]string{"SUPPORTBOT_POLICY_FILE": path}
}

func TestParseStackFile(t *testing.T) {
	m := policy.Default()
	tests := []struct {
		name    string
		body    string
		want    string // the question, when it parses
		wantErr string // a part of the usage error, with file:line
	}{
		{"four products", "konvoy: 1.8.2\nkommander: 1.4.1\nkaptain: 1.3.0\nkubernetes: 1.20.6\n", "konvoy 1.8.2 kommander 1.4.1 kaptain 1.3.0 kubernetes 1.20.6", ""},
		{"cycle as a YAML float", "konvoy: 1.10\n", "konvoy 1.10", ""},
		{"v prefix and comments", "# prod\nkonvoy: v1.8.3 # pinned\n", "konvoy 1.8.3", ""},
		{"alias and case", "Konvoy: 1.8\n", "konvoy 1.8", ""},
		{"on", "on: 2021-09-01\nkonvoy: 1.8\n", "konvoy 1.8", ""},
		{"unknown key", "konvoy: 1.8\nkonvy: 1.7\n", "", "stack.yaml:2: unknown product \"konvy\" (did you mean konvoy?)"},
		{"bad version", "konvoy: 1.8\nkommander: banana\n", "", "stack.yaml:2: kommander: \"banana\" is not a version"},
		{"bare major", "konvoy: 1\n", "", "stack.yaml:1: konvoy: \"1\" is not a version"},
		{"twice", "konvoy: 1.8\nkommander: 1.4\nkonvoy: 1.7\n", "", "stack.yaml:3: konvoy is given twice (first on line 1)"},
		{"no value", "konvoy:\n", "", "stack.yaml:1: konvoy needs one version"},
		{"list value", "konvoy:\n  - 1.8\n", "", "stack.yaml:2: konvoy needs one version"},
		{"bad date", "on: soon\nkonvoy: 1.8\n", "", "stack.yaml:1: on: \"soon\" is not a date"},
		{"not a mapping", "- konvoy: 1.8\n", "", "stack.yaml:1: a stack file is a mapping"},
		{"empty", "", "", "the stack file is empty"},
		{"only on", "on: 2021-09-01\n", "", "names no product"},
		{"bad yaml", "konvoy: [1.8\n", "", "stack.yaml:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := parseStackFile("stack.yaml", []byte(tt.body), m)
			if tt.wantErr != "" {
				var ue *usageError
				if err == nil || !asUsage(err, &ue) {
					t.Fatalf("err = %v, want a usage error with %q", err, tt.wantErr)
				}
				if !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %q, want it to contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := s.Question(); got != tt.want {
				t.Errorf("question %q, want %q", got, tt.want)
			}
		})
	}
}

func asUsage(err error, ue **usageError) bool {
	u, ok := err.(*usageError)
	*ue = u
	return ok
}

func TestParseStackFile_Lines(t *testing.T) {
	s, err := parseStackFile("s.yaml", []byte("# stack\non: 2021-09-01\n\nkonvoy: 1.8.2\nkubernetes: 1.20.6\n"), policy.Default())
	if err != nil {
		t.Fatal(err)
	}
	if s.OnLine != 2 || s.line("konvoy") != 4 || s.line("kubernetes") != 5 || s.line("kaptain") != 0 {
		t.Errorf("lines: on %d konvoy %d kubernetes %d kaptain %d", s.OnLine, s.line("konvoy"), s.line("kubernetes"), s.line("kaptain"))
	}
	if got := s.On.Format(time.DateOnly); got != "2021-09-01" {
		t.Errorf("on %s", got)
	}
}

func TestParseWithin(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		bad  bool
	}{
		{"90d", 90 * 24 * time.Hour, false},
		{"12w", 12 * 7 * 24 * time.Hour, false},
		{"2160h", 2160 * time.Hour, false},
		{"1h30m", 90 * time.Minute, false},
		{"0d", 0, true},
		{"-3d", 0, true},
		{"d", 0, true},
		{"90 days", 0, true},
		{"-1h", 0, true},
		{"99999d", 0, true},
	}
	for _, tt := range tests {
		got, err := parseWithin(tt.in)
		if (err != nil) != tt.bad || got != tt.want {
			t.Errorf("parseWithin(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.bad)
		}
	}
}

func TestCheck_ExitStatuses(t *testing.T) {
	tests := []struct {
		name   string
		body   string
		args   []string
		code   int
		stdout string
	}{
		{"supported", "konvoy: 1.8.2\n", nil, exitOK, "PASS"},
		{"unsupported", "konvoy: 1.5.0\n", nil, exitNo, "NOT SUPPORTED"},
		{"unknown", "konvoy: 9.9\n", nil, exitUnknown, "UNKNOWN"},
		{"kommander", "kommander: 1.4.1\n", nil, exitOK, "PASS"},
		{"usage: unknown key", "konvoy: 1.8\nfoo: 1.2\n", nil, exitUsage, ""},
		{"usage: bad format", "konvoy: 1.8\n", []string{"--format", "xml"}, exitUsage, ""},
		{"usage: bad window", "konvoy: 1.8\n", []string{"--warn-within", "soon"}, exitUsage, ""},
	}
	for _, tt := range tests {
		for _, format := range checkFormats {
			t.Run(tt.name+"/"+format, func(t *testing.T) {
				path := writeStack(t, tt.body)
				args := append([]string{"check", "--format", format}, tt.args...)
				code, out, errOut := runCLI(t, nil, append(args, path)...)
				if code != tt.code {
					t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, out, errOut)
				}
				if code == exitUsage {
					if errOut == "" || out != "" {
						t.Errorf("a usage error says what is wrong on stderr only; stdout %q stderr %q", out, errOut)
					}
					return
				}
				if format == "text" && !strings.Contains(out, tt.stdout) {
					t.Errorf("text lacks %q:\n%s", tt.stdout, out)
				}
				checkFormatShape(t, format, out, code)
			})
		}
	}
	t.Run("flags after the file", func(t *testing.T) {
		code, out, errOut := runCLI(t, nil, "check", writeStack(t, "konvoy: 1.5.0\n"), "--format", "json")
		if code != exitNo || !strings.Contains(out, `"exit_code": 1`) {
			t.Errorf("exit %d\n%s%s", code, out, errOut)
		}
		if code, _, _ := runCLI(t, nil, "check", writeStack(t, "konvoy: 1.8\n"), writeStack(t, "konvoy: 1.8\n")); code != exitUsage {
			t.Errorf("two files: exit %d, want 2", code)
		}
	})
	t.Run("no file", func(t *testing.T) {
		if code, _, _ := runCLI(t, nil, "check"); code != exitUsage {
			t.Errorf("exit %d, want 2", code)
		}
		if code, _, errOut := runCLI(t, nil, "check", filepath.Join(t.TempDir(), "missing.yaml")); code != exitUsage || !strings.Contains(errOut, "missing.yaml") {
			t.Errorf("exit %d, stderr %q", code, errOut)
		}
	})
}

// checkFormatShape checks what each format must hold whatever the verdict.
func checkFormatShape(t *testing.T, format, out string, code int) {
	t.Helper()
	switch format {
	case "json":
		var got struct {
			Query    string    `json:"query"`
			Verdict  string    `json:"verdict"`
			AsOf     string    `json:"as_of"`
			Result   string    `json:"result"`
			ExitCode int       `json:"exit_code"`
			Findings []finding `json:"findings"`
		}
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("json: %v\n%s", err, out)
		}
		if got.ExitCode != code || got.Query == "" || got.Verdict == "" || got.AsOf == "" || len(got.Findings) == 0 {
			t.Errorf("json lacks the answer or the findings: %+v", got)
		}
	case "markdown":
		if !strings.HasPrefix(out, "## ") || !strings.Contains(out, "|---|---|") {
			t.Errorf("markdown has no heading or table:\n%s", out)
		}
	case "sarif":
		results := validateSARIF(t, []byte(out))
		if code != exitOK && len(results) == 0 {
			t.Errorf("a failed or unknown check has no SARIF result:\n%s", out)
		}
		if code == exitOK && len(results) != 0 {
			t.Errorf("a passing check without announced ends has results:\n%s", out)
		}
	}
}

// sarifSchemaFile is the SARIF 2.1.0 JSON schema (OASIS, errata 01, id
// https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json),
// as github.com/owenrumney/go-sarif/v3 v3.3.1 ships it (public domain), whose
// copy corrects the run.language pattern's stray bracket. See testdata/README.md.
const sarifSchemaFile = "testdata/sarif-schema-2.1.0.json"

// sarifResultView is what the tests read of a SARIF result.
type sarifResultView struct {
	RuleID    string `json:"ruleId"`
	Level     string `json:"level"`
	Locations []struct {
		PhysicalLocation struct {
			ArtifactLocation struct {
				URI string `json:"uri"`
			} `json:"artifactLocation"`
			Region struct {
				StartLine int `json:"startLine"`
			} `json:"region"`
		} `json:"physicalLocation"`
	} `json:"locations"`
}

// validateSARIF validates a SARIF log against the SARIF 2.1.0 JSON schema
// and returns its results.
func validateSARIF(t *testing.T, data []byte) []sarifResultView {
	t.Helper()
	c := jsonschema.NewCompiler()
	sch, err := c.Compile(sarifSchemaFile)
	if err != nil {
		t.Fatalf("compile the SARIF schema: %v", err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("sarif is not JSON: %v\n%s", err, data)
	}
	if err := sch.Validate(doc); err != nil {
		t.Fatalf("SARIF fails the 2.1.0 schema: %v\n%s", err, data)
	}
	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Results []sarifResultView `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatal(err)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 {
		t.Fatalf("version %q, %d runs; want 2.1.0 and one run", log.Version, len(log.Runs))
	}
	for _, r := range log.Runs[0].Results {
		if len(r.Locations) != 1 {
			t.Fatalf("result %s has %d locations, want 1", r.RuleID, len(r.Locations))
		}
	}
	return log.Runs[0].Results
}

func TestSARIFSchema_RejectsBadLogs(t *testing.T) {
	// The validation can fail: a result without a message, and a level SARIF does not have.
	for _, bad := range []string{
		`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"ruleId":"a"}]}]}`,
		`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"ruleId":"a","level":"fatal","message":{"text":"m"}}]}]}`,
	} {
		sch, err := jsonschema.NewCompiler().Compile(sarifSchemaFile)
		if err != nil {
			t.Fatal(err)
		}
		doc, _ := jsonschema.UnmarshalJSON(strings.NewReader(bad))
		if sch.Validate(doc) == nil {
			t.Errorf("the schema accepts %s", bad)
		}
	}
}

func TestCheck_SARIFLocations(t *testing.T) {
	path := writeStack(t, "# our cluster\nkonvoy: 1.5.0\n\nkommander: 1.2.0\n")
	code, out, errOut := runCLI(t, nil, "check", "--format", "sarif", path)
	if code != exitNo && code != exitUnknown {
		t.Fatalf("exit %d, want 1 or 3 for Konvoy 1.5\n%s%s", code, out, errOut)
	}
	results := validateSARIF(t, []byte(out))
	lines := map[int]bool{}
	for _, r := range results {
		if !strings.HasPrefix(r.RuleID, "supportbot/") {
			t.Errorf("result without a supportbot rule id: %+v", r)
		}
		if !strings.Contains("error warning note", r.Level) || r.Level == "" {
			t.Errorf("level %v", r.Level)
		}
		loc := r.Locations[0].PhysicalLocation
		if !strings.HasSuffix(loc.ArtifactLocation.URI, "stack.yaml") {
			t.Errorf("uri %s", loc.ArtifactLocation.URI)
		}
		lines[loc.Region.StartLine] = true
	}
	if !lines[2] && !lines[4] {
		t.Errorf("no result located at a product's line (2 or 4): %v\n%s", lines, out)
	}
	for l := range lines {
		if l != 2 && l != 4 {
			t.Errorf("a result at line %d, which names no product", l)
		}
	}
}

func TestCheck_RuleIDsStable(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range sarifRules {
		if seen[r.ID] {
			t.Errorf("rule %s twice", r.ID)
		}
		seen[r.ID] = true
	}
	for _, id := range []string{"supportbot/status", "supportbot/pairing", "supportbot/platform", "supportbot/kubernetes", ruleEndsWithin} {
		if !seen[id] {
			t.Errorf("rule %s is not declared", id)
		}
	}
}

func TestCheck_WarnWithin(t *testing.T) {
	today := time.Now().UTC().Truncate(24 * time.Hour)
	env := policyWithUpcoming(t, today.AddDate(0, 0, 30))
	path := writeStack(t, "konvoy: 1.6.3\nkommander: 1.2.0\n")
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"within 90d", []string{"--warn-within", "90d"}, exitNo, "ends when Konvoy 1.9 is released"},
		{"within 12w", []string{"--warn-within", "12w"}, exitNo, "within 84 days"},
		{"not within 7d", []string{"--warn-within", "7d"}, -1, "ends when Konvoy 1.9 is released"},
		{"no window", nil, -1, "ends when Konvoy 1.9 is released"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append(append([]string{"check"}, tt.args...), path)
			code, out, errOut := runCLI(t, env, args...)
			if tt.code >= 0 && code != tt.code || tt.code < 0 && code == exitNo && strings.Contains(out, "FAILS") {
				t.Fatalf("exit %d, want %d\n%s%s", code, tt.code, out, errOut)
			}
			if !strings.Contains(out, tt.want) {
				t.Errorf("output lacks %q:\n%s", tt.want, out)
			}
		})
	}
	t.Run("kommander follows konvoy", func(t *testing.T) {
		code, out, _ := runCLI(t, env, "check", "--format", "json", "--warn-within", "90d", writeStack(t, "kommander: 1.2.0\n"))
		if code != exitNo || !strings.Contains(out, `"rule_id": "supportbot/support-ends-within"`) {
			t.Errorf("exit %d:\n%s", code, out)
		}
	})
	t.Run("sarif levels", func(t *testing.T) {
		_, out, _ := runCLI(t, env, "check", "--format", "sarif", writeStack(t, "konvoy: 1.6.3\n"))
		results := validateSARIF(t, []byte(out))
		if len(results) != 1 || results[0].Level != "note" || results[0].RuleID != ruleEndsLater {
			t.Errorf("an announced end outside any window is one note:\n%s", out)
		}
		_, out, _ = runCLI(t, env, "check", "--format", "sarif", "--warn-within", "90d", writeStack(t, "konvoy: 1.6.3\n"))
		results = validateSARIF(t, []byte(out))
		if len(results) != 1 || results[0].Level != "error" || results[0].RuleID != ruleEndsWithin {
			t.Errorf("an end within the window is one error:\n%s", out)
		}
	})
}

func TestCheck_Markdown(t *testing.T) {
	r := stackReport{
		File: "st`ack.yaml",
		Answer: policy.Answer{
			Summary: "No | <!channel> *bold*",
			AsOf:    "2021-06-01",
		},
		Findings: []finding{
			{RuleID: "supportbot/status", Subjects: []string{"konvoy"}, Intent: policy.IntentStatus, Verdict: policy.VerdictUnsupported, Summary: "a | b\nc <!channel> *bold*", Line: 2},
			{RuleID: ruleEndsWithin, Subjects: []string{"konvoy"}, Intent: policy.IntentStatus, Verdict: policy.VerdictInfo, Summary: "soon", Line: 2, Fails: true},
		},
		Exit: exitNo,
	}
	var b bytes.Buffer
	if err := writeReport(&b, "markdown", r); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if n := strings.Count(out, "|---|---|"); n != 2 {
		t.Errorf("%d tables, want one per finding (2):\n%s", n, out)
	}
	for _, want := range []string{"a \\| b c \\<!channel\\> \\*bold\\*", "`st'ack.yaml`", "**FAILS**", ": fail", "2 checked: 2 fail, 0 unknown"} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q:\n%s", want, out)
		}
	}
}

func BenchmarkCheck_FourProducts(b *testing.B) {
	m := policy.Default()
	s, err := parseStackFile("stack.yaml", []byte("konvoy: 1.8.2\nkommander: 1.4.1\nkaptain: 1.3.0\nkubernetes: 1.20.6\n"), m)
	if err != nil {
		b.Fatal(err)
	}
	opts := checkOptions{Now: time.Now}
	b.ReportAllocs()
	for b.Loop() {
		r := checkStack(m, s, opts)
		if len(r.Findings) == 0 {
			b.Fatal("no findings")
		}
	}
}

// TestCheck_OneQuestion: the four-product stack is one question, answered
// part by part; each finding sits at the line of its first subject.
func TestCheck_OneQuestion(t *testing.T) {
	path := writeStack(t, "konvoy: 1.8.2\nkommander: 1.4.1\nkaptain: 1.3.0\nkubernetes: 1.20.6\n")
	code, out, errOut := runCLI(t, nil, "check", "--format", "json", path)
	if code != exitOK {
		t.Fatalf("exit %d, want 0\n%s%s", code, out, errOut)
	}
	var got reportJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if got.Query != "konvoy 1.8.2 kommander 1.4.1 kaptain 1.3.0 kubernetes 1.20.6" || len(got.Parts) == 0 || len(got.Findings) != len(got.Parts) {
		t.Fatalf("query %q, %d parts, %d findings: want one finding per part", got.Query, len(got.Parts), len(got.Findings))
	}
	lines := map[string]int{"konvoy": 1, "kommander": 2, "kaptain": 3, "kubernetes": 4}
	seen := map[string]bool{}
	for _, f := range got.Findings {
		if len(f.Subjects) == 0 || f.Line != lines[f.Subjects[0]] {
			t.Errorf("finding %+v is not at its first subject's line", f)
		}
		for _, s := range f.Subjects {
			seen[s] = true
		}
	}
	for id := range lines {
		if !seen[id] {
			t.Errorf("no finding covers %s", id)
		}
	}
	_, out, _ = runCLI(t, nil, "check", "--format", "sarif", path)
	if results := validateSARIF(t, []byte(out)); len(results) != 0 {
		t.Errorf("a passing stack has SARIF results: %+v", results)
	}
}

// TestCheck_On: a day the policy holds no history for is unknown, not today's answer.
func TestCheck_On(t *testing.T) {
	code, out, _ := runCLI(t, nil, "check", writeStack(t, "on: 2001-01-01\nkonvoy: 1.8.2\n"))
	if code != exitUnknown || !strings.Contains(out, "2001-01-01") {
		t.Errorf("exit %d, want 3 naming the day:\n%s", code, out)
	}
}

// TestPartFindings_Gaps: products no part covers and words the policy did
// not place make an unknown finding, so the check cannot pass.
func TestPartFindings_Gaps(t *testing.T) {
	s, err := parseStackFile("s.yaml", []byte("konvoy: 1.8.2\nkaptain: 1.3.0\n"), policy.Default())
	if err != nil {
		t.Fatal(err)
	}
	a := policy.Answer{
		Verdict: policy.VerdictSupported, NotUnderstood: []string{"frobnicate"},
		Parts: []policy.Part{{Subjects: []string{"konvoy"}, Intent: policy.IntentStatus, Verdict: policy.VerdictSupported, Summary: "ok"}},
	}
	fs := partFindings(a, s)
	if len(fs) != 3 {
		t.Fatalf("%d findings, want the part, the uncovered kaptain and the unplaced word: %+v", len(fs), fs)
	}
	if fs[1].Verdict != policy.VerdictUnknown || fs[1].Line != 2 || !strings.Contains(fs[1].Summary, "kaptain 1.3.0") {
		t.Errorf("uncovered product: %+v", fs[1])
	}
	if fs[2].Verdict != policy.VerdictUnknown || !strings.Contains(fs[2].Summary, "frobnicate") {
		t.Errorf("unplaced word: %+v", fs[2])
	}
	r := stackReport{Answer: a, Findings: fs}
	for _, f := range fs {
		r.Exit = worseExit(r.Exit, f.Verdict.ExitCode())
	}
	if r.Exit != exitUnknown {
		t.Errorf("exit %d, want 3", r.Exit)
	}
}

// BenchmarkCheck_Report is check's own share of a check: the findings and
// the support ends drawn from an answer already evaluated, and the SARIF.
func BenchmarkCheck_Report(b *testing.B) {
	m := policy.Default()
	s, err := parseStackFile("stack.yaml", []byte("konvoy: 1.8.2\nkommander: 1.4.1\nkaptain: 1.3.0\nkubernetes: 1.20.6\n"), m)
	if err != nil {
		b.Fatal(err)
	}
	opts := checkOptions{Now: time.Now, WarnWithin: 90 * 24 * time.Hour}
	a := askStack(m, s, opts.Now)
	b.ReportAllocs()
	for b.Loop() {
		fs := append(partFindings(a, s), endFindings(m, s, opts)...)
		if len(fs) == 0 {
			b.Fatal("no findings")
		}
		_ = reportSARIF(stackReport{File: s.Path, Answer: a, Findings: fs})
	}
}

// TestCheck_EveryStatus: a pairing that holds does not pass a stack whose
// versions had lost support that day; every product's status is checked.
func TestCheck_EveryStatus(t *testing.T) {
	env := map[string]string{"SUPPORTBOT_POLICY_FILE": filepath.Join("..", "..", "deploy", "policies", "d2iq-history.yaml")}
	code, out, errOut := runCLI(t, env, "check", "--format", "json", writeStack(t, "on: 2022-01-01\nkonvoy: 1.6.1\nkommander: 1.2.0\n"))
	if code != exitNo {
		t.Fatalf("exit %d, want 1: Konvoy 1.6 lost support on 2021-08-26\n%s%s", code, out, errOut)
	}
	var got reportJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	status := map[string]policy.Verdict{}
	for _, f := range got.Findings {
		if f.Intent == policy.IntentStatus && len(f.Subjects) == 1 {
			status[f.Subjects[0]] = f.Verdict
		}
	}
	if status["konvoy"] != policy.VerdictUnsupported || status["kommander"] != policy.VerdictUnsupported {
		t.Errorf("statuses %v, want both unsupported:\n%s", status, out)
	}
	code, _, _ = runCLI(t, env, "check", writeStack(t, "on: 2021-03-01\nkonvoy: 1.6.1\nkommander: 1.2.0\n"))
	if code != exitOK {
		t.Errorf("exit %d on 2021-03-01, when both were supported; want 0", code)
	}
}
