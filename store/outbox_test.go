package store

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

func TestDB_Receive(t *testing.T) {
	path := filepath.Join(t.TempDir(), "outbox.db")
	db := MustOpenWith(t, path, Options{})
	ctx := context.Background()
	at := time.Unix(1700000000, 0).UTC()
	p := Pending{EventID: "Ev1", Time: at, Channel: "C1", User: "U1", Thread: "1.2", Source: "mention", Text: "konvoy 1.6"}
	first, err := db.Receive(ctx, Query{Time: at, User: "U1", Source: "mention"}, p, time.Hour)
	if err != nil || !first {
		t.Fatalf("Receive = %v, %v; want first", first, err)
	}
	// A redelivery is on record already: nothing is written.
	first, err = db.Receive(ctx, Query{Time: at, User: "U1"}, p, time.Hour)
	if err != nil || first {
		t.Fatalf("second Receive = %v, %v; want a duplicate", first, err)
	}
	if _, err := db.Receive(ctx, Query{}, Pending{}, time.Hour); err == nil {
		t.Error("Receive accepted an empty event id")
	}
	if _, err := db.Receive(ctx, Query{}, Pending{EventID: "Ev9"}, 0); err == nil {
		t.Error("Receive accepted a zero ttl")
	}
	// A reopened file still owes the reply, and has its one record.
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = MustOpenWith(t, path, Options{})
	got, err := db.ListPending()
	if err != nil || len(got) != 1 || got[0].EventID != "Ev1" || got[0].Text != "konvoy 1.6" || got[0].Seq == 0 {
		t.Fatalf("ListPending = %+v, %v", got, err)
	}
	qs, err := db.Queries(QueryFilter{})
	if err != nil || len(qs) != 1 || qs[0].Seq != got[0].Seq {
		t.Fatalf("Queries = %+v, %v; want the one record of the owed reply", qs, err)
	}
	if err := db.Answered("Ev1"); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.ListPending(); len(got) != 0 {
		t.Errorf("after Answered: %+v", got)
	}
	// Answered, the event stays marked: a late redelivery is not answered again.
	if first, err := db.Receive(ctx, Query{}, p, time.Hour); err != nil || first {
		t.Errorf("Receive after Answered = %v, %v; want a duplicate", first, err)
	}
}

// TestDB_ReceiveOwedOutlivesMark: an owed reply whose mark expired (a long
// Slack outage) still makes a redelivery a duplicate.
func TestDB_ReceiveOwedOutlivesMark(t *testing.T) {
	db, clock := MustOpen(t)
	ctx := context.Background()
	p := Pending{EventID: "Ev1", Channel: "C1"}
	if first, err := db.Receive(ctx, Query{}, p, time.Minute); err != nil || !first {
		t.Fatal(first, err)
	}
	clock.Advance(time.Hour)
	if first, err := db.Receive(ctx, Query{}, p, time.Minute); err != nil || first {
		t.Errorf("Receive of an id still owed = %v, %v; want a duplicate", first, err)
	}
	if err := db.Answered("Ev1"); err != nil {
		t.Fatal(err)
	}
	if first, err := db.Receive(ctx, Query{}, p, time.Minute); err != nil || !first {
		t.Errorf("Receive after the mark expired and the reply went out = %v, %v; want first", first, err)
	}
}

// TestDB_ReceiveConcurrent: of concurrent deliveries of one event exactly
// one is first, and there is exactly one record.
func TestDB_ReceiveConcurrent(t *testing.T) {
	db, _ := MustOpen(t)
	var wg sync.WaitGroup
	var mu sync.Mutex
	firsts := 0
	for range 16 {
		wg.Go(func() {
			first, err := db.Receive(context.Background(), Query{User: "U1"}, Pending{EventID: "Ev1", Channel: "C1"}, time.Hour)
			if err != nil {
				t.Error(err)
			}
			if first {
				mu.Lock()
				firsts++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	qs, _ := db.Queries(QueryFilter{})
	if firsts != 1 || len(qs) != 1 {
		t.Errorf("%d first deliveries and %d records, want 1 and 1", firsts, len(qs))
	}
}

// TestDB_AnsweredClosed: Answered on a closed store says so.
func TestDB_AnsweredClosed(t *testing.T) {
	db, _ := MustOpen(t)
	if err := db.Answered(); err != nil {
		t.Errorf("Answered of nothing = %v", err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if err := db.Answered("Ev1"); !errors.Is(err, ErrClosed) {
		t.Errorf("Answered after Close = %v, want ErrClosed", err)
	}
}

// TestDB_AnsweredRides: with a question being logged meanwhile, Answered
// shares its commit; alone, it commits by itself.
func TestDB_AnsweredRides(t *testing.T) {
	db, _ := MustOpen(t)
	if err := db.PutPending(Pending{EventID: "Ev1", Channel: "C1"}); err != nil {
		t.Fatal(err)
	}
	if err := db.Answered("Ev1"); err != nil {
		t.Fatal(err)
	}
	if p, _ := db.ListPending(); len(p) != 0 {
		t.Errorf("after Answered alone: %+v", p)
	}
}
