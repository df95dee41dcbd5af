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
