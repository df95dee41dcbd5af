package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/d2iq/supportbot/bot"
	"github.com/d2iq/supportbot/bot/feed"
	"github.com/d2iq/supportbot/bot/slacktest"
	"github.com/d2iq/supportbot/policy"
)

// reloadWait bounds every wait in these tests.
const reloadWait = 15 * time.Second

// reloadPolicy is a policy whose Konvoy releases are filled in per test.
const reloadPolicy = `as_of: 2021-06-01
sources:
  - id: konvoy-policy
    title: Konvoy Version Support Policy
products:
  konvoy:
    name: Konvoy
    support: {rule: n-minus, n: 2, source: "konvoy-policy#Version Support Policy"}
    releases: [%s]
`

func konvoyPolicy(releases ...string) string {
	cs := make([]string, len(releases))
	for i, r := range releases {
		cs[i] = `{cycle: "` + r + `"}`
	}
	return strings.Replace(reloadPolicy, "%s", strings.Join(cs, ", "), 1)
}

// badPolicy has an unknown field on line 8.
var badPolicy = strings.Replace(konvoyPolicy("1.9", "1.8", "1.7"), "    name: Konvoy\n", "    name: Konvoy\n    colour: red\n", 1)

// lockedBuffer is a log sink safe for a writing goroutine and a reading test.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// records returns the JSON log records so far with the given message.
func (b *lockedBuffer) records(msg string) []map[string]any {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []map[string]any
	for _, line := range strings.Split(b.buf.String(), "\n") {
		var rec map[string]any
		if json.Unmarshal([]byte(line), &rec) == nil && rec["msg"] == msg {
			out = append(out, rec)
		}
	}
	return out
}

// watcherEnv is a policy watcher on a temporary file.
type watcherEnv struct {
	t        *testing.T
	path     string
	policies *policyHolder
	logs     *lockedBuffer
	reg      *prometheus.Registry
	reloaded chan *policy.Model
	w        *policyWatcher
}

func newWatcherEnv(t *testing.T, path, content string) *watcherEnv {
	t.Helper()
	e := &watcherEnv{
		t: t, path: path, policies: &policyHolder{}, logs: &lockedBuffer{},
		reg: prometheus.NewRegistry(), reloaded: make(chan *policy.Model, 10),
	}
	e.write(content)
	e.w = &policyWatcher{
		path: path, policies: e.policies,
		log:      slog.New(slog.NewJSONHandler(e.logs, nil)),
		metrics:  bot.NewMetrics(e.reg),
		onReload: func(m *policy.Model) { e.reloaded <- m },
	}
	// As serve does: prime, then load.
	e.w.prime()
	m, err := policy.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	e.policies.p.Store(m)
	return e
}

func (e *watcherEnv) write(content string) {
	e.t.Helper()
	if err := os.WriteFile(e.path, []byte(content), 0o600); err != nil {
		e.t.Fatal(err)
	}
}

// latest is the latest Konvoy cycle of the policy in force.
func (e *watcherEnv) latest() string {
	p, _ := e.policies.get().Product("konvoy")
	return p.Latest().String()
}

// reloads reads supportbot_policy_reloads_total{result}.
func (e *watcherEnv) reloads(result string) float64 {
	e.t.Helper()
	mfs, err := e.reg.Gather()
	if err != nil {
		e.t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != "supportbot_policy_reloads_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "result" && l.GetValue() == result {
					return m.GetCounter().GetValue()
				}
			}
		}
	}
	return 0
}

