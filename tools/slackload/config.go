package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// config is the command line.
type config struct {
	Bot     string   `json:"-"`
	BotArgs []string `json:"-"`
	Echo    string   `json:"-"`

	Count    int           `json:"count"`
	Rate     float64       `json:"rate_per_s"`
	Duration time.Duration `json:"-"`
	Mix      mix           `json:"mix"`
	Seed     int64         `json:"seed"`
	Workers  int           `json:"workers"`
	Repeat   int           `json:"repeat"`
	Warmup   int           `json:"warmup"`

	Timeout        time.Duration `json:"-"`
	Drain          time.Duration `json:"-"`
	Settle         time.Duration `json:"-"`
	RedeliverAfter time.Duration `json:"-"`
	MaxRetries     int           `json:"-"`

	Faults faults `json:"faults"`

	JSON     string `json:"-"`
	GoBench  string `json:"-"`
	WorkDir  string `json:"-"`
	Keep     bool   `json:"-"`
	HTTPAddr string `json:"-"`
	Strict   bool   `json:"-"`
	Verbose  bool   `json:"-"`
}

// faults are the fault modes; each is off at its zero value.
type faults struct {
	DisconnectEvery time.Duration `json:"disconnect_every,omitempty"`
	DropEvery       time.Duration `json:"drop_every,omitempty"`
	RateLimitEvery  time.Duration `json:"ratelimit_every,omitempty"`
	RateLimitBurst  int           `json:"ratelimit_burst,omitempty"`
	RetryAfter      time.Duration `json:"retry_after,omitempty"`
	ServerErrEvery  time.Duration `json:"server_error_every,omitempty"`
	ServerErrBurst  int           `json:"server_error_burst,omitempty"`
	Redeliver       float64       `json:"redeliver_share,omitempty"`
	RedeliverWithin time.Duration `json:"redeliver_within,omitempty"`
	MalformedEvery  time.Duration `json:"malformed_every,omitempty"`
	Kills           int           `json:"kills,omitempty"`
	RestartDelay    time.Duration `json:"restart_delay,omitempty"`

	// Outages are the long-outage windows of the Web API's posting calls,
	// played in turn from OutageStart after the start of sending, OutageGap
	// apart; a slow window delays each call by SlowDelay. nil: none set
	// (-faults all fills it); empty: none (-outages none).
	Outages     []outage      `json:"outages,omitempty"`
	OutageStart time.Duration `json:"outage_start,omitempty"`
	OutageGap   time.Duration `json:"outage_gap,omitempty"`
	SlowDelay   time.Duration `json:"slow_delay,omitempty"`
	// SlowAPI delays every posting call by this long, the whole run.
	SlowAPI time.Duration `json:"slow_api,omitempty"`
}

// any reports whether a fault mode is on.
func (f faults) any() bool {
	return f.DisconnectEvery > 0 || f.DropEvery > 0 || f.RateLimitEvery > 0 || f.ServerErrEvery > 0 ||
		f.Redeliver > 0 || f.MalformedEvery > 0 || f.Kills > 0 || f.webAPI()
}

// webAPI reports whether a fault mode needs the Web API proxy.
func (f faults) webAPI() bool { return len(f.Outages) > 0 || f.SlowAPI > 0 }

// outageLength is how long the outage schedule takes from the start of
// sending.
func (f faults) outageLength() time.Duration {
	return scheduleLength(f.Outages, f.OutageStart, f.OutageGap)
}

// shortMix is the fault mix of -faults short: every mode at once, each in
// short bursts (about 5 failed posting calls a second), and one kill.
var shortMix = faults{
	DisconnectEvery: 2 * time.Second,
	DropEvery:       3 * time.Second,
	RateLimitEvery:  1500 * time.Millisecond,
	RateLimitBurst:  5,
	RetryAfter:      time.Second,
	ServerErrEvery:  time.Second,
	ServerErrBurst:  5,
	Redeliver:       0.1,
	RedeliverWithin: 50 * time.Millisecond,
	MalformedEvery:  250 * time.Millisecond,
	Kills:           1,
	RestartDelay:    200 * time.Millisecond,
}

