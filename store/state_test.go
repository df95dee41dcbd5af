package store

import (
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestDB_MarkEvent(t *testing.T) {
	t.Run("TTL", func(t *testing.T) {
		db, clock := MustOpen(t)
		steps := []struct {
			name    string
			advance time.Duration
			id      string
			want    bool
		}{
			{"First", 0, "Ev1", true},
			{"Duplicate", 0, "Ev1", false},
			{"OtherID", 0, "Ev2", true},
			{"BeforeExpiry", 59 * time.Minute, "Ev1", false},
			{"AtExpiry", time.Minute, "Ev1", true}, // expiry is exclusive; Ev1 is marked again here
			{"RemarkedDuplicate", 30 * time.Minute, "Ev1", false},
		}
		for _, s := range steps {
			clock.Advance(s.advance)
			got, err := db.MarkEvent(s.id, time.Hour)
			if err != nil {
				t.Fatalf("%s: %v", s.name, err)
			}
			if got != s.want {
				t.Errorf("%s: MarkEvent(%s) = %v, want %v", s.name, s.id, got, s.want)
			}
		}
	})

	t.Run("ConcurrentExactlyOnce", func(t *testing.T) {
		db, _ := MustOpen(t)
		var firsts atomic.Int32
		var wg sync.WaitGroup
		for range 32 {
			wg.Go(func() {
				first, err := db.MarkEvent("Ev1", time.Hour)
				if err != nil {
					t.Error(err)
				}
				if first {
					firsts.Add(1)
				}
			})
		}
		wg.Wait()
		if n := firsts.Load(); n != 1 {
			t.Errorf("%d callers got firstTime, want 1", n)
		}
	})

	t.Run("Durable", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "events.db")
		clock := newFakeClock()
		db := MustOpenWith(t, path, Options{NoSync: true, Now: clock.Now})
		if first, err := db.MarkEvent("Ev1", time.Hour); err != nil || !first {
			t.Fatalf("MarkEvent = %v, %v", first, err)
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		db = MustOpenWith(t, path, Options{NoSync: true, Now: clock.Now})
		if first, err := db.MarkEvent("Ev1", time.Hour); err != nil || first {
			t.Fatalf("MarkEvent after reopen = %v, %v; want a duplicate", first, err)
		}
	})

	t.Run("InvalidArguments", func(t *testing.T) {
		db, _ := MustOpen(t)
		if _, err := db.MarkEvent("", time.Hour); !errors.Is(err, ErrInvalidKey) {
			t.Errorf("empty id: err = %v, want ErrInvalidKey", err)
		}
		if _, err := db.MarkEvent(strings.Repeat("x", 40000), time.Hour); !errors.Is(err, ErrInvalidKey) {
			t.Errorf("long id: err = %v, want ErrInvalidKey", err)
		}
		if _, err := db.MarkEvent("Ev1", 0); err == nil {
			t.Error("zero ttl accepted")
		}
	})
}

func TestDB_PruneEvents(t *testing.T) {
	db, clock := MustOpen(t)
	for _, id := range []string{"short1", "short2"} {
		if _, err := db.MarkEvent(id, time.Minute); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.MarkEvent("long", time.Hour); err != nil {
		t.Fatal(err)
	}
	if n, err := db.PruneEvents(); err != nil || n != 0 {
		t.Fatalf("PruneEvents before expiry = %d, %v; want 0", n, err)
	}
	clock.Advance(2 * time.Minute)
	if n, err := db.PruneEvents(); err != nil || n != 2 {
		t.Fatalf("PruneEvents = %d, %v; want 2", n, err)
	}
	if first, _ := db.MarkEvent("long", time.Hour); first {
		t.Error("unexpired mark was pruned")
	}
	if first, _ := db.MarkEvent("short1", time.Hour); !first {
		t.Error("pruned mark still dedupes")
	}
}

func TestDB_Reminders(t *testing.T) {
	db, clock := MustOpen(t)
	const key = "konvoy/1.6/expiry/7d"
	if sent, err := db.ReminderSent(key); err != nil || sent {
		t.Fatalf("ReminderSent before mark = %v, %v", sent, err)
	}
	if err := db.MarkReminderSent(key, clock.Now()); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkReminderSent(key, clock.Now().Add(time.Hour)); err != nil {
		t.Fatalf("marking again: %v", err)
	}
	tests := []struct {
		key  string
		want bool
	}{
		{key, true},
		{"konvoy/1.6/expiry/1d", false},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			sent, err := db.ReminderSent(tt.key)
			if err != nil || sent != tt.want {
				t.Errorf("ReminderSent = %v, %v; want %v", sent, err, tt.want)
			}
		})
	}
	t.Run("InvalidKey", func(t *testing.T) {
		if _, err := db.ReminderSent(""); !errors.Is(err, ErrInvalidKey) {
			t.Errorf("ReminderSent err = %v", err)
		}
		if err := db.MarkReminderSent("", clock.Now()); !errors.Is(err, ErrInvalidKey) {
			t.Errorf("MarkReminderSent err = %v", err)
		}
	})
}

