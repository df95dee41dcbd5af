package main

import (
	"context"
	"time"

	"github.com/d2iq/supportbot/bot"
	"github.com/d2iq/supportbot/bot/feed"
	"github.com/d2iq/supportbot/policy"
	"github.com/d2iq/supportbot/store"
)

var (
	_ bot.StackStore = (*store.DB)(nil)
	_ feed.Stacks    = feedStacks{}
)

// addStackCommands adds the channel-stack slash subcommands to commands:
// track, untrack and stack, answered from the policy in force.
func addStackCommands(commands map[string]bot.Command, db *store.DB, pol func() *policy.Model) {
	commands["track"] = bot.TrackCommand(db, pol)
	commands["untrack"] = bot.UntrackCommand(db, pol)
	commands["stack"] = bot.StackCommand(db, pol, time.Now)
}

// stackFilter narrows reminders and announcements to what each tracking
// channel runs; configured channels keep getting everything.
func stackFilter(db *store.DB, configured []string) bot.ChannelFilter {
	return bot.StackFilter{Stacks: db, Configured: configured}
}

// feedStacks serves what a channel tracks to the calendar
// (/calendar.ics?channel=C123) from the store. The store knows nothing of
// the feed, so the conversion lives here.
type feedStacks struct{ db *store.DB }

// Stack returns the items channel tracks; none when it tracks nothing.
func (f feedStacks) Stack(_ context.Context, channel string) ([]feed.StackItem, error) {
	s, err := f.db.ChannelStack(channel)
	if err != nil {
		return nil, err
	}
	out := make([]feed.StackItem, len(s.Items))
	for i, it := range s.Items {
		out[i] = feed.StackItem{Product: it.Product, Version: it.Version}
	}
	return out, nil
}
