package bot_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	_ "time/tzdata" // the time zone tests must not depend on the machine's zoneinfo

	"github.com/d2iq/supportbot/bot"
	"github.com/d2iq/supportbot/policy"
	"github.com/d2iq/supportbot/store"
)

// remWait bounds every wait in the reminder tests.
const remWait = 15 * time.Second

// remPolicy plans the end of Konvoy 1.6 (and Kommander 1.2) for 2021-09-01,
// when Konvoy 1.9 is expected, and of Kaptain 1.1 at an undated release.
// bot/feed's tests read the same file.
var remPolicy = readTestPolicy("testdata/reminders-policy.yaml")

// readTestPolicy reads a policy fixture at package start.
func readTestPolicy(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// remReleased is remPolicy after Konvoy 1.9 and Kommander 1.5 shipped.
var remReleased = strings.NewReplacer(
	`releases: [{cycle: "1.8"}, {cycle: "1.7"}, {cycle: "1.6"}]`, `releases: [{cycle: "1.9"}, {cycle: "1.8"}, {cycle: "1.7"}, {cycle: "1.6"}]`,
	`    upcoming: [{cycle: "1.9", expected: 2021-09-01}]`+"\n", "",
	`      - {cycle: "1.4", pairs_with: "1.8"}`, `      - {cycle: "1.5", pairs_with: "1.9"}`+"\n"+`      - {cycle: "1.4", pairs_with: "1.8"}`,
).Replace(remPolicy)

func remModel(t testing.TB, yaml string) *policy.Model {
	t.Helper()
	m, err := policy.Parse("reminders.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// remClock is a fake clock.
type remClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *remClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *remClock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// remPost is one recorded post.
type remPost struct {
	Channel string
	Msg     bot.Message
}

// remPoster records posts; fail, when set, decides whether a post fails.
type remPoster struct {
	mu    sync.Mutex
	posts []remPost
	fail  func(channel string) error
	ch    chan remPost
}

func newRemPoster() *remPoster { return &remPoster{ch: make(chan remPost, 100)} }

func (p *remPoster) Post(_ context.Context, channel string, msg bot.Message) error {
	p.mu.Lock()
	fail := p.fail
	p.mu.Unlock()
	if fail != nil {
		if err := fail(channel); err != nil {
			return err
		}
	}
	p.mu.Lock()
	p.posts = append(p.posts, remPost{channel, msg})
	p.mu.Unlock()
	p.ch <- remPost{channel, msg}
	return nil
}

func (p *remPoster) setFail(f func(string) error) {
	p.mu.Lock()
	p.fail = f
	p.mu.Unlock()
}

// take returns the posts so far and forgets them.
func (p *remPoster) take() []remPost {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := p.posts
	p.posts = nil
	for len(p.ch) > 0 {
		<-p.ch
	}
	return out
}

// texts renders posts as "CHANNEL: text".
func texts(ps []remPost) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Channel + ": " + p.Msg.Text
	}
	return out
}

// remEnv is a scheduler on a real store, a fake clock and a recording poster.
type remEnv struct {
	t      *testing.T
	clock  *remClock
	poster *remPoster
	path   string
	db     *store.DB
	model  func() *policy.Model
	setM   func(*policy.Model)
	r      *bot.Reminders
	tweak  func(*bot.ReminderConfig)
}

func newRemEnv(t *testing.T, start time.Time, tweak func(*bot.ReminderConfig)) *remEnv {
	t.Helper()
	var mu sync.Mutex
	m := remModel(t, remPolicy)
	e := &remEnv{
		t: t, clock: &remClock{t: start}, poster: newRemPoster(),
		path:  filepath.Join(t.TempDir(), "bot.db"),
		tweak: tweak,
	}
	e.model = func() *policy.Model { mu.Lock(); defer mu.Unlock(); return m }
	e.setM = func(n *policy.Model) { mu.Lock(); m = n; mu.Unlock() }
	e.open()
	return e
}

// open opens the store and builds the scheduler: a start of the bot.
func (e *remEnv) open() {
	e.t.Helper()
	db, err := store.Open(e.path, store.Options{NoSync: true})
	if err != nil {
		e.t.Fatal(err)
	}
	e.db = db
	e.t.Cleanup(func() { _ = db.Close() })
	cfg := bot.ReminderConfig{
		Policy: e.model, Store: db, Poster: e.poster,
		Channels: []string{"C1"}, At: "09:00", Now: e.clock.Now,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	if e.tweak != nil {
		e.tweak(&cfg)
	}
	r, err := bot.NewReminders(remDefaults(cfg))
	if err != nil {
		e.t.Fatal(err)
	}
	e.r = r
}

// restart closes the store and opens it again with a new scheduler.
func (e *remEnv) restart() {
	e.t.Helper()
	if err := e.db.Close(); err != nil {
		e.t.Fatal(err)
	}
	e.open()
}

// check runs one Check at t and returns the posts it made.
func (e *remEnv) check(t time.Time) []string {
	e.t.Helper()
	e.clock.Set(t)
	if err := e.r.Check(context.Background()); err != nil {
		e.t.Fatalf("Check at %s: %v", t, err)
	}
	return texts(e.poster.take())
}

func (e *remEnv) sent(key string) bool {
	e.t.Helper()
	ok, err := e.db.ReminderSent(key)
	if err != nil {
		e.t.Fatal(err)
	}
	return ok
}

func at(s string, loc *time.Location) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		panic(err)
	}
	return t
}

