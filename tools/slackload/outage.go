package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Kinds of outage window.
const (
	outage503  = "503"  // every posting call answers HTTP 503
	outage429  = "429"  // every posting call answers HTTP 429 with Retry-After
	outageHang = "hang" // every posting call is held, unanswered, to the window's end
	outageSlow = "slow" // every posting call is answered after -slow-delay
)

// outage is one window of the long-outage fault mode: for For, the Web
// API's posting calls fail (or hang, or are slow) in the way Kind says.
type outage struct {
	Kind string        `json:"kind"`
	For  time.Duration `json:"for"`
}

func (o outage) String() string { return o.Kind + ":" + o.For.String() }

// longOutages is the outage schedule of -faults all: 503s and 429s for 10 s
// and for 60 s, a hung and a 2.5 s slow Web API for 10 s.
var longOutages = []outage{
	{outage503, 10 * time.Second},
	{outage429, 10 * time.Second},
	{outageHang, 10 * time.Second},
	{outageSlow, 10 * time.Second},
	{outage503, 60 * time.Second},
	{outage429, 60 * time.Second},
}

// parseOutages reads "503:10s,429:60s,hang:10s,slow:10s"; "none" is no
// window.
func parseOutages(s string) ([]outage, error) {
	if s == "none" {
		return []outage{}, nil
	}
	var ws []outage
	for part := range strings.SplitSeq(s, ",") {
		k, d, ok := strings.Cut(strings.TrimSpace(part), ":")
		dur, err := time.ParseDuration(d)
		switch {
		case !ok || err != nil || dur <= 0:
			return nil, fmt.Errorf("-outages %q: want kind:duration, e.g. 503:10s", part)
		case k != outage503 && k != outage429 && k != outageHang && k != outageSlow:
			return nil, fmt.Errorf("-outages %q: kinds are 503, 429, hang and slow", part)
		}
		ws = append(ws, outage{Kind: k, For: dur})
	}
	return ws, nil
}

// scheduleLength is how long a schedule of windows takes from the start of
// the run: the first starts after start, and gap separates them.
func scheduleLength(ws []outage, start, gap time.Duration) time.Duration {
	if len(ws) == 0 {
		return 0
	}
	total := start + gap*time.Duration(len(ws)-1)
	for _, o := range ws {
		total += o.For
	}
	return total
}

// postingCall reports whether a Web API method posts for the bot, and so
// is hit by an outage. auth.test and apps.connections.open are not: the
// socket stays up (its own faults are the disconnect and drop modes).
func postingCall(method string) bool {
	return strings.HasPrefix(method, "chat.") || method == "views.publish" || method == "response_url"
}

// apiProxy stands between the bot and the fake Slack's Web API and
// response URLs, and plays the outage windows and the slow Web API on the
// posting calls. Calls it fails never reach the fake; it counts them.
type apiProxy struct {
	hs    *httptest.Server
	fwd   *httputil.ReverseProxy
	delay time.Duration // -slow-api: every posting call, the whole run
	slow  time.Duration // -slow-delay: the delay of a slow window
	retry time.Duration // Retry-After of a 429 window

	mu      sync.Mutex
	cur     string        // kind of the current window, "" for none
	release chan struct{} // closed when the current window ends
	closed  chan struct{}
	failed  map[string]int // "chat.postMessage 503 (outage)" -> calls

	held chan<- string // if set, gets the method of each call a hang holds (tests)
}

func newAPIProxy(target string, delay, slow, retry time.Duration) (*apiProxy, error) {
	u, err := url.Parse(target)
	if err != nil {
		return nil, err
	}
	p := &apiProxy{
		fwd: httputil.NewSingleHostReverseProxy(u), delay: delay, slow: slow, retry: retry,
		release: make(chan struct{}), closed: make(chan struct{}), failed: map[string]int{},
	}
	p.fwd.ErrorHandler = func(w http.ResponseWriter, r *http.Request, err error) {
		// The fake is closing, or the caller left: count it, do not log it.
		p.mu.Lock()
		p.failed["proxy error"]++
		p.mu.Unlock()
		w.WriteHeader(http.StatusBadGateway)
	}
	p.hs, err = newLoopback(http.HandlerFunc(p.serve))
	if err != nil {
		return nil, err
	}
	return p, nil
}

