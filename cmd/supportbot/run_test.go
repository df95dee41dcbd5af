package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/d2iq/supportbot/bot/slacktest"
	"github.com/d2iq/supportbot/store"
)

// TestMain lets a test run this binary as supportbot itself (for signals).
func TestMain(m *testing.M) {
	if os.Getenv("SUPPORTBOT_TEST_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

const (
	testAppToken = "xapp-1-A1-secretapptoken-9f8e7d"
	testBotToken = "xoxb-1-secretbottoken-1a2b3c"
	waitFor      = 20 * time.Second
)

// syncBuffer is a log sink that tests can read while the bot writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
	ch  chan struct{} // closed and replaced on every write
}

func newSyncBuffer() *syncBuffer { return &syncBuffer{ch: make(chan struct{})} }

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	close(b.ch)
	b.ch = make(chan struct{})
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// waitLog waits for a JSON log line with msg and returns it decoded.
func (b *syncBuffer) waitLog(ctx context.Context, msg string) (map[string]any, error) {
	for {
		b.mu.Lock()
		lines := b.buf.String()
		ch := b.ch
		b.mu.Unlock()
		sc := bufio.NewScanner(strings.NewReader(lines))
		for sc.Scan() {
			var rec map[string]any
			if json.Unmarshal(sc.Bytes(), &rec) == nil && rec["msg"] == msg {
				return rec, nil
			}
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("no log line %q: %w\n%s", msg, ctx.Err(), lines)
		case <-ch:
		}
	}
}

// botEnv sets the environment `supportbot run` reads.
func botEnv(t *testing.T, srv *slacktest.Server, db string) {
	t.Setenv("SLACK_APP_TOKEN", testAppToken)
	t.Setenv("SLACK_BOT_TOKEN", testBotToken)
	t.Setenv("SLACK_API_URL", srv.APIURL())
	t.Setenv("SUPPORTBOT_DB_PATH", db)
	t.Setenv("SUPPORTBOT_HTTP_ADDR", "127.0.0.1:0")
	t.Setenv("SUPPORTBOT_LOG_FORMAT", "json")
	t.Setenv("SUPPORTBOT_LOG_LEVEL", "debug")
	t.Setenv("SUPPORTBOT_ADMIN_USERS", " UADMIN, ,")
	t.Setenv("SUPPORTBOT_SLACK_GRACE", "100ms")
}

// running is `supportbot run` in-process.
type running struct {
	logs   *syncBuffer
	cancel context.CancelFunc
	done   chan int
	http   string
}

func startRun(t *testing.T, srv *slacktest.Server) *running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{logs: newSyncBuffer(), cancel: cancel, done: make(chan int, 1)}
	go func() { r.done <- run(ctx, []string{"run"}, os.Getenv, io.Discard, r.logs) }()
	wctx, wcancel := context.WithTimeout(context.Background(), waitFor)
	defer wcancel()
	rec, err := r.logs.waitLog(wctx, "http listening")
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	r.http = "http://" + rec["addr"].(string)
	if _, err := r.logs.waitLog(wctx, "connected to Slack"); err != nil {
		cancel()
		t.Fatal(err)
	}
	// The bot may log its connection before the fake makes it current.
	if err := srv.WaitConnected(wctx); err != nil {
		cancel()
		t.Fatal(err)
	}
	return r
}

// stop ends the run as SIGTERM would and returns its exit code.
func (r *running) stop(t *testing.T) int {
	t.Helper()
	r.cancel()
	select {
	case code := <-r.done:
		return code
	case <-time.After(waitFor):
		t.Fatal("supportbot run did not stop")
		return -1
	}
}

func newServer(t *testing.T) *slacktest.Server {
	t.Helper()
	srv, err := slacktest.NewServer(slacktest.Options{PingInterval: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), waitFor)
	t.Cleanup(cancel)
	return ctx
}

func mentionEvent(ts, text string) map[string]any {
	return map[string]any{"type": "app_mention", "user": "U1", "text": "<@UBOT> " + text, "ts": ts, "channel": "C1"}
}

func waitReply(t *testing.T, srv *slacktest.Server, ts string) slacktest.Call {
	t.Helper()
	c, err := srv.WaitCall(testCtx(t), func(c slacktest.Call) bool {
		return c.Method == "chat.postMessage" && c.Status == 200 && c.Param("thread_ts") == ts
	})
	if err != nil {
		t.Fatalf("no reply in thread %s: %v", ts, err)
	}
	return c
}

