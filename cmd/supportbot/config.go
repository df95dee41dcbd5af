package main

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/kelseyhightower/envconfig"
)

// config is everything `supportbot run` reads from the environment.
type config struct {
	AppToken         string        `envconfig:"SLACK_APP_TOKEN" desc:"Socket Mode app-level token (xapp-…), with connections:write"`
	BotToken         string        `envconfig:"SLACK_BOT_TOKEN" desc:"bot user OAuth token (xoxb-…)"`
	APIURL           string        `envconfig:"SLACK_API_URL" default:"https://slack.com/api/" desc:"Slack Web API base URL, ending in /"`
	DBPath           string        `envconfig:"SUPPORTBOT_DB_PATH" default:"supportbot.db" desc:"bbolt database file"`
	PolicyFile       string        `envconfig:"SUPPORTBOT_POLICY_FILE" desc:"policy YAML that replaces the embedded default"`
	AdminUsers       []string      `envconfig:"SUPPORTBOT_ADMIN_USERS" desc:"comma-separated Slack user ids allowed admin commands"`
	ReminderChannels []string      `envconfig:"SUPPORTBOT_REMINDER_CHANNELS" desc:"comma-separated channel ids that get reminders"`
	ReminderTime     string        `envconfig:"SUPPORTBOT_REMINDER_TIME" default:"09:00" desc:"time of day (HH:MM) reminders are posted"`
	ReminderLeadDays []int         `envconfig:"SUPPORTBOT_REMINDER_LEAD_DAYS" default:"90,30,7,1,0" desc:"days before an expiry to remind"`
	Timezone         string        `envconfig:"SUPPORTBOT_TIMEZONE" default:"UTC" desc:"IANA time zone of SUPPORTBOT_REMINDER_TIME"`
	HTTPAddr         string        `envconfig:"SUPPORTBOT_HTTP_ADDR" default:":8080" desc:"address of /healthz, /readyz, /metrics, /calendar.ics and the endoflife.date-compatible /api/; empty turns it off"`
	LogLevel         string        `envconfig:"SUPPORTBOT_LOG_LEVEL" default:"info" desc:"debug, info, warn or error"`
	LogFormat        string        `envconfig:"SUPPORTBOT_LOG_FORMAT" default:"json" desc:"json or text"`
	Command          string        `envconfig:"SUPPORTBOT_COMMAND" default:"/support" desc:"the slash command"`
	QueryRetention   time.Duration `envconfig:"SUPPORTBOT_QUERY_RETENTION" default:"2160h" desc:"how long questions are kept (2160h = 90 days)"`
	LogQuestions     bool          `envconfig:"SUPPORTBOT_LOG_QUESTIONS" default:"true" desc:"false keeps counts but not question text"`
	Workers          int           `envconfig:"SUPPORTBOT_WORKERS" default:"8" desc:"mentions and DMs being put on record at once"`
	SlashWorkers     int           `envconfig:"SUPPORTBOT_SLASH_WORKERS" default:"4" desc:"slash commands answered at once (apart from mentions)"`
	Queue            int           `envconfig:"SUPPORTBOT_QUEUE" default:"4096" desc:"envelopes waiting for a worker; beyond it they are left for Slack to redeliver"`
	Posters          int           `envconfig:"SUPPORTBOT_POSTERS" default:"256" desc:"Web API calls for replies in flight at once"`
	SlackTimeout     time.Duration `envconfig:"SUPPORTBOT_SLACK_TIMEOUT" default:"10s" desc:"deadline of one Slack Web API call"`
	ReplyRetryFor    time.Duration `envconfig:"SUPPORTBOT_REPLY_RETRY_FOR" default:"24h" desc:"how long a reply Slack does not take is retried before it is reported and given up"`
	RetryMaxWait     time.Duration `envconfig:"SUPPORTBOT_RETRY_MAX_WAIT" default:"10s" desc:"longest backoff between retries of a failing reply (a Retry-After is honoured)"`
	SlackGrace       time.Duration `envconfig:"SUPPORTBOT_SLACK_GRACE" default:"15s" desc:"how long Slack may be unreachable before /readyz says not ready"`
	StuckAfter       time.Duration `envconfig:"SUPPORTBOT_STUCK_AFTER" default:"30s" desc:"how long work may make no progress before /readyz says not ready"`
	DedupeTTL        time.Duration `envconfig:"SUPPORTBOT_DEDUPE_TTL" default:"1h" desc:"how long an event id is remembered against redeliveries"`
	DrainTimeout     time.Duration `envconfig:"SUPPORTBOT_DRAIN_TIMEOUT" default:"10s" desc:"how long a stop waits for owed replies; the rest are answered after the restart"`
}

// reminderRetryInterval is how often reminders are checked between the
// daily runs, to retry failed posts and serve newly subscribed channels.
const reminderRetryInterval = 5 * time.Minute

// defaultLeadDays are the reminder lead days when
// SUPPORTBOT_REMINDER_LEAD_DAYS is set empty.
var defaultLeadDays = []int{90, 30, 7, 1, 0}

