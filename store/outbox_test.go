package store

import (
	"path/filepath"
	"testing"
	"time"
)

func TestDB_Pending(t *testing.T) {
	path := filepath.Join(t.TempDir(), "outbox.db")
	db := MustOpenWith(t, path, Options{})
	p := Pending{EventID: "Ev1", Time: time.Unix(1700000000, 0).UTC(), Channel: "C1", User: "U1", Thread: "1.2", Source: "mention", Text: "konvoy 1.6"}
	if err := db.PutPending(p); err != nil {
		t.Fatal(err)
	}
	if err := db.PutPending(Pending{EventID: "Ev2", Channel: "D1", Text: "kaptain"}); err != nil {
		t.Fatal(err)
	}
	if err := db.PutPending(Pending{}); err == nil {
		t.Error("PutPending accepted an empty event id")
	}
	// A reopened file still owes both replies.
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = MustOpenWith(t, path, Options{})
	got, err := db.ListPending()
	if err != nil || len(got) != 2 || got[0] != p || got[1].EventID != "Ev2" {
		t.Fatalf("ListPending = %+v, %v", got, err)
	}
	if err := <-db.DeletePending("Ev1"); err != nil {
		t.Fatal(err)
	}
	got, _ = db.ListPending()
	if len(got) != 1 || got[0].EventID != "Ev2" {
		t.Errorf("after delete: %+v", got)
	}
}

// TestDB_DeletePendingLazy: a delete starts no commit of its own; it rides
// in the next write, commits alone when idle, and is flushed by Close.
func TestDB_DeletePendingLazy(t *testing.T) {
	t.Run("RidesWithTheNextWrite", func(t *testing.T) {
		db, _ := MustOpen(t)
		if err := db.PutPending(Pending{EventID: "Ev1", Channel: "C1"}); err != nil {
			t.Fatal(err)
		}
		db.w.lazyDelay = time.Hour // only another write can commit it
		before := db.Commits()
		deleted := db.DeletePending("Ev1")
		select {
		case err := <-deleted:
			t.Fatalf("lazy delete committed alone: %v", err)
		default:
		}
		mustLog(t, db, Query{User: "U1"})
		if err := <-deleted; err != nil {
			t.Fatal(err)
		}
		if got := db.Commits() - before; got != 1 {
			t.Errorf("%d commits for a question and a lazy delete, want 1", got)
		}
	})
	t.Run("CommitsAloneWhenIdle", func(t *testing.T) {
		db, _ := MustOpen(t)
		db.w.lazyDelay = time.Millisecond
		if err := <-db.DeletePending("nothing"); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("FlushedByClose", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "lazy.db")
		db := MustOpenWith(t, path, Options{})
		if err := db.PutPending(Pending{EventID: "Ev3", Channel: "C1"}); err != nil {
			t.Fatal(err)
		}
		db.w.lazyDelay = time.Hour
		deleted := db.DeletePending("Ev3")
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		if err := <-deleted; err != nil {
			t.Fatal(err)
		}
		db = MustOpenWith(t, path, Options{})
		if p, _ := db.ListPending(); len(p) != 0 {
			t.Errorf("a lazy delete queued before Close was lost: %+v", p)
		}
	})
}
