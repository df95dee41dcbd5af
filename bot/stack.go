package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/d2iq/supportbot/policy"
	"github.com/d2iq/supportbot/store"
)

// StackStore keeps what each channel tracks (*store.DB implements it).
type StackStore interface {
	Track(channel, by string, items []store.StackItem) (store.Stack, error)
	Untrack(channel, by string, products []string) (removed []store.StackItem, now store.Stack, err error)
	StackReader
}

// StackReader reads what channels track.
type StackReader interface {
	ChannelStack(channel string) (store.Stack, error)
	TrackingChannels() ([]string, error)
}

// ChannelFilter is how the reminder engine learns about channel stacks.
// Channels are channels that get announcements and reminders besides the
// configured and subscribed ones (the channels that track a stack). Wants
// reports, for one channel, whether it gets the news that support ends for
// any of cycles; a channel the filter knows nothing about wants everything.
type ChannelFilter interface {
	Channels() ([]string, error)
	Wants(channel string, cycles []policy.PartnerCycle) (bool, error)
}

// wants asks the filter, if any, whether ch gets the news that support for
// product's cycles (and their partners) ends.
func (r *Reminders) wants(ch, product string, cycles []policy.Cycle, partners []policy.PartnerCycle) (bool, error) {
	if r.cfg.Filter == nil {
		return true, nil
	}
	all := slices.Clone(partners)
	for _, c := range cycles {
		all = append(all, policy.PartnerCycle{Product: product, Cycle: c})
	}
	ok, err := r.cfg.Filter.Wants(ch, all)
	if err != nil {
		return false, fmt.Errorf("stack of %s: %w", ch, err)
	}
	return ok, nil
}

// StackFilter is the ChannelFilter of channel stacks: a channel that tracks
// a stack gets the announcements and reminders of its tracked cycles only;
// a channel that tracks nothing, and every configured channel
// (SUPPORTBOT_REMINDER_CHANNELS), gets everything.
type StackFilter struct {
	Stacks     StackReader
	Configured []string
}

var _ ChannelFilter = StackFilter{}

// Channels returns the channels that track a stack.
func (f StackFilter) Channels() ([]string, error) { return f.Stacks.TrackingChannels() }

// Wants reports whether channel tracks one of cycles, or tracks nothing.
func (f StackFilter) Wants(channel string, cycles []policy.PartnerCycle) (bool, error) {
	if slices.Contains(f.Configured, channel) {
		return true, nil
	}
	s, err := f.Stacks.ChannelStack(channel)
	if err != nil {
		return false, err
	}
	if len(s.Items) == 0 {
		return true, nil
	}
	for _, it := range s.Items {
		v, err := policy.ParseVersion(it.Version)
		if err != nil {
			continue
		}
		for _, c := range cycles {
			if c.Product == it.Product && c.Cycle == v.Cycle {
				return true, nil
			}
		}
	}
	return false, nil
}

// stackKubernetes is the stack entry for the Kubernetes version, a topic of
// the policy rather than a product.
const stackKubernetes = "kubernetes"

// errStackWords is a mistake in the words of track or untrack; its text is
// for the user.
type errStackWords struct{ msg string }

func (e *errStackWords) Error() string { return e.msg }

// parseStackWords reads "konvoy 1.7 kommander 1.3 kaptain 1.3" into items,
// each product once (the last version given wins), as policy ids.
func parseStackWords(m *policy.Model, words []string) ([]store.StackItem, error) {
	var out []store.StackItem
	words = slices.DeleteFunc(slices.Clone(words), func(w string) bool { return strings.Trim(w, ",;") == "" })
	for i := 0; i < len(words); i++ {
		name := strings.Trim(words[i], ",;")
		id, err := stackProduct(m, name)
		if err != nil {
			return nil, err
		}
		if i+1 == len(words) {
			return nil, &errStackWords{fmt.Sprintf("Say which version of %s, like `%s %s`.", productName(m, id), id, exampleVersion(m, id))}
		}
		i++
		raw := strings.Trim(words[i], ",;")
		v, err := policy.ParseVersion(raw)
		if err != nil {
			return nil, &errStackWords{fmt.Sprintf("`%s` is not a version of %s I can read; write it like `%s %s`.", Escape(truncate(raw, 40)), productName(m, id), id, exampleVersion(m, id))}
		}
		out = slices.DeleteFunc(out, func(it store.StackItem) bool { return it.Product == id })
		out = append(out, store.StackItem{Product: id, Version: v.String()})
	}
	return out, nil
}

// stackProduct resolves a word to a product id of the policy, or "kubernetes".
func stackProduct(m *policy.Model, word string) (string, error) {
	if word == stackKubernetes {
		return word, nil
	}
	if p, ok := m.Product(word); ok {
		return p.ID, nil
	}
	msg := fmt.Sprintf("I do not know the product `%s`.", Escape(truncate(word, 40)))
	if dym, ok := policy.DidYouMean(m, word); ok {
		msg += fmt.Sprintf(" Did you mean `%s`?", Escape(dym))
	}
	return "", &errStackWords{msg + " Products: " + strings.Join(m.Products(), ", ") + ", kubernetes."}
}

