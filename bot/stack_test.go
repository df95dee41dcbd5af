package bot_test

import (
	"context"
	"encoding/json"
	"io"
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

// stackWait bounds every wait of the channel stack tests.
const stackWait = 15 * time.Second

// The channels of the tests.
const (
	chTracks16 = "C0TRACK16" // tracks Konvoy 1.6: hears of its end
	chTracks18 = "C0TRACK18" // tracks Konvoy 1.8: does not
	chAll      = "C0ALL"     // subscribed, tracks nothing: hears everything
	chConfig   = "C0CONFIG"  // configured, tracks a stack: hears everything
)

// stackSlack runs a real bot with the stack commands and the reminder
// scheduler with the stack filter against the fake Slack and a real store.
type stackSlack struct {
	t      *testing.T
	srv    *slacktest.Server
	db     *store.DB
	policy atomic.Pointer[policy.Model]
	now    atomic.Pointer[time.Time]
	r      *bot.Reminders
}

func newStackSlack(t *testing.T) *stackSlack {
	t.Helper()
	srv, err := slacktest.NewServer(slacktest.Options{PingInterval: 200 * time.Millisecond, Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	db, err := store.Open(filepath.Join(t.TempDir(), "bot.db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	s := &stackSlack{t: t, srv: srv, db: db}
	s.setPolicy(remPolicy)
	s.setNow(time.Date(2021, 6, 1, 10, 0, 0, 0, time.UTC))
	pol := func() *policy.Model { return s.policy.Load() }
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	api := slack.New("xoxb-test", slack.OptionAPIURL(srv.APIURL()), slack.OptionAppLevelToken("xapp-test"))

	configured := []string{chConfig}
	s.r, err = bot.NewReminders(remDefaults(bot.ReminderConfig{
		Policy:   pol,
		Store:    db,
		Poster:   bot.NewPoster(api, 5*time.Second, log, nil),
		Channels: configured,
		Now:      func() time.Time { return *s.now.Load() },
		Logger:   log,
		Filter:   bot.StackFilter{Stacks: db, Configured: configured},
	}))
	if err != nil {
		t.Fatal(err)
	}
	cfg := testConfig(t, db)
	cfg.Policy, cfg.Logger = pol, log
	cfg.Commands = map[string]bot.Command{
		"track":   bot.TrackCommand(db, pol),
		"untrack": bot.UntrackCommand(db, pol),
		"stack":   bot.StackCommand(db, pol, func() time.Time { return *s.now.Load() }),
	}
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
		case <-done:
		case <-time.After(stackWait):
			t.Error("bot did not stop")
		}
	})
	wctx, wcancel := context.WithTimeout(context.Background(), stackWait)
	defer wcancel()
	if err := srv.WaitConnected(wctx); err != nil {
		t.Fatal(err)
	}
	return s
}

func (s *stackSlack) setPolicy(yaml string) {
	s.t.Helper()
	m, err := policy.Parse("stack.yaml", []byte(yaml))
	if err != nil {
		s.t.Fatal(err)
	}
	s.policy.Store(m)
}

func (s *stackSlack) setNow(t time.Time) { s.now.Store(&t) }

// slash types /support text in channel as user and returns the reply.
func (s *stackSlack) slash(user, channel, text string) string {
	s.t.Helper()
	id, err := s.srv.SendSlashCommand(slacktest.SlashCommand{Command: "/support", Text: text, UserID: user, ChannelID: channel, TeamID: "T1"})
	if err != nil {
		s.t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), stackWait)
	defer cancel()
	ack, err := s.srv.WaitAck(ctx, id)
	if err != nil {
		s.t.Fatal(err)
	}
	// Decode the reply, so that it reads as Slack shows it (<#C1>, not \u003c#C1\u003e).
	var v any
	if err := json.Unmarshal(ack.Payload, &v); err != nil {
		s.t.Fatalf("reply %s: %v", ack.Payload, err)
	}
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		s.t.Fatal(err)
	}
	return b.String()
}

func (s *stackSlack) check() {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), stackWait)
	defer cancel()
	if err := s.r.Check(ctx); err != nil {
		s.t.Fatal(err)
	}
}

// posts counts the chat.postMessage calls so far to channel whose text contains want.
func (s *stackSlack) posts(channel, want string) int {
	n := 0
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, _ = s.srv.WaitCall(ctx, func(c slacktest.Call) bool {
		if c.Method == "chat.postMessage" && c.Status == 200 && c.Param("channel") == channel && strings.Contains(c.Param("text"), want) {
			n++
		}
		return false
	})
	return n
}

