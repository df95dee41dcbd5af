package policy_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/d2iq/supportbot/policy"
)

const minimal = `as_of: 2021-06-01
sources:
  - id: konvoy-policy
    title: Konvoy Version Support Policy
products:
  konvoy:
    name: Konvoy
    support: {rule: n-minus, n: 2, source: "konvoy-policy#Version Support Policy"}
    releases:
      - cycle: "1.8"
        released: 2021-05-04
      - cycle: "1.7"
      - cycle: "1.6"
    upcoming:
      - cycle: "1.9"
        expected: 2021-09-01
`

func TestParse_Errors(t *testing.T) {
	tests := []struct {
		name  string
		yaml  string
		line  int
		field string
		msg   string
	}{
		{"unknown field", strings.Replace(minimal, "    name: Konvoy\n", "    name: Konvoy\n    colour: red\n", 1), 8, "products.konvoy.colour", "unknown field"},
		{"unknown top field", minimal + "extra: 1\n", 17, "extra", "unknown field"},
		{"duplicate cycle", strings.Replace(minimal, `- cycle: "1.6"`, `- cycle: "1.7"`, 1), 13, "products.konvoy.releases[2].cycle", "duplicate cycle 1.7"},
		{"malformed cycle", strings.Replace(minimal, `- cycle: "1.6"`, `- cycle: "one.six"`, 1), 13, "products.konvoy.releases[2].cycle", "not a MAJOR.MINOR"},
		{"patch as cycle", strings.Replace(minimal, `- cycle: "1.6"`, `- cycle: "1.6.2"`, 1), 13, "products.konvoy.releases[2].cycle", "not a MAJOR.MINOR cycle"},
		{"bad date", strings.Replace(minimal, "released: 2021-05-04", "released: May 4th", 1), 11, "products.konvoy.releases[0].released", "not a date"},
		{"no releases", strings.Replace(minimal, "    releases:\n      - cycle: \"1.8\"\n        released: 2021-05-04\n      - cycle: \"1.7\"\n      - cycle: \"1.6\"\n", "    releases: []\n", 1), 9, "products.konvoy.releases", "has no releases"},
		{"missing as_of", strings.Replace(minimal, "as_of: 2021-06-01\n", "", 1), 1, "as_of", "as_of is required"},
		{"unknown source", strings.Replace(minimal, `source: "konvoy-policy#`, `source: "nowhere#`, 1), 8, "products.konvoy.support.source", "unknown source \"nowhere\""},
		{"unknown rule", strings.Replace(minimal, "rule: n-minus", "rule: forever", 1), 8, "products.konvoy.support.rule", "unknown rule"},
		{"old upcoming", strings.Replace(minimal, `- cycle: "1.9"`, `- cycle: "1.5"`, 1), 15, "products.konvoy.upcoming[0].cycle", "older than the latest release"},
		{"pairing unknown release", minimal + `  kommander:
    name: Kommander
    support: {rule: with, product: konvoy, source: "konvoy-policy#Supported Kommander Versions"}
    releases:
      - cycle: "1.4"
        pairs_with: "1.8"
      - cycle: "1.3"
        pairs_with: "1.5"
`, 24, "products.kommander.releases[1].pairs_with", "Konvoy 1.5 is not a release"},
		{"pairing missing", minimal + `  kommander:
    name: Kommander
    support: {rule: with, product: konvoy, source: "konvoy-policy#Supported Kommander Versions"}
    releases:
      - cycle: "1.4"
`, 21, "products.kommander.releases[0].pairs_with", "needs pairs_with"},
		{"with unknown product", minimal + `  kommander:
    name: Kommander
    support: {rule: with, product: konvoi, source: "konvoy-policy#Supported Kommander Versions"}
    releases:
      - cycle: "1.4"
        pairs_with: "1.8"
`, 19, "products.kommander.support.product", "konvoi"},
		{"alias taken", strings.Replace(minimal, "    name: Konvoy\n", "    name: Konvoy\n    aliases: [konvoy]\n", 1), 8, "products.konvoy.aliases[0]", "already names konvoy"},
		{"reserved id", minimal + "  istio:\n    name: Istio\n    releases: [{cycle: \"1.9\"}]\n", 17, "products.istio", "reserved"},
		{"bad kubernetes range", strings.Replace(minimal, "        released: 2021-05-04\n", "        kubernetes: {min: \"1.20\", max: \"1.18\", source: \"konvoy-policy#K\"}\n", 1), 11, "products.konvoy.releases[0].kubernetes.max", "older than min"},
		{"wrong type", strings.Replace(minimal, "n: 2", "n: two", 1), 8, "products.konvoy.support.n", "cannot unmarshal"},
		{"wrong type in a list", strings.Replace(minimal, `- cycle: "1.7"`, `- cycle: ["1.7"]`, 1), 12, "products.konvoy.releases[1].cycle", "cannot unmarshal"},
		{"syntax", "as_of: [\n", 0, "", ""},
		{"empty", "", 0, "", "empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := policy.Parse("test.yaml", []byte(tt.yaml))
			if err == nil {
				t.Fatal("Parse accepted a bad file")
			}
			msg := err.Error()
			if !strings.Contains(msg, "policy test.yaml") {
				t.Errorf("error does not name the file: %s", msg)
			}
			if !strings.Contains(msg, tt.msg) {
				t.Errorf("error %q lacks %q", msg, tt.msg)
			}
			var pe *policy.Error
			if !errors.As(err, &pe) {
				t.Fatalf("error is not a *policy.Error: %T %v", err, err)
			}
			if tt.line > 0 && pe.Line != tt.line {
				t.Errorf("line = %d, want %d (%s)", pe.Line, tt.line, msg)
			}
			if tt.field != "" && pe.Field != tt.field {
				t.Errorf("field = %q, want %q (%s)", pe.Field, tt.field, msg)
			}
		})
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "policy.yaml")
	if err := os.WriteFile(path, []byte(minimal), 0o600); err != nil {
		t.Fatal(err)
	}
	m, err := policy.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Ask("konvoy 1.6").Verdict; got != policy.VerdictSupported {
		t.Errorf("konvoy 1.6 = %s", got)
	}
	if _, err := policy.Load(filepath.Join(dir, "missing.yaml")); err == nil || !strings.Contains(err.Error(), "missing.yaml") {
		t.Errorf("Load(missing) = %v", err)
	}
}

