package bot_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/d2iq/supportbot/bot"
	"github.com/d2iq/supportbot/bot/slacktest"
	"github.com/d2iq/supportbot/policy"
	"github.com/d2iq/supportbot/store"
)

const waitFor = 15 * time.Second

// harness runs a real bot (real slack-go socketmode client, real bbolt
// store) against the fake Slack over loopback.
type harness struct {
	t    *testing.T
	srv  *slacktest.Server
	db   *store.DB
	bot  *bot.Bot
	stop context.CancelFunc
	done chan error
	seq  atomic.Int64
}

func newHarness(t *testing.T, tweak func(*bot.Config)) *harness {
	t.Helper()
	srv, err := slacktest.NewServer(slacktest.Options{PingInterval: 200 * time.Millisecond, Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(filepath.Join(t.TempDir(), "bot.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		srv.Close()
		db.Close()
	})
	h := &harness{t: t, srv: srv, db: db}
	h.bot, h.stop, h.done = startBot(t, srv, db, tweak)
	wctx, wcancel := context.WithTimeout(context.Background(), waitFor)
	defer wcancel()
	if err := srv.WaitConnected(wctx); err != nil {
		t.Fatal(err)
	}
	return h
}

// testConfig is a bot configuration for tests: the production defaults,
// with short waits so that outages and retries fit in a test.
func testConfig(t *testing.T, db *store.DB) bot.Config {
	m := policy.Default()
	return bot.Config{
		Policy:       func() *policy.Model { return m },
		Inbox:        db,
		Log:          db,
		Command:      "/support",
		Admins:       []string{"UADMIN"},
		LogQuestions: true,
		Workers:      8, SlashWorkers: 4, Queue: 4096, Posters: 64,
		CallTimeout:  2 * time.Second,
		RetryFor:     time.Hour,
		RetryMaxWait: 500 * time.Millisecond,
		DedupeTTL:    time.Hour,
		AckDeadline:  2 * time.Second,
		DrainTimeout: 10 * time.Second,
		SlackGrace:   time.Second,
		StuckAfter:   5 * time.Second,
		Logger:       slog.New(slog.NewTextHandler(testWriter{t}, nil)),
		Now:          time.Now,
		Commands: map[string]bot.Command{
			"stats":   bot.StatsCommand(db, time.Now),
			"history": bot.HistoryCommand(db),
		},
	}
}

// startBot runs a bot on srv and db until the returned stop is called; the
// test's cleanup stops it too and checks that it stopped.
func startBot(t *testing.T, srv *slacktest.Server, db *store.DB, tweak func(*bot.Config)) (*bot.Bot, context.CancelFunc, chan error) {
	t.Helper()
	cfg := testConfig(t, db)
	if tweak != nil {
		tweak(&cfg)
	}
	api := slack.New("xoxb-test", slack.OptionAPIURL(srv.APIURL()), slack.OptionAppLevelToken("xapp-test"))
	b, err := bot.New(api, "UBOT", cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			done <- err
		case <-time.After(waitFor):
			t.Error("bot did not stop")
		}
	})
	return b, cancel, done
}

// testWriter sends the bot's logs to the test log.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

func (h *harness) ctx() context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), waitFor)
	h.t.Cleanup(cancel)
	return ctx
}

// mention sends an app_mention and returns its ts.
func (h *harness) mention(text string, opts ...slacktest.EnvelopeOption) string {
	h.t.Helper()
	ts, _ := h.mentionEnvelope(text, opts...)
	return ts
}

// mentionEnvelope sends an app_mention and returns its ts and envelope id.
func (h *harness) mentionEnvelope(text string, opts ...slacktest.EnvelopeOption) (ts, envelopeID string) {
	h.t.Helper()
	ts = fmt.Sprintf("1700000000.%06d", h.seq.Add(1))
	envelopeID, err := h.srv.SendEvent(mentionTS(ts, text), opts...)
	if err != nil {
		h.t.Fatal(err)
	}
	return ts, envelopeID
}

