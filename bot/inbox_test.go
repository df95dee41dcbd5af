package bot_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/d2iq/supportbot/bot"
	"github.com/d2iq/supportbot/bot/slacktest"
	"github.com/d2iq/supportbot/store"
)

// waitUntil polls cond until it holds, failing the test at the deadline.
func waitUntil(t *testing.T, what string, within time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.NewTimer(within)
	defer deadline.Stop()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-deadline.C:
			t.Fatalf("timed out after %s waiting for %s", within, what)
		case <-tick.C:
		}
	}
}

// replies counts the successful chat.postMessage calls answering each
// thread ts, as far as the fake has recorded them.
func (h *harness) replies() map[string]int {
	n := map[string]int{}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, _ = h.srv.WaitCall(ctx, func(c slacktest.Call) bool {
		if c.Method == "chat.postMessage" && c.Status == 200 {
			n[c.Param("thread_ts")]++
		}
		return false
	})
	return n
}

// askDuring sends n mentions and waits for each ack; it returns their ts.
func (h *harness) askDuring(n int) []string {
	h.t.Helper()
	var tss []string
	for i := range n {
		ts, id := h.mentionEnvelope(fmt.Sprintf("konvoy 1.%d", 5+i%4))
		if _, err := h.srv.WaitAck(h.ctx(), id); err != nil {
			h.t.Fatalf("question %d not acked: %v", i, err)
		}
		tss = append(tss, ts)
	}
	return tss
}

// answeredOnce waits until every ts is answered and checks none twice.
func (h *harness) answeredOnce(tss []string, within time.Duration) {
	h.t.Helper()
	waitUntil(h.t, fmt.Sprintf("%d replies", len(tss)), within, func() bool {
		got := h.replies()
		for _, ts := range tss {
			if got[ts] == 0 {
				return false
			}
		}
		return true
	})
	for ts, n := range h.replies() {
		if n > 1 {
			h.t.Errorf("question %s answered %d times", ts, n)
		}
	}
}

// TestBot_AckOnRecord: a mention is acked once it is on record, before
// its reply, and the record says where the reply goes.
func TestBot_AckOnRecord(t *testing.T) {
	h := newHarness(t, nil)
	h.srv.Delay("chat.postMessage", 500*time.Millisecond)
	ts, id := h.mentionEnvelope("konvoy 1.6", slacktest.WithEventID("EvRec"))
	ack, err := h.srv.WaitAck(h.ctx(), id)
	if err != nil {
		t.Fatal(err)
	}
	// At the ack the question is on record and owed.
	owed, err := h.db.ListPending()
	if err != nil || len(owed) != 1 || owed[0].EventID != "EvRec" || owed[0].Thread != ts {
		t.Fatalf("outbox at the ack = %+v, %v", owed, err)
	}
	if qs, _ := h.db.Queries(store.QueryFilter{}); len(qs) != 1 || qs[0].Seq != owed[0].Seq {
		t.Fatalf("query log at the ack = %+v", qs)
	}
	reply := h.post(func(c slacktest.Call) bool { return c.Param("thread_ts") == ts })
	if !ack.Time.Before(reply.Time) {
		t.Errorf("ack at %v is not before the reply at %v", ack.Time, reply.Time)
	}
	waitUntil(t, "the answered mark", waitFor, func() bool {
		owed, _ := h.db.ListPending()
		return len(owed) == 0
	})
}

