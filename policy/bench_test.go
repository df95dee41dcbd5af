package policy_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/d2iq/supportbot/policy"
)

var benchQuestions = []string{
	"is konvoy 1.6 still supported?",
	"we are upgrading konvoy 1.7 to 1.8, is kommander 1.3 still ok?",
	"konvoy 1.8 on aws",
	"is a cassandra performance issue supported?",
	"can I run Kommander 1.3 on Konvoy 1.8?",
	"konvoy 1.8 kubernetes 1.19.4",
	"kaptain 1.3 konvoy 1.6",
	"kba stable-1.20-4.0.0",
	"scope addons bug fixes",
}

// BenchmarkModel_Ask parses and evaluates a question (target: <= 10 µs).
func BenchmarkModel_Ask(b *testing.B) {
	m := policy.Default()
	for _, q := range benchQuestions {
		b.Run(q, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = m.Ask(q)
			}
		})
	}
}

// BenchmarkModel_Ask_Long reads a 40,000-character Slack message and
// answers the question in it (target: <= 1 ms).
func BenchmarkModel_Ask_Long(b *testing.B) {
	m := policy.Default()
	msg := strings.Repeat("Our customer runs a few *clusters* and <!here> a :tada: Kafka thing, with notes. ", 500)[:39960] + ". Is konvoy 1.5 still supported?"
	if n := utf8.RuneCountInString(msg); n > 40000 {
		b.Fatalf("message is %d characters", n)
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = m.Ask(msg)
	}
}

// BenchmarkAnswer_Text renders an answer for a terminal (target: < 20 µs).
func BenchmarkAnswer_Text(b *testing.B) {
	m := policy.Default()
	for _, q := range []string{"konvoy", "scope addons"} {
		a := m.Ask(q)
		b.Run(q, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = a.Text()
			}
		})
	}
}

// BenchmarkParse_Default loads the embedded default policy (target: < 5 ms).
func BenchmarkParse_Default(b *testing.B) {
	data := policy.DefaultYAML()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := policy.Parse("default", data); err != nil {
			b.Fatal(err)
		}
	}
}