// ackDeadline is when a slash command whose answer is not ready is acked
// empty (the answer then goes to its response_url), inside Slack's 3s.
const ackDeadline = 2 * time.Second

// loadConfig reads the environment and checks it. Token values never appear
// in its errors.
func loadConfig() (config, error) {
	var c config
	if err := envconfig.Process("", &c); err != nil {
		return c, fmt.Errorf("configuration: %w", err)
	}
	var errs []error
	check := func(name, value, prefix string) {
		switch {
		case value == "":
			errs = append(errs, fmt.Errorf("%s is not set: it needs the %s token from the Slack app's settings", name, prefix))
		case !strings.HasPrefix(value, prefix):
			errs = append(errs, fmt.Errorf("%s does not look like a %s token (it should start with %q)", name, prefix, prefix))
		}
	}
	check("SLACK_APP_TOKEN", c.AppToken, "xapp-")
	check("SLACK_BOT_TOKEN", c.BotToken, "xoxb-")
	if !strings.HasSuffix(c.APIURL, "/") {
		errs = append(errs, fmt.Errorf("SLACK_API_URL %q must end in /", c.APIURL))
	}
	if _, err := time.Parse("15:04", c.ReminderTime); err != nil {
		errs = append(errs, fmt.Errorf("SUPPORTBOT_REMINDER_TIME %q is not a time like 09:00", c.ReminderTime))
	}
	if _, err := time.LoadLocation(c.Timezone); err != nil {
		errs = append(errs, fmt.Errorf("SUPPORTBOT_TIMEZONE %q is not a known time zone", c.Timezone))
	}
	for _, d := range c.ReminderLeadDays {
		if d < 0 || d > 3650 {
			errs = append(errs, fmt.Errorf("SUPPORTBOT_REMINDER_LEAD_DAYS has %d: lead times are 0 to 3650 days", d))
		}
	}
	for _, n := range []struct {
		name     string
		v, limit int
	}{{"SUPPORTBOT_WORKERS", c.Workers, 1024}, {"SUPPORTBOT_SLASH_WORKERS", c.SlashWorkers, 1024},
		{"SUPPORTBOT_QUEUE", c.Queue, 1 << 20}, {"SUPPORTBOT_POSTERS", c.Posters, 4096}} {
		if n.v < 1 || n.v > n.limit {
			errs = append(errs, fmt.Errorf("%s %d must be 1 to %d", n.name, n.v, n.limit))
		}
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{{"SUPPORTBOT_SLACK_TIMEOUT", c.SlackTimeout}, {"SUPPORTBOT_REPLY_RETRY_FOR", c.ReplyRetryFor},
		{"SUPPORTBOT_RETRY_MAX_WAIT", c.RetryMaxWait}, {"SUPPORTBOT_SLACK_GRACE", c.SlackGrace},
		{"SUPPORTBOT_STUCK_AFTER", c.StuckAfter}, {"SUPPORTBOT_DEDUPE_TTL", c.DedupeTTL}, {"SUPPORTBOT_DRAIN_TIMEOUT", c.DrainTimeout}} {
		if d.v <= 0 {
			errs = append(errs, fmt.Errorf("%s %s must be positive", d.name, d.v))
		}
	}
	if len(c.ReminderLeadDays) == 0 {
		c.ReminderLeadDays = defaultLeadDays
	}
	c.AdminUsers = idList(c.AdminUsers)
	c.ReminderChannels = idList(c.ReminderChannels)
	if _, err := parseLevel(c.LogLevel); err != nil {
		errs = append(errs, err)
	}
	if c.LogFormat != "json" && c.LogFormat != "text" {
		errs = append(errs, fmt.Errorf("SUPPORTBOT_LOG_FORMAT %q: use json or text", c.LogFormat))
	}
	if !strings.HasPrefix(c.Command, "/") {
		errs = append(errs, fmt.Errorf("SUPPORTBOT_COMMAND %q must start with /", c.Command))
	}
	return c, errors.Join(errs...)
}

// idList trims comma-separated Slack ids and drops the empty ones, so
// "U1, U2," is U1 and U2 (and never the empty id).
func idList(ids []string) []string {
	var out []string
	for _, id := range ids {
		if id = strings.TrimSpace(id); id != "" {
			out = append(out, id)
		}
	}
	return out
}

func parseLevel(s string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(s)); err != nil {
		return l, fmt.Errorf("SUPPORTBOT_LOG_LEVEL %q: use debug, info, warn or error", s)
	}
	return l, nil
}

// configUsage lists every variable with its type, default and description.
func configUsage() string {
	var buf bytes.Buffer
	tw := tabwriter.NewWriter(&buf, 2, 4, 2, ' ', 0)
	format := "{{range .}}  {{usage_key .}}\t{{usage_type .}}\t{{usage_default .}}\t{{usage_description .}}\n{{end}}"
	fmt.Fprintln(tw, "  VARIABLE\tTYPE\tDEFAULT\tDESCRIPTION")
	if err := envconfig.Usagef("", &config{}, tw, format); err != nil {
		return err.Error()
	}
	tw.Flush()
	return buf.String()
}