func TestDB_Subscriptions(t *testing.T) {
	db, _ := MustOpen(t)
	steps := []struct {
		name  string
		op    func() (bool, error)
		want  bool
		after []string
	}{
		{"Subscribe", func() (bool, error) { return db.Subscribe("C2", "U1") }, true, []string{"C2"}},
		{"SubscribeAgain", func() (bool, error) { return db.Subscribe("C2", "U2") }, false, []string{"C2"}},
		{"SubscribeOther", func() (bool, error) { return db.Subscribe("C1", "U1") }, true, []string{"C1", "C2"}},
		{"Unsubscribe", func() (bool, error) { return db.Unsubscribe("C2") }, true, []string{"C1"}},
		{"UnsubscribeAgain", func() (bool, error) { return db.Unsubscribe("C2") }, false, []string{"C1"}},
		{"UnsubscribeUnknown", func() (bool, error) { return db.Unsubscribe("C9") }, false, []string{"C1"}},
		{"UnsubscribeLast", func() (bool, error) { return db.Unsubscribe("C1") }, true, nil},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			got, err := s.op()
			if err != nil || got != s.want {
				t.Fatalf("got %v, %v; want %v", got, err, s.want)
			}
			chs, err := db.Subscriptions()
			if err != nil || !reflect.DeepEqual(chs, s.after) {
				t.Errorf("Subscriptions = %q, %v; want %q", chs, err, s.after)
			}
		})
	}
	t.Run("InvalidKey", func(t *testing.T) {
		if _, err := db.Subscribe("", "U1"); !errors.Is(err, ErrInvalidKey) {
			t.Errorf("Subscribe err = %v", err)
		}
		if _, err := db.Unsubscribe(""); !errors.Is(err, ErrInvalidKey) {
			t.Errorf("Unsubscribe err = %v", err)
		}
	})
}

func TestDB_ReleaseState(t *testing.T) {
	db, _ := MustOpen(t)
	if state, ok, err := db.ReleaseState(); err != nil || ok || state != nil {
		t.Fatalf("ReleaseState before save = %v, %v, %v", state, ok, err)
	}
	tests := []struct {
		name string
		set  map[string][]string
		want map[string][]string
	}{
		{"Save", map[string][]string{"konvoy": {"1.6", "1.7", "1.8"}, "kommander": {"1.4"}}, map[string][]string{"konvoy": {"1.6", "1.7", "1.8"}, "kommander": {"1.4"}}},
		{"Replace", map[string][]string{"konvoy": {"1.7", "1.8", "1.9"}}, map[string][]string{"konvoy": {"1.7", "1.8", "1.9"}}},
		{"Nil", nil, map[string][]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := db.SetReleaseState(tt.set); err != nil {
				t.Fatal(err)
			}
			state, ok, err := db.ReleaseState()
			if err != nil || !ok || !reflect.DeepEqual(state, tt.want) {
				t.Errorf("ReleaseState = %v, %v, %v; want %v, true", state, ok, err, tt.want)
			}
		})
	}
}

func TestDB_EventSeen(t *testing.T) {
	db, clock := MustOpen(t)
	if seen, err := db.EventSeen("Ev1"); err != nil || seen {
		t.Fatalf("EventSeen before mark = %v, %v", seen, err)
	}
	if _, err := db.MarkEvent("Ev1", time.Hour); err != nil {
		t.Fatal(err)
	}
	if seen, err := db.EventSeen("Ev1"); err != nil || !seen {
		t.Fatalf("EventSeen after mark = %v, %v", seen, err)
	}
	clock.Advance(time.Hour)
	if seen, _ := db.EventSeen("Ev1"); seen {
		t.Error("EventSeen after the TTL = true")
	}
	if _, err := db.EventSeen(""); err == nil {
		t.Error("EventSeen(\"\") accepted an empty id")
	}
}
