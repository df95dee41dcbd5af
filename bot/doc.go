// Package bot is supportbot's Slack side: a Socket Mode event loop, the
// slash command, mentions, direct messages, the App Home tab and Block Kit.
//
// # Event flow
//
// Run reads the socketmode client's events on one goroutine. It acks
// events_api and interactive envelopes at once (well inside Slack's 3
// seconds) and hands the work to a bounded pool of workers, so a slow reply
// never stalls the socket (a blocked reader misses Slack's pings and gets
// disconnected). Slash commands are answered in their ack, so a worker
// computes the answer and acks. Envelopes slack-go cannot read
// (error_bad_message) are acked too, so Slack does not redeliver them.
//
// For each question a worker: drops a redelivered event (Deduper, by
// event_id, with a TTL); answers it from the policy in force; records it in
// the QueryLog, which returns only once the record is durable; and only then
// replies (chat.postMessage in the mention's thread or the DM, the ack's
// payload for a slash command, the response_url for buttons). Rate limits
// (429 + Retry-After) are waited out and retried; 5xx and network errors are
// retried with backoff; other errors are logged and counted.
//
// # Escaping
//
// Every text that reaches Slack goes through Escape (&, <, >), so a question
// containing <!channel> or <@U…> can neither ping anyone nor make a link.
// Render keeps every Block Kit limit for any answer.
//
// # Caveats
//
// Run returns nil after its context ends and the replies in flight are done
// (or DrainTimeout passes), and an error when the connection fails for good
// (invalid or revoked token). It must be called once.
package bot