func TestStack_EndToEnd(t *testing.T) {
	s := newStackSlack(t)
	if _, err := s.db.Subscribe(chAll, "UADMIN"); err != nil {
		t.Fatal(err)
	}

	// track: any member of the channel, no admin needed.
	got := s.slash("U1", chTracks16, "track konvoy 1.6.3 kommander 1.2")
	for _, want := range []string{"<#" + chTracks16 + "> now tracks Konvoy 1.6.3 and Kommander 1.2"} {
		if !strings.Contains(got, want) {
			t.Fatalf("track reply lacks %q: %s", want, got)
		}
	}
	if got := s.slash("U2", chTracks18, "track Konvoy 1.8, kommander 1.4"); !strings.Contains(got, "now tracks Konvoy 1.8 and Kommander 1.4") {
		t.Fatalf("track reply: %s", got)
	}
	if got := s.slash("U2", chConfig, "track konvoy 1.8"); !strings.Contains(got, "now tracks Konvoy 1.8") {
		t.Fatalf("track reply: %s", got)
	}

	// Mistakes change nothing and say what is wrong.
	for text, want := range map[string]string{
		"track konvy 1.7":                     "Did you mean `konvoy`?",
		"track konvoy":                        "Say which version of Konvoy",
		"track konvoy banana":                 "is not a version of Konvoy",
		"track konvoy 1.8&b>":                 "`1.8&amp;b&gt;` is not a version",
		"track":                               "Say what this channel runs",
		"untrack openshift":                   "I do not know the product",
		"track kommander 1.3 konvoy 1.7 dkp1": "I do not know the product `dkp1`",
	} {
		if got := s.slash("U1", chTracks16, text); !strings.Contains(got, want) {
			t.Errorf("%q: reply lacks %q: %s", text, want, got)
		}
	}
	if st, _ := s.db.ChannelStack(chTracks16); len(st.Items) != 2 || st.Items[1].Version != "1.6.3" {
		t.Fatalf("a mistaken track changed the stack: %+v", st)
	}

	// stack: the policy's answer to the stack, with what is tracked.
	got = s.slash("U3", chTracks16, "stack")
	for _, want := range []string{"*Tracked*  Konvoy 1.6.3 and Kommander 1.2", "last changed by U1", "*Konvoy + Kommander*  COMPATIBLE", "*Konvoy*  SUPPORTED: Konvoy 1.6.3 is supported", "*Kommander*  SUPPORTED", `"value":"konvoy 1.6.3 kommander 1.2"`} {
		if !strings.Contains(got, want) {
			t.Errorf("stack reply lacks %q: %s", want, got)
		}
	}
	if got := s.slash("U3", "C0NOTHING", "stack"); !strings.Contains(got, "tracks nothing yet") {
		t.Errorf("stack of an untracked channel: %s", got)
	}

	// The first check records the release state; then a reminder is due
	// 30 days before Konvoy 1.9: to the channels that track 1.6 (or its
	// Kommander), or everything.
	s.check()
	s.setNow(time.Date(2021, 8, 2, 10, 0, 0, 0, time.UTC))
	s.check()
	const reminder = "Konvoy 1.6 support ends in 30 days"
	for ch, want := range map[string]int{chTracks16: 1, chAll: 1, chConfig: 1, chTracks18: 0} {
		if n := s.posts(ch, reminder); n != want {
			t.Errorf("%s got the reminder %d times, want %d", ch, n, want)
		}
	}

	// Konvoy 1.9 ships: the end of 1.6 is announced once, with what to move to.
	s.setPolicy(remReleased)
	s.setNow(time.Date(2021, 9, 2, 10, 0, 0, 0, time.UTC))
	s.check()
	s.check()
	const announced = "Konvoy 1.9 is released; support for Konvoy 1.6 has ended; supported now: 1.9, 1.8, 1.7"
	for ch, want := range map[string]int{chTracks16: 1, chAll: 1, chConfig: 1, chTracks18: 0} {
		if n := s.posts(ch, announced); n != want {
			t.Errorf("%s got the announcement %d times, want %d", ch, n, want)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), stackWait)
	defer cancel()
	call, err := s.srv.WaitCall(ctx, func(c slacktest.Call) bool {
		return c.Method == "chat.postMessage" && c.Param("channel") == chTracks16 && strings.Contains(c.Param("text"), announced)
	})
	if err != nil || !strings.Contains(call.Param("blocks"), "Move to") {
		t.Errorf("the announcement does not say what to move to: %v %s", err, call.Param("blocks"))
	}

	// untrack: some, then all; a channel that tracks nothing and is not
	// subscribed gets nothing.
	if got := s.slash("U1", chTracks16, "untrack kommander"); !strings.Contains(got, "no longer tracks Kommander 1.2; it still tracks Konvoy 1.6.3") {
		t.Errorf("untrack some: %s", got)
	}
	if got := s.slash("U1", chTracks16, "untrack kubernetes"); !strings.Contains(got, "does not track that") {
		t.Errorf("untrack of an untracked product: %s", got)
	}
	if got := s.slash("U1", chTracks16, "untrack all"); !strings.Contains(got, "no longer tracks Konvoy 1.6.3, and tracks nothing now") {
		t.Errorf("untrack all: %s", got)
	}
	if got := s.slash("U1", chTracks16, "untrack"); !strings.Contains(got, "tracks nothing yet") {
		t.Errorf("untrack again: %s", got)
	}
	chs, err := s.r.Channels()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(strings.Join(chs, " "), chTracks16) {
		t.Errorf("an untracked, unsubscribed channel still gets reminders: %v", chs)
	}
}