// fill sets every mode that is off to its value in d.
func (f *faults) fill(d faults) {
	set := func(dst *time.Duration, v time.Duration) {
		if *dst == 0 {
			*dst = v
		}
	}
	set(&f.DisconnectEvery, d.DisconnectEvery)
	set(&f.DropEvery, d.DropEvery)
	set(&f.RateLimitEvery, d.RateLimitEvery)
	set(&f.ServerErrEvery, d.ServerErrEvery)
	set(&f.MalformedEvery, d.MalformedEvery)
	if f.Redeliver == 0 {
		f.Redeliver = d.Redeliver
	}
	if f.Kills == 0 {
		f.Kills = d.Kills
	}
	if f.Outages == nil {
		f.Outages = d.Outages
	}
}

// allMix is the fault mix of -faults all: the short mix, and the long
// outages of the Web API played through the run.
var allMix = func() faults {
	f := shortMix
	f.Outages = longOutages
	return f
}()

// Defaults of -faults all for the flags not set: a rate the bot can owe
// through a 60 s outage, sending through the whole outage schedule, and a
// drain long enough for retries with backoff after the last window.
const (
	allRate  = 20
	allDrain = 2 * time.Minute
)

// mix is the share of each kind of question, as weights.
type mix [numKinds]float64

func (m mix) String() string {
	parts := make([]string, 0, numKinds)
	for k, w := range m {
		parts = append(parts, fmt.Sprintf("%s=%g", kind(k), w))
	}
	return strings.Join(parts, ",")
}

func (m mix) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

func (m *mix) UnmarshalText(b []byte) error {
	parsed, err := parseMix(string(b))
	if err != nil {
		return err
	}
	*m = parsed
	return nil
}

// parseMix reads "slash=1,mention=2,dm=1"; kinds not named get weight 0.
func parseMix(s string) (mix, error) {
	var m mix
	var total float64
	for part := range strings.SplitSeq(s, ",") {
		name, val, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return m, fmt.Errorf("mix %q: want kind=weight, e.g. slash=1,mention=1,dm=1", part)
		}
		w, err := strconv.ParseFloat(val, 64)
		if err != nil || w < 0 {
			return m, fmt.Errorf("mix %q: weight must be a number >= 0", part)
		}
		k := -1
		for i, n := range kindNames {
			if n == name {
				k = i
			}
		}
		if k < 0 {
			return m, fmt.Errorf("mix %q: kinds are slash, mention and dm", part)
		}
		m[k] = w
		total += w
	}
	if total == 0 {
		return m, errors.New("mix: every weight is 0")
	}
	return m, nil
}

// pick returns the kind for u, uniform in [0, 1).
func (m mix) pick(u float64) kind {
	var total float64
	for _, w := range m {
		total += w
	}
	x := u * total
	for k, w := range m {
		if x < w {
			return kind(k)
		}
		x -= w
	}
	for k := numKinds - 1; k >= 0; k-- {
		if m[k] > 0 {
			return k
		}
	}
	return kindSlash
}

