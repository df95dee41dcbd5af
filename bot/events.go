package bot

// HandledEvents lists the Events API subscriptions the bot answers, in the
// Slack app manifest's names (a direct message is "message.im"). The app
// manifest in deploy/ must subscribe to exactly these.
func HandledEvents() []string {
	return []string{"app_mention", "message.im", "app_home_opened"}
}

// Scopes lists the bot token scopes the bot needs: commands for the slash
// command, app_mentions:read for mentions, chat:write to reply, im:history
// for direct messages.
func Scopes() []string {
	return []string{"commands", "app_mentions:read", "chat:write", "im:history"}
}
