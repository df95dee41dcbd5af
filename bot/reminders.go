package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/slack-go/slack"

	"github.com/d2iq/supportbot/policy"
)

// ChannelPoster posts a message to a channel. A nil error means Slack
// accepted the message; an error means it may not have been posted and the
// caller should try again later.
type ChannelPoster interface {
	Post(ctx context.Context, channel string, msg Message) error
}

// PostFunc adapts a function to a ChannelPoster.
type PostFunc func(ctx context.Context, channel string, msg Message) error

// Post calls f.
func (f PostFunc) Post(ctx context.Context, channel string, msg Message) error {
	return f(ctx, channel, msg)
}

// Poster posts messages with chat.postMessage, each call under a deadline:
// rate limits (429 + Retry-After) are waited out and 5xx, timeouts and
// network errors retried with backoff, up to five attempts; other errors (an
// unknown channel, a channel the bot is not in) are returned at once. It is
// safe for concurrent use.
type Poster struct {
	p *poster
}

var _ ChannelPoster = (*Poster)(nil)

// NewPoster returns a Poster that posts through api (with the bot token),
// each call given up after timeout. log receives the retries; metrics, when
// set, counts them.
func NewPoster(api *slack.Client, timeout time.Duration, log *slog.Logger, metrics *Metrics) *Poster {
	return &Poster{p: &poster{api: api, log: log, metrics: metrics, timeout: timeout}}
}

// Post posts msg to channel.
func (p *Poster) Post(ctx context.Context, channel string, msg Message) error {
	return p.p.retry(ctx, "chat.postMessage", func(ctx context.Context) error { return p.p.post(ctx, channel, "", msg) })
}

// ReminderMarks remembers which announcements and reminders were posted.
// MarkReminderSent must be durable when it returns nil.
type ReminderMarks interface {
	ReminderSent(key string) (bool, error)
	MarkReminderSent(key string, at time.Time) error
}

// SubscriptionLister lists the channels subscribed to reminders.
type SubscriptionLister interface {
	Subscriptions() ([]string, error)
}

// ReleaseStateKeeper keeps the release state last announced: product id ->
// released cycles. ReleaseState's ok is false when none was ever saved.
type ReleaseStateKeeper interface {
	ReleaseState() (state map[string][]string, ok bool, err error)
	SetReleaseState(state map[string][]string) error
}

// ReminderStore is what the reminder scheduler keeps in the store
// (*store.DB implements it).
type ReminderStore interface {
	ReminderMarks
	SubscriptionLister
	ReleaseStateKeeper
}

// ReminderConfig configures Reminders. Every field is required unless it
// says otherwise; cmd/supportbot's configuration holds the defaults.
type ReminderConfig struct {
	// Policy returns the policy in force.
	Policy func() *policy.Model
	Store  ReminderStore
	Poster ChannelPoster

	// Channels are the channel ids that always get announcements and
	// reminders (SUPPORTBOT_REMINDER_CHANNELS); the subscribed ones are added.
	Channels []string
	// LeadDays are the days before an expiry a reminder is due (none: no
	// reminders, only announcements); At is the time of day ("HH:MM") in
	// Location it is due at.
	LeadDays []int
	At       string
	Location *time.Location

	// RetryInterval is how often Run checks between the daily runs, to retry
	// failed posts and serve newly subscribed channels.
	RetryInterval time.Duration
	// Now is the clock; After waits.
	Now   func() time.Time
	After func(time.Duration) <-chan time.Time

	Logger  *slog.Logger
	Metrics *Metrics // optional

	// Filter, when set, adds the channels that track a stack and narrows
	// what each channel gets to its cycles (see ChannelFilter).
	Filter ChannelFilter
}

