package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/d2iq/supportbot/bot/slacktest"
	"github.com/d2iq/supportbot/store"
)

// target is one bot under test.
type target struct {
	Name   string
	Role   string // roleBot or one of baselines
	Path   string
	Args   []string
	DB     string // query log to check after the run; "" for none
	Faults bool   // whether the fault modes apply to it
}

// questions are what the harness asks, in turn; each gets " #L0000123", its
// id, appended, which the policy parser ignores.
var questions = []string{
	"konvoy 1.6",
	"is konvoy 1.6 still supported?",
	"can I run Kommander 1.3 on Konvoy 1.8?",
	"konvoy 1.8 kubernetes 1.19.4",
	"kaptain 1.3 konvoy 1.6",
	"kba stable-1.20-4.0.0",
	"scope addons bug fixes",
	"which kommander goes with konvoy 1.8?",
	"konvoy",
	"istio",
}

// botUser is the fake Slack's bot user, whom mentions mention.
const botUser = "UBOT"

// sorryPrefix starts the reply of a question the bot could not record.
const sorryPrefix = "Sorry, I could not record"

// question is one logical event and everything seen of it. Its fields are
// guarded by runner.mu, except the identity fields set before it is shared.
type question struct {
	n                          int
	kind                       kind
	user, channel, ts, eventID string
	text, responsePath         string

	first      time.Time
	deliveries []*delivery
	envSeq     int
	retries    int  // redeliveries for want of an ack
	pending    bool // waiting in runner.deferred
	dupDelay   time.Duration
	wantDup    bool // the redelivery fault picked it
	dupDone    bool

	replies     []time.Time
	sorry       int
	misthreaded int
}

func (q *question) acked() bool {
	for _, d := range q.deliveries {
		if !d.acked.IsZero() {
			return true
		}
	}
	return false
}

func (q *question) nextAttempt() int {
	a := 0
	for _, d := range q.deliveries {
		a = max(a, d.attempt)
	}
	return a + 1
}

func (q *question) reply(at time.Time, text string) {
	q.replies = append(q.replies, at)
	if strings.HasPrefix(text, sorryPrefix) {
		q.sorry++
	}
}

// delivery is one envelope of a question.
type delivery struct {
	env     string
	q       *question
	attempt int
	sent    time.Time // zero until written
	acked   time.Time
}

// pendingSend is an envelope that could not be written for want of a
// connection; it goes out once the bot is connected again.
type pendingSend struct {
	q       *question
	attempt int
	reason  string
}

// runner drives one target through one run.
type runner struct {
	cfg      config
	tg       target
	srv      *slacktest.Server
	bot      *botProc
	respBase string
	logf     func(format string, args ...any)

	sentCount atomic.Int64 // questions handed to the socket (or deferred)
	maxLag    time.Duration

	mu        sync.Mutex
	qs        []*question
	watch     []*question // may still need a (re)delivery
	byEnv     map[string]*delivery
	byChannel map[string]*question
	byPath    map[string]*question
	deferred  []pendingSend
	killedAt  time.Time
	kills     int
	injected  map[string]int
	calls     map[string]int
	failed    map[string]int
	strayAcks int
	strayCall int
	badAcked  int
}

// result is the outcome of one run of one target.
type result struct {
	Target string `json:"target"`
	Faults bool   `json:"faults"`
	tally
	Bot            procStats      `json:"bot"`
	Connections    int            `json:"connections"`
	Kills          int            `json:"kills"`
	Injected       map[string]int `json:"injected,omitempty"`
	Calls          map[string]int `json:"calls"`
	FailedCalls    map[string]int `json:"failed_calls,omitempty"`
	StrayAcks      int            `json:"stray_acks"`
	StrayCalls     int            `json:"stray_calls"`
	MalformedAcked int            `json:"malformed_acked"`
	MaxSendLagMS   float64        `json:"max_send_lag_ms"`
	SendSeconds    float64        `json:"send_s"`
	LogErrors      int            `json:"log_errors"`
	LogWarnings    int            `json:"log_warnings"`
	Errors         []string       `json:"errors,omitempty"`
}

