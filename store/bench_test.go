package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// benchQuery is a typical logged question.
var benchQuery = Query{
	Team:    "T024BE7LD",
	Channel: "C0123456789",
	User:    "U0123456789",
	Source:  "slash",
	Text:    "is konvoy 1.6 still supported?",
	Intent:  "status",
	Verdict: "unsupported",
	Product: "konvoy",
	Version: "1.6",
	Latency: 1500 * time.Microsecond,
}

// BenchmarkDB_LogQuery logs b.N queries, fsync on, shared among 1, 8 and 64
// concurrent writers. It reports throughput, the p50 and p99 latency of a
// LogQuery call as its caller sees it, queries per commit, and the growth of
// the data in the file per 100k queries.
func BenchmarkDB_LogQuery(b *testing.B) {
	for _, writers := range []int{1, 8, 64} {
		b.Run(fmt.Sprintf("writers=%d", writers), func(b *testing.B) {
			db := MustOpenWith(b, filepath.Join(b.TempDir(), "bench.db"), Options{})
			size0 := dataSize(b, db)
			lat := make([][]time.Duration, writers)
			var next atomic.Int64
			var wg sync.WaitGroup
			ctx := context.Background()
			b.ResetTimer()
			start := time.Now()
			for w := range writers {
				wg.Go(func() {
					for next.Add(1) <= int64(b.N) {
						t0 := time.Now()
						if _, err := db.LogQuery(ctx, benchQuery); err != nil {
							b.Error(err)
							return
						}
						lat[w] = append(lat[w], time.Since(t0))
					}
				})
			}
			wg.Wait()
			elapsed := time.Since(start)
			b.StopTimer()

			all := slices.Concat(lat...)
			slices.Sort(all)
			pct := func(p int) float64 { return float64(all[(len(all)-1)*p/100].Microseconds()) }
			b.ReportMetric(float64(b.N)/elapsed.Seconds(), "queries/s")
			b.ReportMetric(pct(50), "p50-us")
			b.ReportMetric(pct(99), "p99-us")
			b.ReportMetric(float64(b.N)/float64(db.Commits()), "queries/commit")
			b.ReportMetric(float64(dataSize(b, db)-size0)/float64(b.N)*100_000, "bytes/100k")
		})
	}
}

// BenchmarkDB_FileSize logs 100k queries per iteration, fsync off, and
// reports the size of the resulting file and of the data in it.
func BenchmarkDB_FileSize(b *testing.B) {
	const n = 100_000
	for b.Loop() {
		db := MustOpenWith(b, filepath.Join(b.TempDir(), "size.db"), Options{NoSync: true})
		var next atomic.Int64
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				q := benchQuery
				for i := next.Add(1); i <= n; i = next.Add(1) {
					q.Text = fmt.Sprintf("is konvoy 1.%d still supported?", i%10)
					if _, err := db.LogQuery(context.Background(), q); err != nil {
						b.Error(err)
						return
					}
				}
			})
		}
		wg.Wait()
		fi, err := os.Stat(db.Path())
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(fi.Size()), "file-bytes/100k")
		b.ReportMetric(float64(dataSize(b, db)), "data-bytes/100k")
		var buf countWriter
		if _, err := db.Backup(&buf); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(buf), "backup-bytes/100k")
	}
}

// dataSize returns the size of the data in db's file: the pages up to the
// high-water mark, whether in use or free. The file itself is larger,
// because bbolt grows it ahead in steps.
func dataSize(tb testing.TB, db *DB) int64 {
	tb.Helper()
	var n int64
	if err := db.view(func(tx *bolt.Tx) error { n = tx.Size(); return nil }); err != nil {
		tb.Fatal(err)
	}
	return n
}

type countWriter int64

func (w *countWriter) Write(p []byte) (int, error) {
	*w += countWriter(len(p))
	return len(p), nil
}