// newLoopback starts an HTTP server on 127.0.0.1 only.
func newLoopback(h http.Handler) (*httptest.Server, error) {
	hs := httptest.NewUnstartedServer(h)
	hs.Start()
	if !strings.HasPrefix(hs.URL, "http://127.0.0.1:") {
		hs.Close()
		return nil, fmt.Errorf("proxy listens on %s, not 127.0.0.1", hs.URL)
	}
	return hs, nil
}

// URL is the proxy's base URL, with no trailing slash.
func (p *apiProxy) URL() string { return p.hs.URL }

// Close releases every held call and stops the proxy.
func (p *apiProxy) Close() {
	p.mu.Lock()
	select {
	case <-p.closed:
	default:
		close(p.closed)
	}
	p.mu.Unlock()
	p.hs.Close()
}

// Failed returns the calls the proxy failed, by method and status.
func (p *apiProxy) Failed() map[string]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make(map[string]int, len(p.failed))
	for k, v := range p.failed {
		out[k] = v
	}
	return out
}

// set starts a window of kind ("" ends the current one).
func (p *apiProxy) set(kind string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	close(p.release)
	p.release = make(chan struct{})
	p.cur = kind
}

func (p *apiProxy) serve(w http.ResponseWriter, r *http.Request) {
	method := "response_url"
	if m, ok := strings.CutPrefix(r.URL.Path, "/api/"); ok {
		method = m
	}
	if !postingCall(method) {
		p.fwd.ServeHTTP(w, r)
		return
	}
	p.mu.Lock()
	kind, release, closed := p.cur, p.release, p.closed
	p.mu.Unlock()
	wait := func(d time.Duration) bool {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
			return true
		case <-r.Context().Done():
		case <-closed:
		}
		return false
	}
	fail := func(status int, why string) {
		p.mu.Lock()
		p.failed[fmt.Sprintf("%s %d (%s)", method, status, why)]++
		p.mu.Unlock()
		if status == http.StatusTooManyRequests {
			w.Header().Set("Retry-After", strconv.FormatInt(int64((p.retry+time.Second-1)/time.Second), 10))
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(status)
		_, _ = fmt.Fprintf(w, `{"ok":false,"error":%q}`, map[int]string{http.StatusServiceUnavailable: "service_unavailable", http.StatusTooManyRequests: "ratelimited"}[status])
	}
	switch kind {
	case outage503:
		fail(http.StatusServiceUnavailable, "outage")
		return
	case outage429:
		fail(http.StatusTooManyRequests, "outage")
		return
	case outageHang:
		// Held until the caller gives up or the window ends; a hung call
		// never takes effect, so a caller that retries cannot post twice.
		if p.held != nil {
			p.held <- method
		}
		select {
		case <-release:
		case <-r.Context().Done():
		case <-closed:
		}
		fail(http.StatusServiceUnavailable, "hung")
		return
	case outageSlow:
		if !wait(p.slow) {
			fail(http.StatusServiceUnavailable, "slow, caller gone")
			return
		}
	}
	if p.delay > 0 && !wait(p.delay) {
		fail(http.StatusServiceUnavailable, "slow, caller gone")
		return
	}
	p.fwd.ServeHTTP(w, r)
}

// play runs the schedule: after start, each window in turn, gap apart. It
// returns when the schedule is over or ctx ends, with no window on; note
// is called as each window starts.
func (p *apiProxy) play(ctx context.Context, ws []outage, start, gap time.Duration, note func(outage)) {
	defer p.set("")
	pause := start
	for _, o := range ws {
		if sleepCtx(ctx, pause); ctx.Err() != nil {
			return
		}
		note(o)
		p.set(o.Kind)
		if sleepCtx(ctx, o.For); ctx.Err() != nil {
			return
		}
		p.set("")
		pause = gap
	}
}