func utc(s string) time.Time { return at(s, time.UTC) }

const (
	in90 = "C1: Konvoy 1.6 support ends in 90 days (2021-09-01, when Konvoy 1.9 is expected)"
	in30 = "C1: Konvoy 1.6 support ends in 30 days (2021-09-01, when Konvoy 1.9 is expected)"
	in7  = "C1: Konvoy 1.6 support ends in 7 days (2021-09-01, when Konvoy 1.9 is expected)"
	in1  = "C1: Konvoy 1.6 support ends tomorrow (2021-09-01, when Konvoy 1.9 is expected)"
	in0  = "C1: Konvoy 1.6 support ends today (2021-09-01, when Konvoy 1.9 is expected)"
)

// TestReminders_LeadTimes walks the clock through the summer: each lead
// time is posted once, at 09:00 on its day, and nothing before or after.
func TestReminders_LeadTimes(t *testing.T) {
	e := newRemEnv(t, utc("2021-06-01 00:00"), nil)
	steps := []struct {
		now  string
		want []string
	}{
		{"2021-06-01 00:00", nil}, // first start: state recorded, nothing due
		{"2021-06-03 08:59", nil},
		{"2021-06-03 09:00", []string{in90}},
		{"2021-06-03 09:05", nil},
		{"2021-06-04 09:00", nil},
		{"2021-08-02 08:59", nil},
		{"2021-08-02 09:00", []string{in30}},
		{"2021-08-25 09:00", []string{in7}},
		{"2021-08-31 09:00", []string{in1}},
		{"2021-08-31 18:00", nil},
		{"2021-09-01 08:59", nil},
		{"2021-09-01 09:00", []string{in0}},
		{"2021-09-01 23:59", nil},
		{"2021-09-02 09:00", nil},
	}
	for _, s := range steps {
		if got := e.check(utc(s.now)); !slices.Equal(got, s.want) {
			t.Errorf("at %s posted %q, want %q", s.now, got, s.want)
		}
	}
	for _, lead := range []int{90, 30, 7, 1, 0} {
		if key := fmt.Sprintf("remind/konvoy/1.6/%dd/C1", lead); !e.sent(key) {
			t.Errorf("%s not marked", key)
		}
	}
}

