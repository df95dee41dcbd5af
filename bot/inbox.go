package bot

import (
	"context"
	"errors"

	"github.com/slack-go/slack/socketmode"
)

// The inbox: a mention or DM is acked once it is on record as owed a reply,
// never after the Web API.
//
//	read loop ─► record lane: answer from the policy, Inbox.Receive (one
//	             fsynced commit: query-log record + owed reply + dedupe mark)
//	          ─► ack ─► outbox: chat.postMessage, retried until Slack takes
//	             it or RetryFor passes ─► Inbox.Answered (rides the next commit)
//
// A crash after the commit loses nothing: the next start answers what is
// owed (recoverOwed). A crash before it leaves the envelope unacked, and
// Slack delivers it again. A redelivery of an event on record is acked at
// once and not answered again. Every reply sent has its question on record.

// onQuestion queues a mention or DM for the record lane. With the lane full
// the envelope is left unacked: Slack delivers it again.
func (b *Bot) onQuestion(ctx context.Context, req socketmode.Request, q Question) {
	if !b.record.submit(func(workCtx context.Context) { b.receive(ctx, workCtx, req, q) }) {
		b.cfg.Metrics.apiError("queue_full")
		b.log.Error("work queue full; envelope left for redelivery", append(q.logAttrs(), "queue", b.cfg.Queue)...)
	}
}

// receive puts q on record, acks its envelope, and hands the reply to the
// outbox. ackCtx is the socket's; workCtx ends when the bot stops.
func (b *Bot) receive(ackCtx, workCtx context.Context, req socketmode.Request, q Question) {
	log := q.logger(b.log).With("retry_attempt", req.RetryAttempt)
	a := b.cfg.Policy().AskOn(q.Text, q.Received)
	start := b.cfg.Now()
	first, err := b.cfg.Inbox.Receive(workCtx, q.query(a, b.cfg.LogQuestions, start.Sub(q.Received)), q.pending(), b.cfg.DedupeTTL)
	b.health.storeResult(err)
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return // stopping: unacked, so Slack delivers it again
		}
		// Not on record, so not answered: the asker is told, and the
		// envelope acked, or Slack would deliver it again into the same
		// failing store.
		log.Error("question not recorded", "err", err)
		b.ack(ackCtx, req, nil)
		b.note(ackCtx, q, userMessage(errNotRecorded))
		return
	}
	b.cfg.Metrics.logLatency(b.cfg.Now().Sub(start))
	b.ack(ackCtx, req, nil)
	if !first {
		b.cfg.Metrics.dedupeHit()
		log.Info("redelivered event acked: already on record")
		return
	}
	b.out.add(q)
}

// recoverOwed hands the replies owed from before a restart to the outbox.
// They are on record by construction: Receive wrote them with their record.
func (b *Bot) recoverOwed() {
	owed, err := b.cfg.Inbox.ListPending()
	b.health.storeResult(err)
	if err != nil {
		b.log.Error("outbox: the replies owed from before the restart cannot be read", "err", err)
		return
	}
	for _, p := range owed {
		q := fromPending(p)
		q.logger(b.log).Info("answering a question owed from before the restart", "asked", q.Received)
		b.out.add(q)
	}
}
