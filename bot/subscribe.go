package bot

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/d2iq/supportbot/policy"
)

// Subscriber adds channels to and removes them from the reminder list.
// Subscribe reports false if the channel was subscribed already,
// Unsubscribe if it was not.
type Subscriber interface {
	Subscribe(channel, by string) (added bool, err error)
	Unsubscribe(channel string) (removed bool, err error)
}

// channelIDRE is what a Slack channel id looks like (C…, G…, D…).
var channelIDRE = regexp.MustCompile(`^[A-Z0-9]{1,64}$`)

// channelLink renders a channel id as a <#C123> link, or escaped text if it
// is not an id, so it can never become a mention or a link elsewhere.
func channelLink(id string) string {
	if channelIDRE.MatchString(id) {
		return "<#" + id + ">"
	}
	return "`" + Escape(id) + "`"
}

// notAChannel is the reply when a command comes without a usable channel id.
var notAChannel = Message{Text: "I can only (un)subscribe the channel this command is typed in, and I could not tell which one that is."}

// SubscribeCommand is `/support subscribe`: the channel it is typed in gets
// release announcements and expiry reminders. Admins only.
func SubscribeCommand(s Subscriber) Command {
	return Command{
		Admin: true,
		Help:  "post release announcements and expiry reminders in this channel",
		Run: func(_ context.Context, c CommandCall) (Message, error) {
			if !channelIDRE.MatchString(c.Channel) {
				return notAChannel, nil
			}
			added, err := s.Subscribe(c.Channel, c.User)
			if err != nil {
				return Message{}, fmt.Errorf("subscribe: %w", err)
			}
			text := channelLink(c.Channel) + " is subscribed already."
			if added {
				text = "Subscribed " + channelLink(c.Channel) + ": release announcements and expiry reminders will be posted here. " +
					"I can only post in channels I am a member of, so invite me if I am not in it yet."
			}
			return Message{Text: text, Blocks: []slack.Block{section(text)}}, nil
		},
	}
}

// UnsubscribeCommand is `/support unsubscribe`: the channel it is typed in
// no longer gets announcements and reminders. configured are the channels
// of SUPPORTBOT_REMINDER_CHANNELS, which only the configuration can remove.
// Admins only.
func UnsubscribeCommand(s Subscriber, configured []string) Command {
	return Command{
		Admin: true,
		Help:  "stop release announcements and expiry reminders in this channel",
		Run: func(_ context.Context, c CommandCall) (Message, error) {
			if !channelIDRE.MatchString(c.Channel) {
				return notAChannel, nil
			}
			removed, err := s.Unsubscribe(c.Channel)
			if err != nil {
				return Message{}, fmt.Errorf("unsubscribe: %w", err)
			}
			var text string
			switch {
			case slices.Contains(configured, c.Channel):
				text = channelLink(c.Channel) + " gets reminders from the bot's configuration (SUPPORTBOT_REMINDER_CHANNELS); only the configuration can stop them."
			case removed:
				text = "Unsubscribed " + channelLink(c.Channel) + ": no more announcements or reminders here."
			default:
				text = channelLink(c.Channel) + " was not subscribed."
			}
			return Message{Text: text, Blocks: []slack.Block{section(text)}}, nil
		},
	}
}

// RemindersCommand is `/support reminders`: the planned expiries with their
// dates and next reminder, and the channels reminders go to.
func RemindersCommand(r *Reminders) Command {
	return Command{
		Help: "the planned ends of support, when I will remind, and which channels I remind",
		Run: func(_ context.Context, c CommandCall) (Message, error) {
			chs, err := r.Channels()
			if err != nil {
				return Message{}, fmt.Errorf("reminders: %w", err)
			}
			m := r.cfg.Policy()
			if m == nil {
				return Message{}, errors.New("reminders: no policy loaded")
			}
			return r.listing(m, chs), nil
		},
	}
}

// listing renders the upcoming expiries and the channels.
func (r *Reminders) listing(m *policy.Model, chs []string) Message {
	now := r.cfg.Now()
	var upcoming []string
	for _, e := range m.Expiries() {
		name := Escape(productName(m, e.Product))
		line := fmt.Sprintf("• *%s %s* ends when %s %s is released", name, e.Ends, name, e.Next)
		switch {
		case e.Expected.IsZero():
			line += ": no date is announced, so no reminders yet"
		case !now.Before(r.staleAt(e.Expected)):
			line += fmt.Sprintf(", expected %s, which has passed", e.Expected.Format(time.DateOnly))
		default:
			line += fmt.Sprintf(", expected %s (%s)", e.Expected.Format(time.DateOnly), daysPhrase(r.daysLeft(e.Expected, now)))
			if at, lead, ok := r.nextDue(e.Expected, now); ok {
				line += fmt.Sprintf("; next reminder %s (%d days before)", at.In(r.cfg.Location).Format("2006-01-02 15:04 MST"), lead)
			}
		}
		upcoming = append(upcoming, line)
	}
	summary := fmt.Sprintf("%d planned ends of support; reminders go to %d channels.", len(upcoming), len(chs))
	var b strings.Builder
	b.WriteString("*Planned ends of support*\n")
	if len(upcoming) == 0 {
		b.WriteString("_None: the policy announces no release that would end a supported version._")
	}
	b.WriteString(strings.Join(upcoming, "\n"))

	var ch strings.Builder
	ch.WriteString("*Channels*  ")
	if len(chs) == 0 {
		ch.WriteString("_none yet: `subscribe` in a channel adds it_")
	}
	for i, id := range chs {
		if i > 0 {
			ch.WriteString(", ")
		}
		ch.WriteString(channelLink(id))
		if slices.Contains(r.cfg.Channels, id) {
			ch.WriteString(" (configured)")
		}
	}
	var leads []string
	for _, l := range slices.Backward(r.leads) {
		leads = append(leads, fmt.Sprint(l))
	}
	when := "No reminder lead times are configured; a new release is announced when the policy gains it."
	if len(leads) > 0 {
		when = fmt.Sprintf("Reminders go out at %02d:%02d %s, %s days before each planned end of support; a new release is announced when the policy gains it.",
			r.hour, r.minute, Escape(r.cfg.Location.String()), andList(leads))
	}
	return Message{
		Text: summary,
		Blocks: []slack.Block{
			header(":calendar: Reminders"),
			section(truncateRunes(b.String(), maxSectionText)),
			section(truncateRunes(ch.String(), maxSectionText)),
			section(when),
			noticeContext(m, policy.Ref{}),
		},
	}
}