func exampleVersion(m *policy.Model, id string) string {
	if p, ok := m.Product(id); ok && len(p.Releases) > 0 {
		return p.Latest().String()
	}
	return "1.20"
}

// stackQuestion is a stack as one question in the policy's plain words.
func stackQuestion(items []store.StackItem) string {
	parts := make([]string, 0, 2*len(items))
	for _, it := range stackOrder(items) {
		parts = append(parts, it.Product, it.Version)
	}
	return strings.Join(parts, " ")
}

// stackOrder puts the platform first, as people say a stack: Konvoy,
// Kommander, then the rest, Kubernetes last.
func stackOrder(items []store.StackItem) []store.StackItem {
	rank := func(p string) int {
		switch p {
		case "konvoy":
			return 0
		case "kommander":
			return 1
		case stackKubernetes:
			return 3
		}
		return 2
	}
	out := slices.Clone(items)
	slices.SortStableFunc(out, func(a, b store.StackItem) int { return rank(a.Product) - rank(b.Product) })
	return out
}

// stackList names a stack: "Konvoy 1.7, Kommander 1.3 and Kaptain 1.3".
func stackList(m *policy.Model, items []store.StackItem) string {
	names := make([]string, len(items))
	for i, it := range stackOrder(items) {
		names[i] = productName(m, it.Product) + " " + it.Version
	}
	return andList(names)
}

// notTracked is the reply for a channel that tracks nothing.
const notTracked = "This channel tracks nothing yet. Say what it runs with `track konvoy 1.8 kommander 1.4 kaptain 1.3`."

// TrackCommand is `/support track PRODUCT VERSION...`: the channel it is
// typed in records what it runs. Anyone in the channel may (Slack delivers
// a channel's slash commands only from its members); the reply says who
// changed it and what the stack is now.
func TrackCommand(s StackStore, pol func() *policy.Model) Command {
	return Command{
		Help: "record what this channel runs (`track konvoy 1.7 kommander 1.3 kaptain 1.3`): reminders here are then about those versions only",
		Run: func(_ context.Context, c CommandCall) (Message, error) {
			if !channelIDRE.MatchString(c.Channel) {
				return notAChannelStack, nil
			}
			m := pol()
			if m == nil {
				return Message{}, errors.New("track: no policy loaded")
			}
			if len(c.Args) == 0 {
				return Message{Text: "Say what this channel runs, like `track konvoy 1.7 kommander 1.3 kaptain 1.3`."}, nil
			}
			items, err := parseStackWords(m, c.Args)
			if err != nil {
				return stackWordsReply(err)
			}
			st, err := s.Track(c.Channel, c.User, items)
			if errors.Is(err, store.ErrStackTooLarge) {
				return Message{Text: "A stack holds at most 32 products."}, nil
			}
			if err != nil {
				return Message{}, fmt.Errorf("track: %w", err)
			}
			text := fmt.Sprintf("%s now tracks %s. Reminders and announcements here are about these versions only; `stack` checks them all at once. "+
				"I can only post in channels I am a member of, so invite me if I am not in it yet.",
				channelLink(c.Channel), Escape(stackList(m, st.Items)))
			return Message{Text: text, Blocks: []slack.Block{section(text)}}, nil
		},
	}
}

// UntrackCommand is `/support untrack [PRODUCT...|all]`: the channel stops
// tracking those products (all of them with no words or `all`).
func UntrackCommand(s StackStore, pol func() *policy.Model) Command {
	return Command{
		Help: "stop tracking some products (`untrack kaptain`) or all of them (`untrack`)",
		Run: func(_ context.Context, c CommandCall) (Message, error) {
			if !channelIDRE.MatchString(c.Channel) {
				return notAChannelStack, nil
			}
			m := pol()
			if m == nil {
				return Message{}, errors.New("untrack: no policy loaded")
			}
			var products []string
			for _, w := range c.Args {
				w = strings.Trim(w, ",;")
				if w == "" || w == "all" {
					continue
				}
				if _, err := policy.ParseVersion(w); err == nil {
					continue // "untrack konvoy 1.7": the version is not needed
				}
				id, err := stackProduct(m, w)
				if err != nil {
					return stackWordsReply(err)
				}
				products = append(products, id)
			}
			if slices.Contains(c.Args, "all") {
				products = nil
			}
			removed, now, err := s.Untrack(c.Channel, c.User, products)
			if err != nil {
				return Message{}, fmt.Errorf("untrack: %w", err)
			}
			var text string
			switch {
			case len(removed) == 0 && len(now.Items) == 0:
				text = notTracked
			case len(removed) == 0:
				text = fmt.Sprintf("%s does not track that; it tracks %s.", channelLink(c.Channel), Escape(stackList(m, now.Items)))
			case len(now.Items) == 0:
				text = fmt.Sprintf("%s no longer tracks %s, and tracks nothing now: it gets the reminders it got before tracking.", channelLink(c.Channel), Escape(stackList(m, removed)))
			default:
				text = fmt.Sprintf("%s no longer tracks %s; it still tracks %s.", channelLink(c.Channel), Escape(stackList(m, removed)), Escape(stackList(m, now.Items)))
			}
			return Message{Text: text, Blocks: []slack.Block{section(text)}}, nil
		},
	}
}

