package main

import (
	"encoding/json"
	"io"
	"time"

	"github.com/d2iq/supportbot/bot"
	"github.com/d2iq/supportbot/policy"
	"github.com/d2iq/supportbot/store"
)

// storeCommands are the slash subcommands backed by the store.
func storeCommands(db *store.DB, _ config) map[string]bot.Command {
	return map[string]bot.Command{
		"stats":   bot.StatsCommand(db, time.Now),
		"history": bot.HistoryCommand(db),
	}
}

// writeBlocks prints the Block Kit message the bot would post for a.
func writeBlocks(w io.Writer, a policy.Answer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(bot.Render(a, bot.RenderOptions{}))
}
