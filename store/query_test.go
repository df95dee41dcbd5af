package store

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

func TestDB_LogQuery(t *testing.T) {
	t.Run("RoundTrip", func(t *testing.T) {
		db, _ := MustOpen(t)
		want := Query{
			Time:    time.Date(2021, 6, 1, 9, 30, 0, 123456789, time.FixedZone("CEST", 2*3600)),
			Team:    "T024BE7LD",
			Channel: "C0123456789",
			User:    "U0123456789",
			Source:  "slash",
			Text:    "is konvoy 1.6 still supported? <!channel> ünïcode",
			Intent:  "status",
			Verdict: "unsupported",
			Product: "konvoy",
			Version: "1.6",
			Latency: 1234 * time.Microsecond,
		}
		seq := mustLog(t, db, want)
		if seq != 1 {
			t.Errorf("seq = %d, want 1", seq)
		}
		qs, err := db.Queries(QueryFilter{})
		if err != nil {
			t.Fatal(err)
		}
		want.Seq = seq
		want.Time = want.Time.UTC()
		if len(qs) != 1 || !reflect.DeepEqual(qs[0], want) {
			t.Fatalf("Queries = %+v\nwant %+v", qs, want)
		}
	})

	t.Run("EmptyFields", func(t *testing.T) {
		db, clock := MustOpen(t)
		seq := mustLog(t, db, Query{})
		qs, err := db.Queries(QueryFilter{})
		if err != nil {
			t.Fatal(err)
		}
		want := Query{Seq: seq, Time: clock.Now()}
		if len(qs) != 1 || !reflect.DeepEqual(qs[0], want) {
			t.Fatalf("Queries = %+v, want %+v", qs, want)
		}
	})

	t.Run("ZeroTimeUsesClock", func(t *testing.T) {
		db, clock := MustOpen(t)
		clock.Advance(42 * time.Minute)
		mustLog(t, db, Query{User: "U1"})
		qs, err := db.History("U1", 1)
		if err != nil {
			t.Fatal(err)
		}
		if len(qs) != 1 || !qs[0].Time.Equal(clock.Now()) {
			t.Fatalf("History = %+v, want Time %s", qs, clock.Now())
		}
	})

	t.Run("SeqIncreases", func(t *testing.T) {
		db, _ := MustOpen(t)
		var last uint64
		for range 20 {
			seq := mustLog(t, db, Query{})
			if seq <= last {
				t.Fatalf("seq %d after %d", seq, last)
			}
			last = seq
		}
	})

	t.Run("TimeOutOfRange", func(t *testing.T) {
		db, _ := MustOpen(t)
		if _, err := db.LogQuery(t.Context(), Query{Time: time.Date(1500, 1, 1, 0, 0, 0, 0, time.UTC)}); err == nil {
			t.Fatal("LogQuery accepted a time before 1678")
		}
	})

	t.Run("CanceledBeforeCall", func(t *testing.T) {
		db, _ := MustOpen(t)
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		if _, err := db.LogQuery(ctx, Query{}); err != context.Canceled {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
		if qs, _ := db.Queries(QueryFilter{}); len(qs) != 0 {
			t.Errorf("canceled call logged %d queries", len(qs))
		}
	})

	t.Run("CanceledWhileWaiting", func(t *testing.T) {
		db, _ := MustOpen(t)
		// Hold bbolt's writer lock so that the commit cannot happen.
		tx, err := db.bolt.Begin(true)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(t.Context())
		nctx := &doneNotifyCtx{Context: ctx, waiting: make(chan struct{})}
		errc := make(chan error, 1)
		go func() {
			_, err := db.LogQuery(nctx, Query{User: "U1", Text: "late"})
			errc <- err
		}()
		<-nctx.waiting // LogQuery has queued the record and waits for the commit
		cancel()
		select {
		case err := <-errc:
			if err != context.Canceled {
				t.Fatalf("err = %v, want context.Canceled", err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("LogQuery did not return after cancel")
		}
		if err := tx.Rollback(); err != nil {
			t.Fatal(err)
		}
		// The record was queued, so it is committed anyway; Close flushes it.
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		ro, err := OpenReadOnly(db.Path(), Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer ro.Close()
		if qs, err := ro.History("U1", 0); err != nil || len(qs) != 1 {
			t.Errorf("History = %v, %v; want the canceled record committed", qs, err)
		}
	})

	t.Run("GroupCommit", func(t *testing.T) {
		// fsync on, so that commits take long enough for writes to queue.
		db := MustOpenWith(t, filepath.Join(t.TempDir(), "group.db"), Options{})
		const writers, each = 64, 50
		var wg sync.WaitGroup
		seqs := make(chan uint64, writers*each)
		for w := range writers {
			wg.Go(func() {
				for i := range each {
					seq, err := db.LogQuery(t.Context(), Query{User: fmt.Sprintf("U%d", w), Text: fmt.Sprintf("q%d", i)})
					if err != nil {
						t.Errorf("LogQuery: %v", err)
						return
					}
					seqs <- seq
				}
			})
		}
		wg.Wait()
		close(seqs)
		seen := map[uint64]bool{}
		for seq := range seqs {
			if seen[seq] {
				t.Errorf("seq %d returned twice", seq)
			}
			seen[seq] = true
		}
		if len(seen) != writers*each {
			t.Fatalf("%d distinct seqs, want %d", len(seen), writers*each)
		}
		commits := db.Commits()
		t.Logf("%d records in %d commits", writers*each, commits)
		if commits >= writers*each {
			t.Errorf("commits = %d, want fewer than the %d records", commits, writers*each)
		}
		qs, err := db.Queries(QueryFilter{})
		if err != nil || len(qs) != writers*each {
			t.Fatalf("Queries: %d records, %v", len(qs), err)
		}
	})

	t.Run("IdleWriterCommitsAtOnce", func(t *testing.T) {
		db, _ := MustOpen(t)
		// Sequential calls find the writer idle: each is its own commit, and
		// none waits for company (bolt's Batch would add 10ms to each).
		const n = 50
		start := time.Now()
		for range n {
			mustLog(t, db, Query{})
		}
		if d := time.Since(start); d > n*10*time.Millisecond/2 {
			t.Errorf("%d sequential LogQuery took %s", n, d)
		}
		if c := db.Commits(); c != n {
			t.Errorf("commits = %d, want %d", c, n)
		}
	})

	t.Run("FailingWriteGetsOwnError", func(t *testing.T) {
		db, _ := MustOpen(t)
		// Hold bbolt's writer lock while the writes queue, so that the
		// failing one shares a transaction with good ones.
		tx, err := db.bolt.Begin(true)
		if err != nil {
			t.Fatal(err)
		}
		boom := errors.New("boom")
		const n, bad = 4, 2
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			ctx := &doneNotifyCtx{Context: t.Context(), waiting: make(chan struct{})}
			wg.Go(func() {
				errs[i] = db.update(ctx, func(tx *bolt.Tx) error {
					// Write first, so the rollback has something to undo.
					if _, err := tx.Bucket(bucketQueries).NextSequence(); err != nil {
						return err
					}
					if i == bad {
						return boom
					}
					return nil
				})
			})
			<-ctx.waiting
		}
		if err := tx.Rollback(); err != nil {
			t.Fatal(err)
		}
		wg.Wait()
		for i, err := range errs {
			if i == bad && !errors.Is(err, boom) || i != bad && err != nil {
				t.Errorf("write %d: err = %v", i, err)
			}
		}
		var seq uint64
		_ = db.view(func(tx *bolt.Tx) error { seq = tx.Bucket(bucketQueries).Sequence(); return nil })
		if seq != n-1 {
			t.Errorf("sequence = %d, want %d: the good writes and none of the bad one", seq, n-1)
		}
	})
}

// doneNotifyCtx closes waiting the first time Done is called, which the
// writer's callers do only once their write is queued.
type doneNotifyCtx struct {
	context.Context
	waiting chan struct{}
	once    sync.Once
}

func (c *doneNotifyCtx) Done() <-chan struct{} {
	c.once.Do(func() { close(c.waiting) })
	return c.Context.Done()
}

func TestDB_History(t *testing.T) {
	db, clock := MustOpen(t)
	for i := range 5 {
		clock.Advance(time.Minute)
		mustLog(t, db, Query{User: "U1", Text: fmt.Sprintf("u1 %d", i)})
		mustLog(t, db, Query{User: "U2", Text: fmt.Sprintf("u2 %d", i)})
	}
	tests := []struct {
		name  string
		user  string
		limit int
		want  []string
	}{
		{"Last2", "U1", 2, []string{"u1 4", "u1 3"}},
		{"All", "U2", 0, []string{"u2 4", "u2 3", "u2 2", "u2 1", "u2 0"}},
		{"LimitAboveCount", "U1", 10, []string{"u1 4", "u1 3", "u1 2", "u1 1", "u1 0"}},
		{"UnknownUser", "U3", 5, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			qs, err := db.History(tt.user, tt.limit)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, q := range qs {
				if q.User != tt.user {
					t.Errorf("got user %s", q.User)
				}
				got = append(got, q.Text)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("History = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDB_Queries(t *testing.T) {
	db, _ := MustOpen(t)
	base := time.Date(2021, 6, 1, 0, 0, 0, 0, time.UTC)
	at := func(h int) time.Time { return base.Add(time.Duration(h) * time.Hour) }
	// Logged out of time order, as concurrent callers with their own times can.
	for _, h := range []int{0, 1, 3, 2, 4, 5} {
		mustLog(t, db, Query{Time: at(h), Text: fmt.Sprint(h)})
	}
	tests := []struct {
		name string
		f    QueryFilter
		want []string
	}{
		{"All", QueryFilter{}, []string{"0", "1", "2", "3", "4", "5"}},
		{"Since", QueryFilter{Since: at(3)}, []string{"3", "4", "5"}},
		{"UntilExcluded", QueryFilter{Until: at(2)}, []string{"0", "1"}},
		{"Range", QueryFilter{Since: at(1), Until: at(4)}, []string{"1", "2", "3"}},
		{"LimitOldestFirst", QueryFilter{Since: at(1), Limit: 2}, []string{"1", "2"}},
		{"Empty", QueryFilter{Since: at(10)}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			qs, err := db.Queries(tt.f)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, q := range qs {
				got = append(got, q.Text)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Queries = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDecodeQuery(t *testing.T) {
	good, err := encodeQuery(&Query{Time: time.Unix(1, 0), Text: "konvoy"})
	if err != nil {
		t.Fatal(err)
	}
	key := seqKey(7)
	if _, err := decodeQuery(key, good); err != nil {
		t.Fatalf("good record: %v", err)
	}
	tests := []struct {
		name string
		k, v []byte
	}{
		{"Empty", key, nil},
		{"ShortTime", key, good[:5]},
		{"UnknownEncoding", key, append([]byte{9}, good[1:]...)},
		{"Truncated", key, good[:len(good)-2]},
		{"ShortKey", []byte{1}, good},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if q, err := decodeQuery(tt.k, tt.v); err == nil {
				t.Errorf("decoded %+v, want an error", q)
			}
		})
	}
}