// TestDump_RoundTrip checks that `policy dump` output is accepted by `policy check`
// and answers the same.
func TestDump_RoundTrip(t *testing.T) {
	m := policy.Default()
	var buf bytes.Buffer
	if err := m.Dump(&buf); err != nil {
		t.Fatal(err)
	}
	m2, err := policy.Parse("dump.yaml", buf.Bytes())
	if err != nil {
		t.Fatalf("dump does not load: %v\n%s", err, buf.String())
	}
	for _, f := range policy.Grammar() {
		a, b := m.Ask(f.Example), m2.Ask(f.Example)
		if a.Summary != b.Summary || len(a.Details) != len(b.Details) {
			t.Errorf("%q: %q != %q", f.Example, a.Summary, b.Summary)
		}
	}
	for _, want := range []string{"as_of:", "cycle:", "releases:", "upcoming:"} {
		if want == "upcoming:" {
			continue // the default policy announces no release
		}
		if !strings.Contains(buf.String(), want) {
			t.Errorf("dump lacks %q", want)
		}
	}
}

// TestModel_PolicyChange: a new release moves the N-2 window, across a major bump too.
func TestModel_PolicyChange(t *testing.T) {
	with19 := strings.Replace(minimal, "    releases:\n", "    releases:\n      - cycle: \"1.9\"\n", 1)
	with19 = strings.Replace(with19, "    upcoming:\n      - cycle: \"1.9\"\n        expected: 2021-09-01\n", "", 1)
	m, err := policy.Parse("1.9", []byte(with19))
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Ask("konvoy 1.6").Verdict; got != policy.VerdictUnsupported {
		t.Errorf("after 1.9: konvoy 1.6 = %s, want unsupported", got)
	}
	if got := m.Ask("konvoy 1.9.0").Verdict; got != policy.VerdictSupported {
		t.Errorf("after 1.9: konvoy 1.9 = %s, want supported", got)
	}

	major := strings.Replace(with19, `- cycle: "1.9"`, `- cycle: "2.0"`, 1)
	m, err = policy.Parse("2.0", []byte(major))
	if err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string]policy.Verdict{
		"konvoy 2.0": policy.VerdictSupported, "konvoy 1.8": policy.VerdictSupported,
		"konvoy 1.7": policy.VerdictSupported, "konvoy 1.6": policy.VerdictUnsupported,
		"konvoy 1.10": policy.VerdictUnknown, "konvoy 2.1": policy.VerdictUnknown,
	} {
		if got := m.Ask(q).Verdict; got != want {
			t.Errorf("after 2.0: %s = %s, want %s", q, got, want)
		}
	}

	// An announced release: still unknown until released, and it plans 1.6's end.
	m, err = policy.Parse("upcoming", []byte(minimal))
	if err != nil {
		t.Fatal(err)
	}
	a := m.Ask("konvoy 1.9")
	if a.Verdict != policy.VerdictUnknown || !strings.Contains(a.Summary, "announced") || !strings.Contains(a.Summary, "2021-09-01") {
		t.Errorf("upcoming 1.9: %s %q", a.Verdict, a.Summary)
	}
	ex := m.Expiries()
	if len(ex) != 1 || ex[0].Ends.String() != "1.6" || ex[0].Next.String() != "1.9" || ex[0].Expected.Format("2006-01-02") != "2021-09-01" {
		t.Errorf("Expiries = %+v", ex)
	}
	a = m.Ask("konvoy 1.6")
	if !strings.Contains(a.Text(), "Support ends when Konvoy 1.9 is released (expected 2021-09-01)") {
		t.Errorf("konvoy 1.6 answer lacks the planned end:\n%s", a.Text())
	}
}

