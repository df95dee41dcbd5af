package policy_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/d2iq/supportbot/policy"
)

// timelinePolicy is Konvoy (n-2) with Kommander following it, Kaptain (n-2)
// with a window that is not full yet, and DKP without a support rule.
// Upcoming entries are filled in per test.
const timelinePolicy = `as_of: 2021-06-01
sources:
  - id: konvoy-policy
    title: Konvoy Version Support Policy
    url: https://example.com/konvoy
products:
  konvoy:
    name: Konvoy
    support: {rule: n-minus, n: 2, source: "konvoy-policy#Version Support Policy"}
    releases: [{cycle: "1.8"}, {cycle: "1.7"}, {cycle: "1.6"}]
    upcoming: [%s]
  kommander:
    name: Kommander
    support: {rule: with, product: konvoy, source: "konvoy-policy#Supported Kommander Versions"}
    releases:
      - {cycle: "1.4", pairs_with: "1.8"}
      - {cycle: "1.3", pairs_with: "1.7"}
      - {cycle: "1.2", pairs_with: "1.6"}
  kaptain:
    name: Kaptain
    support: {rule: n-minus, n: 2, source: "konvoy-policy#Kaptain"}
    releases: [{cycle: "1.3"}, {cycle: "1.2"}]
    upcoming: [%s]
  dkp:
    name: DKP
    releases: [{cycle: "2.1"}]
    upcoming: [{cycle: "2.2", expected: 2021-07-01}]
`