// slash sends a slash command and returns its ack, which carries the answer.
func (h *harness) slash(user, channel, text string) slacktest.Ack {
	h.t.Helper()
	id, err := h.srv.SendSlashCommand(slacktest.SlashCommand{Command: "/support", Text: text, UserID: user, ChannelID: channel, TeamID: "T1"})
	if err != nil {
		h.t.Fatal(err)
	}
	ack, err := h.srv.WaitAck(h.ctx(), id)
	if err != nil {
		h.t.Fatal(err)
	}
	return ack
}

// dm sends a direct message event; extra fields override the defaults.
func (h *harness) dm(text string, extra map[string]any, opts ...slacktest.EnvelopeOption) string {
	h.t.Helper()
	ts := fmt.Sprintf("1700000001.%06d", h.seq.Add(1))
	ev := map[string]any{"type": "message", "channel_type": "im", "user": "U2", "text": text, "ts": ts, "channel": "D1", "event_ts": ts}
	for k, v := range extra {
		ev[k] = v
	}
	if _, err := h.srv.SendEvent(ev, opts...); err != nil {
		h.t.Fatal(err)
	}
	return ts
}

// replyTo waits for the chat.postMessage that answers ts (as thread or text).
func (h *harness) post(pred func(slacktest.Call) bool) slacktest.Call {
	h.t.Helper()
	c, err := h.srv.WaitCall(h.ctx(), func(c slacktest.Call) bool {
		return c.Method == "chat.postMessage" && c.Status == 200 && pred(c)
	})
	if err != nil {
		h.t.Fatalf("no matching chat.postMessage: %v", err)
	}
	return c
}

func (h *harness) countPosts(pred func(slacktest.Call) bool) int {
	n := 0
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	// WaitCall shows every call so far in order; count them until the deadline.
	_, _ = h.srv.WaitCall(ctx, func(c slacktest.Call) bool {
		if c.Method == "chat.postMessage" && c.Status == 200 && pred(c) {
			n++
		}
		return false
	})
	return n
}

func TestBot_SlashCommand(t *testing.T) {
	h := newHarness(t, nil)
	ack := h.slash("U1", "C1", "konvoy 1.6")
	var p struct {
		ResponseType string            `json:"response_type"`
		Text         string            `json:"text"`
		Blocks       []json.RawMessage `json:"blocks"`
	}
	if err := json.Unmarshal(ack.Payload, &p); err != nil {
		t.Fatalf("ack payload %s: %v", ack.Payload, err)
	}
	if p.ResponseType != "ephemeral" || !strings.Contains(p.Text, "Konvoy 1.6.x is supported") {
		t.Errorf("ack payload = %s", ack.Payload)
	}
	if !strings.Contains(string(ack.Payload), `"action_id":"share"`) {
		t.Errorf("no Share button: %s", ack.Payload)
	}
	hist, err := h.db.History("U1", 10)
	if err != nil || len(hist) != 1 || hist[0].Source != "slash" || hist[0].Verdict != "supported" || hist[0].Text != "konvoy 1.6" {
		t.Errorf("query log = %+v, %v", hist, err)
	}
}

func TestBot_Mention(t *testing.T) {
	h := newHarness(t, nil)
	ts := h.mention("can I run Kommander 1.3 on Konvoy 1.8?")
	c := h.post(func(c slacktest.Call) bool { return c.Param("thread_ts") == ts })
	if c.Param("channel") != "C1" || !strings.Contains(c.Param("text"), "No: Konvoy 1.8.x pairs only with Kommander 1.4.x") {
		t.Errorf("reply = channel %s text %q", c.Param("channel"), c.Param("text"))
	}
	if !strings.Contains(c.Param("blocks"), "INCOMPATIBLE") {
		t.Errorf("blocks lack the verdict header: %s", c.Param("blocks"))
	}
	// A mention inside a thread is answered in that thread.
	_, err := h.srv.SendEvent(map[string]any{"type": "app_mention", "user": "U1", "text": "<@UBOT> konvoy 1.5", "ts": "1700000005.000001", "thread_ts": "1700000004.000001", "channel": "C1"})
	if err != nil {
		t.Fatal(err)
	}
	h.post(func(c slacktest.Call) bool {
		return c.Param("thread_ts") == "1700000004.000001" && strings.Contains(c.Param("text"), "not supported")
	})
}

