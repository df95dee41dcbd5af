package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"

	"github.com/d2iq/supportbot/policy"
	"github.com/d2iq/supportbot/store"
)

// QueryLog records a question. LogQuery returns only once the record is
// durable: the bot sends no reply for a question that is not on record.
type QueryLog interface {
	LogQuery(ctx context.Context, q store.Query) (uint64, error)
}

// Deduper remembers answered event ids, so a redelivered event is answered
// once. EventSeen only reads; MarkEvent durably marks id for ttl.
type Deduper interface {
	EventSeen(id string) (bool, error)
	MarkEvent(id string, ttl time.Duration) (first bool, err error)
}

// Outbox keeps the replies owed for events acked at Slack's deadline before
// their reply was out: Slack will not redeliver those, so after a crash the
// next start answers them from here. PutPending is durable when it returns.
type Outbox interface {
	PutPending(p store.Pending) error
	DeletePending(id string) <-chan error
	ListPending() ([]store.Pending, error)
}

// Config configures a Bot. Policy, Log and Dedupe are required.
type Config struct {
	// Policy returns the policy in force; it is called for every question,
	// so a reload takes effect at once.
	Policy func() *policy.Model
	Log    QueryLog
	Dedupe Deduper
	// Outbox, when set, keeps questions whose envelope was acked before the
	// reply (a slow reply) safe across a crash.
	Outbox Outbox

	// Command is the slash command, "/support" by default.
	Command string
	// Admins are the Slack user ids allowed to run admin commands.
	Admins []string
	// LogQuestions false keeps question text out of the query log.
	LogQuestions bool
	// Workers bounds the replies in flight (default 8); Queue bounds the
	// envelopes waiting for a worker (default 4096).
	Workers, Queue int
	// DedupeTTL is how long an event id is remembered (default 1 hour).
	DedupeTTL time.Duration
	// AckDeadline is when an envelope whose reply is not done yet is acked
	// anyway, inside Slack's 3 seconds (default 2s).
	AckDeadline time.Duration
	// DrainTimeout bounds how long Run waits for in-flight replies after its
	// context ends (default 10s).
	DrainTimeout time.Duration
	// Logger receives the bot's logs (default slog.Default()).
	Logger *slog.Logger
	// Metrics, when set, counts what the bot does.
	Metrics *Metrics
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Commands adds slash subcommands (stats, history, subscribe, …) by first word.
	Commands map[string]Command
}

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

// Bot answers questions over a Socket Mode connection. Create it with New
// and call Run once.
type Bot struct {
	cfg    Config
	api    *slack.Client
	sm     *socketmode.Client
	log    *slog.Logger
	poster *poster
	self   string // the bot's own user id, from auth.test

	jobs      chan func(ctx context.Context)
	mu        sync.Mutex
	answering map[string]*answering // event ids being answered
	inflight  sync.WaitGroup
	conns     atomic.Int64
	ready     atomic.Bool
}

