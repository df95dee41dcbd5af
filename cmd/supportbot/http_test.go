package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	ics "github.com/arran4/golang-ical"

	"github.com/d2iq/supportbot/policy"
	"github.com/d2iq/supportbot/store"
)

// historyPolicyFile is the real 2020-2022 lifecycle, in the repository.
var historyPolicyFile = filepath.Join("..", "..", "deploy", "policies", "d2iq-history.yaml")

// TestStoreStacks: a channel's calendar holds the ends of what
// `/support track` recorded for it, read from the store.
func TestStoreStacks(t *testing.T) {
	db, err := store.Open(filepath.Join(t.TempDir(), "bot.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Track("C0KOM", "U1", []store.StackItem{{Product: "konvoy", Version: "1.7"}, {Product: "kommander", Version: "1.3.2"}}); err != nil {
		t.Fatal(err)
	}
	m, err := policy.Load(historyPolicyFile)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(feedRoutes(func() *policy.Model { return m }, []int{7}, feedStacks{db}))
	defer srv.Close()
	for _, tt := range []struct {
		channel string
		want    []string
	}{
		{"C0KOM", []string{"kommander-1.3-end@supportbot", "konvoy-1.7-end@supportbot"}},
		{"C0NONE", nil},
	} {
		resp, err := http.Get(srv.URL + "/calendar.ics?channel=" + tt.channel)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		cal, err := ics.ParseCalendar(strings.NewReader(string(body)))
		if resp.StatusCode != http.StatusOK || err != nil {
			t.Fatalf("%s: %d %v\n%s", tt.channel, resp.StatusCode, err, body)
		}
		var uids []string
		for _, ev := range cal.Events() {
			uids = append(uids, ev.Id())
		}
		if strings.Join(uids, " ") != strings.Join(tt.want, " ") {
			t.Errorf("%s: events %v, want %v", tt.channel, uids, tt.want)
		}
	}
}

// TestRun_FeedAPI: `supportbot run` serves the endoflife.date API and the
// calendar beside its health endpoints, from the policy file.
func TestRun_FeedAPI(t *testing.T) {
	srv := newServer(t)
	botEnv(t, srv, filepath.Join(t.TempDir(), "bot.db"))
	t.Setenv("SUPPORTBOT_POLICY_FILE", historyPolicyFile)
	r := startRun(t, srv)
	defer r.stop(t)

	get := func(path string) (int, []byte) {
		t.Helper()
		resp, err := http.Get(r.http + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, body
	}
	code, body := get("/api/v1/products/konvoy/releases/1.6")
	var env struct {
		Result struct {
			Name    string  `json:"name"`
			IsEol   bool    `json:"isEol"`
			EolFrom *string `json:"eolFrom"`
		} `json:"result"`
	}
	if err := json.Unmarshal(body, &env); code != http.StatusOK || err != nil || env.Result.Name != "1.6" || !env.Result.IsEol ||
		env.Result.EolFrom == nil || *env.Result.EolFrom != "2021-08-26" {
		t.Errorf("konvoy 1.6 = %d %v %s", code, err, body)
	}
	for _, tt := range []struct {
		path string
		want int
	}{
		{"/api/konvoy.json", http.StatusOK},
		{"/api/v1/", http.StatusOK},
		{"/api/v1/products/nope", http.StatusNotFound},
		{"/calendar.ics?product=konvoy&cycle=1.7", http.StatusOK},
		{"/calendar.ics?channel=C0NONE", http.StatusOK},
		{"/healthz", http.StatusOK},
	} {
		if code, body := get(tt.path); code != tt.want {
			t.Errorf("%s = %d, want %d\n%s", tt.path, code, tt.want, body)
		}
	}
}
