package main

import (
	"time"

	"github.com/d2iq/supportbot/bot"
	"github.com/d2iq/supportbot/policy"
	"github.com/d2iq/supportbot/store"
)

var _ bot.StackStore = (*store.DB)(nil)

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