// New returns a bot that talks to Slack through api (which must carry the
// app-level token) and answers as the bot user selfID.
func New(api *slack.Client, selfID string, cfg Config, opts ...socketmode.Option) (*Bot, error) {
	if cfg.Policy == nil || cfg.Log == nil || cfg.Dedupe == nil {
		return nil, errors.New("bot: Policy, Log and Dedupe are required")
	}
	if cfg.Command == "" {
		cfg.Command = "/support"
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 8
	}
	if cfg.Queue <= 0 {
		cfg.Queue = 4096
	}
	if cfg.DedupeTTL <= 0 {
		cfg.DedupeTTL = time.Hour
	}
	if cfg.AckDeadline <= 0 || cfg.AckDeadline > 2500*time.Millisecond {
		cfg.AckDeadline = 2 * time.Second
	}
	if cfg.DrainTimeout <= 0 {
		cfg.DrainTimeout = 10 * time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	b := &Bot{
		cfg:       cfg,
		api:       api,
		sm:        socketmode.New(api, opts...),
		log:       cfg.Logger,
		self:      selfID,
		jobs:      make(chan func(ctx context.Context), cfg.Queue),
		answering: map[string]*answering{},
	}
	b.poster = &poster{api: api, log: cfg.Logger, metrics: cfg.Metrics}
	return b, nil
}

// Connected reports whether the bot holds a live Socket Mode connection.
func (b *Bot) Connected() bool { return b.ready.Load() }

// Run connects and answers until ctx ends or the connection fails for good
// (invalid or revoked token). After ctx ends it waits up to DrainTimeout for
// replies in flight and returns nil; a fatal connection error is returned.
func (b *Bot) Run(ctx context.Context) error {
	runCtx, cancelRun := context.WithCancel(context.Background())
	defer cancelRun()
	// Workers keep going after ctx ends, to drain; they stop with workCtx.
	workCtx, stopWork := context.WithCancel(context.Background())
	defer stopWork()
	var workers sync.WaitGroup
	for range b.cfg.Workers {
		workers.Go(func() {
			for run := range b.jobs {
				run(workCtx)
				b.inflight.Done()
			}
		})
	}

	b.recover(b.log)

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
	b.ready.Store(false)

	// Drain: stop taking envelopes, let the replies in flight finish.
	drained := make(chan struct{})
	go func() { b.inflight.Wait(); close(drained) }()
	select {
	case <-drained:
	case <-time.After(b.cfg.DrainTimeout):
		b.log.Warn("drain timed out; replies still in flight are dropped")
	}
	cancelRun()
	// Keep reading events so the socket mode client can exit.
	go func() {
		for range b.sm.Events {
		}
	}()
	close(b.jobs)
	stopWork()
	workers.Wait()
	return fatal
}

// dispatch runs on the read loop: it acks what needs no answer at once and
// hands the rest to the workers, so the socket never waits on a reply.
func (b *Bot) dispatch(ctx context.Context, ev socketmode.Event) {
	b.cfg.Metrics.event(string(ev.Type))
	switch ev.Type {
	case socketmode.EventTypeConnected:
		b.ready.Store(true)
		if b.conns.Add(1) > 1 {
			b.cfg.Metrics.reconnect()
		}
		b.log.Info("connected to Slack")
		return
	case socketmode.EventTypeConnecting:
		return
	case socketmode.EventTypeConnectionError, socketmode.EventTypeDisconnect, socketmode.EventTypeIncomingError:
		b.ready.Store(false)
		b.log.Warn("socket mode connection problem", "type", ev.Type, "detail", fmt.Sprint(ev.Data))
		return
	case socketmode.EventTypeInvalidAuth:
		b.log.Error("Slack rejected the app token (invalid_auth)")
		return
	case socketmode.EventTypeHello:
		b.ready.Store(true)
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
		ack := b.newAck(ctx, req)
		b.submit(ack, func(ctx context.Context) { b.slash(ctx, ack, cmd) })
	case socketmode.EventTypeEventsAPI:
		outer, ok := ev.Data.(slackevents.EventsAPIEvent)
		if !ok {
			b.ack(ctx, req, nil)
			return
		}
		id := eventID(req.Payload)
		log := b.log.With("envelope_id", req.EnvelopeID, "event_id", id, "retry_attempt", req.RetryAttempt)
		ack := b.newAck(ctx, req)
		b.owe(log, ack, id, outer)
		b.submit(ack, func(ctx context.Context) { b.event(ctx, log, ack, id, outer) })
	case socketmode.EventTypeInteractive:
		cb, ok := ev.Data.(slack.InteractionCallback)
		if !ok {
			b.ack(ctx, req, nil)
			return
		}
		log := b.log.With("envelope_id", req.EnvelopeID)
		ack := b.newAck(ctx, req)
		b.submit(ack, func(ctx context.Context) { defer ack.send(nil); b.interaction(ctx, log, cb) })
	default:
		// Including error_bad_message: ack it so Slack does not redeliver
		// an envelope we can never read.
		b.log.Warn("unhandled envelope", "type", ev.Type, "envelope_id", req.EnvelopeID)
		b.ack(ctx, req, nil)
	}
}

// submit queues work for the pool without ever blocking the read loop. A
// full queue leaves the envelope unacked, so Slack redelivers it later.
func (b *Bot) submit(ack *envelopeAck, run func(ctx context.Context)) {
	b.inflight.Add(1)
	select {
	case b.jobs <- run:
	default:
		b.inflight.Done()
		if ack != nil {
			ack.cancel()
		}
		b.cfg.Metrics.apiError("queue_full")
		b.log.Error("work queue full; envelope left for redelivery", "queue", b.cfg.Queue)
	}
}

// envelopeAck acks one envelope exactly once: when its reply is done (so
// an envelope whose reply was cut off by a crash is redelivered), or empty
// at AckDeadline, whichever comes first, so Slack always has its ack in time.
type envelopeAck struct {
	b     *Bot
	ctx   context.Context
	req   socketmode.Request
	once  sync.Once
	timer *time.Timer

	mu    sync.Mutex
	early func() // runs before an ack sent at the deadline
	owed  atomic.Bool
}

func (b *Bot) newAck(ctx context.Context, req socketmode.Request) *envelopeAck {
	a := &envelopeAck{b: b, ctx: ctx, req: req}
	a.timer = time.AfterFunc(b.cfg.AckDeadline, func() {
		a.once.Do(func() {
			a.mu.Lock()
			early := a.early
			a.mu.Unlock()
			if early != nil {
				early()
			}
			a.b.ack(a.ctx, a.req, nil)
		})
	})
	return a
}

// beforeEarly sets fn to run before the envelope is acked at the deadline,
// that is, before its reply is out.
func (a *envelopeAck) beforeEarly(fn func()) {
	a.mu.Lock()
	a.early = fn
	a.mu.Unlock()
}

// send acks with payload unless the envelope was acked already; it reports
// whether this call sent the ack. Only the worker calls it.
func (a *envelopeAck) send(payload any) (sent bool) {
	a.timer.Stop()
	a.once.Do(func() {
		a.b.ack(a.ctx, a.req, payload)
		sent = true
	})
	return sent
}

// cancel gives up on acking: Slack will redeliver the envelope.
func (a *envelopeAck) cancel() {
	a.timer.Stop()
	a.once.Do(func() {})
}

func (b *Bot) ack(ctx context.Context, req socketmode.Request, payload any) {
	start := b.cfg.Now()
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
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

// origin is where a question came from.
type origin struct {
	source                    string // slash, mention, dm, share, button
	team, channel, user, text string
	received                  time.Time
	log                       *slog.Logger // carries the envelope and event ids

	eventID string       // the event asked in, if any
	thread  string       // the thread to reply in
	ack     *envelopeAck // the envelope's ack, if the reply is owed before it
	logged  bool         // the question is on record already (a recovered reply)
}

// ask answers a question and puts it on record before anything is sent.
func (b *Bot) ask(ctx context.Context, o origin) (policy.Answer, error) {
	a := b.cfg.Policy().Ask(o.text)
	q := store.Query{
		Time: o.received, Team: o.team, Channel: o.channel, User: o.user, Source: o.source,
		Intent: string(a.Intent), Verdict: string(a.Verdict), Product: a.Product, Version: a.Version,
		Latency: b.cfg.Now().Sub(o.received),
	}
	if b.cfg.LogQuestions {
		q.Text = policy.CleanText(o.text)
	}
	if !o.logged {
		start := b.cfg.Now()
		if _, err := b.cfg.Log.LogQuery(ctx, q); err != nil {
			return a, fmt.Errorf("query log: %w", err)
		}
		b.cfg.Metrics.logLatency(b.cfg.Now().Sub(start))
	}
	b.cfg.Metrics.reply(string(a.Intent), string(a.Verdict))
	if o.log != nil {
		o.log.Info("question answered", "source", o.source, "channel", o.channel, "user", o.user,
			"intent", a.Intent, "verdict", a.Verdict, "latency", b.cfg.Now().Sub(o.received))
	}
	return a, nil
}

// notRecorded is what a user reads when their question could not be logged.
var notRecorded = Message{Text: "Sorry, I could not record your question just now, so I did not answer it. Please ask again in a moment."}

// slash answers the slash command in its ack: ephemeral, with a Share button.
func (b *Bot) slash(ctx context.Context, ack *envelopeAck, cmd slack.SlashCommand) {
	log := b.log.With("envelope_id", ack.req.EnvelopeID, "user", cmd.UserID)
	o := origin{source: "slash", team: cmd.TeamID, channel: cmd.ChannelID, user: cmd.UserID, text: cmd.Text, received: b.cfg.Now(), log: log}
	msg, err := b.runCommand(ctx, o)
	if err != nil {
		log.Error("slash command", "err", err)
		msg = notRecorded
	}
	if ack.send(map[string]any{"response_type": "ephemeral", "text": msg.Text, "blocks": msg.Blocks}) {
		return
	}
	// Answering took longer than the ack allows: the deadline acked empty,
	// so the answer goes to the response_url instead.
	if cmd.ResponseURL == "" {
		log.Error("slash answer too late and no response_url")
		return
	}
	if err := b.respond(ctx, cmd.ResponseURL, msg, slack.ResponseTypeEphemeral); err != nil {
		log.Error("response_url", "err", err)
	}
}

// respond posts a message to an interaction's response_url.
func (b *Bot) respond(ctx context.Context, url string, msg Message, responseType string) error {
	return b.poster.do(ctx, "response_url", func(ctx context.Context) error {
		return slack.PostWebhookContext(ctx, url, &slack.WebhookMessage{
			Text: msg.Text, Blocks: &slack.Blocks{BlockSet: msg.Blocks}, ResponseType: responseType,
		})
	})
}

// runCommand answers a slash command's text: a subcommand or a question.
func (b *Bot) runCommand(ctx context.Context, o origin) (Message, error) {
	words := strings.Fields(strings.ToLower(policy.CleanText(o.text)))
	if len(words) > 0 {
		if c, ok := b.cfg.Commands[words[0]]; ok {
			if c.Admin && !slices.Contains(b.cfg.Admins, o.user) {
				return Message{Text: fmt.Sprintf("Sorry, `%s %s` is for the bot's admins only.", Escape(b.cfg.Command), Escape(words[0]))}, nil
			}
			return c.Run(ctx, CommandCall{Args: words[1:], User: o.user, Channel: o.channel, Team: o.team})
		}
	}
	a, err := b.ask(ctx, o)
	if err != nil {
		return Message{}, err
	}
	msg := Render(a, RenderOptions{Share: a.Intent != policy.IntentHelp})
	if a.Intent == policy.IntentHelp {
		msg = b.helpMessage(a)
	}
	return msg, nil
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

// event handles an events_api event: mentions, DMs and App Home. It acks
// once the reply is out, and in any case before it returns, except for a
// redelivery of an event still being answered.
func (b *Bot) event(ctx context.Context, log *slog.Logger, ack *envelopeAck, id string, outer slackevents.EventsAPIEvent) {
	if id == "" {
		defer ack.send(nil)
		b.handle(ctx, log, ack, id, outer)
		return
	}
	// A redelivery of an event still being answered is not answered
	// again, nor acked at once: Slack stops redelivering an event once
	// any of its envelopes is acked, so acking it before the reply is
	// out would lose the question to a crash. It is acked with the
	// first delivery (or at its own deadline).
	a, first := b.claim(id)
	if !first {
		b.cfg.Metrics.dedupeHit()
		log.Info("redelivered event ignored: already being answered")
		a.follow(ack) // acked with the first delivery, not now
		return
	}
	defer ack.send(nil)
	seen, err := b.cfg.Dedupe.EventSeen(id)
	switch {
	case err != nil:
		log.Error("dedupe", "err", err)
		b.release(id, a)
		return
	case seen:
		b.cfg.Metrics.dedupeHit()
		log.Info("redelivered event ignored")
		b.release(id, a)
		return
	}
	if !b.handle(ctx, log, ack, id, outer) {
		b.release(id, a)
		return
	}
	if ctx.Err() != nil {
		// Shutdown cut the reply short: leave the envelope unacked (unless
		// the deadline acked it, and the outbox owes the reply), so the
		// question is answered after the restart.
		ack.cancel()
		a.abandon()
		b.release(id, a)
		return
	}
	// The reply is out. A crash before it leaves the event unacked and
	// unmarked, and its redelivery is answered; a crash after it but before
	// Slack has the ack and before the mark is durable gets it answered
	// twice. To keep that window short, the ack and the mark go at once, in
	// parallel: the ack does not wait for the mark's fsync, nor the mark for
	// a socket that is reconnecting. The claim is held until the mark is
	// durable, so a redelivery meanwhile is dropped too.
	marked := make(chan struct{})
	go func() {
		defer close(marked)
		if _, err := b.cfg.Dedupe.MarkEvent(id, b.cfg.DedupeTTL); err != nil {
			log.Error("dedupe mark", "err", err)
		}
	}()
	ack.send(nil)
	a.replied()
	<-marked
	b.release(id, a)
}

// answering is an event being answered and the acks of its redeliveries,
// which wait for its reply.
type answering struct {
	mu        sync.Mutex
	done      bool
	followers []*envelopeAck
}

// follow acks a redelivery once the reply is out, at once if it is.
func (a *answering) follow(ack *envelopeAck) {
	a.mu.Lock()
	if !a.done {
		a.followers = append(a.followers, ack)
		a.mu.Unlock()
		return
	}
	a.mu.Unlock()
	ack.send(nil)
}

// abandon leaves the redeliveries that came in meanwhile unacked, for
// Slack to deliver again: the answer was cut short.
func (a *answering) abandon() {
	a.mu.Lock()
	followers := a.followers
	a.followers = nil
	a.mu.Unlock()
	for _, ack := range followers {
		ack.cancel()
	}
}

// replied acks the redeliveries that came in meanwhile.
func (a *answering) replied() {
	a.mu.Lock()
	a.done = true
	followers := a.followers
	a.followers = nil
	a.mu.Unlock()
	for _, ack := range followers {
		ack.send(nil)
	}
}

// claim marks an event id as being answered; first is false if it already
// is, and a is the answering in progress.
func (b *Bot) claim(id string) (a *answering, first bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if a, busy := b.answering[id]; busy {
		return a, false
	}
	a = &answering{}
	b.answering[id] = a
	return a, true
}

// release ends the claim on id; redeliveries still waiting are acked with
// the first delivery, which is acked by now.
func (b *Bot) release(id string, a *answering) {
	b.mu.Lock()
	delete(b.answering, id)
	b.mu.Unlock()
	a.replied()
}

// handle answers one inner event; it reports whether it replied.
func (b *Bot) handle(ctx context.Context, log *slog.Logger, ack *envelopeAck, id string, outer slackevents.EventsAPIEvent) bool {
	if q, ok := b.question(id, outer); ok {
		b.reply(ctx, log, origin{source: q.Source, team: q.Team, channel: q.Channel, user: q.User, text: q.Text,
			received: b.cfg.Now(), log: log, eventID: id, thread: q.Thread, ack: ack})
		return true
	}
	switch ev := outer.InnerEvent.Data.(type) {
	case *slackevents.AppHomeOpenedEvent:
		if ev.Tab != "home" {
			return false
		}
		view := HomeView(b.cfg.Policy())
		err := b.poster.do(ctx, "views.publish", func(ctx context.Context) error {
			_, err := b.api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: ev.User, View: view})
			return err
		})
		if err != nil {
			log.Error("views.publish", "err", err)
		}
		return true
	}
	return false
}

// reply answers a mention or DM with a message in the channel (in thread, when given).
func (b *Bot) reply(ctx context.Context, log *slog.Logger, o origin) {
	a, err := b.ask(ctx, o)
	msg := Render(a, RenderOptions{})
	if err != nil {
		log.Error("answer not sent", "err", err)
		msg = notRecorded
	}
	opts := []slack.MsgOption{slack.MsgOptionText(msg.Text, false), slack.MsgOptionBlocks(msg.Blocks...)}
	if o.thread != "" {
		opts = append(opts, slack.MsgOptionTS(o.thread))
	}
	err = b.poster.post(ctx, o.channel, opts...)
	if err != nil {
		log.Error("reply not sent", "channel", o.channel, "err", err)
	}
	if o.ack == nil {
		return
	}
	o.ack.beforeEarly(nil)
	// A reply cut short by shutdown stays owed for the next start; any
	// other outcome settles it.
	if o.ack.owed.Load() && ctx.Err() == nil {
		b.cfg.Outbox.DeletePending(o.eventID)
	}
}

// question is the question a mention or DM asks, as the reply it is owed;
// ok is false for events the bot does not answer: not a mention or DM, or
// from a bot (itself included), or an edit or other message subtype.
func (b *Bot) question(id string, outer slackevents.EventsAPIEvent) (p store.Pending, ok bool) {
	p = store.Pending{EventID: id, Time: b.cfg.Now(), Team: outer.TeamID}
	switch ev := outer.InnerEvent.Data.(type) {
	case *slackevents.AppMentionEvent:
		if ev.BotID != "" || ev.User == b.self {
			return p, false
		}
		p.Source, p.Channel, p.User, p.Text, p.Thread = "mention", ev.Channel, ev.User, ev.Text, ev.ThreadTimeStamp
		if p.Thread == "" {
			p.Thread = ev.TimeStamp // a mention is answered in its thread
		}
		return p, true
	case *slackevents.MessageEvent:
		if ev.ChannelType != "im" || ev.BotID != "" || ev.SubType != "" || ev.User == "" || ev.User == b.self {
			return p, false
		}
		p.Source, p.Channel, p.User, p.Text, p.Thread = "dm", ev.Channel, ev.User, ev.Text, ev.ThreadTimeStamp
		return p, true
	}
	return p, false
}

// owe arranges that if Slack's deadline forces the ack of a mention or DM
// before its reply is out (the reply is slow, or the envelope still waits
// for a worker), the reply is first recorded as owed in the outbox: after
// that ack Slack will not redeliver the event, so a crash would lose it.
func (b *Bot) owe(log *slog.Logger, ack *envelopeAck, id string, outer slackevents.EventsAPIEvent) {
	if b.cfg.Outbox == nil || id == "" {
		return
	}
	p, ok := b.question(id, outer)
	if !ok {
		return
	}
	ack.beforeEarly(func() {
		if err := b.cfg.Outbox.PutPending(p); err != nil {
			log.Error("outbox", "err", err)
			return
		}
		ack.owed.Store(true)
	})
}

// recover answers the replies owed from before a crash: events acked at the
// deadline whose reply never went out. An event marked answered was replied
// to after all.
func (b *Bot) recover(log *slog.Logger) {
	if b.cfg.Outbox == nil {
		return
	}
	owed, err := b.cfg.Outbox.ListPending()
	if err != nil {
		log.Error("outbox", "err", err)
		return
	}
	for _, p := range owed {
		log := log.With("event_id", p.EventID)
		b.submit(nil, func(ctx context.Context) {
			seen, err := b.cfg.Dedupe.EventSeen(p.EventID)
			if err != nil {
				log.Error("dedupe", "err", err)
				return
			}
			if !seen {
				log.Info("answering a question owed from before a restart")
				b.reply(ctx, log, origin{source: p.Source, team: p.Team, channel: p.Channel, user: p.User, text: p.Text,
					received: p.Time, log: log, thread: p.Thread, logged: true})
				if ctx.Err() != nil {
					return
				}
				if _, err := b.cfg.Dedupe.MarkEvent(p.EventID, b.cfg.DedupeTTL); err != nil {
					log.Error("dedupe mark", "err", err)
				}
			}
			if err := <-b.cfg.Outbox.DeletePending(p.EventID); err != nil {
				log.Error("outbox", "err", err)
			}
		})
	}
}

// interaction handles button clicks: share an answer, or ask a follow-up.
func (b *Bot) interaction(ctx context.Context, log *slog.Logger, cb slack.InteractionCallback) {
	if cb.Type != slack.InteractionTypeBlockActions {
		return
	}
	for _, act := range cb.ActionCallback.BlockActions {
		o := origin{team: cb.Team.ID, channel: cb.Channel.ID, user: cb.User.ID, text: act.Value, received: b.cfg.Now(), log: log}
		opts := RenderOptions{}
		responseType := slack.ResponseTypeEphemeral
		switch {
		case act.ActionID == ActionShare:
			o.source = "share"
			opts.SharedBy = cb.User.ID
			responseType = slack.ResponseTypeInChannel
		case strings.HasPrefix(act.ActionID, ActionAsk):
			o.source = "button"
			opts.Share = true
		default:
			continue
		}
		a, err := b.ask(ctx, o)
		msg := Render(a, opts)
		if err != nil {
			log.Error("answer not sent", "err", err)
			msg, responseType = notRecorded, slack.ResponseTypeEphemeral
		}
		if cb.ResponseURL == "" {
			log.Warn("interaction without response_url", "action", act.ActionID)
			continue
		}
		if err := b.respond(ctx, cb.ResponseURL, msg, responseType); err != nil {
			log.Error("response_url", "err", err)
		}
	}
}