// runTarget starts the target's bot against a fresh fake Slack, sends the
// load, injects the faults, waits for the replies, stops the bot and
// accounts for every question.
func runTarget(ctx context.Context, cfg config, tg target, workDir string, rep int, logf func(string, ...any)) (result, error) {
	res := result{Target: tg.Name, Faults: tg.Faults && cfg.Faults.any()}
	srv, err := slacktest.NewServer(slacktest.Options{BotUserID: botUser})
	if err != nil {
		return res, err
	}
	defer srv.Close()
	logPath := filepath.Join(workDir, fmt.Sprintf("%s-%d.log", tg.Name, rep+1))
	logFile, err := os.Create(logPath)
	if err != nil {
		return res, err
	}
	defer func() { _ = logFile.Close() }()

	r := &runner{
		cfg:       cfg,
		tg:        tg,
		srv:       srv,
		respBase:  strings.TrimSuffix(srv.APIURL(), "api/") + "response/",
		logf:      logf,
		byEnv:     map[string]*delivery{},
		byChannel: map[string]*question{},
		byPath:    map[string]*question{},
		injected:  map[string]int{},
		calls:     map[string]int{},
		failed:    map[string]int{},
	}
	if !res.Faults {
		r.cfg.Faults = faults{}
	}
	collected := make(chan struct{})
	go r.collect(collected)

	// The long-outage modes play on the Web API through a proxy in front
	// of the fake, which the bot then calls instead.
	apiURL := srv.APIURL()
	var proxy *apiProxy
	if f := r.cfg.Faults; f.webAPI() {
		if proxy, err = newAPIProxy(strings.TrimSuffix(apiURL, "/api/"), f.SlowAPI, f.SlowDelay, f.RetryAfter); err != nil {
			return res, err
		}
		defer proxy.Close()
		apiURL = proxy.URL() + "/api/"
		r.respBase = proxy.URL() + "/response/"
	}

	r.bot = &botProc{path: tg.Path, args: tg.Args, env: botEnv(apiURL, tg.DB, cfg), out: logFile}
	if err := r.bot.start(); err != nil {
		return res, err
	}
	stopped := false
	defer func() {
		if !stopped {
			_ = r.bot.stop(5 * time.Second)
		}
	}()
	connCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	err = srv.WaitConnected(connCtx)
	cancel()
	if err != nil {
		return res, fmt.Errorf("%s did not connect (see its log): %w", tg.Name, err)
	}
	logf("%s: connected; sending %d questions at %g/s", tg.Name, cfg.Count, cfg.Rate)

	loopCtx, stopLoops := context.WithCancel(ctx)
	var loops sync.WaitGroup
	loops.Go(func() { r.redeliverLoop(loopCtx) })
	faultCtx, stopFaults := context.WithCancel(loopCtx)
	var faulting sync.WaitGroup
	r.startFaults(faultCtx, &faulting)
	played := make(chan struct{})
	if proxy != nil && len(r.cfg.Faults.Outages) > 0 {
		// The schedule plays to its end even when sending ends first.
		f := r.cfg.Faults
		go func() {
			defer close(played)
			proxy.play(loopCtx, f.Outages, f.OutageStart, f.OutageGap, func(o outage) {
				r.logf("%s: outage %s", tg.Name, o)
				r.mu.Lock()
				r.injected["outage "+o.String()]++
				r.mu.Unlock()
			})
		}()
	} else {
		close(played)
	}

	start := time.Now()
	r.sendLoop(ctx)
	res.SendSeconds = roundTo(time.Since(start).Seconds(), 3)
	if ctx.Err() != nil {
		res.Errors = append(res.Errors, fmt.Sprintf("-timeout reached: %d of %d questions sent", r.sentCount.Load(), cfg.Count))
	}
	<-played
	stopFaults()
	faulting.Wait()
	logf("%s: sent in %.2fs; waiting for replies", tg.Name, res.SendSeconds)

	if !r.waitSettled(ctx, cfg.Drain) && ctx.Err() == nil {
		res.Errors = append(res.Errors, fmt.Sprintf("not settled %s after the last send", cfg.Drain))
	}
	sleepCtx(ctx, cfg.Settle)
	stopLoops()
	loops.Wait()

	stopped = true
	if err := r.bot.stop(15 * time.Second); err != nil {
		res.Errors = append(res.Errors, err.Error())
	}
	res.Connections = srv.Connections()
	srv.Close()
	<-collected
	if n := srv.Dropped(); n > 0 {
		res.Errors = append(res.Errors, fmt.Sprintf("the fake Slack dropped %d acks or calls from its channels: counts are incomplete", n))
	}

	var logged map[string]int
	if tg.DB != "" {
		if logged, err = queryUsers(tg.DB); err != nil {
			res.Errors = append(res.Errors, err.Error())
		}
	}
	res.tally = account(r.records(), logged)
	res.Bot = r.bot.stats()
	res.Errors = append(res.Errors, res.Bot.ExitErrors...)
	r.mu.Lock()
	res.Kills = r.kills
	res.Injected, res.Calls, res.FailedCalls = r.injected, r.calls, r.failed
	if proxy != nil {
		for k, v := range proxy.Failed() {
			res.FailedCalls[k] += v
		}
	}
	res.StrayAcks, res.StrayCalls, res.MalformedAcked = r.strayAcks, r.strayCall, r.badAcked
	r.mu.Unlock()
	res.MaxSendLagMS = ms(r.maxLag)
	res.LogErrors, res.LogWarnings = countLogLevels(logPath)
	return res, nil
}

