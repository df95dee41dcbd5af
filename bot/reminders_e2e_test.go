package bot_test

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/slack-go/slack"

	"github.com/d2iq/supportbot/bot"
	"github.com/d2iq/supportbot/bot/slacktest"
	"github.com/d2iq/supportbot/policy"
	"github.com/d2iq/supportbot/store"
)

// remSlack runs the scheduler with the real poster against the fake Slack
// and a real store that can be closed and opened again (a restart).
type remSlack struct {
	t       *testing.T
	srv     *slacktest.Server
	api     *slack.Client
	path    string
	clock   *remClock
	metrics *bot.Metrics
	reg     *prometheus.Registry
	db      *store.DB
	r       *bot.Reminders
}

const remChannel = "C0REMIND"

func newRemSlack(t *testing.T, now time.Time) *remSlack {
	t.Helper()
	srv, err := slacktest.NewServer(slacktest.Options{Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	reg := prometheus.NewRegistry()
	s := &remSlack{
		t: t, srv: srv,
		api:     slack.New("xoxb-test", slack.OptionAPIURL(srv.APIURL())),
		path:    filepath.Join(t.TempDir(), "bot.db"),
		clock:   &remClock{t: now},
		metrics: bot.NewMetrics(reg),
		reg:     reg,
	}
	s.start()
	return s
}

// start opens the store and builds the scheduler, as `supportbot run` does.
func (s *remSlack) start() {
	s.t.Helper()
	db, err := store.Open(s.path, store.Options{})
	if err != nil {
		s.t.Fatal(err)
	}
	s.t.Cleanup(func() { _ = db.Close() })
	m := remModel(s.t, remPolicy)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	r, err := bot.NewReminders(remDefaults(bot.ReminderConfig{
		Policy:   func() *policy.Model { return m },
		Store:    db,
		Poster:   bot.NewPoster(s.api, 5*time.Second, log, s.metrics),
		Channels: []string{remChannel},
		At:       "09:00",
		Now:      s.clock.Now,
		Logger:   log,
		Metrics:  s.metrics,
	}))
	if err != nil {
		s.t.Fatal(err)
	}
	s.db, s.r = db, r
}

func (s *remSlack) restart() {
	s.t.Helper()
	if err := s.db.Close(); err != nil {
		s.t.Fatal(err)
	}
	s.start()
}

func (s *remSlack) check() error {
	ctx, cancel := context.WithTimeout(context.Background(), remWait)
	defer cancel()
	return s.r.Check(ctx)
}

// calls counts the chat.postMessage calls to remChannel with the status.
func (s *remSlack) calls(status int) int {
	n := 0
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, _ = s.srv.WaitCall(ctx, func(c slacktest.Call) bool {
		if c.Method == "chat.postMessage" && c.Param("channel") == remChannel && c.Status == status {
			n++
		}
		return false
	})
	return n
}

// counter reads a counter without labels from the registry.
func (s *remSlack) counter(name string) float64 {
	s.t.Helper()
	mfs, err := s.reg.Gather()
	if err != nil {
		s.t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == name && len(mf.GetMetric()) == 1 {
			return mf.GetMetric()[0].GetCounter().GetValue()
		}
	}
	return 0
}

// TestReminders_EndToEnd: the reminder goes to the configured channel
// through the real poster, a 429 is waited out, and after a restart it is
// not posted again.
func TestReminders_EndToEnd(t *testing.T) {
	s := newRemSlack(t, utc("2021-08-02 09:00"))
	s.srv.RateLimit("chat.postMessage", 1, 0)
	if err := s.check(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), remWait)
	defer cancel()
	call, err := s.srv.WaitCall(ctx, func(c slacktest.Call) bool {
		return c.Method == "chat.postMessage" && c.Param("channel") == remChannel && c.Status == 200
	})
	if err != nil {
		t.Fatalf("no reminder posted: %v", err)
	}
	if got, want := call.Param("text"), "Konvoy 1.6 support ends in 30 days (2021-09-01, when Konvoy 1.9 is expected)"; got != want {
		t.Errorf("text = %q, want %q", got, want)
	}
	if blocks := call.Param("blocks"); !strings.Contains(blocks, "What expires") || !strings.Contains(blocks, "Move to") || !strings.Contains(blocks, "Konvoy Version Support Policy") {
		t.Errorf("blocks lack what expires, what to move to or the source: %s", blocks)
	}
	if n := s.calls(429); n != 1 {
		t.Errorf("%d rate-limited calls, want 1", n)
	}
	if sent, err := s.db.ReminderSent("remind/konvoy/1.6/30d/" + remChannel); err != nil || !sent {
		t.Errorf("reminder not marked: %v, %v", sent, err)
	}
	if got := s.counter("supportbot_reminders_posted_total"); got != 1 {
		t.Errorf("reminders metric = %v, want 1", got)
	}

	s.restart()
	s.clock.Set(utc("2021-08-02 09:30"))
	if err := s.check(); err != nil {
		t.Fatal(err)
	}
	if n := s.calls(200); n != 1 {
		t.Errorf("reminder posted %d times across a restart, want 1", n)
	}
}

// TestReminders_EndToEndPermanentFailure: a post Slack refuses for good is
// not marked, so the next check posts it.
func TestReminders_EndToEndPermanentFailure(t *testing.T) {
	s := newRemSlack(t, utc("2021-08-02 09:00"))
	s.srv.ErrorNext("chat.postMessage", 1, "not_in_channel")
	err := s.check()
	if err == nil || !strings.Contains(err.Error(), "not_in_channel") {
		t.Fatalf("Check err = %v, want not_in_channel", err)
	}
	key := "remind/konvoy/1.6/30d/" + remChannel
	if sent, _ := s.db.ReminderSent(key); sent {
		t.Fatal("refused post marked sent")
	}
	// ErrorNext answers HTTP 200 with {"ok":false}: the refusal is a call.
	if n := s.calls(200); n != 1 {
		t.Fatalf("%d calls, want the one refused", n)
	}

	s.clock.Set(utc("2021-08-02 09:05"))
	if err := s.check(); err != nil {
		t.Fatal(err)
	}
	if n := s.calls(200); n != 2 {
		t.Errorf("%d calls after the retry, want the refused one and the retry", n)
	}
	if got := s.counter("supportbot_reminders_posted_total"); got != 1 {
		t.Errorf("reminders metric = %v, want 1", got)
	}
	if sent, _ := s.db.ReminderSent(key); !sent {
		t.Error("retried post not marked")
	}
}
