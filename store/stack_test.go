package store

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func items(kv ...string) []StackItem {
	var out []StackItem
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, StackItem{Product: kv[i], Version: kv[i+1]})
	}
	return out
}

func TestDB_Track(t *testing.T) {
	db, clock := MustOpen(t)

	t.Run("empty", func(t *testing.T) {
		s, err := db.ChannelStack("C1")
		if err != nil || len(s.Items) != 0 {
			t.Fatalf("ChannelStack of an untracked channel = %+v, %v", s, err)
		}
		chs, err := db.TrackingChannels()
		if err != nil || len(chs) != 0 {
			t.Fatalf("TrackingChannels = %v, %v", chs, err)
		}
	})

	s, err := db.Track("C1", "U1", items("kommander", "1.3", "konvoy", "1.7"))
	if err != nil {
		t.Fatal(err)
	}
	if want := items("kommander", "1.3", "konvoy", "1.7"); !slices.Equal(s.Items, want) || s.By != "U1" || !s.At.Equal(clock.Now()) {
		t.Fatalf("Track = %+v, want %v by U1 at %v", s, want, clock.Now())
	}

	t.Run("merges", func(t *testing.T) {
		clock.Advance(time.Hour)
		s, err := db.Track("C1", "U2", items("konvoy", "1.8", "kaptain", "1.3"))
		if err != nil {
			t.Fatal(err)
		}
		want := items("kaptain", "1.3", "kommander", "1.3", "konvoy", "1.8")
		if !slices.Equal(s.Items, want) || s.By != "U2" {
			t.Fatalf("Track = %+v, want %v by U2", s, want)
		}
		got, err := db.ChannelStack("C1")
		if err != nil || !slices.Equal(got.Items, want) || !got.At.Equal(clock.Now()) {
			t.Fatalf("ChannelStack = %+v, %v", got, err)
		}
	})

	t.Run("channels apart", func(t *testing.T) {
		if _, err := db.Track("C2", "U1", items("konvoy", "1.6")); err != nil {
			t.Fatal(err)
		}
		chs, err := db.TrackingChannels()
		if err != nil || !slices.Equal(chs, []string{"C1", "C2"}) {
			t.Fatalf("TrackingChannels = %v, %v", chs, err)
		}
		got, _ := db.ChannelStack("C1")
		if len(got.Items) != 3 {
			t.Fatalf("C2's track changed C1: %+v", got)
		}
	})

	t.Run("untrack some", func(t *testing.T) {
		removed, now, err := db.Untrack("C1", "U3", []string{"kaptain", "dkp"})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(removed, items("kaptain", "1.3")) || !slices.Equal(now.Items, items("kommander", "1.3", "konvoy", "1.8")) || now.By != "U3" {
			t.Fatalf("Untrack = %v, %+v", removed, now)
		}
	})

	t.Run("untrack nothing tracked", func(t *testing.T) {
		removed, now, err := db.Untrack("C1", "U3", []string{"dkp"})
		if err != nil || len(removed) != 0 || len(now.Items) != 2 {
			t.Fatalf("Untrack = %v, %+v, %v", removed, now, err)
		}
		removed, now, err = db.Untrack("C9", "U3", nil)
		if err != nil || len(removed) != 0 || len(now.Items) != 0 {
			t.Fatalf("Untrack of an untracked channel = %v, %+v, %v", removed, now, err)
		}
	})

	t.Run("untrack all", func(t *testing.T) {
		removed, now, err := db.Untrack("C1", "U3", nil)
		if err != nil || len(removed) != 2 || len(now.Items) != 0 {
			t.Fatalf("Untrack = %v, %+v, %v", removed, now, err)
		}
		chs, _ := db.TrackingChannels()
		if !slices.Equal(chs, []string{"C2"}) {
			t.Fatalf("C1 still tracks: %v", chs)
		}
	})

	t.Run("ErrStackTooLarge", func(t *testing.T) {
		var many []StackItem
		for i := range maxStackItems + 1 {
			many = append(many, StackItem{Product: fmt.Sprintf("p%02d", i), Version: "1.0"})
		}
		if _, err := db.Track("C3", "U1", many); !errors.Is(err, ErrStackTooLarge) {
			t.Fatalf("err = %v, want ErrStackTooLarge", err)
		}
		if s, _ := db.ChannelStack("C3"); len(s.Items) != 0 {
			t.Fatalf("a refused track was kept: %+v", s)
		}
	})

	t.Run("ErrInvalidKey", func(t *testing.T) {
		if _, err := db.Track("", "U1", items("konvoy", "1.8")); !errors.Is(err, ErrInvalidKey) {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestDB_Track_Persists(t *testing.T) {
	path := filepath.Join(t.TempDir(), "supportbot.db")
	db, err := Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Track("C1", "U1", items("konvoy", "1.7")); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	ro, err := OpenReadOnly(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	s, err := ro.ChannelStack("C1")
	if err != nil || !slices.Equal(s.Items, items("konvoy", "1.7")) {
		t.Fatalf("after reopen: %+v, %v", s, err)
	}
}