// botEnv is the environment of the bot: the caller's, with the fake
// Slack's URL, test tokens and the run's settings.
func botEnv(apiURL, db string, cfg config) []string {
	set := map[string]string{
		"SLACK_APP_TOKEN":        "xapp-1-A1-slackload",
		"SLACK_BOT_TOKEN":        "xoxb-slackload",
		"SLACK_API_URL":          apiURL,
		"SUPPORTBOT_DB_PATH":     db,
		"SUPPORTBOT_HTTP_ADDR":   cfg.HTTPAddr,
		"SUPPORTBOT_LOG_FORMAT":  "json",
		"SUPPORTBOT_WORKERS":     fmt.Sprint(cfg.Workers),
		"SUPPORTBOT_POLICY_FILE": "",
	}
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if _, ok := set[k]; !ok {
			env = append(env, kv)
		}
	}
	for k, v := range set {
		env = append(env, k+"="+v)
	}
	return env
}

// queryUsers opens the bot's database read-only and counts the query-log
// records of each user.
func queryUsers(path string) (map[string]int, error) {
	db, err := store.OpenReadOnly(path, store.Options{Timeout: 5 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("query log: %w", err)
	}
	defer func() { _ = db.Close() }() // read-only: nothing to flush
	qs, err := db.Queries(store.QueryFilter{})
	if err != nil {
		return nil, fmt.Errorf("query log: %w", err)
	}
	users := make(map[string]int, len(qs))
	for _, q := range qs {
		users[q.User]++
	}
	return users, nil
}

// countLogLevels counts the ERROR and WARN lines of a JSON log.
func countLogLevels(path string) (errs, warns int) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, 0
	}
	return bytes.Count(data, []byte(`"level":"ERROR"`)), bytes.Count(data, []byte(`"level":"WARN"`))
}

// newQuestion creates question n and registers it. Only the send loop calls
// it, so rng needs no lock.
func (r *runner) newQuestion(n int, rng *rand.Rand) *question {
	q := &question{n: n, kind: r.cfg.Mix.pick(rng.Float64())}
	id := fmt.Sprintf("%07d", n)
	q.user = "U" + id
	q.text = questions[n%len(questions)] + " #L" + id
	q.ts = fmt.Sprintf("%d.%06d", 1800000000+n/1000000, n%1000000)
	q.eventID = "EvL" + id
	q.responsePath = "/response/L" + id
	switch q.kind {
	case kindDM:
		q.channel = "D" + id
	default:
		q.channel = "C" + id
	}
	if f := r.cfg.Faults; q.kind != kindSlash && f.Redeliver > 0 && rng.Float64() < f.Redeliver {
		q.wantDup = true
		q.dupDelay = time.Duration(rng.Int64N(int64(f.RedeliverWithin) + 1))
	}
	r.mu.Lock()
	r.qs = append(r.qs, q)
	r.watch = append(r.watch, q)
	r.byChannel[q.channel] = q
	r.byPath[q.responsePath] = q
	r.mu.Unlock()
	return q
}