func TestBot_DirectMessage(t *testing.T) {
	h := newHarness(t, func(c *bot.Config) { c.Workers = 1 })
	// The bot's own message, another bot's, and an edit: none is answered.
	h.dm("konvoy 1.7 own", map[string]any{"user": "UBOT"})
	h.dm("konvoy 1.7 bot", map[string]any{"bot_id": "B9", "user": "U9"})
	h.dm("konvoy 1.7 edit", map[string]any{"subtype": "message_changed"})
	h.dm("is konvoy 1.6 still supported?", nil)
	c := h.post(func(c slacktest.Call) bool { return c.Param("channel") == "D1" })
	if !strings.Contains(c.Param("text"), "Konvoy 1.6.x is supported") {
		t.Errorf("DM reply = %q", c.Param("text"))
	}
	// One worker takes envelopes in order, so the ignored ones came first.
	if n := h.countPosts(func(slacktest.Call) bool { return true }); n != 1 {
		t.Errorf("%d replies, want 1 (the bot answered a bot or an edit)", n)
	}
}

func TestBot_InjectionEscaped(t *testing.T) {
	h := newHarness(t, nil)
	ts := h.mention("<!channel> <!here> <@U999> &lt;!everyone&gt; is <https://evil.example|konvoy> 1.x ok")
	c := h.post(func(c slacktest.Call) bool { return c.Param("thread_ts") == ts })
	for _, field := range []string{c.Param("text"), c.Param("blocks")} {
		for _, bad := range []string{"<!channel>", "<!here>", "<!everyone>", "<@U999>", "<https://evil", "<!"} {
			if strings.Contains(field, bad) {
				t.Errorf("reply contains %q: %s", bad, field)
			}
		}
	}
}

func TestBot_RedeliveredOnce(t *testing.T) {
	h := newHarness(t, func(c *bot.Config) { c.Workers = 1 })
	ts := h.mention("konvoy 1.8", slacktest.WithEventID("EvDup"))
	h.mention("konvoy 1.8", slacktest.WithEventID("EvDup"), slacktest.WithRetry(1, "timeout"))
	h.mention("konvoy 1.8", slacktest.WithEventID("EvDup"), slacktest.WithRetry(2, "timeout"))
	last := h.mention("konvoy 1.7", slacktest.WithEventID("EvLast"))
	h.post(func(c slacktest.Call) bool { return c.Param("thread_ts") == last })
	if n := h.countPosts(func(c slacktest.Call) bool { return c.Param("thread_ts") == ts }); n != 1 {
		t.Errorf("redelivered event answered %d times, want 1", n)
	}
	qs, _ := h.db.Queries(store.QueryFilter{})
	if len(qs) != 2 {
		t.Errorf("query log has %d records, want 2", len(qs))
	}
}

func TestBot_RateLimitRetried(t *testing.T) {
	h := newHarness(t, nil)
	h.srv.RateLimit("chat.postMessage", 2, time.Second)
	ts := h.mention("konvoy 1.6")
	h.post(func(c slacktest.Call) bool { return c.Param("thread_ts") == ts })
	limited := 0
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, _ = h.srv.WaitCall(ctx, func(c slacktest.Call) bool {
		if c.Method == "chat.postMessage" && c.Status == 429 {
			limited++
		}
		return false
	})
	if limited != 2 {
		t.Errorf("%d rate-limited calls, want 2 before success", limited)
	}
}