// TestReminders_Due checks single checks at chosen moments: the catch-up
// rule (only the most imminent of the leads due, the others marked), the
// start-up catch-up, stale reminders and custom lead times.
func TestReminders_Due(t *testing.T) {
	tests := []struct {
		name      string
		leads     []int
		now       string
		want      []string
		marked    []int
		notMarked []int
	}{
		{"before any lead", nil, "2021-05-01 12:00", nil, nil, []int{90, 30, 7, 1, 0}},
		{"started after 09:00 on a lead day", nil, "2021-08-02 15:00", []string{in30}, []int{90, 30}, []int{7, 1, 0}},
		{"down from before 90 until after 7", nil, "2021-08-26 10:00",
			[]string{"C1: Konvoy 1.6 support ends in 6 days (2021-09-01, when Konvoy 1.9 is expected)"}, []int{90, 30, 7}, []int{1, 0}},
		{"down until the expiry day", nil, "2021-09-01 20:00", []string{in0}, []int{90, 30, 7, 1, 0}, nil},
		{"stale: the expiry day has passed", nil, "2021-09-02 00:00", nil, nil, []int{90, 30, 7, 1, 0}},
		{"custom leads", []int{14, 3}, "2021-08-18 09:00",
			[]string{"C1: Konvoy 1.6 support ends in 14 days (2021-09-01, when Konvoy 1.9 is expected)"}, []int{14}, []int{3}},
		{"custom leads without the day itself", []int{14, 3}, "2021-09-01 09:00", []string{in0}, []int{14, 3}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newRemEnv(t, utc(tt.now), func(c *bot.ReminderConfig) {
				if tt.leads != nil {
					c.LeadDays = tt.leads
				}
			})
			if got := e.check(utc(tt.now)); !slices.Equal(got, tt.want) {
				t.Errorf("posted %q, want %q", got, tt.want)
			}
			for _, l := range tt.marked {
				if !e.sent(fmt.Sprintf("remind/konvoy/1.6/%dd/C1", l)) {
					t.Errorf("lead %d not marked", l)
				}
			}
			for _, l := range tt.notMarked {
				if e.sent(fmt.Sprintf("remind/konvoy/1.6/%dd/C1", l)) {
					t.Errorf("lead %d marked", l)
				}
			}
			// A second check at the same moment posts nothing.
			if got := e.check(utc(tt.now)); len(got) != 0 {
				t.Errorf("second check posted %q", got)
			}
		})
	}
}

// TestReminders_TimeZone: HH:MM and the end of the expiry day are in the
// configured zone, across a DST change too.
func TestReminders_TimeZone(t *testing.T) {
	la, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Fatal(err)
	}
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		loc   *time.Location
		yaml  string
		now   time.Time
		posts int
		leads []int
	}{
		// 90 days before 2021-09-01 is 2021-06-03; 09:00 PDT is 16:00 UTC.
		{"LA before 09:00", la, remPolicy, utc("2021-06-03 15:59"), 0, nil},
		{"LA at 09:00", la, remPolicy, utc("2021-06-03 16:00"), 1, nil},
		// 09:00 JST is midnight UTC.
		{"Tokyo before 09:00", tokyo, remPolicy, utc("2021-06-02 23:59"), 0, nil},
		{"Tokyo at 09:00", tokyo, remPolicy, utc("2021-06-03 00:00"), 1, nil},
		// The expiry day ends at midnight JST, 15:00 UTC.
		{"Tokyo on the expiry day", tokyo, remPolicy, utc("2021-09-01 14:59"), 1, nil},
		{"Tokyo after the expiry day", tokyo, remPolicy, utc("2021-09-01 15:00"), 0, nil},
		// DST ends in LA on 2021-11-07: 09:00 that day is PST, 17:00 UTC.
		{"LA after DST ends, before 09:00", la, strings.Replace(remPolicy, "2021-09-01", "2021-11-08", 1), utc("2021-11-07 16:59"), 0, []int{1}},
		{"LA after DST ends, at 09:00", la, strings.Replace(remPolicy, "2021-09-01", "2021-11-08", 1), utc("2021-11-07 17:00"), 1, []int{1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newRemEnv(t, tt.now, func(c *bot.ReminderConfig) {
				c.Location = tt.loc
				if tt.leads != nil {
					c.LeadDays = tt.leads
				}
			})
			e.setM(remModel(t, tt.yaml))
			if got := e.check(tt.now); len(got) != tt.posts {
				t.Errorf("posted %q, want %d posts", got, tt.posts)
			}
		})
	}
}

// TestReminders_Restart: what was posted before a restart is not posted
// again after it, and the rest still comes.
func TestReminders_Restart(t *testing.T) {
	e := newRemEnv(t, utc("2021-08-02 09:00"), nil)
	if got := e.check(utc("2021-08-02 09:00")); !slices.Equal(got, []string{in30}) {
		t.Fatalf("posted %q", got)
	}
	e.restart()
	if got := e.check(utc("2021-08-02 09:30")); len(got) != 0 {
		t.Errorf("after a restart posted %q again", got)
	}
	e.restart()
	if got := e.check(utc("2021-08-25 09:00")); !slices.Equal(got, []string{in7}) {
		t.Errorf("after a second restart posted %q, want the 7-day reminder", got)
	}
}