// send writes one envelope of q. It returns slacktest.ErrNotConnected,
// leaving no trace, when no connection is current; any other error leaves
// the envelope counted as sent, since the bot may have read it, as Slack
// cannot tell either.
func (r *runner) send(q *question, attempt int, reason string) error {
	r.mu.Lock()
	env := fmt.Sprintf("env-%07d-%d", q.n, q.envSeq)
	q.envSeq++
	d := &delivery{env: env, q: q, attempt: attempt}
	r.byEnv[env] = d
	r.mu.Unlock()

	opts := []slacktest.EnvelopeOption{slacktest.WithEnvelopeID(env)}
	if attempt > 0 {
		opts = append(opts, slacktest.WithRetry(attempt, reason))
	}
	t0 := time.Now()
	var err error
	switch q.kind {
	case kindSlash:
		_, err = r.srv.SendSlashCommand(slacktest.SlashCommand{
			Command: "/support", Text: q.text, UserID: q.user, UserName: "load-" + q.user,
			ChannelID: q.channel, ChannelName: "load", ResponseURL: r.respBase + strings.TrimPrefix(q.responsePath, "/response/"),
		}, opts...)
	case kindMention:
		_, err = r.srv.SendEvent(map[string]any{
			"type": "app_mention", "user": q.user, "text": "<@" + botUser + "> " + q.text,
			"channel": q.channel, "ts": q.ts, "event_ts": q.ts,
		}, append(opts, slacktest.WithEventID(q.eventID))...)
	case kindDM:
		_, err = r.srv.SendEvent(map[string]any{
			"type": "message", "channel_type": "im", "user": q.user, "text": q.text,
			"channel": q.channel, "ts": q.ts, "event_ts": q.ts,
		}, append(opts, slacktest.WithEventID(q.eventID))...)
	}

	r.mu.Lock()
	defer r.mu.Unlock()
	if errors.Is(err, slacktest.ErrNotConnected) {
		delete(r.byEnv, env)
		return err
	}
	d.sent = t0
	q.deliveries = append(q.deliveries, d)
	q.pending = false
	if q.first.IsZero() {
		q.first = t0
	}
	return err
}

// sendLoop sends the questions open-loop: question i is due at i/rate
// seconds after the start whatever the bot does, so a slow bot cannot slow
// the load down and hide its own latency.
func (r *runner) sendLoop(ctx context.Context) {
	rng := rand.New(rand.NewPCG(uint64(r.cfg.Seed), 0x5eed))
	interval := float64(time.Second) / r.cfg.Rate
	var kills []int64
	for k := 1; k <= r.cfg.Faults.Kills; k++ {
		kills = append(kills, int64(r.cfg.Count*k/(r.cfg.Faults.Kills+1)))
	}
	var killing sync.WaitGroup
	defer killing.Wait()
	timer := time.NewTimer(0)
	defer timer.Stop()
	<-timer.C
	start := time.Now()
	for i := range r.cfg.Count {
		due := start.Add(time.Duration(float64(i) * interval))
		if wait := time.Until(due); wait > 0 {
			timer.Reset(wait)
			select {
			case <-ctx.Done():
				return
			case <-timer.C:
			}
		} else {
			r.maxLag = max(r.maxLag, -wait)
		}
		q := r.newQuestion(i, rng)
		if err := r.send(q, 0, ""); errors.Is(err, slacktest.ErrNotConnected) {
			r.deferSend(pendingSend{q: q})
		}
		sent := r.sentCount.Add(1)
		if len(kills) > 0 && sent == kills[0] {
			kills = kills[1:]
			// A crash is not in step with the arrivals: the kill comes at a
			// random moment in the next ten intervals, not just after a send.
			delay := time.Duration(rng.Float64() * 10 * interval)
			killing.Go(func() {
				sleepCtx(ctx, delay)
				r.killAndRestart(ctx)
			})
		}
	}
}

func (r *runner) deferSend(p ...pendingSend) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range p {
		s.q.pending = true
		r.deferred = append(r.deferred, s)
	}
}

// killAndRestart SIGKILLs the bot and starts it again on the same database
// after the restart delay. Envelopes it had not acked are redelivered once
// it is connected again.
func (r *runner) killAndRestart(ctx context.Context) {
	r.logf("%s: SIGKILL", r.tg.Name)
	r.bot.kill()
	r.mu.Lock()
	r.killedAt = time.Now()
	r.kills++
	r.mu.Unlock()
	sleepCtx(ctx, r.cfg.Faults.RestartDelay)
	if ctx.Err() != nil {
		return
	}
	if err := r.bot.start(); err != nil {
		r.logf("%s: restart: %v", r.tg.Name, err)
	}
}