// Reminders posts release announcements and expiry reminders, each once per
// channel. Create it with NewReminders; Check, Run and OnPolicy are safe for
// concurrent use, and checks never overlap.
//
// # Announcements
//
// A check compares the policy's released cycles with the release state in
// the store. With no saved state (the very first start) it saves the state
// and announces nothing. Otherwise each release newer than every cycle seen
// for a product with an n-minus rule is announced ("Konvoy 1.9 is released;
// support for Konvoy 1.6 has ended; supported now: 1.9, 1.8, 1.7") under the
// key announce/<product>/<cycle>/<channel>. The state is saved only once
// every announcement is marked in every channel: while a post fails, the
// saved state still tells the next check what changed, and the keys keep the
// channels that did get it from getting it again. A channel that keeps
// failing holds the state back until it works or is unsubscribed. A release
// that shows up while no channel is configured or subscribed is recorded
// without being announced anywhere.
//
// # Reminders
//
// For each planned expiry with an expected date E (policy.Model.Expiries),
// the reminder for lead time L is due at HH:MM in the time zone on the day
// E-L, and can be sent from then until the end of day E; after that it is
// stale and never sent. Its key is remind/<product>/<cycle>/<L>d/<channel>.
// When several lead times are due at once for a channel (the bot was down, the
// channel subscribed late, the date moved closer) only the most imminent one
// is posted, saying how many days are actually left, and the older ones are
// marked without posting: a channel gets one message, not 90, 30 and 7 days
// at once.
//
// # Exactly once
//
// A key is marked only after Slack accepted the post, so a failed post is
// retried at the next check, for that channel only. A crash between the post
// and the mark posts it again after the restart: at least once, and exactly
// once unless the process dies in that instant.
type Reminders struct {
	cfg          ReminderConfig
	log          *slog.Logger
	hour, minute int
	leads        []int // ascending, no duplicates
	poke         chan struct{}
	mu           sync.Mutex // one check at a time
}

// NewReminders checks cfg and returns a scheduler.
func NewReminders(cfg ReminderConfig) (*Reminders, error) {
	if cfg.Policy == nil || cfg.Store == nil || cfg.Poster == nil || cfg.Location == nil ||
		cfg.Now == nil || cfg.After == nil || cfg.Logger == nil {
		return nil, errors.New("reminders: Policy, Store, Poster, Location, Now, After and Logger are required")
	}
	at, err := time.Parse("15:04", cfg.At)
	if err != nil {
		return nil, fmt.Errorf("reminders: time of day %q is not HH:MM", cfg.At)
	}
	leads := slices.Clone(cfg.LeadDays)
	slices.Sort(leads)
	leads = slices.Compact(leads)
	if len(leads) > 0 && leads[0] < 0 {
		return nil, fmt.Errorf("reminders: lead time %d days is negative", leads[0])
	}
	if cfg.RetryInterval <= 0 {
		return nil, fmt.Errorf("reminders: retry interval %s is not positive", cfg.RetryInterval)
	}
	return &Reminders{
		cfg: cfg, log: cfg.Logger, hour: at.Hour(), minute: at.Minute(), leads: leads,
		poke: make(chan struct{}, 1),
	}, nil
}

// Channels returns the channels announcements and reminders go to: the
// configured ones and the subscribed ones, sorted, without duplicates.
func (r *Reminders) Channels() ([]string, error) {
	subs, err := r.cfg.Store.Subscriptions()
	if err != nil {
		return nil, err
	}
	chs := slices.Concat(r.cfg.Channels, subs)
	if r.cfg.Filter != nil {
		tracking, err := r.cfg.Filter.Channels()
		if err != nil {
			return nil, err
		}
		chs = append(chs, tracking...)
	}
	slices.Sort(chs)
	return slices.Compact(chs), nil
}

