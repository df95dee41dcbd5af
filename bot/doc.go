// Package bot is supportbot's Slack side: a Socket Mode event loop, the
// slash command, mentions, direct messages, the App Home tab and Block Kit.
//
// # Event flow
//
// Run reads the socketmode client's events on one goroutine and hands each
// envelope to a bounded pool of workers, so a slow reply never stalls the
// socket (a blocked reader misses Slack's pings and gets disconnected).
//
// An envelope is acked as soon as its reply is done, which takes a few
// milliseconds, and in any case at AckDeadline (2s), inside Slack's 3
// seconds. Acking after the reply rather than on receipt means a crash
// between the two leaves the envelope unacked, and Slack's redelivery is
// answered: a question is not lost to a restart. Slash commands are answered
// in their ack's payload (or on the response_url if the deadline passed).
// Envelopes slack-go cannot read (error_bad_message) are acked at once so
// Slack does not redeliver them forever.
//
// For each question a worker: drops a redelivered event (one already being
// answered, or marked answered in the Deduper, by event_id, with a TTL);
// answers it from the policy in force; records it in the QueryLog, which
// returns only once the record is durable; only then replies
// (chat.postMessage in the mention's thread or the DM, the ack's payload for
// a slash command, the response_url for buttons); then acks and, at the same
// time, marks the event answered, holding its claim until the mark is
// durable. A redelivery that arrives while its event is being answered is
// acked together with the first delivery, once the reply is out: Slack stops
// redelivering once any envelope of an event is acked, so acking it earlier
// would lose the question to a crash. Rate limits (429 + Retry-After) are waited out and retried; 5xx
// and network errors are retried with backoff; other errors are logged and
// counted.
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