// connected reports whether the fake Slack has a current connection.
func (r *runner) connected() bool {
	done, cancel := context.WithCancel(context.Background())
	cancel()
	return r.srv.WaitConnected(done) == nil
}

// redeliverLoop acts as Slack's delivery: it sends what could not be sent
// while the bot was away, redelivers envelopes not acked within
// RedeliverAfter (at once for those sent before a kill) with retry_attempt
// incremented, up to MaxRetries times, and sends the redeliveries of the
// redelivery fault.
func (r *runner) redeliverLoop(ctx context.Context) {
	t := time.NewTicker(5 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if !r.connected() {
			continue
		}
		due := r.due(time.Now())
		for i, p := range due {
			if err := r.send(p.q, p.attempt, p.reason); errors.Is(err, slacktest.ErrNotConnected) {
				r.deferSend(due[i:]...)
				break
			}
		}
	}
}

// due collects the envelopes to send now.
func (r *runner) due(now time.Time) []pendingSend {
	r.mu.Lock()
	defer r.mu.Unlock()
	due := r.deferred
	r.deferred = nil
	keep := r.watch[:0]
	for _, q := range r.watch {
		if q.pending || q.first.IsZero() {
			keep = append(keep, q)
			continue
		}
		acked := q.acked()
		if q.wantDup && !q.dupDone && !now.Before(q.first.Add(q.dupDelay)) {
			q.dupDone = true
			q.pending = true
			due = append(due, pendingSend{q: q, attempt: q.nextAttempt(), reason: "timeout"})
		}
		if !acked && !q.pending && q.retries < r.cfg.MaxRetries {
			last := q.deliveries[len(q.deliveries)-1]
			if !last.sent.IsZero() && (now.Sub(last.sent) >= r.cfg.RedeliverAfter || last.sent.Before(r.killedAt)) {
				q.retries++
				q.pending = true
				due = append(due, pendingSend{q: q, attempt: q.nextAttempt(), reason: "timeout"})
			}
		}
		if q.pending || (!acked && q.retries < r.cfg.MaxRetries) || (q.wantDup && !q.dupDone) {
			keep = append(keep, q)
		}
	}
	clear(r.watch[len(keep):])
	r.watch = keep
	return due
}

// waitSettled waits up to limit for every question to be sent, acked and
// answered, with nothing left to redeliver.
func (r *runner) waitSettled(ctx context.Context, limit time.Duration) bool {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	t := time.NewTicker(20 * time.Millisecond)
	defer t.Stop()
	for {
		if r.settled() {
			return true
		}
		select {
		case <-ctx.Done():
			return false
		case <-t.C:
		}
	}
}

func (r *runner) settled() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.deferred) > 0 {
		return false
	}
	for _, q := range r.qs {
		if q.first.IsZero() || q.pending || len(q.replies) == 0 || !q.acked() || (q.wantDup && !q.dupDone) {
			return false
		}
	}
	return true
}

// collect records every ack and Web API call of the fake Slack until it is
// closed.
func (r *runner) collect(done chan<- struct{}) {
	defer close(done)
	acks, calls := r.srv.Acks(), r.srv.Calls()
	for acks != nil || calls != nil {
		select {
		case a, ok := <-acks:
			if !ok {
				acks = nil
				continue
			}
			r.onAck(a)
		case c, ok := <-calls:
			if !ok {
				calls = nil
				continue
			}
			r.onCall(c)
		}
	}
}

func (r *runner) onAck(a slacktest.Ack) {
	r.mu.Lock()
	defer r.mu.Unlock()
	d := r.byEnv[a.EnvelopeID]
	if d == nil {
		if strings.HasPrefix(a.EnvelopeID, malformedPrefix) {
			r.badAcked++
		} else {
			r.strayAcks++
		}
		return
	}
	if d.acked.IsZero() {
		d.acked = a.Time
	}
	if d.q.kind == kindSlash {
		if text, ok := payloadText(a.Payload); ok {
			d.q.reply(a.Time, text)
		}
	}
}

// payloadText returns the text of an ack's payload, if it has one.
func payloadText(payload json.RawMessage) (string, bool) {
	if len(payload) == 0 || string(payload) == "null" {
		return "", false
	}
	var p struct {
		Text string `json:"text"`
	}
	if err := json.Unmarshal(payload, &p); err != nil || p.Text == "" {
		return "", false
	}
	return p.Text, true
}

