package bot

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"
)

// dispatch runs on the read loop. It acks at once what needs no record and
// hands the rest to a lane, so the socket never waits on a commit or on the
// Web API.
func (b *Bot) dispatch(ctx context.Context, ev socketmode.Event) {
	b.cfg.Metrics.event(string(ev.Type))
	switch ev.Type {
	case socketmode.EventTypeConnected, socketmode.EventTypeHello:
		if b.health.connected() {
			b.cfg.Metrics.reconnect()
		}
		if ev.Type == socketmode.EventTypeConnected {
			b.log.Info("connected to Slack")
		}
		return
	case socketmode.EventTypeConnecting:
		return
	case socketmode.EventTypeConnectionError, socketmode.EventTypeDisconnect:
		b.health.disconnected()
		b.log.Warn("socket mode connection problem", "type", ev.Type, "detail", fmt.Sprint(ev.Data))
		return
	case socketmode.EventTypeIncomingError:
		// One frame that failed to read; the client reconnects by itself
		// if the connection is gone, and says so with the events above.
		b.log.Warn("socket mode read error", "detail", fmt.Sprint(ev.Data))
		return
	case socketmode.EventTypeInvalidAuth:
		b.log.Error("Slack rejected the app token (invalid_auth)")
		return
	case socketmode.EventTypeErrorBadMessage:
		// slack-go could not read the envelope (an unknown inner event type,
		// say). Ack it anyway, or Slack would redeliver it forever.
		if bad, ok := ev.Data.(*socketmode.ErrorBadMessage); ok {
			if id := envelopeID(bad.Message); id != "" {
				b.log.Warn("unreadable envelope acked", "envelope_id", id, "err", bad.Cause)
				b.ack(ctx, socketmode.Request{EnvelopeID: id}, nil)
			}
		}
		return
	}
	if ev.Request == nil {
		return
	}
	req := *ev.Request
	switch ev.Type {
	case socketmode.EventTypeSlashCommand:
		cmd, ok := ev.Data.(slack.SlashCommand)
		if !ok {
			b.ack(ctx, req, nil)
			return
		}
		b.onSlash(ctx, req, cmd)
	case socketmode.EventTypeEventsAPI:
		outer, ok := ev.Data.(slackevents.EventsAPIEvent)
		if !ok {
			b.ack(ctx, req, nil)
			return
		}
		id := eventID(req.Payload)
		if id == "" {
			id = req.EnvelopeID
		}
		if q, ok := fromEvent(id, outer, b.self, b.cfg.Now()); ok {
			q.Envelope = req.EnvelopeID
			b.onQuestion(ctx, req, q)
			return
		}
		b.ack(ctx, req, nil)
		if home, ok := outer.InnerEvent.Data.(*slackevents.AppHomeOpenedEvent); ok && home.Tab == "home" {
			b.onHome(ctx, home.User)
		}
	case socketmode.EventTypeInteractive:
		b.ack(ctx, req, nil)
		if cb, ok := ev.Data.(slack.InteractionCallback); ok {
			b.onAction(ctx, req.EnvelopeID, cb)
		}
	default:
		b.log.Warn("unhandled envelope", "type", ev.Type, "envelope_id", req.EnvelopeID)
		b.ack(ctx, req, nil)
	}
}

// ack acks an envelope, with payload (a slash command's answer) or empty.
func (b *Bot) ack(ctx context.Context, req socketmode.Request, payload any) {
	start := b.cfg.Now()
	ctx, cancel := context.WithTimeout(ctx, b.cfg.AckDeadline)
	defer cancel()
	if err := b.sm.AckCtx(ctx, req.EnvelopeID, payload); err != nil {
		b.log.Warn("ack failed", "envelope_id", req.EnvelopeID, "err", err)
		return
	}
	b.cfg.Metrics.ack(b.cfg.Now().Sub(start))
}

// envelopeID reads the envelope_id of a raw Socket Mode message.
func envelopeID(raw json.RawMessage) string {
	var p struct {
		EnvelopeID string `json:"envelope_id"`
	}
	_ = json.Unmarshal(raw, &p)
	return p.EnvelopeID
}

// eventID reads the event_id of an events_api payload.
func eventID(payload json.RawMessage) string {
	var p struct {
		EventID string `json:"event_id"`
	}
	_ = json.Unmarshal(payload, &p)
	return p.EventID
}