func countReplies(srv *slacktest.Server, ts string) int {
	n := 0
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, _ = srv.WaitCall(ctx, func(c slacktest.Call) bool {
		if c.Method == "chat.postMessage" && c.Status == 200 && c.Param("thread_ts") == ts {
			n++
		}
		return false
	})
	return n
}

// TestRun_Session runs `supportbot run` through a whole session against the
// fake Slack: health and readiness, a slash command, a mention, metrics, a
// clean stop — and checks the token values never reach the logs.
func TestRun_Session(t *testing.T) {
	srv := newServer(t)
	db := filepath.Join(t.TempDir(), "bot.db")
	botEnv(t, srv, db)
	r := startRun(t, srv)

	get := func(path string) (int, string) {
		resp, err := http.Get(r.http + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	if code, _ := get("/healthz"); code != 200 {
		t.Errorf("/healthz = %d", code)
	}
	if code, body := get("/readyz"); code != 200 {
		t.Errorf("/readyz = %d %s", code, body)
	}

	id, err := srv.SendSlashCommand(slacktest.SlashCommand{Command: "/support", Text: "konvoy 1.6", UserID: "U1", ChannelID: "C1"})
	if err != nil {
		t.Fatal(err)
	}
	ack, err := srv.WaitAck(testCtx(t), id)
	if err != nil || !strings.Contains(string(ack.Payload), "Konvoy 1.6.x is supported") {
		t.Errorf("slash ack = %s, %v", ack.Payload, err)
	}
	if _, err := srv.SendEvent(mentionEvent("1700000000.000001", "konvoy 1.8 kommander 1.3"), slacktest.WithEventID("Ev1")); err != nil {
		t.Fatal(err)
	}
	reply := waitReply(t, srv, "1700000000.000001")
	if !strings.Contains(reply.Param("text"), "pairs only with Kommander 1.4.x") {
		t.Errorf("mention reply = %q", reply.Param("text"))
	}

	// The reply is counted once the bot has Slack's answer to it.
	var metrics string
	for deadline := time.Now().Add(waitFor); time.Now().Before(deadline); {
		if _, metrics = get("/metrics"); strings.Contains(metrics, "supportbot_owed_replies 0") &&
			strings.Contains(metrics, `supportbot_replies_total{intent="pairing",verdict="incompatible"} 1`) {
			break
		}
		<-time.After(20 * time.Millisecond)
	}
	for _, want := range []string{"supportbot_events_received_total", "supportbot_replies_total{intent=\"pairing\",verdict=\"incompatible\"} 1",
		"supportbot_ack_latency_seconds_bucket", "supportbot_query_log_write_seconds_count 2", "supportbot_owed_replies 0",
		"supportbot_outbox_depth 0", "supportbot_retry_oldest_seconds 0", "supportbot_slack_api_call_seconds_bucket"} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	// Cut off from Slack, the bot is alive but not ready.
	srv.FailNext("apps.connections.open", 1000, 500)
	srv.DropConnection()
	if _, err := r.logs.waitLog(testCtx(t), "socket mode connection problem"); err != nil {
		t.Fatal(err)
	}
	// Past the grace (100ms here), the bot says it is not ready.
	code, body := 0, ""
	for deadline := time.Now().Add(waitFor); time.Now().Before(deadline); <-time.After(20 * time.Millisecond) {
		if code, body = get("/readyz"); code == 503 {
			break
		}
	}
	if code != 503 || !strings.Contains(body, "not connected to Slack") {
		t.Errorf("/readyz while disconnected = %d %s", code, body)
	}
	if code, _ := get("/healthz"); code != 200 {
		t.Errorf("/healthz while disconnected = %d", code)
	}
	if code := r.stop(t); code != 0 {
		t.Errorf("exit %d after a clean stop, want 0", code)
	}
	logs := r.logs.String()
	for _, tok := range []string{testAppToken, testBotToken, "secretapptoken", "secretbottoken"} {
		if strings.Contains(logs, tok) {
			t.Errorf("logs contain a token value %q", tok)
		}
	}
	if !strings.Contains(logs, `"envelope_id"`) {
		t.Error("no log line carries an envelope id")
	}
	sdb, err := store.OpenReadOnly(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	qs, _ := sdb.Queries(store.QueryFilter{})
	if len(qs) != 2 {
		t.Errorf("query log has %d records, want 2", len(qs))
	}
}

// TestRun_RestartDedupe: an event redelivered after a restart is answered once.
func TestRun_RestartDedupe(t *testing.T) {
	srv := newServer(t)
	db := filepath.Join(t.TempDir(), "bot.db")
	botEnv(t, srv, db)
	r := startRun(t, srv)
	if _, err := srv.SendEvent(mentionEvent("1700000001.000001", "konvoy 1.6"), slacktest.WithEventID("EvR")); err != nil {
		t.Fatal(err)
	}
	waitReply(t, srv, "1700000001.000001")
	if code := r.stop(t); code != 0 {
		t.Fatalf("exit %d", code)
	}

	r = startRun(t, srv)
	defer r.stop(t)
	if err := srv.WaitConnections(testCtx(t), 2); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.SendEvent(mentionEvent("1700000001.000001", "konvoy 1.6"), slacktest.WithEventID("EvR"), slacktest.WithRetry(1, "timeout")); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.SendEvent(mentionEvent("1700000002.000001", "konvoy 1.7"), slacktest.WithEventID("EvS")); err != nil {
		t.Fatal(err)
	}
	waitReply(t, srv, "1700000002.000001")
	if n := countReplies(srv, "1700000001.000001"); n != 1 {
		t.Errorf("event answered %d times across a restart, want 1", n)
	}
}

// TestRun_StoreCommandsWhileLocked: stats, backup and a second bot fail fast
// and clearly while a bot holds the database; they work once it stops.
func TestRun_StoreCommandsWhileLocked(t *testing.T) {
	srv := newServer(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "bot.db")
	botEnv(t, srv, db)
	r := startRun(t, srv)
	if _, err := srv.SendEvent(mentionEvent("1700000003.000001", "openshift 4.6")); err != nil {
		t.Fatal(err)
	}
	waitReply(t, srv, "1700000003.000001")

	for _, args := range [][]string{{"stats", "--db", db}, {"backup", "--db", db, filepath.Join(dir, "copy.db")}} {
		start := time.Now()
		code, _, errOut := runCLI(t, nil, args...)
		if code != 1 || !strings.Contains(errOut, "locked") {
			t.Errorf("%s while locked = %d %q", args[0], code, errOut)
		}
		if time.Since(start) > 10*time.Second {
			t.Errorf("%s waited %v on the lock", args[0], time.Since(start))
		}
	}
	var second bytes.Buffer
	if code := run(context.Background(), []string{"run"}, os.Getenv, io.Discard, &second); code != 1 || !strings.Contains(second.String(), "locked") {
		t.Errorf("second bot = %d %s", code, second.String())
	}
	if code := r.stop(t); code != 0 {
		t.Fatalf("exit %d", code)
	}

	code, out, errOut := runCLI(t, nil, "stats", "--db", db, "--format", "json")
	if code != 0 {
		t.Fatalf("stats = %d %s", code, errOut)
	}
	var st map[string]any
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"queries", "by_product", "by_intent", "by_verdict", "unanswered"} {
		if _, ok := st[k]; !ok {
			t.Errorf("stats JSON lacks %q: %s", k, out)
		}
	}
	if st["queries"] != float64(1) || !strings.Contains(out, "openshift 4.6") {
		t.Errorf("stats = %s", out)
	}
	if code, out, _ := runCLI(t, nil, "stats", "--db", db, "--since", "1d"); code != 0 || !strings.Contains(out, "1 questions") {
		t.Errorf("stats text = %d %s", code, out)
	}
	copyPath := filepath.Join(dir, "copy.db")
	if code, _, errOut := runCLI(t, nil, "backup", "--db", db, copyPath); code != 0 {
		t.Fatalf("backup = %d %s", code, errOut)
	}
	if code, out, _ := runCLI(t, nil, "stats", "--db", copyPath, "--format", "json"); code != 0 || !strings.Contains(out, `"queries": 1`) {
		t.Errorf("stats of the backup = %d %s", code, out)
	}
	if code, _, _ := runCLI(t, nil, "stats"); code != 2 {
		t.Errorf("stats without --db = %d, want 2", code)
	}
}

func TestRun_ConfigErrors(t *testing.T) {
	srv := newServer(t)
	db := filepath.Join(t.TempDir(), "bot.db")
	tests := []struct {
		name, key, value, want string
	}{
		{"no app token", "SLACK_APP_TOKEN", "", "SLACK_APP_TOKEN is not set"},
		{"bot token as app token", "SLACK_APP_TOKEN", testBotToken, "SLACK_APP_TOKEN does not look like a xapp- token"},
		{"app token as bot token", "SLACK_BOT_TOKEN", testAppToken, "SLACK_BOT_TOKEN does not look like a xoxb- token"},
		{"api url", "SLACK_API_URL", "http://127.0.0.1:1/api", "must end in /"},
		{"reminder time", "SUPPORTBOT_REMINDER_TIME", "9am", "SUPPORTBOT_REMINDER_TIME"},
		{"time zone", "SUPPORTBOT_TIMEZONE", "Mars/Olympus", "SUPPORTBOT_TIMEZONE"},
		{"log format", "SUPPORTBOT_LOG_FORMAT", "xml", "SUPPORTBOT_LOG_FORMAT"},
		{"workers", "SUPPORTBOT_WORKERS", "lots", "SUPPORTBOT_WORKERS"},
		{"posters", "SUPPORTBOT_POSTERS", "0", "SUPPORTBOT_POSTERS 0 must be 1 to 4096"},
		{"slack timeout", "SUPPORTBOT_SLACK_TIMEOUT", "0s", "SUPPORTBOT_SLACK_TIMEOUT 0s must be positive"},
		{"retry limit", "SUPPORTBOT_REPLY_RETRY_FOR", "soon", "SUPPORTBOT_REPLY_RETRY_FOR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			botEnv(t, srv, db)
			t.Setenv(tt.key, tt.value)
			code, _, errOut := runCLI(t, nil, "run")
			if code != 2 || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, errOut, tt.want)
			}
			for _, tok := range []string{"secretapptoken", "secretbottoken"} {
				if strings.Contains(errOut, tok) {
					t.Errorf("error shows a token: %s", errOut)
				}
			}
		})
	}
	t.Run("invalid_auth", func(t *testing.T) {
		botEnv(t, srv, db)
		srv.FailAuth("invalid_auth")
		defer srv.FailAuth("")
		code, _, errOut := runCLI(t, nil, "run")
		if code != 1 || !strings.Contains(errOut, "invalid_auth") {
			t.Errorf("exit %d, stderr %q", code, errOut)
		}
	})
}