func TestBot_ServerErrorRetried(t *testing.T) {
	h := newHarness(t, nil)
	h.srv.FailNext("chat.postMessage", 2, 503)
	ts := h.mention("konvoy 1.6")
	h.post(func(c slacktest.Call) bool { return c.Param("thread_ts") == ts })
}

func TestBot_MalformedFrames(t *testing.T) {
	h := newHarness(t, nil)
	if err := h.srv.SendRaw([]byte("{not json")); err != nil {
		t.Fatal(err)
	}
	// An envelope slack-go cannot parse (unknown inner event) is still acked.
	id, err := h.srv.SendEvent(map[string]any{"type": "no_such_event_type", "user": "U1"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.srv.WaitAck(h.ctx(), id); err != nil {
		t.Errorf("unreadable envelope not acked: %v", err)
	}
	ts := h.mention("konvoy 1.6")
	h.post(func(c slacktest.Call) bool { return c.Param("thread_ts") == ts })
}

func TestBot_Reconnect(t *testing.T) {
	h := newHarness(t, nil)
	for i, fault := range []func(){
		func() {
			if err := h.srv.Disconnect("refresh_requested"); err != nil {
				t.Fatal(err)
			}
		},
		h.srv.DropConnection,
		func() {
			if err := h.srv.Disconnect("warning"); err != nil {
				t.Fatal(err)
			}
		},
	} {
		fault()
		if err := h.srv.WaitConnections(h.ctx(), i+2); err != nil {
			t.Fatalf("fault %d: no reconnect: %v", i, err)
		}
		ts := h.mention(fmt.Sprintf("konvoy 1.%d", 6+i))
		h.post(func(c slacktest.Call) bool { return c.Param("thread_ts") == ts })
	}
}

func TestBot_FatalAuth(t *testing.T) {
	h := newHarness(t, nil)
	h.srv.FailAuth("invalid_auth")
	h.srv.DropConnection()
	select {
	case err := <-h.done:
		if err == nil || !strings.Contains(err.Error(), "invalid_auth") {
			t.Errorf("Run = %v, want an invalid_auth error", err)
		}
		h.done <- err // for the cleanup
	case <-time.After(waitFor):
		t.Fatal("Run did not return after invalid_auth")
	}
}

func TestBot_AppHome(t *testing.T) {
	h := newHarness(t, nil)
	if _, err := h.srv.SendEvent(map[string]any{"type": "app_home_opened", "user": "U3", "channel": "D3", "tab": "home"}); err != nil {
		t.Fatal(err)
	}
	c, err := h.srv.WaitCall(h.ctx(), func(c slacktest.Call) bool { return c.Method == "views.publish" })
	if err != nil {
		t.Fatal(err)
	}
	if c.Param("user_id") != "U3" {
		t.Errorf("views.publish user_id = %q", c.Param("user_id"))
	}
	view, _ := json.Marshal(c.JSON["view"])
	for _, want := range []string{`"type":"home"`, "Konvoy", "Kommander", "Kaptain", "1.8, 1.7, 1.6", "Upcoming expiries"} {
		if !strings.Contains(string(view), want) {
			t.Errorf("home view lacks %q: %s", want, view)
		}
	}
}

func TestBot_ShareButton(t *testing.T) {
	h := newHarness(t, nil)
	url := h.srv.NewResponseURL()
	_, err := h.srv.SendInteraction(map[string]any{
		"type": "block_actions", "user": map[string]any{"id": "U1"}, "channel": map[string]any{"id": "C1"},
		"team": map[string]any{"id": "T1"}, "response_url": url,
		"actions": []map[string]any{{"action_id": "share", "block_id": "actions", "value": "konvoy 1.6", "type": "button"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	c, err := h.srv.WaitCall(h.ctx(), func(c slacktest.Call) bool { return c.Method == "response_url" })
	if err != nil {
		t.Fatal(err)
	}
	if c.Param("response_type") != "in_channel" || !strings.Contains(c.Param("text"), "Konvoy 1.6.x is supported") {
		t.Errorf("share = %+v", c.JSON)
	}
	hist, _ := h.db.History("U1", 10)
	if len(hist) != 1 || hist[0].Source != "share" {
		t.Errorf("share not logged: %+v", hist)
	}
}

func TestBot_AdminCommands(t *testing.T) {
	h := newHarness(t, nil)
	ask := func(user, text string) string { return string(h.slash(user, "C1", text).Payload) }
	ask("U1", "konvoy 1.6")
	ask("U1", "openshift 4.6")
	if got := ask("U1", "stats"); !strings.Contains(got, "admins only") {
		t.Errorf("non-admin stats = %s", got)
	}
	got := ask("UADMIN", "stats")
	for _, want := range []string{"2 questions", "openshift 4.6", "konvoy 1"} {
		if !strings.Contains(got, want) {
			t.Errorf("admin stats lacks %q: %s", want, got)
		}
	}
	if got := ask("U1", "history"); !strings.Contains(got, "openshift 4.6") || !strings.Contains(got, "konvoy 1.6") {
		t.Errorf("history = %s", got)
	}
	if got := ask("U1", "help"); !strings.Contains(got, "/support konvoy 1.6") || !strings.Contains(got, "/support history") {
		t.Errorf("help = %s", got)
	}
}

// TestBot_Drain: after Run's context ends, a reply in flight is still sent.
func TestBot_Drain(t *testing.T) {
	h := newHarness(t, nil)
	h.srv.RateLimit("chat.postMessage", 1, time.Second)
	ts := h.mention("konvoy 1.6")
	// Wait until the reply is in flight (its first attempt was rate limited).
	if _, err := h.srv.WaitCall(h.ctx(), func(c slacktest.Call) bool { return c.Status == 429 }); err != nil {
		t.Fatal(err)
	}
	h.stop()
	select {
	case err := <-h.done:
		if err != nil {
			t.Errorf("Run = %v, want nil after a clean stop", err)
		}
		h.done <- err
	case <-time.After(waitFor):
		t.Fatal("Run did not return")
	}
	h.post(func(c slacktest.Call) bool { return c.Param("thread_ts") == ts })
}

func TestNew_Validation(t *testing.T) {
	if _, err := bot.New(slack.New("xoxb-x"), "U", bot.Config{}); err == nil {
		t.Error("New accepted an empty config")
	}
	cfg := testConfig(t, nil)
	cfg.Posters = 0
	if _, err := bot.New(slack.New("xoxb-x"), "U", cfg); err == nil || !strings.Contains(err.Error(), "Posters") {
		t.Errorf("New with no posters = %v, want an error naming Posters", err)
	}
	var nilErr error
	if errors.Is(nilErr, context.Canceled) {
		t.Fatal("unreachable")
	}
}

// TestBot_Privacy: with LogQuestions off the query log keeps the counts
// but not the question text.
func TestBot_Privacy(t *testing.T) {
	h := newHarness(t, func(c *bot.Config) { c.LogQuestions = false })
	ts := h.mention("konvoy 1.6")
	h.post(func(c slacktest.Call) bool { return c.Param("thread_ts") == ts })
	qs, err := h.db.Queries(store.QueryFilter{})
	if err != nil || len(qs) != 1 {
		t.Fatalf("queries = %+v, %v", qs, err)
	}
	if qs[0].Text != "" || qs[0].Intent != "status" || qs[0].Verdict != "supported" || qs[0].Product != "konvoy" {
		t.Errorf("logged %+v, want counts without text", qs[0])
	}
}

func mentionTS(ts, text string) map[string]any {
	return map[string]any{"type": "app_mention", "user": "U1", "text": "<@UBOT> " + text, "ts": ts, "channel": "C1", "event_ts": ts}
}