func (r *runner) onCall(c slacktest.Call) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if c.Status != 200 {
		r.failed[fmt.Sprintf("%s %d", c.Method, c.Status)]++
		return
	}
	r.calls[c.Method]++
	var q *question
	switch c.Method {
	case "chat.postMessage":
		q = r.byChannel[c.Param("channel")]
		if q != nil && q.kind == kindMention && c.Param("thread_ts") != q.ts {
			q.misthreaded++
		}
	case "response_url":
		q = r.byPath[c.Path]
	default:
		return
	}
	if q == nil {
		r.strayCall++
		return
	}
	q.reply(c.Time, c.Param("text"))
}

// records snapshots what was seen of every question.
func (r *runner) records() []record {
	r.mu.Lock()
	defer r.mu.Unlock()
	recs := make([]record, len(r.qs))
	for i, q := range r.qs {
		rec := record{N: q.n, Kind: q.kind, User: q.user, First: q.first, Replies: q.replies, Sorry: q.sorry, Misthreaded: q.misthreaded}
		for _, d := range q.deliveries {
			rec.Deliveries = append(rec.Deliveries, delivered{Attempt: d.attempt, Sent: d.sent, Acked: d.acked})
		}
		recs[i] = rec
	}
	return recs
}

// malformedPrefix starts the envelope ids of malformed frames.
const malformedPrefix = "bad-"

// malformedFrames are the frames of the malformed-frame fault, sent in turn:
// broken JSON, an empty frame, JSON that is no envelope, an envelope of an
// unknown type, an events_api envelope whose payload is not an event, and
// one whose inner event type slack-go does not know. %d is a sequence number.
var malformedFrames = []string{
	`{"envelope_id":"bad-%d","type":"events_api","payload":{"type":"event_callback","event":{"type":"app_men`,
	``,
	`[%d, "not an envelope"]`,
	`{"envelope_id":"bad-%d","type":"no_such_type","payload":{}}`,
	`{"envelope_id":"bad-%d","type":"events_api","payload":"garbage","accepts_response_payload":false}`,
	`{"envelope_id":"bad-%d","type":"events_api","payload":{"type":"event_callback","team_id":"T1","event_id":"EvBad%d","event":{"type":"no_such_event","ts":"1.0"}},"accepts_response_payload":false}`,
}

// startFaults starts a goroutine per fault mode that fires on a ticker.
func (r *runner) startFaults(ctx context.Context, wg *sync.WaitGroup) {
	f := r.cfg.Faults
	every := func(name string, d time.Duration, fire func(n int) bool) {
		if d <= 0 {
			return
		}
		wg.Go(func() {
			t := time.NewTicker(d)
			defer t.Stop()
			for n := 0; ; {
				select {
				case <-ctx.Done():
					return
				case <-t.C:
				}
				if fire(n) {
					n++
					r.mu.Lock()
					r.injected[name]++
					r.mu.Unlock()
				}
			}
		})
	}
	every("disconnect", f.DisconnectEvery, func(int) bool { return r.srv.Disconnect("refresh_requested") == nil })
	every("drop", f.DropEvery, func(int) bool {
		if !r.connected() {
			return false
		}
		r.srv.DropConnection()
		return true
	})
	every("ratelimit_burst", f.RateLimitEvery, func(int) bool {
		r.srv.RateLimit("chat.postMessage", f.RateLimitBurst, f.RetryAfter)
		return true
	})
	every("5xx_burst", f.ServerErrEvery, func(n int) bool {
		r.srv.FailNext("chat.postMessage", f.ServerErrBurst, []int{500, 503}[n%2])
		return true
	})
	every("malformed", f.MalformedEvery, func(n int) bool {
		frame := malformedFrames[n%len(malformedFrames)]
		if c := strings.Count(frame, "%d"); c > 0 {
			args := make([]any, c)
			for i := range args {
				args[i] = n
			}
			frame = fmt.Sprintf(frame, args...)
		}
		return r.srv.SendRaw([]byte(frame)) == nil
	})
}

// sleepCtx sleeps for d or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) {
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

func roundTo(x float64, digits int) float64 {
	p := 1.0
	for range digits {
		p *= 10
	}
	return float64(int64(x*p+0.5)) / p
}