// TestBot_Outage: questions asked while chat.postMessage fails are acked at
// once and all answered, once each, after the outage; /readyz goes unready
// during it and ready again after.
func TestBot_Outage(t *testing.T) {
	for _, tc := range []struct {
		name       string
		d          time.Duration
		status     int
		retryAfter time.Duration
		long       bool
	}{
		{"503 for 10s", 10 * time.Second, http.StatusServiceUnavailable, 0, false},
		{"429 for 10s", 10 * time.Second, http.StatusTooManyRequests, time.Second, false},
		{"503 for 60s", 60 * time.Second, http.StatusServiceUnavailable, 0, true},
		{"429 for 60s", 60 * time.Second, http.StatusTooManyRequests, 2 * time.Second, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.long && testing.Short() {
				t.Skip("a minute-long outage; run without -short")
			}
			t.Parallel()
			h := newHarness(t, nil)
			h.srv.Outage("chat.postMessage", tc.d, tc.status, tc.retryAfter)
			tss := h.askDuring(6)
			waitUntil(t, "not ready during the outage", tc.d, func() bool { return h.bot.Ready() != nil })
			if err := h.bot.Ready(); !strings.Contains(err.Error(), "Web API") {
				t.Errorf("Ready during the outage = %v, want it to name the Web API", err)
			}
			tss = append(tss, h.askDuring(6)...)
			h.answeredOnce(tss, tc.d+waitFor)
			waitUntil(t, "ready after the outage", waitFor, func() bool { return h.bot.Ready() == nil })
			waitUntil(t, "the outbox empty", waitFor, func() bool {
				owed, _ := h.db.ListPending()
				return len(owed) == 0
			})
		})
	}
}

// TestBot_HungWebAPI: with chat.postMessage hanging, calls give up at their
// deadline and are retried; slash commands are answered meanwhile, the bot
// says it is not ready, and every mention is answered once Slack answers.
func TestBot_HungWebAPI(t *testing.T) {
	h := newHarness(t, func(c *bot.Config) { c.CallTimeout = 300 * time.Millisecond })
	h.srv.Delay("chat.postMessage", time.Hour)
	tss := h.askDuring(15)
	for i := range 3 {
		ack := h.slash("U1", "C1", fmt.Sprintf("konvoy 1.%d", 6+i))
		if !strings.Contains(string(ack.Payload), "Konvoy 1.") {
			t.Errorf("slash command during the hang = %s", ack.Payload)
		}
	}
	waitUntil(t, "not ready while Slack hangs", waitFor, func() bool { return h.bot.Ready() != nil })
	h.srv.Delay("chat.postMessage", 0)
	h.answeredOnce(tss, waitFor)
	waitUntil(t, "ready again", waitFor, func() bool { return h.bot.Ready() == nil })
}

// TestBot_SlowWebAPIBurst: with a 2.5s Web API a burst is acked without
// waiting for it and answered by many posters at once.
func TestBot_SlowWebAPIBurst(t *testing.T) {
	h := newHarness(t, func(c *bot.Config) { c.Posters = 128; c.CallTimeout = 10 * time.Second })
	h.srv.Delay("chat.postMessage", 2500*time.Millisecond)
	var tss, ids []string
	for i := range 200 {
		ts, id := h.mentionEnvelope(fmt.Sprintf("konvoy 1.%d", 5+i%4))
		tss, ids = append(tss, ts), append(ids, id)
	}
	var lastAck time.Time
	for _, id := range ids {
		ack, err := h.srv.WaitAck(h.ctx(), id)
		if err != nil {
			t.Fatal(err)
		}
		if ack.Time.After(lastAck) {
			lastAck = ack.Time
		}
	}
	first, err := h.srv.WaitCall(h.ctx(), func(c slacktest.Call) bool { return c.Method == "chat.postMessage" && c.Status == 200 })
	if err != nil {
		t.Fatal(err)
	}
	if !lastAck.Before(first.Time) {
		t.Errorf("the last ack (%v) waited for a reply (%v)", lastAck, first.Time)
	}
	h.answeredOnce(tss, waitFor)
}

// TestBot_RestartOwed: questions on record whose replies were not out when
// the bot stopped are answered by the next start, once, with no new record.
func TestBot_RestartOwed(t *testing.T) {
	h := newHarness(t, func(c *bot.Config) { c.DrainTimeout = 50 * time.Millisecond })
	h.srv.Outage("chat.postMessage", time.Hour, http.StatusServiceUnavailable, 0)
	tss := h.askDuring(5)
	h.stop()
	if err := <-h.done; err != nil {
		t.Fatal(err)
	}
	h.done <- nil
	if owed, _ := h.db.ListPending(); len(owed) != 5 {
		t.Fatalf("%d replies owed after the stop, want 5", len(owed))
	}
	h.srv.ClearFaults("chat.postMessage") // Slack is back
	h.bot, h.stop, h.done = startBot(t, h.srv, h.db, nil)
	h.answeredOnce(tss, waitFor)
	waitUntil(t, "the outbox empty", waitFor, func() bool {
		owed, _ := h.db.ListPending()
		return len(owed) == 0
	})
	if qs, _ := h.db.Queries(store.QueryFilter{}); len(qs) != 5 {
		t.Errorf("%d records, want 5: an owed reply is not a new question", len(qs))
	}
}