func TestDefault_Valid(t *testing.T) {
	if _, err := policy.Parse("default.yaml", policy.DefaultYAML()); err != nil {
		t.Fatal(err)
	}
}

func TestParseVersion(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"1.8", "1.8", true}, {"v1.8", "1.8", true}, {"1.8.x", "1.8", true}, {"1.8.3", "1.8.3", true},
		{"V1.8.3", "1.8.3", true}, {"1.80", "1.80", true}, {"1.8.3-rc.1", "1.8.3", true},
		{"1", "", false}, {"1.", "", false}, {"one.two", "", false}, {"1.8.3.4", "", false}, {"", "", false},
	}
	for _, tt := range tests {
		v, err := policy.ParseVersion(tt.in)
		if (err == nil) != tt.ok || tt.ok && v.String() != tt.want {
			t.Errorf("ParseVersion(%q) = %v, %v; want %q ok=%v", tt.in, v, err, tt.want, tt.ok)
		}
	}
	a, _ := policy.ParseVersion("1.80")
	b, _ := policy.ParseVersion("1.8")
	if a.Cycle == b.Cycle || a.Cycle.Compare(b.Cycle) <= 0 {
		t.Errorf("1.80 must be a later cycle than 1.8")
	}
}

func TestParseKBATag(t *testing.T) {
	tag, err := policy.ParseKBATag("stable-1.20-4.0.0")
	if err != nil || tag.Channel != "stable" || tag.Kubernetes.String() != "1.20" || tag.KBA != "4.0.0" {
		t.Errorf("ParseKBATag = %+v, %v", tag, err)
	}
	for _, bad := range []string{"stable-1.20", "1.20-4.0.0", "stable-1.20-4.0", "stable-1-4.0.0", "stable_1.20_4.0.0"} {
		if _, err := policy.ParseKBATag(bad); err == nil {
			t.Errorf("ParseKBATag(%q) accepted", bad)
		}
	}
}