func mustTimeline(t *testing.T, konvoyUpcoming, kaptainUpcoming string) *policy.Model {
	t.Helper()
	m, err := policy.Parse("timeline.yaml", fmt.Appendf(nil, timelinePolicy, konvoyUpcoming, kaptainUpcoming))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// expiryString renders an expiry compactly for comparisons.
func expiryString(e policy.Expiry) string {
	date := "undated"
	if !e.Expected.IsZero() {
		date = e.Expected.Format("2006-01-02")
	}
	var partners []string
	for _, p := range e.Partners {
		partners = append(partners, p.Product+" "+p.Cycle.String())
	}
	return fmt.Sprintf("%s %s ends with %s %s; after %v; partners %v; source %s",
		e.Product, e.Ends, e.Next, date, e.After, partners, e.Source.Section)
}

func TestModel_Expiries(t *testing.T) {
	tests := []struct {
		name            string
		konvoy, kaptain string
		want            []string
	}{
		{
			name: "none announced",
			want: nil,
		},
		{
			name:   "one dated",
			konvoy: `{cycle: "1.9", expected: 2021-09-01}`,
			want:   []string{"konvoy 1.6 ends with 1.9 2021-09-01; after [1.9 1.8 1.7]; partners [kommander 1.2]; source Version Support Policy"},
		},
		{
			name:   "undated",
			konvoy: `{cycle: "1.9"}`,
			want:   []string{"konvoy 1.6 ends with 1.9 undated; after [1.9 1.8 1.7]; partners [kommander 1.2]; source Version Support Policy"},
		},
		{
			name:   "two in a row, listed out of order",
			konvoy: `{cycle: "1.10", expected: 2021-12-01}, {cycle: "1.9", expected: 2021-09-01}`,
			want: []string{
				"konvoy 1.6 ends with 1.9 2021-09-01; after [1.9 1.8 1.7]; partners [kommander 1.2]; source Version Support Policy",
				"konvoy 1.7 ends with 1.10 2021-12-01; after [1.10 1.9 1.8]; partners [kommander 1.3]; source Version Support Policy",
			},
		},
		{
			name:    "window not full grows first",
			kaptain: `{cycle: "1.4", expected: 2021-08-01}, {cycle: "1.5", expected: 2021-10-01}`,
			want:    []string{"kaptain 1.2 ends with 1.5 2021-10-01; after [1.5 1.4 1.3]; partners []; source Kaptain"},
		},
		{
			name:    "dated before undated, soonest first",
			konvoy:  `{cycle: "1.9"}`,
			kaptain: `{cycle: "1.4", expected: 2021-08-01}, {cycle: "1.5", expected: 2021-07-01}`,
			want: []string{
				"kaptain 1.2 ends with 1.5 2021-07-01; after [1.5 1.4 1.3]; partners []; source Kaptain",
				"konvoy 1.6 ends with 1.9 undated; after [1.9 1.8 1.7]; partners [kommander 1.2]; source Version Support Policy",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := mustTimeline(t, tt.konvoy, tt.kaptain)
			var got []string
			for _, e := range m.Expiries() {
				got = append(got, expiryString(e))
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("Expiries =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestModel_ReleasedCycles(t *testing.T) {
	m := mustTimeline(t, "", "")
	got := m.ReleasedCycles()
	want := map[string]string{"konvoy": "1.8 1.7 1.6", "kommander": "1.4 1.3 1.2", "kaptain": "1.3 1.2", "dkp": "2.1"}
	if len(got) != len(want) {
		t.Errorf("ReleasedCycles = %v", got)
	}
	for id, w := range want {
		if g := strings.Join(got[id], " "); g != w {
			t.Errorf("ReleasedCycles[%s] = %q, want %q", id, g, w)
		}
	}
}

func TestModel_NewReleases(t *testing.T) {
	const policyNow = `as_of: 2021-10-01
sources: [{id: src, title: Policy}]
products:
  konvoy:
    name: Konvoy
    support: {rule: n-minus, n: 2, source: "src#Support"}
    releases: [{cycle: "1.10"}, {cycle: "1.9"}, {cycle: "1.8"}, {cycle: "1.7"}, {cycle: "1.6"}, {cycle: "1.5"}]
  kommander:
    name: Kommander
    support: {rule: with, product: konvoy, source: "src#Kommander"}
    releases:
      - {cycle: "1.6", pairs_with: "1.10"}
      - {cycle: "1.5", pairs_with: "1.9"}
      - {cycle: "1.4", pairs_with: "1.8"}
      - {cycle: "1.3", pairs_with: "1.7"}
      - {cycle: "1.2", pairs_with: "1.6"}
  kaptain:
    name: Kaptain
    support: {rule: n-minus, n: 2, source: "src#Kaptain"}
    releases: [{cycle: "1.4"}, {cycle: "1.3"}, {cycle: "1.2"}]
  dkp:
    name: DKP
    releases: [{cycle: "2.2"}, {cycle: "2.1"}]
`
	m, err := policy.Parse("now.yaml", []byte(policyNow))
	if err != nil {
		t.Fatal(err)
	}
	render := func(ns []policy.NewRelease) string {
		var out []string
		for _, n := range ns {
			var partners []string
			for _, p := range n.Partners {
				partners = append(partners, p.Product+" "+p.Cycle.String())
			}
			out = append(out, fmt.Sprintf("%s %s ended %v partners %v supported %v", n.Product, n.Cycle, n.Ended, partners, n.Supported))
		}
		return strings.Join(out, "\n")
	}
	tests := []struct {
		name string
		seen map[string][]string
		want string
	}{
		{"nothing new", m.ReleasedCycles(), ""},
		{"first sighting of every product", map[string][]string{}, ""},
		{
			name: "one release",
			seen: map[string][]string{"konvoy": {"1.9", "1.8", "1.7", "1.6", "1.5"}, "kaptain": {"1.4", "1.3", "1.2"}},
			want: "konvoy 1.10 ended [1.7] partners [kommander 1.3] supported [1.10 1.9 1.8]",
		},
		{
			name: "two releases at once, one after the other",
			seen: map[string][]string{"konvoy": {"1.8", "1.7", "1.6"}, "kaptain": {"1.4", "1.3", "1.2"}},
			want: "konvoy 1.9 ended [1.6] partners [kommander 1.2] supported [1.10 1.9 1.8]\n" +
				"konvoy 1.10 ended [1.7] partners [kommander 1.3] supported [1.10 1.9 1.8]",
		},
		{
			name: "window was not full",
			seen: map[string][]string{"konvoy": {"1.10", "1.9", "1.8"}, "kaptain": {"1.3", "1.2"}},
			want: "kaptain 1.4 ended [] partners [] supported [1.4 1.3 1.2]",
		},
		{
			name: "history filled in below the newest seen is not news",
			seen: map[string][]string{"konvoy": {"1.10", "1.9"}},
			want: "",
		},
		{
			name: "products without an n-minus rule are not announced",
			seen: map[string][]string{"dkp": {"2.1"}, "kommander": {"1.5"}},
			want: "",
		},
		{
			name: "unparsable seen cycles are ignored",
			seen: map[string][]string{"kaptain": {"bogus", "1.3", "1.2", "1.3"}},
			want: "kaptain 1.4 ended [] partners [] supported [1.4 1.3 1.2]",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := render(m.NewReleases(tt.seen)); got != tt.want {
				t.Errorf("NewReleases =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func ExampleModel_Expiries() {
	m, err := policy.Parse("plan.yaml", []byte(`as_of: 2021-06-01
sources: [{id: src, title: My Policy}]
products:
  konvoy:
    name: Konvoy
    support: {rule: n-minus, n: 2, source: "src#Support"}
    releases: [{cycle: "1.8"}, {cycle: "1.7"}, {cycle: "1.6"}]
    upcoming: [{cycle: "1.9", expected: 2021-09-01}]
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range m.Expiries() {
		fmt.Printf("%s %s ends when %s ships, expected %s; then supported: %v\n",
			e.Product, e.Ends, e.Next, e.Expected.Format("2006-01-02"), e.After)
	}
	// Output: konvoy 1.6 ends when 1.9 ships, expected 2021-09-01; then supported: [1.9 1.8 1.7]
}