// TestReminders_Channels: configured and subscribed channels each get every
// reminder once; a channel subscribed later gets the most imminent reminder
// due at once (like a catch-up) and then the rest; a failed post is retried
// for its channel only.
func TestReminders_Channels(t *testing.T) {
	e := newRemEnv(t, utc("2021-06-03 09:00"), func(c *bot.ReminderConfig) { c.Channels = []string{"C1", "C1"} })
	if _, err := e.db.Subscribe("C2", "UADMIN"); err != nil {
		t.Fatal(err)
	}
	got := e.check(utc("2021-06-03 09:00"))
	if want := []string{in90, strings.Replace(in90, "C1", "C2", 1)}; !slices.Equal(got, want) {
		t.Errorf("posted %q, want %q", got, want)
	}

	// C3 subscribes in July: it hears at the next check how long is left.
	if _, err := e.db.Subscribe("C3", "UADMIN"); err != nil {
		t.Fatal(err)
	}
	if got := e.check(utc("2021-07-15 14:00")); !slices.Equal(got, []string{"C3: Konvoy 1.6 support ends in 48 days (2021-09-01, when Konvoy 1.9 is expected)"}) {
		t.Errorf("late subscriber got %q", got)
	}
	if got := e.check(utc("2021-07-16 09:00")); len(got) != 0 {
		t.Errorf("posted %q before the next lead time", got)
	}
	// C2 fails for a while.
	e.poster.setFail(func(ch string) error {
		if ch == "C2" {
			return errors.New("channel_not_found")
		}
		return nil
	})
	e.clock.Set(utc("2021-08-02 09:00"))
	err := e.r.Check(context.Background())
	if err == nil || !strings.Contains(err.Error(), "remind/konvoy/1.6/30d/C2") {
		t.Errorf("Check err = %v, want the failed key", err)
	}
	got = texts(e.poster.take())
	if want := []string{in30, strings.Replace(in30, "C1", "C3", 1)}; !slices.Equal(got, want) {
		t.Errorf("posted %q, want %q", got, want)
	}
	if e.sent("remind/konvoy/1.6/30d/C2") {
		t.Error("failed post marked sent")
	}
	e.poster.setFail(nil)
	if got := e.check(utc("2021-08-02 09:05")); !slices.Equal(got, []string{strings.Replace(in30, "C1", "C2", 1)}) {
		t.Errorf("retry posted %q, want only C2's", got)
	}

	// Unsubscribed, C2 gets nothing more.
	if _, err := e.db.Unsubscribe("C2"); err != nil {
		t.Fatal(err)
	}
	got = e.check(utc("2021-08-25 09:00"))
	if want := []string{in7, strings.Replace(in7, "C1", "C3", 1)}; !slices.Equal(got, want) {
		t.Errorf("posted %q, want %q", got, want)
	}
}

// TestReminders_Announce: the first start records the release state
// silently; a reload that adds a release announces it once per channel,
// however often it is checked, reloaded or restarted.
func TestReminders_Announce(t *testing.T) {
	e := newRemEnv(t, utc("2021-05-01 12:00"), func(c *bot.ReminderConfig) { c.Channels = []string{"C1", "C2"} })
	if got := e.check(utc("2021-05-01 12:00")); len(got) != 0 {
		t.Errorf("first start posted %q", got)
	}
	if state, ok, _ := e.db.ReleaseState(); !ok || strings.Join(state["konvoy"], " ") != "1.8 1.7 1.6" {
		t.Errorf("state after the first start = %v, %v", state, ok)
	}

	e.setM(remModel(t, remReleased))
	// C2 fails the first time.
	e.poster.setFail(func(ch string) error {
		if ch == "C2" {
			return errors.New("ratelimited for too long")
		}
		return nil
	})
	e.clock.Set(utc("2021-09-01 12:00"))
	if err := e.r.Check(context.Background()); err == nil {
		t.Error("Check with a failed post returned nil")
	}
	const news = "Konvoy 1.9 is released; support for Konvoy 1.6 has ended; supported now: 1.9, 1.8, 1.7"
	if got := texts(e.poster.take()); !slices.Equal(got, []string{"C1: " + news}) {
		t.Errorf("posted %q", got)
	}
	if state, _, _ := e.db.ReleaseState(); strings.Join(state["konvoy"], " ") != "1.8 1.7 1.6" {
		t.Errorf("state saved while C2 has not had the announcement: %v", state)
	}
	e.poster.setFail(nil)
	if got := e.check(utc("2021-09-01 12:05")); !slices.Equal(got, []string{"C2: " + news}) {
		t.Errorf("retry posted %q, want C2 only", got)
	}
	if state, _, _ := e.db.ReleaseState(); strings.Join(state["konvoy"], " ") != "1.9 1.8 1.7 1.6" {
		t.Errorf("state after announcing = %v", state)
	}
	for _, step := range []string{"check", "reload", "restart"} {
		switch step {
		case "reload":
			e.setM(remModel(t, remReleased))
		case "restart":
			e.restart()
		}
		if got := e.check(utc("2021-09-01 12:10")); len(got) != 0 {
			t.Errorf("after %s posted %q", step, got)
		}
	}
	for _, ch := range []string{"C1", "C2"} {
		if !e.sent("announce/konvoy/1.9/" + ch) {
			t.Errorf("announce/konvoy/1.9/%s not marked", ch)
		}
	}
}