// TestRun_SIGTERM runs the real binary and stops it with SIGTERM: exit 0.
// A fatal Slack error (token revoked) ends it non-zero instead.
func TestRun_SIGTERM(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	for _, tt := range []struct {
		name string
		stop func(srv *slacktest.Server, cmd *exec.Cmd)
		code int
	}{
		{"SIGTERM", func(_ *slacktest.Server, cmd *exec.Cmd) { _ = cmd.Process.Signal(syscall.SIGTERM) }, 0},
		{"token revoked", func(srv *slacktest.Server, _ *exec.Cmd) { srv.FailAuth("token_revoked"); srv.DropConnection() }, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t)
			botEnv(t, srv, filepath.Join(t.TempDir(), "bot.db"))
			t.Setenv("SUPPORTBOT_TEST_MAIN", "1")
			cmd := exec.Command(os.Args[0], "run")
			logs := newSyncBuffer()
			cmd.Stderr = logs
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			t.Cleanup(func() { _ = cmd.Process.Kill() })
			if err := srv.WaitConnected(testCtx(t)); err != nil {
				t.Fatal(err)
			}
			if _, err := logs.waitLog(testCtx(t), "connected to Slack"); err != nil {
				t.Fatal(err)
			}
			tt.stop(srv, cmd)
			select {
			case <-done:
			case <-time.After(waitFor):
				t.Fatalf("supportbot did not exit\n%s", logs.String())
			}
			if got := cmd.ProcessState.ExitCode(); got != tt.code {
				t.Errorf("exit %d, want %d\n%s", got, tt.code, logs.String())
			}
		})
	}
}