// Run checks at once, then at HH:MM every day, every RetryInterval in
// between (to retry failed posts) and whenever OnPolicy is called, until ctx
// ends. Failed checks are logged.
func (r *Reminders) Run(ctx context.Context) {
	for {
		if err := r.Check(ctx); err != nil && ctx.Err() == nil {
			r.log.Error("reminders check", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-r.cfg.After(r.nextWait(r.cfg.Now())):
		case <-r.poke:
		}
	}
}

// OnPolicy tells the scheduler that m is now the policy in force, after a
// reload. It never blocks: Run checks for new releases (and reminders of
// the new policy's expiries) at once, on its own goroutine.
func (r *Reminders) OnPolicy(m *policy.Model) {
	r.log.Debug("policy changed; checking for new releases", "policy", m.Name)
	select {
	case r.poke <- struct{}{}:
	default: // a check is pending already
	}
}

// nextWait is how long Run sleeps after a check at now: until the next
// HH:MM in the time zone, or RetryInterval if that is sooner.
func (r *Reminders) nextWait(now time.Time) time.Duration {
	t := now.In(r.cfg.Location)
	next := time.Date(t.Year(), t.Month(), t.Day(), r.hour, r.minute, 0, 0, r.cfg.Location)
	if !next.After(now) {
		next = time.Date(t.Year(), t.Month(), t.Day()+1, r.hour, r.minute, 0, 0, r.cfg.Location)
	}
	return min(next.Sub(now), r.cfg.RetryInterval)
}

// Check does one pass: it announces new releases and posts the reminders
// that are due, to every channel. It returns the failures joined; what
// failed is tried again by the next check.
func (r *Reminders) Check(ctx context.Context) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	m := r.cfg.Policy()
	if m == nil {
		return errors.New("reminders: no policy loaded")
	}
	// The policy as it stands today: a release dated later is not news yet.
	m = m.At(r.cfg.Now())
	chs, err := r.Channels()
	if err != nil {
		return fmt.Errorf("reminders: %w", err)
	}
	return errors.Join(r.announce(ctx, m, chs), r.remind(ctx, m, chs))
}

// announce posts the releases m gained since the saved release state, and
// saves m's state once all of them are marked.
func (r *Reminders) announce(ctx context.Context, m *policy.Model, chs []string) error {
	seen, ok, err := r.cfg.Store.ReleaseState()
	if err != nil {
		return fmt.Errorf("announcements: %w", err)
	}
	cur := m.ReleasedCycles()
	if !ok {
		if err := r.cfg.Store.SetReleaseState(cur); err != nil {
			return fmt.Errorf("announcements: %w", err)
		}
		r.log.Info("release state recorded; nothing is announced on the first start")
		return nil
	}
	var errs []error
	for _, n := range m.NewReleases(seen) {
		msg := AnnouncementMessage(m, n)
		for _, ch := range chs {
			if err := ctx.Err(); err != nil {
				return errors.Join(append(errs, err)...)
			}
			if ok, err := r.wants(ch, n.Product, n.Ended, n.Partners); err != nil || !ok {
				if err != nil {
					errs = append(errs, err)
				}
				continue // the channel tracks a stack without these cycles
			}
			key := fmt.Sprintf("announce/%s/%s/%s", n.Product, n.Cycle, ch)
			if _, err := r.deliver(ctx, key, ch, msg); err != nil {
				errs = append(errs, err)
			}
		}
	}
	if len(errs) > 0 {
		// Keep the old state, so the next check still sees these releases
		// as new and retries the channels that did not get them.
		return errors.Join(errs...)
	}
	if !sameReleaseState(seen, cur) {
		if err := r.cfg.Store.SetReleaseState(cur); err != nil {
			return fmt.Errorf("announcements: %w", err)
		}
	}
	return nil
}

func sameReleaseState(a, b map[string][]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		w, ok := b[k]
		if !ok || !slices.Equal(v, w) {
			return false
		}
	}
	return true
}

