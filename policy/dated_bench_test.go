package policy_test

import (
	"os"
	"testing"
	"time"

	"github.com/d2iq/supportbot/policy"
)

const dtHistoryFile = "../deploy/policies/d2iq-history.yaml"

func dtHistoryBytes(b *testing.B) []byte {
	data, err := os.ReadFile(dtHistoryFile)
	if err != nil {
		b.Fatalf("the history policy must be readable from the repository root: %v", err)
	}
	return data
}

// BenchmarkParse_History loads the full 2020-2022 history (target: <= 20 ms).
func BenchmarkParse_History(b *testing.B) {
	data := dtHistoryBytes(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := policy.Parse("history", data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkModel_AskAt answers a status question as the history stood on
// a day (target: <= 10 µs typical).
func BenchmarkModel_AskAt(b *testing.B) {
	m, err := policy.Parse("history", dtHistoryBytes(b))
	if err != nil {
		b.Fatal(err)
	}
	on := time.Date(2021, 9, 1, 0, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		if a := m.At(on).Ask("konvoy 1.6"); a.Verdict != policy.VerdictUnsupported {
			b.Fatal(a.Summary)
		}
	}
}

// BenchmarkModel_At finds the view of a day.
func BenchmarkModel_At(b *testing.B) {
	m, err := policy.Parse("history", dtHistoryBytes(b))
	if err != nil {
		b.Fatal(err)
	}
	on := time.Date(2021, 9, 1, 0, 0, 0, 0, time.UTC)
	for b.Loop() {
		_ = m.At(on)
	}
}