func TestLoad_SchemaExample(t *testing.T) {
	m, err := policy.Load(filepath.Join("testdata", "schema-example.yaml"))
	if err != nil {
		t.Fatalf("the schema example must load: %v", err)
	}
	if _, ok := m.Product("kaptain"); !ok {
		t.Fatal("schema example: no kaptain")
	}
}

func TestParse_HistoryFields(t *testing.T) {
	m, err := policy.Parse("h.yaml", []byte(`as_of: 2022-06-01
sources: [{id: s, title: S}]
products:
  konvoy:
    name: Konvoy
    support: {rule: n-minus, n: 2, source: "s#S"}
    releases:
      - cycle: "1.7"
        released: 2021-02-10
        kubernetes: {min: "1.16", max: "1.18", default: "1.19.3", as_printed: true, source: "s#Index"}
        kubernetes_also: [{min: "1.16", max: "1.18", default: "1.18.13", stated_for: "1.7.0-beta.0", source: "s#Beta"}]
        patches:
          - {version: "1.7.0-beta.0", released: 2020-12-21, source: "s#Beta"}
          - {version: "1.7.0", released: 2021-02-10, source: "s#GA"}
    upcoming:
      - cycle: "2.3"
        kubernetes: [{min: "1.21.0", max: "1.23", default: "1.23.0", source: "s#Draft"}]
scope:
  areas:
    - {id: secondary, name: Secondary Support, definition: "Secondary support covers platform applications.", source: "s#Def", rows: []}
istio: {statements: [Istio is a prerequisite.], source: "s#I", sources: ["s#I2"]}
`))
	if err != nil {
		t.Fatal(err)
	}
	konvoy, _ := m.Product("konvoy")
	lc, _ := konvoy.Lifecycle(policy.Cycle{Major: 1, Minor: 7})
	if lc.LatestPatch == nil || lc.LatestPatch.Label() != "1.7.0" {
		t.Errorf("latest patch = %v, want 1.7.0 (a pre-release never is)", lc.LatestPatch)
	}
	r, _ := konvoy.Release(policy.Cycle{Major: 1, Minor: 7})
	if ks := r.KubeFor(policy.Version{Cycle: r.Cycle}); len(ks) != 1 || ks[0].Default != "1.19.3" {
		t.Errorf("ranges for 1.7 = %d (a pre-release's range counts only for it)", len(ks))
	}
	if a := m.Ask("konvoy 2.3 kubernetes"); !strings.Contains(a.Summary, "1.21.0 to 1.23.x") {
		t.Errorf("upcoming range not answered: %s", a.Summary)
	}
	_, err = policy.Parse("h.yaml", []byte(strings.Replace(`as_of: 2022-06-01
sources: [{id: s, title: S}]
products:
  konvoy:
    name: Konvoy
    releases:
      - cycle: "1.7"
        kubernetes: {min: "1.16", max: "1.18", default: "1.19.3", source: "s#Index"}
`, "", "", 1)))
	if err == nil || !strings.Contains(err.Error(), "as_printed") {
		t.Errorf("a default outside its range without as_printed: %v", err)
	}
}