// remind posts, to every channel, the most imminent reminder that is due and
// not yet sent for each dated expiry of m.
func (r *Reminders) remind(ctx context.Context, m *policy.Model, chs []string) error {
	now := r.cfg.Now()
	var errs []error
	for _, e := range m.Expiries() {
		due := r.dueLeads(e.Expected, now)
		if len(due) == 0 {
			continue
		}
		msg := ReminderMessage(m, e, r.daysLeft(e.Expected, now))
		for _, ch := range chs {
			if err := ctx.Err(); err != nil {
				return errors.Join(append(errs, err)...)
			}
			if ok, err := r.wants(ch, e.Product, []policy.Cycle{e.Ends}, e.Partners); err != nil || !ok {
				if err != nil {
					errs = append(errs, err)
				}
				continue // the channel tracks a stack without these cycles
			}
			key := func(lead int) string { return fmt.Sprintf("remind/%s/%s/%dd/%s", e.Product, e.Ends, lead, ch) }
			marked, err := r.deliver(ctx, key(due[0]), ch, msg)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			if !marked {
				continue
			}
			// The older lead times that fell due with it are superseded by
			// the reminder just sent: mark them, never post them late.
			for _, lead := range due[1:] {
				k := key(lead)
				sent, err := r.cfg.Store.ReminderSent(k)
				if err == nil && !sent {
					err = r.cfg.Store.MarkReminderSent(k, r.cfg.Now())
				}
				if err != nil {
					errs = append(errs, err)
				}
			}
		}
	}
	return errors.Join(errs...)
}

// deliver posts msg to ch unless key is marked, and marks key once Slack
// has accepted the post. It reports whether key is marked.
func (r *Reminders) deliver(ctx context.Context, key, ch string, msg Message) (bool, error) {
	sent, err := r.cfg.Store.ReminderSent(key)
	if err != nil {
		return false, err
	}
	if sent {
		return true, nil
	}
	if err := r.cfg.Poster.Post(ctx, ch, msg); err != nil {
		return false, fmt.Errorf("%s not posted: %w", key, err)
	}
	r.cfg.Metrics.ReminderPosted()
	if err := r.cfg.Store.MarkReminderSent(key, r.cfg.Now()); err != nil {
		return false, fmt.Errorf("%s posted but not marked, so it may be posted again: %w", key, err)
	}
	r.log.Info("reminder posted", "key", key, "channel", ch)
	return true, nil
}

// dueAt is when the reminder lead days before the expiry date is due:
// HH:MM on that day in the time zone.
func (r *Reminders) dueAt(date time.Time, lead int) time.Time {
	return time.Date(date.Year(), date.Month(), date.Day()-lead, r.hour, r.minute, 0, 0, r.cfg.Location)
}

// staleAt is the end of the expiry day in the time zone: reminders for it
// are not sent from then on.
func (r *Reminders) staleAt(date time.Time) time.Time {
	return time.Date(date.Year(), date.Month(), date.Day()+1, 0, 0, 0, 0, r.cfg.Location)
}

// dueLeads returns the lead times due at now for an expiry on date, most
// imminent (smallest) first; none for an undated or stale expiry.
func (r *Reminders) dueLeads(date, now time.Time) []int {
	if date.IsZero() || !now.Before(r.staleAt(date)) {
		return nil
	}
	var due []int
	for _, lead := range r.leads {
		if !now.Before(r.dueAt(date, lead)) {
			due = append(due, lead)
		}
	}
	return due
}

// nextDue returns the next reminder time after now for an expiry on date,
// and the lead time it is for; ok is false when none is left.
func (r *Reminders) nextDue(date, now time.Time) (at time.Time, lead int, ok bool) {
	if date.IsZero() {
		return time.Time{}, 0, false
	}
	for i := len(r.leads) - 1; i >= 0; i-- { // the largest lead is due first
		if t := r.dueAt(date, r.leads[i]); t.After(now) {
			return t, r.leads[i], true
		}
	}
	return time.Time{}, 0, false
}

// daysLeft counts the calendar days from now's day in the time zone to the
// expiry date.
func (r *Reminders) daysLeft(date, now time.Time) int {
	t := now.In(r.cfg.Location)
	today := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	day := time.Date(date.Year(), date.Month(), date.Day(), 0, 0, 0, 0, time.UTC)
	return int(day.Sub(today).Hours() / 24)
}

