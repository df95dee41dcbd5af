package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/d2iq/supportbot/policy"
	"github.com/d2iq/supportbot/store"
)

// Inbox is where a mention or DM is put on record as owed a reply before it
// is acked, and where the owed replies are found again after a restart.
type Inbox interface {
	// Receive records q and the owed reply p in one durable commit and marks
	// p.EventID seen for ttl; first is false, with nothing written, for an
	// event on record already (a redelivery).
	Receive(ctx context.Context, q store.Query, p store.Pending, ttl time.Duration) (first bool, err error)
	// Answered settles owed replies once they are out; it may wait for the
	// next commit.
	Answered(ids ...string) error
	// ListPending returns the replies still owed.
	ListPending() ([]store.Pending, error)
}

// QueryLog records a question answered at once (a slash command, a button).
// LogQuery returns only once the record is durable: the bot sends no answer
// for a question that is not on record.
type QueryLog interface {
	LogQuery(ctx context.Context, q store.Query) (uint64, error)
}

// Config configures a Bot. Every field is required unless it says
// otherwise; cmd/supportbot's configuration holds the defaults.
type Config struct {
	// Policy returns the policy in force; it is called for every question,
	// so a reload takes effect at once.
	Policy func() *policy.Model
	Inbox  Inbox
	Log    QueryLog
	// StoreHealth, optional, reports why the store cannot take writes now
	// (nil when it can); /readyz says so.
	StoreHealth func() error

	// Command is the slash command, e.g. "/support".
	Command string
	// Admins are the Slack user ids allowed to run admin commands.
	Admins []string
	// LogQuestions false keeps question text out of the query log (an owed
	// reply keeps it in the outbox until it is answered).
	LogQuestions bool

	// Workers put mentions and DMs on record; SlashWorkers answer slash
	// commands, on their own so they never wait behind mentions. Queue
	// bounds the envelopes waiting for either.
	Workers, SlashWorkers, Queue int
	// Posters bounds the Web API calls for replies in flight at once.
	Posters int
	// CallTimeout is the deadline of one Web API call.
	CallTimeout time.Duration
	// RetryFor is how long a reply Slack does not take is retried, counted
	// from the question; after it the reply is reported and given up.
	RetryFor time.Duration
	// RetryMaxWait caps the backoff between retries (a Retry-After is
	// honoured up to 10 minutes).
	RetryMaxWait time.Duration
	// DedupeTTL is how long an event id is remembered.
	DedupeTTL time.Duration
	// AckDeadline is when a slash command whose answer is not ready is
	// acked empty (the answer then goes to its response_url); under
	// Slack's 3 seconds.
	AckDeadline time.Duration
	// DrainTimeout bounds how long Run waits for owed replies after its
	// context ends; what is still owed then is answered after the restart.
	DrainTimeout time.Duration
	// SlackGrace is how long Slack may be unreachable (socket down, Web API
	// failing) before the bot reports itself not ready; StuckAfter is how
	// long work may go without progress before it does.
	SlackGrace, StuckAfter time.Duration

	Logger *slog.Logger
	// Metrics, optional, counts what the bot does.
	Metrics *Metrics
	// Now is the clock.
	Now func() time.Time
	// Commands, optional, adds slash subcommands (stats, history, subscribe, …) by first word.
	Commands map[string]Command
}