func TestStackFilter_Wants(t *testing.T) {
	db, err := store.Open(filepath.Join(t.TempDir(), "bot.db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Track("C1", "U1", []store.StackItem{{Product: "konvoy", Version: "1.6.3"}, {Product: "kommander", Version: "1.2"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Track("C3", "U1", []store.StackItem{{Product: "konvoy", Version: "1.8"}}); err != nil {
		t.Fatal(err)
	}
	f := bot.StackFilter{Stacks: db, Configured: []string{"C3"}}
	c := func(p, v string) policy.PartnerCycle {
		cy, err := policy.ParseCycle(v)
		if err != nil {
			t.Fatal(err)
		}
		return policy.PartnerCycle{Product: p, Cycle: cy}
	}
	tests := []struct {
		name    string
		channel string
		cycles  []policy.PartnerCycle
		want    bool
	}{
		{"tracked cycle", "C1", []policy.PartnerCycle{c("konvoy", "1.6")}, true},
		{"tracked partner", "C1", []policy.PartnerCycle{c("konvoy", "1.5"), c("kommander", "1.2")}, true},
		{"untracked cycle", "C1", []policy.PartnerCycle{c("konvoy", "1.7")}, false},
		{"other product", "C1", []policy.PartnerCycle{c("kaptain", "1.6")}, false},
		{"nothing ends", "C1", nil, false},
		{"untracked channel", "C2", []policy.PartnerCycle{c("konvoy", "1.7")}, true},
		{"configured channel", "C3", []policy.PartnerCycle{c("konvoy", "1.6")}, true},
	}
	for _, tt := range tests {
		got, err := f.Wants(tt.channel, tt.cycles)
		if err != nil || got != tt.want {
			t.Errorf("%s: Wants = %v, %v; want %v", tt.name, got, err, tt.want)
		}
	}
	chs, err := f.Channels()
	if err != nil || strings.Join(chs, ",") != "C1,C3" {
		t.Errorf("Channels = %v, %v", chs, err)
	}
}

// TestStackMessage_Gaps: a tracked product no part of the answer covers
// makes the stack unknown, never a yes.
func TestStackMessage_Gaps(t *testing.T) {
	m, err := policy.Parse("stack.yaml", []byte(remPolicy))
	if err != nil {
		t.Fatal(err)
	}
	st := store.Stack{Items: []store.StackItem{{Product: "konvoy", Version: "1.8"}, {Product: "kommander", Version: "1.4"}, {Product: "kubernetes", Version: "1.20"}}}
	msg := bot.StackMessage(m, st, time.Date(2021, 6, 1, 0, 0, 0, 0, time.UTC))
	b, err := json.Marshal(msg.Blocks)
	if err != nil {
		t.Fatal(err)
	}
	// remPolicy has no Kubernetes ranges: the stack cannot be a plain yes.
	if strings.Contains(string(b), ":white_check_mark:") {
		t.Errorf("a stack with an unanswered part reads as a yes: %s", b)
	}
}