// daysPhrase says when: "today", "tomorrow", "in 30 days".
func daysPhrase(n int) string {
	switch n {
	case 0:
		return "today"
	case 1:
		return "tomorrow"
	}
	return fmt.Sprintf("in %d days", n)
}

// ReminderMessage renders the reminder that support for e.Ends ends in
// daysLeft days: what expires, when, what to move to and the source. Its
// text is a one-line summary.
func ReminderMessage(m *policy.Model, e policy.Expiry, daysLeft int) Message {
	name := productName(m, e.Product)
	date := e.Expected.Format(time.DateOnly)
	title := fmt.Sprintf("%s %s support ends %s", name, e.Ends, daysPhrase(daysLeft))
	summary := fmt.Sprintf("%s (%s, when %s %s is expected)", title, date, name, e.Next)

	var b strings.Builder
	fmt.Fprintf(&b, "*What expires*  %s %s, all patch versions%s\n", Escape(name), e.Ends, Escape(partnersSuffix(m, e.Partners)))
	fmt.Fprintf(&b, "*When*  When %s %s is released, expected %s (%s)\n", Escape(name), e.Next, date, daysPhrase(daysLeft))
	var now []string
	for _, c := range e.After {
		if c != e.Next {
			now = append(now, c.String())
		}
	}
	if len(now) > 0 {
		fmt.Fprintf(&b, "*Move to*  %s %s now, or %s once it is released", Escape(name), orList(now), e.Next)
	} else {
		fmt.Fprintf(&b, "*Move to*  %s %s once it is released", Escape(name), e.Next)
	}
	return notice(":hourglass_flowing_sand: "+title, summary, b.String(), noticeContext(m, e.Source))
}

// AnnouncementMessage renders the news of release n: "Konvoy 1.9 is
// released; support for Konvoy 1.6 has ended; supported now: 1.9, 1.8, 1.7",
// which is also its text.
func AnnouncementMessage(m *policy.Model, n policy.NewRelease) Message {
	name := productName(m, n.Product)
	title := fmt.Sprintf("%s %s is released", name, n.Cycle)
	summary := title
	if len(n.Ended) > 0 {
		summary += fmt.Sprintf("; support for %s %s has ended", name, andList(cycleStrings(n.Ended)))
	}
	if len(n.InDoubt) > 0 {
		summary += fmt.Sprintf("; in doubt: %s %s", name, andList(cycleStrings(n.InDoubt)))
	}
	summary += "; supported now: " + strings.Join(cycleStrings(n.Supported), ", ")

	var b strings.Builder
	if len(n.Ended) > 0 {
		fmt.Fprintf(&b, "*Support ended*  %s %s, all patch versions%s\n", Escape(name), andList(cycleStrings(n.Ended)), Escape(partnersSuffix(m, n.Partners)))
	}
	if len(n.InDoubt) > 0 {
		fmt.Fprintf(&b, "*In doubt*  %s %s: the pages do not settle whether support continues\n", Escape(name), andList(cycleStrings(n.InDoubt)))
	}
	fmt.Fprintf(&b, "*Move to*  %s %s", Escape(name), orList(cycleStrings(n.Supported)))
	return notice(":rocket: "+title, summary, b.String(), noticeContext(m, n.Source))
}

// partnersSuffix names the partner cycles that end along: " — and with it
// Kommander 1.2".
func partnersSuffix(m *policy.Model, ps []policy.PartnerCycle) string {
	if len(ps) == 0 {
		return ""
	}
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = productName(m, p.Product) + " " + p.Cycle.String()
	}
	return " — and with it " + andList(names)
}

func cycleStrings(cs []policy.Cycle) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.String()
	}
	return out
}

// orList joins "a, b or c"; andList "a, b and c".
func orList(s []string) string  { return joinWithLast(s, " or ") }
func andList(s []string) string { return joinWithLast(s, " and ") }

func joinWithLast(s []string, last string) string {
	switch len(s) {
	case 0:
		return ""
	case 1:
		return s[0]
	}
	return strings.Join(s[:len(s)-1], ", ") + last + s[len(s)-1]
}