// TestDump_RoundTripHistory: the dumped history policy loads and answers
// the same at a date.
func TestDump_RoundTripHistory(t *testing.T) {
	m, err := policy.Load(filepath.Join("..", "deploy", "policies", "d2iq-history.yaml"))
	if err != nil {
		t.Fatalf("the history policy must load from the repository root: %v", err)
	}
	var buf bytes.Buffer
	if err := m.Dump(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := policy.Parse("dumped.yaml", buf.Bytes())
	if err != nil {
		t.Fatalf("dumped history does not load: %v", err)
	}
	on := time.Date(2021, 9, 1, 0, 0, 0, 0, time.UTC)
	for _, q := range []string{"konvoy 1.6", "konvoy 1.8 kubernetes", "kommander 2.2", "kaptain 2.0 dkp 2.2"} {
		a, b := m.At(on).Ask(q), back.At(on).Ask(q)
		if a.Verdict != b.Verdict || a.Summary != b.Summary {
			t.Errorf("%q: %s %q, after dump %s %q", q, a.Verdict, a.Summary, b.Verdict, b.Summary)
		}
	}
}

const datedMinimal = `as_of: 2022-06-01
sources: [{id: s, title: S}]
products:
  konvoy:
    name: Konvoy
    support: {rule: n-minus, n: 2, source: "s#S"}
    releases:
      - cycle: "1.8"
        released: 2021-05-05
        patches: [{version: "1.8.3", released: 2021-09-23}]
      - cycle: "1.7"
    stated: [{current: "1.8", supported: ["1.8", "1.7"], source: "s#Stated"}]
  kaptain:
    name: Kaptain
    support: {rule: n-minus, n: 2, source: "s#S"}
    releases:
      - cycle: "2.0"
        platforms: {runs_on: [{product: konvoy, constraint: ">= 1.8.2"}], source: "s#P"}
pairings: [{product: kaptain, cycle: "2.0", with: konvoy, with_cycle: "1.8", source: "s#Pair"}]
upgrades: [{product: konvoy, from: "1.7.x", to: "1.8.x", kind: path, steps: ["1.8.3"], source: "s#U"}]
`

// TestParse_HistoryErrors: the dated-history fields are checked, each
// error naming the line and the field.
func TestParse_HistoryErrors(t *testing.T) {
	if _, err := policy.Parse("ok.yaml", []byte(datedMinimal)); err != nil {
		t.Fatalf("the base file must load: %v", err)
	}
	tests := []struct {
		name, from, to string
		line           int
		field, msg     string
	}{
		{"patch of another cycle", `version: "1.8.3"`, `version: "1.7.3"`, 10, "products.konvoy.releases[0].patches[0].version", "not in cycle 1.8"},
		{"patch without a patch", `version: "1.8.3"`, `version: "1.8"`, 10, "products.konvoy.releases[0].patches[0].version", "not a patch version"},
		{"stated current and after", `current: "1.8",`, `current: "1.8", after: "1.7",`, 12, "products.konvoy.stated[0].after", "not both"},
		{"stated bad cycle", `supported: ["1.8", "1.7"]`, `supported: ["1.8", "seven"]`, 12, "products.konvoy.stated[0].supported[1]", "not a MAJOR.MINOR"},
		{"bad constraint", `constraint: ">= 1.8.2"`, `constraint: ">= one"`, 18, "products.kaptain.releases[0].platforms.runs_on[0].constraint", "not a version constraint"},
		{"pairing unknown product", `with: konvoy,`, `with: konvoi,`, 19, "pairings[0].with", "unknown product"},
		{"upgrade kind", `kind: path`, `kind: sideways`, 20, "upgrades[0].kind", "unknown kind"},
		{"upgrade bad range", `from: "1.7.x"`, `from: "one.seven"`, 20, "upgrades[0].from", "not a version constraint"},
		{"date with no date", `released: 2021-09-23}`, `dates: [{source: "s#D"}]}`, 10, "products.konvoy.releases[0].patches[0].dates[0].date", "date like"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(datedMinimal, tt.from) {
				t.Fatalf("base file lacks %q", tt.from)
			}
			_, err := policy.Parse("test.yaml", []byte(strings.Replace(datedMinimal, tt.from, tt.to, 1)))
			var pe *policy.Error
			if !errors.As(err, &pe) {
				t.Fatalf("error %v is not a *policy.Error", err)
			}
			if pe.Line != tt.line || pe.Field != tt.field || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("got line %d field %q: %v; want line %d field %q with %q", pe.Line, pe.Field, err, tt.line, tt.field, tt.msg)
			}
		})
	}
}
