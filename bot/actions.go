package bot

import (
	"context"
	"strings"

	"github.com/slack-go/slack"
)

// The buttons surface: "Share in channel" posts the answer visibly, a
// follow-up button asks its question. The envelope is acked on receipt; the
// answer goes to the payload's response_url. One payload is one click: only
// its first known action is answered, however many it carries.

func (b *Bot) onAction(ctx context.Context, envelopeID string, cb slack.InteractionCallback) {
	if cb.Type != slack.InteractionTypeBlockActions {
		return
	}
	log := b.log.With("envelope_id", envelopeID, "user", cb.User.ID)
	acts := cb.ActionCallback.BlockActions
	if len(acts) > 1 {
		log.Warn("block_actions payload with more than one action; only the first known one is answered", "actions", len(acts))
	}
	q := Question{Team: cb.Team.ID, Channel: cb.Channel.ID, User: cb.User.ID, Received: b.cfg.Now()}
	opts := RenderOptions{}
	responseType := slack.ResponseTypeEphemeral
	found := false
	for _, act := range acts {
		switch {
		case act.ActionID == ActionShare:
			q.Source, q.Text = "share", act.Value
			opts.SharedBy = cb.User.ID
			responseType = slack.ResponseTypeInChannel
		case strings.HasPrefix(act.ActionID, ActionAsk):
			q.Source, q.Text = "button", act.Value
			opts.Share = true
		default:
			continue
		}
		found = true
		break
	}
	if !found {
		return
	}
	if cb.ResponseURL == "" {
		log.Warn("interaction without response_url")
		return
	}
	if !b.side.run(func() {
		a, err := b.answerNow(ctx, q)
		msg := Render(a, opts)
		if err != nil {
			msg, responseType = userMessage(err), slack.ResponseTypeEphemeral
		}
		if err := b.respond(ctx, cb.ResponseURL, msg, responseType); err != nil {
			log.Error("response_url", "err", err)
		}
	}) {
		log.Warn("button not answered: too many calls in flight")
	}
}