func TestPolicyWatcher(t *testing.T) {
	e := newWatcherEnv(t, filepath.Join(t.TempDir(), "policy.yaml"), konvoyPolicy("1.8", "1.7", "1.6"))
	steps := []struct {
		name     string
		write    string // new file content, if any
		remove   bool
		hup      bool
		latest   string // Konvoy's latest cycle in force afterwards
		reloaded bool   // onReload called
		ok, fail float64
		errLogs  int // "policy reload rejected" lines so far
	}{
		{name: "unchanged", latest: "1.8"},
		{name: "a release added", write: konvoyPolicy("1.9", "1.8", "1.7", "1.6"), latest: "1.9", reloaded: true, ok: 1},
		{name: "polled again", latest: "1.9", ok: 1},
		{name: "a bad file", write: badPolicy, latest: "1.9", ok: 1, fail: 1, errLogs: 1},
		{name: "the bad file polled again", latest: "1.9", ok: 1, fail: 1, errLogs: 1},
		{name: "the bad file on SIGHUP", hup: true, latest: "1.9", ok: 1, fail: 2, errLogs: 2},
		{name: "fixed", write: konvoyPolicy("1.10", "1.9", "1.8"), latest: "1.10", reloaded: true, ok: 2, fail: 2, errLogs: 2},
		{name: "SIGHUP reloads an unchanged file", hup: true, latest: "1.10", reloaded: true, ok: 3, fail: 2, errLogs: 2},
		{name: "file removed", remove: true, latest: "1.10", ok: 3, fail: 3, errLogs: 2},
		{name: "still removed", latest: "1.10", ok: 3, fail: 3, errLogs: 2},
		{name: "back", write: konvoyPolicy("1.11", "1.10", "1.9"), latest: "1.11", reloaded: true, ok: 4, fail: 3, errLogs: 2},
	}
	for _, s := range steps {
		if s.write != "" {
			e.write(s.write)
		}
		if s.remove {
			if err := os.Remove(e.path); err != nil {
				t.Fatal(err)
			}
		}
		if s.hup {
			e.w.hup()
		} else {
			e.w.poll()
		}
		if got := e.latest(); got != s.latest {
			t.Errorf("%s: Konvoy %s in force, want %s", s.name, got, s.latest)
		}
		select {
		case m := <-e.reloaded:
			if !s.reloaded {
				t.Errorf("%s: onReload called", s.name)
			} else if m != e.policies.get() {
				t.Errorf("%s: onReload got a model that is not in force", s.name)
			}
		default:
			if s.reloaded {
				t.Errorf("%s: onReload not called", s.name)
			}
		}
		if ok, fail := e.reloads("ok"), e.reloads("failed"); ok != s.ok || fail != s.fail {
			t.Errorf("%s: reloads ok=%v failed=%v, want %v and %v", s.name, ok, fail, s.ok, s.fail)
		}
		if n := len(e.logs.records("policy reload rejected; the last good policy stays in force")); n != s.errLogs {
			t.Errorf("%s: %d rejection logs, want %d", s.name, n, s.errLogs)
		}
	}

	// The rejection names the file, the line and the field, at error level.
	recs := e.logs.records("policy reload rejected; the last good policy stays in force")
	if len(recs) == 0 {
		t.Fatal("no rejection logged")
	}
	rec := recs[0]
	msg, _ := rec["err"].(string)
	if rec["level"] != "ERROR" || rec["file"] != e.path || !strings.Contains(msg, e.path+" line 8 field products.konvoy.colour") {
		t.Errorf("rejection log = %v", rec)
	}
	if n := len(e.logs.records("policy reload failed; the last good policy stays in force")); n != 1 {
		t.Errorf("missing file logged %d times, want once", n)
	}
}

// TestPolicyWatcher_ConfigMapSwap: Kubernetes updates a ConfigMap volume by
// pointing the ..data symlink at a new directory; the file's path stays.
func TestPolicyWatcher_ConfigMapSwap(t *testing.T) {
	dir := t.TempDir()
	v1 := filepath.Join(dir, "..2021_06_01")
	if err := os.Mkdir(v1, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(v1, "policy.yaml"), []byte(konvoyPolicy("1.8", "1.7", "1.6")), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Base(v1), filepath.Join(dir, "..data")); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "policy.yaml")
	if err := os.Symlink(filepath.Join("..data", "policy.yaml"), path); err != nil {
		t.Fatal(err)
	}
	e := &watcherEnv{t: t, path: path, policies: &policyHolder{}, logs: &lockedBuffer{}, reg: prometheus.NewRegistry(), reloaded: make(chan *policy.Model, 10)}
	e.w = &policyWatcher{path: path, policies: e.policies, log: slog.New(slog.NewJSONHandler(e.logs, nil)), metrics: bot.NewMetrics(e.reg)}
	e.w.prime()
	m, err := policy.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	e.policies.p.Store(m)

	v2 := filepath.Join(dir, "..2021_09_01")
	if err := os.Mkdir(v2, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(v2, "policy.yaml"), []byte(konvoyPolicy("1.9", "1.8", "1.7", "1.6")), 0o600); err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Join(dir, "..data_tmp")
	if err := os.Symlink(filepath.Base(v2), tmp); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, "..data")); err != nil {
		t.Fatal(err)
	}
	e.w.poll()
	if got := e.latest(); got != "1.9" {
		t.Errorf("after the swap Konvoy %s is in force, want 1.9", got)
	}
}

