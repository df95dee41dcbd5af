package bot

import (
	"log/slog"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/d2iq/supportbot/policy"
	"github.com/d2iq/supportbot/store"
)

// Question is one question as it reached the bot. It is built once, at the
// edge (fromEvent, fromSlash, fromAction, or fromPending after a restart),
// and everything after works on it.
type Question struct {
	// ID is the event id of a mention or DM: the key of its owed reply and
	// of its dedupe mark. Empty for slash commands and buttons.
	ID       string
	Source   string // "slash", "mention", "dm", "share", "button"
	Team     string
	Channel  string
	User     string
	Thread   string // the thread the reply goes in, if any
	Text     string
	Received time.Time
	// Envelope is the Socket Mode envelope it came in, for the logs (not
	// kept: after a restart it is empty).
	Envelope string
}

// fromEvent is the question a mention or DM asks; ok is false for events
// the bot does not answer: not a mention or DM, from a bot (itself
// included), an edit or other message subtype.
func fromEvent(id string, outer slackevents.EventsAPIEvent, self string, now time.Time) (q Question, ok bool) {
	q = Question{ID: id, Team: outer.TeamID, Received: now}
	switch ev := outer.InnerEvent.Data.(type) {
	case *slackevents.AppMentionEvent:
		if ev.BotID != "" || ev.User == self || ev.Channel == "" {
			return q, false
		}
		q.Source, q.Channel, q.User, q.Text, q.Thread = "mention", ev.Channel, ev.User, ev.Text, ev.ThreadTimeStamp
		if q.Thread == "" {
			q.Thread = ev.TimeStamp // a mention is answered in its thread
		}
		return q, true
	case *slackevents.MessageEvent:
		if ev.ChannelType != "im" || ev.BotID != "" || ev.SubType != "" || ev.User == "" || ev.User == self || ev.Channel == "" {
			return q, false
		}
		q.Source, q.Channel, q.User, q.Text, q.Thread = "dm", ev.Channel, ev.User, ev.Text, ev.ThreadTimeStamp
		return q, true
	}
	return q, false
}

// fromSlash is the question (or subcommand) of a slash command.
func fromSlash(cmd slack.SlashCommand, now time.Time) Question {
	return Question{Source: "slash", Team: cmd.TeamID, Channel: cmd.ChannelID, User: cmd.UserID, Text: cmd.Text, Received: now}
}

// fromPending is an owed reply found in the outbox at start.
func fromPending(p store.Pending) Question {
	return Question{ID: p.EventID, Source: p.Source, Team: p.Team, Channel: p.Channel, User: p.User,
		Thread: p.Thread, Text: p.Text, Received: p.Time}
}

// pending is the owed reply of q, as the outbox keeps it.
func (q Question) pending() store.Pending {
	return store.Pending{EventID: q.ID, Time: q.Received, Team: q.Team, Channel: q.Channel, User: q.User,
		Thread: q.Thread, Source: q.Source, Text: q.Text}
}

// query is q's query-log record, with how a answered it.
func (q Question) query(a policy.Answer, keepText bool, latency time.Duration) store.Query {
	r := store.Query{
		Time: q.Received, Team: q.Team, Channel: q.Channel, User: q.User, Source: q.Source,
		Intent: string(a.Intent), Verdict: string(a.Verdict), Product: a.Product, Version: a.Version,
		Latency: latency,
	}
	if keepText {
		r.Text = policy.CleanText(q.Text)
	}
	return r
}

// logAttrs are the attributes every log line about q carries.
func (q Question) logAttrs() []any {
	attrs := []any{"source", q.Source, "channel", q.Channel, "user", q.User}
	if q.ID != "" {
		attrs = append(attrs, "event_id", q.ID)
	}
	if q.Envelope != "" {
		attrs = append(attrs, "envelope_id", q.Envelope)
	}
	return attrs
}

func (q Question) logger(log *slog.Logger) *slog.Logger { return log.With(q.logAttrs()...) }