// check reports the first missing or invalid field.
func (c Config) check() error {
	var errs []error
	if c.Policy == nil || c.Inbox == nil || c.Log == nil || c.Logger == nil || c.Now == nil {
		errs = append(errs, errors.New("bot: Policy, Inbox, Log, Logger and Now are required"))
	}
	if c.Command == "" {
		errs = append(errs, errors.New("Command is required"))
	}
	for name, n := range map[string]int{"Workers": c.Workers, "SlashWorkers": c.SlashWorkers, "Queue": c.Queue, "Posters": c.Posters} {
		if n <= 0 {
			errs = append(errs, fmt.Errorf("%s must be positive", name))
		}
	}
	for name, d := range map[string]time.Duration{"CallTimeout": c.CallTimeout, "RetryFor": c.RetryFor, "RetryMaxWait": c.RetryMaxWait,
		"DedupeTTL": c.DedupeTTL, "AckDeadline": c.AckDeadline, "DrainTimeout": c.DrainTimeout, "SlackGrace": c.SlackGrace, "StuckAfter": c.StuckAfter} {
		if d <= 0 {
			errs = append(errs, fmt.Errorf("%s must be positive", name))
		}
	}
	if c.AckDeadline >= 3*time.Second {
		errs = append(errs, errors.New("AckDeadline must be under Slack's 3 seconds"))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("bot: %w", err)
	}
	return nil
}

// Bot answers questions over a Socket Mode connection. Create it with New
// and call Run once.
type Bot struct {
	cfg    Config
	api    *slack.Client
	sm     *socketmode.Client
	log    *slog.Logger
	poster *poster
	self   string // the bot's own user id, from auth.test

	record, slashes *lane     // mentions and DMs; slash commands
	side            *sideJobs // App Home, buttons, "could not record" notes
	out             *outbox
	health          *health
}

// New returns a bot that talks to Slack through api (which must carry the
// app-level token and an http.Client with timeouts) and answers as the bot
// user selfID.
func New(api *slack.Client, selfID string, cfg Config, opts ...socketmode.Option) (*Bot, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	b := &Bot{
		cfg:    cfg,
		api:    api,
		sm:     socketmode.New(api, opts...),
		log:    cfg.Logger,
		self:   selfID,
		poster: &poster{api: api, log: cfg.Logger, metrics: cfg.Metrics, timeout: cfg.CallTimeout},
	}
	b.record = newLane(cfg.Workers, cfg.Queue, cfg.Now)
	b.slashes = newLane(cfg.SlashWorkers, cfg.Queue, cfg.Now)
	b.side = newSideJobs(cfg.Posters)
	b.out = newOutbox(b)
	b.health = newHealth(b)
	cfg.Metrics.watch(b.out)
	return b, nil
}

// Run connects and answers until ctx ends or the connection fails for good
// (invalid or revoked token). After ctx ends it waits up to DrainTimeout for
// the owed replies and returns nil; a fatal connection error is returned.
func (b *Bot) Run(ctx context.Context) error {
	runCtx, cancelRun := context.WithCancel(context.Background())
	defer cancelRun()
	// Work keeps going after ctx ends, to drain; it stops with workCtx.
	workCtx, stopWork := context.WithCancel(context.Background())
	defer stopWork()
	var wg sync.WaitGroup
	b.record.start(workCtx, &wg)
	b.slashes.start(workCtx, &wg)
	b.out.start(workCtx, &wg)

	b.recoverOwed()

	runErr := make(chan error, 1)
	go func() { runErr <- b.sm.RunContext(runCtx) }()

	var fatal error
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case err := <-runErr:
			fatal = fmt.Errorf("socket mode: %w", err)
			break loop
		case ev, ok := <-b.sm.Events:
			if !ok {
				fatal = errors.New("socket mode: event stream closed")
				break loop
			}
			b.dispatch(runCtx, ev)
		}
	}
	b.health.disconnected()

	// Drain: take no more envelopes; let the recorded questions be answered.
	drainCtx, cancelDrain := context.WithTimeout(context.Background(), b.cfg.DrainTimeout)
	b.record.close()
	b.slashes.close()
	b.record.wait(drainCtx)
	b.slashes.wait(drainCtx)
	if !b.out.drain(drainCtx) {
		b.log.Warn("drain timed out; the replies still owed are answered after the restart", "owed", b.out.owedCount())
	}
	b.side.wait(drainCtx)
	cancelDrain()
	cancelRun()
	// Keep reading events so the socket mode client can exit.
	go func() {
		for range b.sm.Events {
		}
	}()
	stopWork()
	b.out.stop()
	wg.Wait()
	return fatal
}