// TestPolicyWatcher_Run: run reloads on a SIGHUP and on a poll tick, and
// returns when its context ends.
func TestPolicyWatcher_Run(t *testing.T) {
	e := newWatcherEnv(t, filepath.Join(t.TempDir(), "policy.yaml"), konvoyPolicy("1.8", "1.7", "1.6"))
	hup := make(chan os.Signal)
	tick := make(chan time.Time)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { e.w.run(ctx, hup, tick); close(done) }()
	wait := func(want string) {
		t.Helper()
		select {
		case m := <-e.reloaded:
			if p, _ := m.Product("konvoy"); p.Latest().String() != want {
				t.Errorf("reloaded Konvoy %s, want %s", p.Latest(), want)
			}
		case <-time.After(reloadWait):
			t.Fatal("no reload")
		}
	}
	e.write(konvoyPolicy("1.9", "1.8", "1.7"))
	tick <- time.Time{}
	wait("1.9")
	hup <- syscall.SIGHUP
	wait("1.9")
	cancel()
	select {
	case <-done:
	case <-time.After(reloadWait):
		t.Fatal("run did not return")
	}
}

// TestPolicyWatcher_NoFile: without SUPPORTBOT_POLICY_FILE, a SIGHUP is
// logged and changes nothing (and, being handled, does not end the process).
func TestPolicyWatcher_NoFile(t *testing.T) {
	logs := &lockedBuffer{}
	var policies policyHolder
	def := policy.Default()
	policies.p.Store(def)
	w := &policyWatcher{policies: &policies, log: slog.New(slog.NewJSONHandler(logs, nil))}
	w.prime()
	w.hup()
	w.poll()
	if policies.get() != def {
		t.Error("policy replaced")
	}
	if recs := logs.records("SIGHUP: no SUPPORTBOT_POLICY_FILE is set, so the embedded policy stays; nothing to reload"); len(recs) != 1 {
		t.Errorf("SIGHUP without a file logged %d times, want once", len(recs))
	}
}

// TestRun_ReloadAnnounces runs `supportbot run` with a policy file and a
// reminder channel: the calendar feed serves the planned expiry, a release
// written to the file is picked up by the poll, answered at once and
// announced once in the channel.
func TestRun_ReloadAnnounces(t *testing.T) {
	srv := newServer(t)
	dir := t.TempDir()
	botEnv(t, srv, filepath.Join(dir, "bot.db"))
	file := filepath.Join(dir, "policy.yaml")
	planned := strings.Replace(konvoyPolicy("1.8", "1.7", "1.6"), "    releases:", "    upcoming: [{cycle: \"1.9\", expected: 2099-09-01}]\n    releases:", 1)
	if err := os.WriteFile(file, []byte(planned), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("SUPPORTBOT_POLICY_FILE", file)
	t.Setenv("SUPPORTBOT_REMINDER_CHANNELS", "C0REM, ")
	r := startRun(t, srv)
	defer r.stop(t)
	ctx, cancel := context.WithTimeout(context.Background(), reloadWait)
	defer cancel()
	if _, err := r.logs.waitLog(ctx, "release state recorded; nothing is announced on the first start"); err != nil {
		t.Fatal(err)
	}

	resp, err := http.Get(r.http + "/calendar.ics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	cal, err := ics.ParseCalendar(bytes.NewReader(body))
	if err != nil || resp.Header.Get("Content-Type") != feed.CalendarContentType {
		t.Fatalf("/calendar.ics: %v %q\n%s", err, resp.Header.Get("Content-Type"), body)
	}
	if evs := cal.Events(); len(evs) != 1 || evs[0].Id() != "konvoy-1.6-end@supportbot" {
		t.Errorf("calendar events = %d\n%s", len(evs), body)
	}

	if err := os.WriteFile(file, []byte(konvoyPolicy("1.9", "1.8", "1.7", "1.6")), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := r.logs.waitLog(ctx, "policy reloaded"); err != nil {
		t.Fatal(err)
	}
	call, err := srv.WaitCall(ctx, func(c slacktest.Call) bool {
		return c.Method == "chat.postMessage" && c.Param("channel") == "C0REM"
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := "Konvoy 1.9 is released; support for Konvoy 1.6 has ended; supported now: 1.9, 1.8, 1.7"; call.Param("text") != want {
		t.Errorf("announcement = %q, want %q", call.Param("text"), want)
	}
	id, err := srv.SendSlashCommand(slacktest.SlashCommand{Command: "/support", Text: "konvoy 1.9", UserID: "U1", ChannelID: "C1"})
	if err != nil {
		t.Fatal(err)
	}
	ack, err := srv.WaitAck(ctx, id)
	if err != nil || !strings.Contains(string(ack.Payload), "Konvoy 1.9.x is supported") {
		t.Errorf("answer after the reload = %s, %v", ack.Payload, err)
	}
}
