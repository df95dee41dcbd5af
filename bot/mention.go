package bot

import (
	"context"

	"github.com/slack-go/slack"
)

// The mention and DM surface: the reply goes to the channel (in the
// mention's thread) with chat.postMessage. inbox.go puts the question on
// record; outbox.go delivers the reply that postReply builds.

// postReply answers q from the policy in force, as of the day q was asked
// (so a reply owed across a restart or an outage agrees with its record),
// and posts the answer once.
func (b *Bot) postReply(ctx context.Context, q Question) error {
	a := b.cfg.Policy().AskOn(q.Text, q.Received)
	if err := b.poster.post(ctx, q.Channel, q.Thread, Render(a, RenderOptions{})); err != nil {
		return err
	}
	b.cfg.Metrics.reply(string(a.Intent), string(a.Verdict))
	q.logger(b.log).Info("question answered", "intent", a.Intent, "verdict", a.Verdict, "latency", b.cfg.Now().Sub(q.Received))
	return nil
}

// note posts msg in reply to q once, best effort, on a side job: it is not
// an answer and nothing is owed for it.
func (b *Bot) note(ctx context.Context, q Question, msg Message) {
	if !b.side.run(func() {
		if err := b.poster.retry(ctx, "chat.postMessage", func(ctx context.Context) error {
			return b.poster.post(ctx, q.Channel, q.Thread, msg)
		}); err != nil {
			q.logger(b.log).Error("note not sent", "err", err)
		}
	}) {
		q.logger(b.log).Warn("note not sent: too many calls in flight")
	}
}

// msgOptions are the chat.postMessage options of msg, in thread when given.
func msgOptions(msg Message, thread string) []slack.MsgOption {
	opts := []slack.MsgOption{slack.MsgOptionText(msg.Text, false), slack.MsgOptionBlocks(msg.Blocks...)}
	if thread != "" {
		opts = append(opts, slack.MsgOptionTS(thread))
	}
	return opts
}
