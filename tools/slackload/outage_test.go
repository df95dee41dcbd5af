package main

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/d2iq/supportbot/bot/slacktest"
)

func TestParseOutages(t *testing.T) {
	got, err := parseOutages("503:10s, 429:1m,hang:2s,slow:500ms")
	if err != nil {
		t.Fatal(err)
	}
	want := []outage{{outage503, 10 * time.Second}, {outage429, time.Minute}, {outageHang, 2 * time.Second}, {outageSlow, 500 * time.Millisecond}}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("window %d = %v, want %v", i, got[i], want[i])
		}
	}
	if got, err := parseOutages("none"); err != nil || got == nil || len(got) != 0 {
		t.Errorf("none = %v, %v; want an empty, non-nil schedule", got, err)
	}
	if n := scheduleLength(want, time.Second, 5*time.Second); n != time.Second+72500*time.Millisecond+15*time.Second {
		t.Errorf("scheduleLength = %s", n)
	}
}

// TestAPIProxy drives the proxy in front of the fake Slack through each
// kind of window, with no timing: windows are set by hand.
func TestAPIProxy(t *testing.T) {
	srv, err := slacktest.NewServer(slacktest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	p, err := newAPIProxy(strings.TrimSuffix(srv.APIURL(), "/api/"), 0, time.Millisecond, 7*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	held := make(chan string, 4)
	p.held = held
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	// post calls method through the proxy and returns the answer's status,
	// header and body; the body is read and closed.
	post := func(ctx context.Context, method string) (int, http.Header, string) {
		t.Helper()
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.URL()+"/api/"+method,
			strings.NewReader(url.Values{"channel": {"C1"}, "text": {"hi"}}.Encode()))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s: %v", method, err)
		}
		defer func() { _ = resp.Body.Close() }()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header, string(body)
	}
	status := func(method string) int {
		code, _, _ := post(ctx, method)
		return code
	}

	if got := status("chat.postMessage"); got != 200 {
		t.Errorf("no window: %d, want 200", got)
	}
	p.set(outage503)
	if got := status("chat.postMessage"); got != 503 {
		t.Errorf("503 window: %d", got)
	}
	if got := status("auth.test"); got != 200 {
		t.Errorf("auth.test in a 503 window: %d, want 200 (only posting calls fail)", got)
	}
	p.set(outage429)
	if code, h, body := post(ctx, "chat.postMessage"); code != 429 || h.Get("Retry-After") != "7" || !strings.Contains(body, "ratelimited") {
		t.Errorf("429 window: %d, Retry-After %q, %s", code, h.Get("Retry-After"), body)
	}
	p.set(outageSlow)
	if got := status("chat.postMessage"); got != 200 {
		t.Errorf("slow window: %d, want 200 after the delay", got)
	}

	p.set(outageHang)
	done := make(chan int, 1)
	go func() {
		code, _, _ := post(ctx, "chat.update")
		done <- code
	}()
	// The held call is answered only when the window ends, with a failure:
	// it never reaches the fake.
	if m := <-held; m != "chat.update" {
		t.Fatalf("held %s", m)
	}
	select {
	case got := <-done:
		t.Fatalf("hung call answered %d while the window was on", got)
	default:
	}
	p.set("")
	if got := <-done; got != 503 {
		t.Errorf("hung call answered %d at the window's end, want 503", got)
	}

	// A caller that gives up on a hung call is not posted for.
	p.set(outageHang)
	gone, stop := context.WithCancel(ctx)
	errc := make(chan error, 1)
	go func() {
		req, _ := http.NewRequestWithContext(gone, http.MethodPost, p.URL()+"/api/chat.postMessage", strings.NewReader("channel=C2"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			_ = resp.Body.Close()
		}
		errc <- err
	}()
	<-held
	stop()
	if err := <-errc; err == nil {
		t.Error("cancelled call got an answer")
	}
	p.set("")

	failed := p.Failed()
	for _, k := range []string{"chat.postMessage 503 (outage)", "chat.postMessage 429 (outage)", "chat.update 503 (hung)"} {
		if failed[k] != 1 {
			t.Errorf("failed[%q] = %d, want 1; all: %v", k, failed[k], failed)
		}
	}
	if _, err := srv.WaitCall(ctx, func(c slacktest.Call) bool { return c.Method == "chat.postMessage" && c.Param("channel") == "C1" }); err != nil {
		t.Errorf("no chat.postMessage reached the fake: %v", err)
	}
	for _, c := range []string{"chat.update", "C2"} {
		wctx, wcancel := context.WithCancel(ctx)
		wcancel()
		if _, err := srv.WaitCall(wctx, func(x slacktest.Call) bool { return x.Method == c || x.Param("channel") == c }); err == nil {
			t.Errorf("a hung call (%s) reached the fake", c)
		}
	}

	// play turns each window on in turn and ends with none.
	var seen []string
	p.play(ctx, []outage{{outage503, time.Millisecond}, {outage429, time.Millisecond}}, 0, 0, func(o outage) { seen = append(seen, o.Kind) })
	if strings.Join(seen, ",") != "503,429" {
		t.Errorf("played %v", seen)
	}
	if got := status("chat.postMessage"); got != 200 {
		t.Errorf("after play: %d, want 200", got)
	}
}