const usageText = `usage: slackload -bot PATH [-bot-args 'run'] [-echo PATH] [flags]

slackload is a fake Slack on 127.0.0.1 that a real bot process connects to
through SLACK_API_URL. It drives slash commands, mentions and DMs at a set
rate, injects Slack's faults, and reports ack and reply latency, lost and
duplicate replies, replies with no query-log record, and the bot's peak RSS
and CPU time. With -echo it first runs the same load against the echo bot,
the echo bot with -durable (commit, reply) and with -durable-ack (commit,
ack, reply), and reports the bot's figures as ratios to them. It exits 1 when a question was lost, answered with no record or answered
twice (with -kills, more than 0.1 times per kill), or, with -strict, a
target was missed; 2 on a usage error.

-faults short is the mix of short bursts: refresh_requested every 2 s, a
socket drop every 3 s, 5 x 429 every 1.5 s, 5 x 5xx every 1 s, 10% of
events redelivered, a malformed frame every 250 ms and one kill. -faults
all adds the long outages of the Web API's posting calls (chat.*,
views.publish, response_url), in turn, 5 s apart, from 1 s after the
start: 503:10s,429:10s,hang:10s,slow:10s,503:60s,429:60s. Unless set,
-faults all sends at 20/s for the whole schedule plus 5 s, drains for 2m
and times out after that plus 2m.

Flags:
`

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("slackload", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, usageText)
		fs.PrintDefaults()
	}
	var botArgs, mixText, faultSet, outageText string
	fs.StringVar(&c.Bot, "bot", "", "`path` of the bot binary to test (supportbot)")
	fs.StringVar(&botArgs, "bot-args", "run", "arguments of the bot, split on spaces")
	fs.StringVar(&c.Echo, "echo", "", "`path` of the echobot binary: also run the echo, durable echo and durable-ack echo baselines")
	fs.IntVar(&c.Count, "count", 2000, "questions to send")
	fs.Float64Var(&c.Rate, "rate", 400, "questions per second")
	fs.DurationVar(&c.Duration, "duration", 0, "send for this long instead of -count questions")
	fs.StringVar(&mixText, "mix", "slash=1,mention=1,dm=1", "share of each kind of question")
	fs.Int64Var(&c.Seed, "seed", 1, "random seed of the mix and the faults")
	fs.IntVar(&c.Workers, "workers", 8, "SUPPORTBOT_WORKERS of the bot, -workers of the echo bot")
	fs.IntVar(&c.Repeat, "repeat", 1, "run every target this many times, interleaved, and report the medians")
	fs.IntVar(&c.Warmup, "warmup", 0, "first run every target once with this many questions, and discard the run")
	fs.DurationVar(&c.Timeout, "timeout", 2*time.Minute, "stop everything after this long")
	fs.DurationVar(&c.Drain, "drain", 20*time.Second, "after the last send, how long to wait for the replies")
	fs.DurationVar(&c.Settle, "settle", 300*time.Millisecond, "after the last reply, how long to watch for duplicates")
	fs.DurationVar(&c.RedeliverAfter, "redeliver-after", 3*time.Second, "redeliver an envelope not acked for this long, as Slack does")
	fs.IntVar(&c.MaxRetries, "max-retries", 3, "redeliveries of an unacked question before giving up, as Slack does")

	f := &c.Faults
	fs.StringVar(&faultSet, "faults", "", "\"short\" or \"all\": turn on every fault mode not set by its own flag (all: with the long outages)")
	fs.DurationVar(&f.DisconnectEvery, "disconnect-every", 0, "send a refresh_requested disconnect this often")
	fs.DurationVar(&f.DropEvery, "drop-every", 0, "cut the socket's TCP connection this often")
	fs.DurationVar(&f.RateLimitEvery, "ratelimit-every", 0, "answer a burst of chat.postMessage calls with 429 this often")
	fs.IntVar(&f.RateLimitBurst, "ratelimit-burst", 5, "calls in each 429 burst")
	fs.DurationVar(&f.RetryAfter, "retry-after", time.Second, "Retry-After of the 429s (whole seconds)")
	fs.DurationVar(&f.ServerErrEvery, "5xx-every", 0, "answer a burst of chat.postMessage calls with 500/503 this often")
	fs.IntVar(&f.ServerErrBurst, "5xx-burst", 5, "calls in each 5xx burst")
	fs.Float64Var(&f.Redeliver, "redeliver", 0, "share (0-1) of events delivered again with retry_attempt 1 and the same event_id")
	fs.DurationVar(&f.RedeliverWithin, "redeliver-within", 50*time.Millisecond, "the redelivery follows the first delivery by up to this long")
	fs.DurationVar(&f.MalformedEvery, "malformed-every", 0, "send a malformed frame this often")
	fs.IntVar(&f.Kills, "kills", 0, "SIGKILL and restart the bot this many times, evenly through the run")
	fs.DurationVar(&f.RestartDelay, "restart-delay", 200*time.Millisecond, "how long the killed bot stays down")
	fs.StringVar(&outageText, "outages", "", "Web API outage windows, in turn: `kind:duration,...`, kinds 503, 429 (with -retry-after), hang, slow; none for none")
	fs.DurationVar(&f.OutageStart, "outage-start", time.Second, "when the first outage window starts, after the start of sending")
	fs.DurationVar(&f.OutageGap, "outage-gap", 5*time.Second, "time between outage windows")
	fs.DurationVar(&f.SlowDelay, "slow-delay", 2500*time.Millisecond, "delay of each posting call in a slow window")
	fs.DurationVar(&f.SlowAPI, "slow-api", 0, "delay every posting call by this long, the whole run (e.g. 2.5s)")

	fs.StringVar(&c.JSON, "json", "", "write the results as JSON to this `file` (- for stdout)")
	fs.StringVar(&c.GoBench, "gobench", "", "`file` of `go test -bench` output to add to the table")
	fs.StringVar(&c.WorkDir, "workdir", "", "directory for the databases and bot logs (default: a temporary one, removed)")
	fs.BoolVar(&c.Keep, "keep", false, "keep the temporary work directory")
	fs.StringVar(&c.HTTPAddr, "http-addr", "", "SUPPORTBOT_HTTP_ADDR of the bot (empty: off)")
	fs.BoolVar(&c.Strict, "strict", false, "exit 1 when a latency or memory target is missed too")
	fs.BoolVar(&c.Verbose, "v", false, "log progress to stderr")

	if err := fs.Parse(args); err != nil {
		return c, err
	}
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	var errs []error
	var err error
	if outageText != "" {
		if f.Outages, err = parseOutages(outageText); err != nil {
			errs = append(errs, err)
		}
	}
	if faultSet == "all" && !set["rate"] {
		c.Rate = allRate
	}
	if fs.NArg() != 0 {
		errs = append(errs, fmt.Errorf("unexpected arguments %q", fs.Args()))
	}
	if c.Bot == "" && c.Echo == "" {
		errs = append(errs, errors.New("-bot (or -echo) is required"))
	}
	c.BotArgs = strings.Fields(botArgs)
	if c.Mix, err = parseMix(mixText); err != nil {
		errs = append(errs, err)
	}
	if c.Rate <= 0 || c.Rate > 100000 {
		errs = append(errs, errors.New("-rate must be in (0, 100000]"))
	}
	switch faultSet {
	case "":
	case "short":
		f.fill(shortMix)
	case "all":
		f.fill(allMix)
		if !set["count"] && !set["duration"] {
			c.Duration = f.outageLength() + 5*time.Second
		}
		if !set["drain"] {
			c.Drain = allDrain
		}
		if !set["timeout"] && c.Rate > 0 {
			send := time.Duration(float64(c.Count) / c.Rate * float64(time.Second))
			if c.Duration > 0 {
				send = c.Duration
			}
			send = max(send, f.outageLength())
			c.Timeout = max(c.Timeout, time.Duration(c.Repeat+1)*(send+c.Drain)+2*time.Minute)
		}
	default:
		errs = append(errs, fmt.Errorf("-faults %q: the sets are short and all", faultSet))
	}
	if c.Duration > 0 {
		c.Count = int(c.Rate * c.Duration.Seconds())
	}
	if c.Count < 1 || c.Count > 10_000_000 {
		errs = append(errs, errors.New("-count must be 1 to 10000000"))
	}
	if c.Warmup < 0 || c.Warmup > 1_000_000 {
		errs = append(errs, errors.New("-warmup must be 0 to 1000000"))
	}
	if c.Repeat < 1 || c.Repeat > 100 {
		errs = append(errs, errors.New("-repeat must be 1 to 100"))
	}
	if c.Workers < 1 || c.Workers > 1024 {
		errs = append(errs, errors.New("-workers must be 1 to 1024"))
	}
	if f.Redeliver < 0 || f.Redeliver > 1 {
		errs = append(errs, errors.New("-redeliver is a share from 0 to 1"))
	}
	if f.Kills > 0 && c.Bot == "" {
		errs = append(errs, errors.New("-kills needs -bot"))
	}
	for _, d := range []time.Duration{c.Timeout, c.Drain, c.RedeliverAfter} {
		if d <= 0 {
			errs = append(errs, errors.New("-timeout, -drain and -redeliver-after must be positive"))
			break
		}
	}
	if f.OutageStart < 0 || f.OutageGap < 0 || f.SlowDelay < 0 || f.SlowAPI < 0 {
		errs = append(errs, errors.New("-outage-start, -outage-gap, -slow-delay and -slow-api must be >= 0"))
	}
	if c.MaxRetries < 0 || f.Kills < 0 || f.RateLimitBurst < 1 || f.ServerErrBurst < 1 || f.RetryAfter < 0 {
		errs = append(errs, errors.New("-max-retries and -kills must be >= 0, bursts >= 1"))
	}
	if err := errors.Join(errs...); err != nil {
		return c, err
	}
	return c, nil
}