// TestBot_RetryLimit: a reply Slack does not take within RetryFor is
// reported and settled, not retried for ever nor dropped silently.
func TestBot_RetryLimit(t *testing.T) {
	var logs syncBuffer
	h := newHarness(t, func(c *bot.Config) {
		c.RetryFor = 300 * time.Millisecond
		c.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	})
	h.srv.Outage("chat.postMessage", time.Hour, http.StatusServiceUnavailable, 0)
	h.mention("konvoy 1.6", slacktest.WithEventID("EvGiveUp"))
	waitUntil(t, "the reply given up", waitFor, func() bool {
		owed, _ := h.db.ListPending()
		return len(owed) == 0 && strings.Contains(logs.String(), "retry limit")
	})
	if !strings.Contains(logs.String(), "event_id=EvGiveUp") {
		t.Errorf("the give-up is not logged with its event id:\n%s", logs.String())
	}
}

// TestBot_Redelivery: a redelivery of an event on record is acked at once
// and not answered again, also while its reply is still owed.
func TestBot_Redelivery(t *testing.T) {
	h := newHarness(t, nil)
	h.srv.Outage("chat.postMessage", 2*time.Second, http.StatusServiceUnavailable, 0)
	ts, _ := h.mentionEnvelope("konvoy 1.6", slacktest.WithEventID("EvAgain"))
	for i := 1; i <= 3; i++ {
		id, err := h.srv.SendEvent(mentionTS(ts, "konvoy 1.6"), slacktest.WithEventID("EvAgain"), slacktest.WithRetry(i, "timeout"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := h.srv.WaitAck(h.ctx(), id); err != nil {
			t.Fatalf("redelivery %d not acked: %v", i, err)
		}
	}
	h.answeredOnce([]string{ts}, waitFor)
	if qs, _ := h.db.Queries(store.QueryFilter{}); len(qs) != 1 {
		t.Errorf("%d records for one event, want 1", len(qs))
	}
}

// failingInbox is a store whose commits fail while broken is set: a full
// disk.
type failingInbox struct {
	*store.DB
	broken atomic.Bool
}

var errDiskFull = errors.New("write supportbot.db: no space left on device")

func (f *failingInbox) Receive(ctx context.Context, q store.Query, p store.Pending, ttl time.Duration) (bool, error) {
	if f.broken.Load() {
		return false, errDiskFull
	}
	return f.DB.Receive(ctx, q, p, ttl)
}

func (f *failingInbox) LogQuery(ctx context.Context, q store.Query) (uint64, error) {
	if f.broken.Load() {
		return 0, errDiskFull
	}
	return f.DB.LogQuery(ctx, q)
}

// TestBot_FailingStore: with the store failing, a question is not answered
// (it is not on record): the asker is told, the bot is not ready; once the
// store works again, so does the bot.
func TestBot_FailingStore(t *testing.T) {
	var inbox *failingInbox
	h := newHarness(t, func(c *bot.Config) {
		inbox = &failingInbox{DB: c.Log.(*store.DB)}
		c.Inbox, c.Log = inbox, inbox
	})
	inbox.broken.Store(true)
	ts, id := h.mentionEnvelope("konvoy 1.6")
	if _, err := h.srv.WaitAck(h.ctx(), id); err != nil {
		t.Fatal(err)
	}
	note := h.post(func(c slacktest.Call) bool { return c.Param("thread_ts") == ts })
	if !strings.Contains(note.Param("text"), "could not record your question") {
		t.Errorf("reply with the store failing = %q", note.Param("text"))
	}
	if ack := h.slash("U1", "C1", "konvoy 1.6"); !strings.Contains(string(ack.Payload), "could not record your question") {
		t.Errorf("slash command with the store failing = %s", ack.Payload)
	}
	if err := h.bot.Ready(); err == nil || !strings.Contains(err.Error(), "no space left") {
		t.Errorf("Ready with the store failing = %v", err)
	}
	if qs, _ := h.db.Queries(store.QueryFilter{}); len(qs) != 0 {
		t.Errorf("records while failing: %+v", qs)
	}
	inbox.broken.Store(false)
	ts = h.mention("konvoy 1.6")
	reply := h.post(func(c slacktest.Call) bool { return c.Param("thread_ts") == ts })
	if !strings.Contains(reply.Param("text"), "Konvoy 1.6.x is supported") {
		t.Errorf("reply after the store recovered = %q", reply.Param("text"))
	}
	waitUntil(t, "ready again", waitFor, func() bool { return h.bot.Ready() == nil })
}

// TestBot_Readiness: not ready before the first connection and after the
// socket has been down longer than the grace; ready again on reconnect; a
// bad frame does not change it.
func TestBot_Readiness(t *testing.T) {
	h := newHarness(t, nil)
	waitUntil(t, "ready", waitFor, func() bool { return h.bot.Ready() == nil })
	for _, frame := range []string{"{not json", "", `{"type":"events_api","envelope_id":"E1","payload":{"event":{"type":"bogus"}}}`} {
		if err := h.srv.SendRaw([]byte(frame)); err != nil {
			t.Fatal(err)
		}
	}
	ts := h.mention("konvoy 1.6")
	h.post(func(c slacktest.Call) bool { return c.Param("thread_ts") == ts })
	if err := h.bot.Ready(); err != nil {
		t.Errorf("Ready after bad frames = %v", err)
	}
	// Slack refuses new connections: down past the grace, then back.
	h.srv.FailAuth("service_unavailable")
	h.srv.DropConnection()
	waitUntil(t, "not ready while disconnected", waitFor, func() bool {
		err := h.bot.Ready()
		return err != nil && strings.Contains(err.Error(), "not connected")
	})
	h.srv.FailAuth("")
	waitUntil(t, "ready after the reconnect", waitFor, func() bool { return h.bot.Ready() == nil })
}

// TestBot_Actions: one block_actions payload is one answer, however many
// actions it carries; tampered payloads are answered with nothing.
func TestBot_Actions(t *testing.T) {
	h := newHarness(t, nil)
	url := h.srv.NewResponseURL()
	var acts []map[string]any
	for range 300 {
		acts = append(acts, map[string]any{"action_id": "share", "block_id": "actions", "value": "konvoy 1.6", "type": "button"})
	}
	base := func(extra map[string]any) map[string]any {
		m := map[string]any{"type": "block_actions", "user": map[string]any{"id": "U1"}, "channel": map[string]any{"id": "C1"},
			"team": map[string]any{"id": "T1"}, "response_url": url}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	for _, p := range []map[string]any{
		base(map[string]any{"actions": []map[string]any{{"action_id": "no_such_action", "value": "konvoy 1.6"}}}),
		base(map[string]any{"actions": []map[string]any{{"action_id": "share", "value": "konvoy 1.6"}}, "response_url": ""}),
		base(map[string]any{"actions": "not a list"}),
		base(map[string]any{"type": "view_submission"}),
		base(map[string]any{"actions": acts}),
	} {
		id, err := h.srv.SendInteraction(p)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := h.srv.WaitAck(h.ctx(), id); err != nil {
			t.Fatalf("interaction not acked: %v", err)
		}
	}
	if _, err := h.srv.WaitCall(h.ctx(), func(c slacktest.Call) bool { return c.Method == "response_url" }); err != nil {
		t.Fatal(err)
	}
	// A mention after them is answered; by then every button is settled.
	ts := h.mention("konvoy 1.7")
	h.post(func(c slacktest.Call) bool { return c.Param("thread_ts") == ts })
	n := 0
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_, _ = h.srv.WaitCall(ctx, func(c slacktest.Call) bool {
		if c.Method == "response_url" || (c.Method == "chat.postMessage" && c.Param("channel") == "C1" && c.Param("thread_ts") == "") {
			n++
		}
		return false
	})
	if n != 1 {
		t.Errorf("%d posts for the interactions, want 1 (one for the 300-action payload)", n)
	}
	if hist, _ := h.db.History("U1", 0); len(hist) != 2 { // the share and the mention
		t.Errorf("%d records, want 2: %+v", len(hist), hist)
	}
}

// TestBot_ResponseURLRedacted: a failing response_url never reaches the logs.
func TestBot_ResponseURLRedacted(t *testing.T) {
	var logs syncBuffer
	h := newHarness(t, func(c *bot.Config) { c.Logger = slog.New(slog.NewTextHandler(&logs, nil)) })
	// Nothing listens on port 1: the error names the URL it could not reach.
	url := "http://127.0.0.1:1/response/RSECRET"
	id, err := h.srv.SendInteraction(map[string]any{"type": "block_actions", "user": map[string]any{"id": "U1"},
		"channel": map[string]any{"id": "C1"}, "team": map[string]any{"id": "T1"}, "response_url": url,
		"actions": []map[string]any{{"action_id": "share", "block_id": "actions", "value": "konvoy 1.6", "type": "button"}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.srv.WaitAck(h.ctx(), id); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "the response_url failure logged", waitFor, func() bool {
		return strings.Contains(logs.String(), "level=ERROR") && strings.Contains(logs.String(), "response_url")
	})
	if strings.Contains(logs.String(), "RSECRET") {
		t.Errorf("the response_url is in the logs:\n%s", logs.String())
	}
}

// syncBuffer is a bytes.Buffer safe for the bot's concurrent logging.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// stuckInbox is a store whose commits hang until released.
type stuckInbox struct {
	*store.DB
	release chan struct{}
}

func (s *stuckInbox) Receive(ctx context.Context, q store.Query, p store.Pending, ttl time.Duration) (bool, error) {
	select {
	case <-s.release:
	case <-ctx.Done():
		return false, ctx.Err()
	}
	return s.DB.Receive(ctx, q, p, ttl)
}

// TestBot_StuckWork: questions that make no progress make the bot unready,
// slash commands are answered meanwhile; once the questions move again the
// bot is ready, and they are answered.
func TestBot_StuckWork(t *testing.T) {
	inbox := &stuckInbox{release: make(chan struct{})}
	h := newHarness(t, func(c *bot.Config) {
		inbox.DB = c.Log.(*store.DB)
		c.Inbox = inbox
		c.StuckAfter = 200 * time.Millisecond
	})
	ts := h.mention("konvoy 1.6")
	waitUntil(t, "not ready while stuck", waitFor, func() bool {
		err := h.bot.Ready()
		return err != nil && strings.Contains(err.Error(), "stuck")
	})
	// Slash commands have their own lane: they do not wait behind it.
	if ack := h.slash("U1", "C1", "konvoy 1.7"); !strings.Contains(string(ack.Payload), "Konvoy 1.7.x is supported") {
		t.Errorf("slash command while mentions are stuck = %s", ack.Payload)
	}
	close(inbox.release)
	h.post(func(c slacktest.Call) bool { return c.Param("thread_ts") == ts })
	waitUntil(t, "ready again", waitFor, func() bool { return h.bot.Ready() == nil })
}

type failingStats struct{}

func (failingStats) Stats(store.QueryFilter) (store.Stats, error) {
	return store.Stats{}, errors.New("read supportbot.db: input/output error")
}

// TestBot_CommandError: a failing subcommand says that the command failed,
// not that a question went unrecorded, and never the error's own text.
func TestBot_CommandError(t *testing.T) {
	h := newHarness(t, func(c *bot.Config) { c.Commands["stats"] = bot.StatsCommand(failingStats{}, time.Now) })
	got := string(h.slash("UADMIN", "C1", "stats").Payload)
	if !strings.Contains(got, "that command failed") || strings.Contains(got, "record your question") || strings.Contains(got, "supportbot.db") {
		t.Errorf("failed stats = %s", got)
	}
}
