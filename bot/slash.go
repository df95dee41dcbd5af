package bot

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/d2iq/supportbot/policy"
)

// The slash command surface: /support QUESTION or /support SUBCOMMAND,
// answered privately in the envelope's ack, on a lane of its own so it
// never waits behind mentions.

// Command is a slash subcommand such as "/support stats". It returns the
// message to show the caller, privately.
type Command struct {
	Admin bool   // only Config.Admins may run it
	Help  string // one line for help
	Run   func(ctx context.Context, call CommandCall) (Message, error)
}

// CommandCall is one invocation of a Command.
type CommandCall struct {
	Args                []string
	User, Channel, Team string
}

func (b *Bot) onSlash(ctx context.Context, req socketmode.Request, cmd slack.SlashCommand) {
	q := fromSlash(cmd, b.cfg.Now())
	q.Envelope = req.EnvelopeID
	if !b.slashes.submit(func(workCtx context.Context) { b.slash(ctx, workCtx, req, cmd, q) }) {
		b.cfg.Metrics.apiError("queue_full")
		b.log.Error("slash command queue full; envelope left for redelivery", "queue", b.cfg.Queue)
	}
}

// slash answers in the ack when it can; when answering took longer than
// AckDeadline, the envelope was acked empty and the answer goes to the
// response_url.
func (b *Bot) slash(ackCtx, workCtx context.Context, req socketmode.Request, cmd slack.SlashCommand, q Question) {
	log := q.logger(b.log)
	ack := newDeadlineAck(b, ackCtx, req)
	msg := b.runCommand(workCtx, q)
	if ack.send(map[string]any{"response_type": "ephemeral", "text": msg.Text, "blocks": msg.Blocks}) {
		return
	}
	if cmd.ResponseURL == "" {
		log.Error("slash answer too late and no response_url")
		return
	}
	if err := b.respond(workCtx, cmd.ResponseURL, msg, slack.ResponseTypeEphemeral); err != nil {
		log.Error("response_url", "err", err)
	}
}

// deadlineAck acks an envelope once: with the answer, or empty at
// AckDeadline, whichever comes first.
type deadlineAck struct {
	once  sync.Once
	timer *time.Timer
	b     *Bot
	ctx   context.Context
	req   socketmode.Request
}

func newDeadlineAck(b *Bot, ctx context.Context, req socketmode.Request) *deadlineAck {
	a := &deadlineAck{b: b, ctx: ctx, req: req}
	a.timer = time.AfterFunc(b.cfg.AckDeadline, func() { a.once.Do(func() { b.ack(ctx, req, nil) }) })
	return a
}

// send acks with payload unless the deadline acked already; it reports
// whether it did.
func (a *deadlineAck) send(payload any) (sent bool) {
	a.timer.Stop()
	a.once.Do(func() {
		a.b.ack(a.ctx, a.req, payload)
		sent = true
	})
	return sent
}

// runCommand answers a slash command's text: a subcommand or a question.
// Errors are turned into what the user reads here.
func (b *Bot) runCommand(ctx context.Context, q Question) Message {
	words := strings.Fields(strings.ToLower(policy.CleanText(q.Text)))
	if len(words) > 0 {
		if c, ok := b.cfg.Commands[words[0]]; ok {
			if c.Admin && !slices.Contains(b.cfg.Admins, q.User) {
				return Message{Text: fmt.Sprintf("Sorry, `%s %s` is for the bot's admins only.", Escape(b.cfg.Command), Escape(words[0]))}
			}
			msg, err := c.Run(ctx, CommandCall{Args: words[1:], User: q.User, Channel: q.Channel, Team: q.Team})
			if err != nil {
				b.log.Error("slash subcommand", "command", words[0], "user", q.User, "err", err)
				return userMessage(fmt.Errorf("%w: %w", errCommand, err))
			}
			return msg
		}
	}
	a, err := b.answerNow(ctx, q)
	if err != nil {
		return userMessage(err)
	}
	if a.Intent == policy.IntentHelp && a.Smalltalk == "" {
		return b.helpMessage(a)
	}
	// A greeting or a thanks gets its short reply, with nothing to share.
	return Render(a, RenderOptions{Share: a.Smalltalk == ""})
}

// answerNow answers a question that is answered at once (a slash command,
// a button) and puts it on record before anything is sent.
func (b *Bot) answerNow(ctx context.Context, q Question) (policy.Answer, error) {
	a := b.cfg.Policy().AskOn(q.Text, q.Received)
	start := b.cfg.Now()
	_, err := b.cfg.Log.LogQuery(ctx, q.query(a, b.cfg.LogQuestions, start.Sub(q.Received)))
	b.health.storeResult(err)
	if err != nil {
		q.logger(b.log).Error("question not recorded", "err", err)
		return a, fmt.Errorf("%w: %w", errNotRecorded, err)
	}
	b.cfg.Metrics.logLatency(b.cfg.Now().Sub(start))
	b.cfg.Metrics.reply(string(a.Intent), string(a.Verdict))
	q.logger(b.log).Info("question answered", "intent", a.Intent, "verdict", a.Verdict, "latency", b.cfg.Now().Sub(q.Received))
	return a, nil
}

// helpMessage adds the bot's own commands to the policy's help answer.
func (b *Bot) helpMessage(a policy.Answer) Message {
	names := make([]string, 0, len(b.cfg.Commands))
	for n := range b.cfg.Commands {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		c := b.cfg.Commands[n]
		label := b.cfg.Command + " " + n
		if c.Admin {
			label += " (admins)"
		}
		a.Details = append(a.Details, policy.Detail{Label: label, Text: c.Help})
	}
	for i := range a.Details {
		if !strings.HasPrefix(a.Details[i].Label, "/") && a.Details[i].Label != "Products" {
			a.Details[i].Label = b.cfg.Command + " " + a.Details[i].Label
		}
	}
	return Render(a, RenderOptions{})
}

// respond posts a message to an interaction's response_url, retried; the
// URL never reaches the logs.
func (b *Bot) respond(ctx context.Context, url string, msg Message, responseType string) error {
	return b.poster.retry(ctx, "response_url", func(ctx context.Context) error {
		return b.poster.call(ctx, "response_url", func(ctx context.Context) error {
			return redactURL(slack.PostWebhookContext(ctx, url, &slack.WebhookMessage{
				Text: msg.Text, Blocks: &slack.Blocks{BlockSet: msg.Blocks}, ResponseType: responseType,
			}), url)
		})
	})
}
