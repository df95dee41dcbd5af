package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/d2iq/supportbot/policy"
	"github.com/d2iq/supportbot/store"
)

// TestFeedStacks: /calendar.ics?channel= serves what the channel tracks in
// the store, and nothing for a channel that tracks nothing.
func TestFeedStacks(t *testing.T) {
	db, err := store.Open(filepath.Join(t.TempDir(), "bot.db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Track("C0KONVOY", "U1", []store.StackItem{{Product: "konvoy", Version: "1.6.1"}}); err != nil {
		t.Fatal(err)
	}
	items, err := feedStacks{db}.Stack(t.Context(), "C0KONVOY")
	if err != nil || len(items) != 1 || items[0].Product != "konvoy" || items[0].Version != "1.6.1" {
		t.Fatalf("Stack = %+v, %v", items, err)
	}
	if items, err := (feedStacks{db}).Stack(t.Context(), "C0NONE"); err != nil || len(items) != 0 {
		t.Fatalf("Stack of an untracked channel = %+v, %v", items, err)
	}

	// Konvoy 1.9 is announced for a day, which ends Konvoy 1.6.
	m, err := policy.Load(policyWithUpcoming(t, time.Now().AddDate(0, 1, 0))["SUPPORTBOT_POLICY_FILE"])
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(feedRoutes(func() *policy.Model { return m }, []int{30}, feedStacks{db}))
	defer srv.Close()
	get := func(query string) string {
		t.Helper()
		resp, err := http.Get(srv.URL + "/calendar.ics" + query)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d %s", query, resp.StatusCode, body)
		}
		return string(body)
	}
	tracked, none := get("?channel=C0KONVOY"), get("?channel=C0NONE")
	if !strings.Contains(tracked, "Konvoy 1.6") || strings.Count(tracked, "BEGIN:VEVENT") <= strings.Count(none, "BEGIN:VEVENT") {
		t.Errorf("a tracking channel's calendar has no more events than an untracked one's:\n%s\n---\n%s", tracked, none)
	}
}
