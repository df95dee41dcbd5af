package store

import (
	"context"
	"fmt"
	"testing"
	"time"
)

func TestDB_PruneQueries(t *testing.T) {
	for _, chunk := range []int{pruneChunk, 7} {
		t.Run(fmt.Sprintf("Chunk%d", chunk), func(t *testing.T) {
			db, clock := MustOpen(t)
			// 100 queries a minute apart: the first at +1m, the last at +100m.
			for i := range 100 {
				clock.Advance(time.Minute)
				mustLog(t, db, Query{Text: fmt.Sprint(i)})
			}
			start := clock.Now().Add(-100 * time.Minute)
			steps := []struct {
				before time.Time
				want   int
				left   int
			}{
				{start, 0, 100},
				{start.Add(time.Minute), 0, 100}, // the first record is at exactly this time: kept
				{start.Add(31 * time.Minute), 30, 70},
				{start.Add(31 * time.Minute), 0, 70},
				{start.Add(24 * time.Hour), 70, 0},
			}
			for _, s := range steps {
				n, err := db.pruneQueries(s.before, chunk)
				if err != nil {
					t.Fatal(err)
				}
				if n != s.want {
					t.Errorf("prune before %s: n = %d, want %d", s.before, n, s.want)
				}
				qs, err := db.Queries(QueryFilter{})
				if err != nil {
					t.Fatal(err)
				}
				if len(qs) != s.left {
					t.Fatalf("after prune before %s: %d left, want %d", s.before, len(qs), s.left)
				}
				for _, q := range qs {
					if q.Time.Before(s.before) {
						t.Errorf("query at %s survived prune before %s", q.Time, s.before)
					}
				}
			}
			if commits := db.Commits(); chunk == 7 && commits < 100+100/7 {
				t.Errorf("commits = %d: pruning did not go in chunks", commits)
			}
			// Sequence numbers are not reused after pruning.
			if seq := mustLog(t, db, Query{}); seq != 101 {
				t.Errorf("seq after prune = %d, want 101", seq)
			}
		})
	}
}

func TestDB_RunRetention(t *testing.T) {
	t.Run("PrunesOnEachTick", func(t *testing.T) {
		db, clock := MustOpen(t)
		ctx, cancel := context.WithCancel(t.Context())
		tick := make(chan time.Time)
		passed := make(chan struct{})
		errc := make(chan error, 1)

		mustLog(t, db, Query{Text: "old"})
		if _, err := db.MarkEvent("Ev1", time.Hour); err != nil {
			t.Fatal(err)
		}
		clock.Advance(10 * 24 * time.Hour)
		mustLog(t, db, Query{Text: "new"})

		go func() { errc <- db.runRetention(ctx, 7*24*time.Hour, tick, func() { passed <- struct{}{} }) }()
		wait := func(what string) {
			t.Helper()
			select {
			case <-passed:
			case <-time.After(10 * time.Second):
				t.Fatalf("no retention pass %s", what)
			}
		}
		texts := func() []string {
			t.Helper()
			qs, err := db.Queries(QueryFilter{})
			if err != nil {
				t.Fatal(err)
			}
			var s []string
			for _, q := range qs {
				s = append(s, q.Text)
			}
			return s
		}

		wait("at start")
		if got := texts(); len(got) != 1 || got[0] != "new" {
			t.Errorf("after first pass: %q, want [new]", got)
		}
		if first, _ := db.MarkEvent("Ev1", time.Hour); !first {
			t.Error("expired event mark not pruned")
		}

		clock.Advance(8 * 24 * time.Hour)
		tick <- clock.Now()
		wait("after tick")
		if got := texts(); len(got) != 0 {
			t.Errorf("after second pass: %q, want none", got)
		}

		cancel()
		select {
		case err := <-errc:
			if err != nil {
				t.Errorf("runRetention = %v, want nil after cancel", err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("runRetention did not return after cancel")
		}
	})

	t.Run("ErrClosed", func(t *testing.T) {
		db, _ := MustOpen(t)
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		if err := db.RunRetention(t.Context(), time.Hour, time.Hour); err != ErrClosed {
			t.Errorf("RunRetention = %v, want ErrClosed", err)
		}
	})

	t.Run("InvalidArguments", func(t *testing.T) {
		db, _ := MustOpen(t)
		if err := db.RunRetention(t.Context(), 0, time.Hour); err == nil {
			t.Error("zero retention accepted")
		}
		if err := db.RunRetention(t.Context(), time.Hour, 0); err == nil {
			t.Error("zero interval accepted")
		}
	})

	t.Run("ReturnsWhenDone", func(t *testing.T) {
		db, _ := MustOpen(t)
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		if err := db.RunRetention(ctx, time.Hour, time.Hour); err != nil {
			t.Errorf("RunRetention = %v, want nil", err)
		}
	})
}
