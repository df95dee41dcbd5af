package policy_test

import (
	"testing"

	"github.com/d2iq/supportbot/policy"
)

var benchQuestions = []string{
	"is konvoy 1.6 still supported?",
	"can I run Kommander 1.3 on Konvoy 1.8?",
	"konvoy 1.8 kubernetes 1.19.4",
	"kaptain 1.3 konvoy 1.6",
	"kba stable-1.20-4.0.0",
	"scope addons bug fixes",
}

// BenchmarkModel_Ask parses and evaluates a question (target: < 20 µs).
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
