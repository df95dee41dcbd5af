package feed_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/d2iq/supportbot/policy"
)

// leadDays are the alarm lead times of the tests.
var leadDays = []int{90, 30, 7, 1, 0}

// remPolicy plans the end of Konvoy 1.6 (and Kommander 1.2) for 2021-09-01,
// when Konvoy 1.9 is expected, and of Kaptain 1.1 at an undated release:
// the reminder tests' fixture.
var remPolicy = readTestPolicy("../testdata/reminders-policy.yaml")

// readTestPolicy reads a policy fixture at package start.
func readTestPolicy(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// datedPolicy has release dates: Konvoy 1.9 (2021-09-01) ended 1.6 and
// Kommander 1.2; 1.10 is expected on 2021-12-15 and will end 1.7; Kaptain
// has no dates; DKP has no support window.
const datedPolicy = `as_of: 2021-10-01
sources:
  - id: konvoy-policy
    title: Konvoy Version Support Policy
    url: https://example.com/konvoy-policy
  - id: notes
    title: Konvoy release notes
    url: https://example.com/notes
products:
  konvoy:
    name: Konvoy
    support: {rule: n-minus, n: 2, source: "konvoy-policy#Version Support Policy"}
    releases:
      - {cycle: "1.9", released: 2021-09-01, source: "notes#1.9"}
      - cycle: "1.8"
        released: 2021-06-01
        patches:
          - {version: "1.8.0", released: 2021-06-01}
          - {version: "1.8.2", released: 2021-08-10, source: "notes#1.8.2"}
      - {cycle: "1.7", released: 2021-03-01}
      - {cycle: "1.6", released: 2020-12-01}
    upcoming: [{cycle: "1.10", expected: 2021-12-15}]
  kommander:
    name: Kommander
    support: {rule: with, product: konvoy, source: "konvoy-policy#Supported Kommander Versions"}
    releases:
      - {cycle: "1.5", pairs_with: "1.9"}
      - {cycle: "1.4", pairs_with: "1.8"}
      - {cycle: "1.3", pairs_with: "1.7"}
      - {cycle: "1.2", pairs_with: "1.6"}
  kaptain:
    name: Kaptain
    support: {rule: n-minus, n: 2, source: "konvoy-policy#Kaptain"}
    releases: [{cycle: "1.3"}, {cycle: "1.2"}, {cycle: "1.1"}, {cycle: "1.0"}]
  dkp:
    name: DKP
    aliases: [d2iq-kubernetes-platform]
    releases: [{cycle: "2.1"}]
`

func remModel(t testing.TB, yaml string) *policy.Model {
	t.Helper()
	m, err := policy.Parse("feed.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func utc(s string) time.Time {
	t, err := time.Parse("2006-01-02 15:04", s)
	if err != nil {
		panic(err)
	}
	return t
}

// historyModel loads the history policy from the repository.
func historyModel(t testing.TB) *policy.Model {
	t.Helper()
	path := filepath.Join("..", "..", "deploy", "policies", "d2iq-history.yaml")
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("the history policy %s is missing: %v", path, err)
	}
	m, err := policy.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return m
}
