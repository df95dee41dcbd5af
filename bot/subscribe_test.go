package bot_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/d2iq/supportbot/bot"
	"github.com/d2iq/supportbot/policy"
	"github.com/d2iq/supportbot/store"
)

func TestSubscribeCommands(t *testing.T) {
	e := newRemEnv(t, utc("2021-06-01 12:00"), func(c *bot.ReminderConfig) { c.Channels = []string{"C1", "#general"} })
	sub := bot.SubscribeCommand(e.db)
	unsub := bot.UnsubscribeCommand(e.db, []string{"C1", "#general"})
	if !sub.Admin || !unsub.Admin {
		t.Error("subscribe and unsubscribe must be admin commands")
	}
	run := func(c bot.Command, channel string) string {
		t.Helper()
		msg, err := c.Run(context.Background(), bot.CommandCall{Channel: channel, User: "UADMIN"})
		if err != nil {
			t.Fatal(err)
		}
		return msg.Text
	}
	tests := []struct {
		name    string
		cmd     bot.Command
		channel string
		want    string
	}{
		{"subscribe", sub, "C2", "Subscribed <#C2>"},
		{"subscribe again", sub, "C2", "<#C2> is subscribed already"},
		{"subscribe without a channel", sub, "", "could not tell which one"},
		{"subscribe a crafted channel", sub, "C2> <!channel", "could not tell which one"},
		{"unsubscribe", unsub, "C2", "Unsubscribed <#C2>"},
		{"unsubscribe again", unsub, "C2", "<#C2> was not subscribed"},
		{"unsubscribe a configured channel", unsub, "C1", "only the configuration can stop them"},
	}
	for _, tt := range tests {
		if got := run(tt.cmd, tt.channel); !strings.Contains(got, tt.want) {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
	if subs, _ := e.db.Subscriptions(); len(subs) != 0 {
		t.Errorf("subscriptions left: %v", subs)
	}

	// The listing: expiries with dates and the next reminder, and channels.
	if _, err := e.db.Subscribe("C3", "UADMIN"); err != nil {
		t.Fatal(err)
	}
	msg, err := bot.RemindersCommand(e.r).Run(context.Background(), bot.CommandCall{Channel: "C9", User: "U1"})
	if err != nil {
		t.Fatal(err)
	}
	var all strings.Builder
	for _, b := range msg.Blocks {
		if sec, ok := b.(*slack.SectionBlock); ok {
			all.WriteString(sec.Text.Text + "\n")
		}
	}
	raw := all.String()
	for _, want := range []string{
		"*Konvoy 1.6* ends when Konvoy 1.9 is released, expected 2021-09-01 (in 92 days); next reminder 2021-06-03 09:00 UTC (90 days before)",
		"*Kaptain 1.1* ends when Kaptain 1.4 is released: no date is announced, so no reminders yet",
		"*Channels*  `#general` (configured), <#C1> (configured), <#C3>",
		"Reminders go out at 09:00 UTC, 90, 30, 7, 1 and 0 days before",
	} {
		if !strings.Contains(raw, want) {
			t.Errorf("listing lacks %q:\n%s", want, raw)
		}
	}
	if msg.Text != "2 planned ends of support; reminders go to 3 channels." {
		t.Errorf("text = %q", msg.Text)
	}
	checkLimits(t, msg)
}

// TestBot_SubscribeSlash runs the commands through the slash command:
// subscribe is for admins only, and subscribes the channel it is typed in.
func TestBot_SubscribeSlash(t *testing.T) {
	var db *store.DB
	h := newHarness(t, func(c *bot.Config) {
		db = c.Log.(*store.DB)
		m := remModel(t, remPolicy)
		r, err := bot.NewReminders(remDefaults(bot.ReminderConfig{
			Policy: func() *policy.Model { return m }, Store: db, Poster: newRemPoster(),
			Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		}))
		if err != nil {
			t.Fatal(err)
		}
		c.Commands["subscribe"] = bot.SubscribeCommand(db)
		c.Commands["unsubscribe"] = bot.UnsubscribeCommand(db, nil)
		c.Commands["reminders"] = bot.RemindersCommand(r)
	})
	slash := func(user, channel, text string) string {
		t.Helper()
		ack := h.slash(user, channel, text)
		var p struct {
			Text string `json:"text"`
		}
		if err := json.Unmarshal(ack.Payload, &p); err != nil {
			t.Fatal(err)
		}
		return p.Text
	}
	if got := slash("U1", "C7", "subscribe"); !strings.Contains(got, "admins only") {
		t.Errorf("subscribe by a non-admin = %q", got)
	}
	if subs, _ := db.Subscriptions(); len(subs) != 0 {
		t.Fatalf("a non-admin subscribed %v", subs)
	}
	if got := slash("UADMIN", "C7", "subscribe"); !strings.Contains(got, "Subscribed <#C7>") {
		t.Errorf("subscribe = %q", got)
	}
	if subs, _ := db.Subscriptions(); !slices.Equal(subs, []string{"C7"}) {
		t.Errorf("subscriptions = %v", subs)
	}
	if got := slash("U1", "C8", "reminders"); !strings.Contains(got, "reminders go to 1 channels") {
		t.Errorf("reminders = %q", got)
	}
	if got := slash("UADMIN", "C7", "unsubscribe"); !strings.Contains(got, "Unsubscribed <#C7>") {
		t.Errorf("unsubscribe = %q", got)
	}
}