// TestReminders_Run: Run checks at start, sleeps until the next 09:00 in the
// zone (or the retry interval), and checks at once on OnPolicy.
func TestReminders_Run(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	waits := make(chan time.Duration)
	fire := make(chan time.Time)
	e := newRemEnv(t, at("2021-08-01 20:00", berlin), func(c *bot.ReminderConfig) {
		c.Location = berlin
		c.LeadDays = []int{30}
		c.RetryInterval = 24 * time.Hour
		c.After = func(d time.Duration) <-chan time.Time { waits <- d; return fire }
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { e.r.Run(ctx); close(done) }()
	defer func() {
		cancel()
		select {
		case <-done:
		case <-time.After(remWait):
			t.Error("Run did not return after its context ended")
		}
	}()
	nextWait := func() time.Duration {
		t.Helper()
		select {
		case d := <-waits:
			return d
		case <-time.After(remWait):
			t.Fatal("Run did not wait")
			return 0
		}
	}
	// First check at start; the next 09:00 in Berlin is 13 hours away.
	if d := nextWait(); d != 13*time.Hour {
		t.Errorf("first wait %v, want 13h", d)
	}
	if got := texts(e.poster.take()); len(got) != 0 {
		t.Errorf("start posted %q", got)
	}
	e.clock.Set(at("2021-08-02 09:00", berlin))
	fire <- time.Time{}
	if d := nextWait(); d != 24*time.Hour {
		t.Errorf("wait after the 09:00 run %v, want 24h", d)
	}
	if got := texts(e.poster.take()); !slices.Equal(got, []string{in30}) {
		t.Errorf("09:00 run posted %q", got)
	}

	// A reload that adds the release is announced at once.
	e.clock.Set(at("2021-08-02 11:00", berlin))
	m := remModel(t, remReleased)
	e.setM(m)
	e.r.OnPolicy(m)
	if d := nextWait(); d != 22*time.Hour {
		t.Errorf("wait after OnPolicy %v, want 22h", d)
	}
	if got := texts(e.poster.take()); len(got) != 1 || !strings.HasPrefix(got[0], "C1: Konvoy 1.9 is released") {
		t.Errorf("OnPolicy posted %q", got)
	}
}

// TestReminders_RetryInterval: between the daily runs, Run checks every
// RetryInterval.
func TestReminders_RetryInterval(t *testing.T) {
	waits := make(chan time.Duration, 1)
	e := newRemEnv(t, utc("2021-08-01 20:00"), func(c *bot.ReminderConfig) {
		c.After = func(d time.Duration) <-chan time.Time { waits <- d; return make(chan time.Time) }
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { e.r.Run(ctx); close(done) }()
	select {
	case d := <-waits:
		if d != 5*time.Minute {
			t.Errorf("wait %v, want the default retry interval 5m", d)
		}
	case <-time.After(remWait):
		t.Fatal("Run did not wait")
	}
	cancel()
	<-done
}

func TestNewReminders_Validation(t *testing.T) {
	m := remModel(t, remPolicy)
	base := func() bot.ReminderConfig {
		return bot.ReminderConfig{
			Policy: func() *policy.Model { return m }, Store: &nopStore{},
			Poster: bot.PostFunc(func(context.Context, string, bot.Message) error { return nil }),
			At:     "09:00", Location: time.UTC, RetryInterval: time.Minute, Now: time.Now, After: time.After,
			Logger: slog.New(slog.DiscardHandler),
		}
	}
	tests := []struct {
		name  string
		tweak func(*bot.ReminderConfig)
		ok    bool
	}{
		{"complete", func(*bot.ReminderConfig) {}, true},
		{"no lead days", func(c *bot.ReminderConfig) { c.LeadDays = nil }, true},
		{"no time of day", func(c *bot.ReminderConfig) { c.At = "" }, false},
		{"no location", func(c *bot.ReminderConfig) { c.Location = nil }, false},
		{"no clock", func(c *bot.ReminderConfig) { c.Now = nil }, false},
		{"no retry interval", func(c *bot.ReminderConfig) { c.RetryInterval = 0 }, false},
		{"no policy", func(c *bot.ReminderConfig) { c.Policy = nil }, false},
		{"no store", func(c *bot.ReminderConfig) { c.Store = nil }, false},
		{"no poster", func(c *bot.ReminderConfig) { c.Poster = nil }, false},
		{"bad time", func(c *bot.ReminderConfig) { c.At = "9am" }, false},
		{"negative lead", func(c *bot.ReminderConfig) { c.LeadDays = []int{7, -1} }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := base()
			tt.tweak(&c)
			if _, err := bot.NewReminders(c); (err == nil) != tt.ok {
				t.Errorf("err = %v, want ok=%v", err, tt.ok)
			}
		})
	}
}

// remDefaults fills what a test leaves out with cmd/supportbot's defaults.
func remDefaults(c bot.ReminderConfig) bot.ReminderConfig {
	if c.At == "" {
		c.At = "09:00"
	}
	if c.Location == nil {
		c.Location = time.UTC
	}
	if c.LeadDays == nil {
		c.LeadDays = []int{90, 30, 7, 1, 0}
	}
	if c.RetryInterval == 0 {
		c.RetryInterval = 5 * time.Minute
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.After == nil {
		c.After = time.After
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// nopStore is an empty store.
type nopStore struct{}

func (nopStore) ReminderSent(string) (bool, error)                { return false, nil }
func (nopStore) MarkReminderSent(string, time.Time) error         { return nil }
func (nopStore) Subscriptions() ([]string, error)                 { return nil, nil }
func (nopStore) ReleaseState() (map[string][]string, bool, error) { return nil, false, nil }
func (nopStore) SetReleaseState(map[string][]string) error        { return nil }

// TestNotices_Golden keeps the Block Kit of a reminder and an announcement
// in testdata/*.golden; refresh them with `go test ./bot -update`.
func TestNotices_Golden(t *testing.T) {
	m := remModel(t, remPolicy)
	released := remModel(t, remReleased)
	news := released.NewReleases(m.ReleasedCycles())
	if len(news) != 1 {
		t.Fatalf("NewReleases = %+v", news)
	}
	cases := map[string]bot.Message{
		"reminder":     bot.ReminderMessage(m, m.Expiries()[0], 30),
		"announcement": bot.AnnouncementMessage(released, news[0]),
	}
	for name, msg := range cases {
		t.Run(name, func(t *testing.T) {
			checkGolden(t, name, msg)
			checkLimits(t, msg)
			if strings.Contains(msg.Text, "\n") {
				t.Errorf("text is not one line: %q", msg.Text)
			}
		})
	}
}

// TestNotices_Escaped: names from the policy cannot ping or link.
func TestNotices_Escaped(t *testing.T) {
	evil := strings.Replace(remPolicy, "name: Konvoy", `name: "<!channel> Konvoy & <https://evil.example|co>"`, 1)
	m := remModel(t, evil)
	released := remModel(t, strings.Replace(remReleased, "name: Konvoy", `name: "<!channel> Konvoy & <https://evil.example|co>"`, 1))
	msgs := []bot.Message{
		bot.ReminderMessage(m, m.Expiries()[0], 7),
		bot.AnnouncementMessage(released, released.NewReleases(m.ReleasedCycles())[0]),
	}
	for _, msg := range msgs {
		raw, err := json.Marshal(msg)
		if err != nil {
			t.Fatal(err)
		}
		for _, bad := range []string{"<!channel>", "<https://evil", "& "} {
			if strings.Contains(string(raw), bad) || strings.Contains(msg.Text, bad) {
				t.Errorf("message contains %q: %s", bad, raw)
			}
		}
	}
}