// StackCommand is `/support stack`: every relation of what the channel
// tracks, answered at once by the policy as one question (the same
// evaluation as `supportbot check`).
func StackCommand(s StackReader, pol func() *policy.Model, now func() time.Time) Command {
	return Command{
		Help: "check everything this channel tracks at once: each version's support, pairings, platforms and Kubernetes",
		Run: func(_ context.Context, c CommandCall) (Message, error) {
			if !channelIDRE.MatchString(c.Channel) {
				return notAChannelStack, nil
			}
			m := pol()
			if m == nil {
				return Message{}, errors.New("stack: no policy loaded")
			}
			st, err := s.ChannelStack(c.Channel)
			if err != nil {
				return Message{}, fmt.Errorf("stack: %w", err)
			}
			if len(st.Items) == 0 {
				return Message{Text: notTracked, Blocks: []slack.Block{section(notTracked)}}, nil
			}
			return StackMessage(m, st, now()), nil
		},
	}
}

// AskStack asks the policy about a stack on day: question is the stack in
// the policy's plain words, items the stack itself. The policy's one
// evaluation gives every product of the stack a status part and every
// relation between them a part, and combines them into the verdict; a
// stack of more than one product is always answered with parts (a one-part
// answer becomes its own part), so `check` and `/support stack` read the
// same findings.
func AskStack(m *policy.Model, question string, items []store.StackItem, day time.Time) policy.Answer {
	a := m.AskOn(question, day)
	if len(items) < 2 || len(a.Parts) > 0 {
		return a
	}
	subjects := []string{}
	if a.Product != "" {
		subjects = append(subjects, a.Product)
	}
	a.Parts = []policy.Part{{Subjects: subjects, Intent: a.Intent, Verdict: a.Verdict, Summary: a.Summary, Sources: a.Sources}}
	return a
}

// StackMessage renders the policy's answer on day to a stack: the stack as
// tracked, then one fact per relation the policy evaluated (Answer.Parts),
// then what no part covered. A stack with an unchecked part is never a yes.
func StackMessage(m *policy.Model, st store.Stack, day time.Time) Message {
	a := AskStack(m, stackQuestion(st.Items), st.Items, day)
	tracked := policy.Detail{Label: "Tracked", Text: stackList(m, st.Items)}
	if st.By != "" {
		tracked.Text += fmt.Sprintf(" (last changed by %s on %s)", userID(st.By), st.At.UTC().Format(time.DateOnly))
	}
	details := []policy.Detail{tracked}
	for _, p := range a.Parts {
		names := make([]string, len(p.Subjects))
		for i, id := range p.Subjects {
			names[i] = productName(m, id)
		}
		details = append(details, policy.Detail{Label: strings.Join(names, " + "), Text: p.Verdict.Label() + ": " + p.Summary})
	}
	if gap := stackCoverage(a, st); len(gap) > 0 {
		details = append(details, gap...)
		if a.Verdict.ExitCode() == 0 {
			a.Verdict = policy.VerdictUnknown // a part is unchecked: not a yes
		}
	}
	a.Details = append(details, a.Details...)
	return Render(a, RenderOptions{Share: true})
}

// stackCoverage says which tracked products no part of the answer covers,
// so a stack never reads as fine on a part the policy did not evaluate.
func stackCoverage(a policy.Answer, st store.Stack) []policy.Detail {
	covered := map[string]bool{a.Product: true}
	if len(a.Parts) > 0 {
		covered = map[string]bool{}
	}
	for _, p := range a.Parts {
		for _, id := range p.Subjects {
			covered[id] = true
		}
	}
	var rest []string
	for _, it := range stackOrder(st.Items) {
		if !covered[it.Product] {
			rest = append(rest, it.Product+" "+it.Version)
		}
	}
	var out []policy.Detail
	if len(rest) > 0 && len(st.Items) > 1 {
		out = append(out, policy.Detail{Label: "Not checked", Text: "The policy's answer covers no relation of " + strings.Join(rest, ", ") + "."})
	}
	if len(a.NotUnderstood) > 0 {
		out = append(out, policy.Detail{Label: "Not placed", Text: strings.Join(a.NotUnderstood, " ")})
	}
	return out
}

// notAChannelStack is the reply when a stack command comes without a usable channel id.
var notAChannelStack = Message{Text: "A stack belongs to the channel the command is typed in, and I could not tell which one that is."}

// stackWordsReply turns a mistake in the words into the user's reply.
func stackWordsReply(err error) (Message, error) {
	var we *errStackWords
	if errors.As(err, &we) {
		return Message{Text: we.msg, Blocks: []slack.Block{section(we.msg)}}, nil
	}
	return Message{}, err
}
