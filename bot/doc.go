// Package bot is supportbot's Slack side: a Socket Mode event loop, the
// slash command, mentions, direct messages, the App Home tab, buttons,
// reminders and Block Kit.
//
// # Layout and event flow
//
// bot.go holds Config and Run; dispatch.go is the read loop, which acks at
// once what needs no record and hands the rest to a lane (lane.go: bounded
// worker pools, one for mentions and DMs, one for slash commands, so a
// slash command never waits behind a mention). question.go builds the one
// Question type at the edge. A mention or DM (mention.go) goes through the
// inbox (inbox.go): it is answered from the policy and put on record in one
// fsynced commit (Inbox.Receive: its query-log record, its owed reply and
// its dedupe mark), acked as soon as that commit is done, and handed to the
// outbox (outbox.go), whose posters send the reply with chat.postMessage
// and retry it behind one backoff gate (Retry-After honoured) until Slack
// takes it or Config.RetryFor passes; then it is reported, never dropped
// silently. Inbox.Answered settles it in the next group commit. A restart
// answers every reply still owed; every reply sent has its question on
// record; a redelivery of an event on record is acked at once and not
// answered again. A slash command (slash.go) is put on record and answered
// in its ack (or on its response_url past AckDeadline); a button
// (actions.go, one action per payload) and the App Home tab (home.go) are
// acked on receipt and answered by side jobs. post.go makes each Web API
// call under its own deadline and says which errors are worth a retry;
// errors.go is the one place an error becomes what a Slack user reads;
// blocks.go builds all Block Kit (headers escaped and cut the same way
// everywhere); health.go is Ready, behind /readyz; metrics.go the
// Prometheus collectors; events.go the event subscriptions and scopes the app needs. commands.go, subscribe.go and stack.go are slash
// subcommands; reminders.go posts announcements and expiry reminders.
//
// # Escaping
//
// Every text that reaches Slack goes through Escape (&, <, >), so a question
// containing <!channel> or <@U…> can neither ping anyone nor make a link.
// Render keeps every Block Kit limit for any answer; a response_url (a
// capability) never reaches the logs.
//
// # Caveats
//
// Run returns nil after its context ends and the owed replies are out (or
// DrainTimeout passes: what is still owed is answered after the restart),
// and an error when the connection fails for good (invalid or revoked
// token). It must be called once. A crash after a reply is posted but before
// its answered mark is committed sends that reply again after the restart:
// replies are at least once, and duplicates are bounded by the replies
// posted in that window (the mark rides the next commit or starts one
// within 2ms).
package bot
