package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/slack-go/slack"

	"github.com/d2iq/supportbot/bot"
	"github.com/d2iq/supportbot/policy"
	"github.com/d2iq/supportbot/store"
)

var (
	_ bot.QueryLog      = (*store.DB)(nil)
	_ bot.Inbox         = (*store.DB)(nil)
	_ bot.ReminderStore = (*store.DB)(nil)
	_ bot.Subscriber    = (*store.DB)(nil)
)

func cmdRun(ctx context.Context, e env, args []string) (int, error) {
	if len(args) != 0 {
		return exitUsage, usagef("run takes no arguments; it is configured from the environment (see supportbot help)")
	}
	cfg, err := loadConfig()
	if err != nil {
		return exitUsage, err
	}
	log := newLogger(e.stderr, cfg)
	if err := serve(ctx, cfg, log); err != nil {
		log.Error("supportbot stopped", "err", err)
		return 1, err
	}
	return exitOK, nil
}

// newLogger builds the slog logger; it scrubs the tokens from every value.
func newLogger(w io.Writer, cfg config) *slog.Logger {
	level, _ := parseLevel(cfg.LogLevel)
	secrets := []string{cfg.AppToken, cfg.BotToken}
	opts := &slog.HandlerOptions{Level: level, ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		if a.Value.Kind() == slog.KindString || a.Value.Kind() == slog.KindAny {
			s := a.Value.String()
			changed := false
			for _, t := range secrets {
				if t != "" && strings.Contains(s, t) {
					s = strings.ReplaceAll(s, t, "[redacted]")
					changed = true
				}
			}
			if r := responseURLs.ReplaceAllString(s, "[response_url]"); r != s {
				s, changed = r, true
			}
			if changed {
				a.Value = slog.StringValue(s)
			}
		}
		return a
	}}
	if cfg.LogFormat == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

// responseURLs matches Slack's response_url capability URLs
// (https://hooks.slack.com/commands/…, /actions/…), redacted like tokens.
var responseURLs = regexp.MustCompile(`https://hooks\.slack\.com/(?:commands|actions|app)/[^\s"']+`)

// policyHolder keeps the policy in force; reloads swap it whole.
type policyHolder struct {
	p atomic.Pointer[policy.Model]
}

func (h *policyHolder) get() *policy.Model { return h.p.Load() }

// serve runs the bot until ctx ends (exit 0 after draining) or a fatal error.
func serve(ctx context.Context, cfg config, log *slog.Logger) error {
	var policies policyHolder
	watcher := &policyWatcher{path: cfg.PolicyFile, policies: &policies, log: log}
	watcher.prime()
	m, err := loadPolicy(func(k string) string {
		if k == "SUPPORTBOT_POLICY_FILE" {
			return cfg.PolicyFile
		}
		return ""
	})
	if err != nil {
		return err
	}
	policies.p.Store(m)
	log.Info("policy loaded", "source", m.Name, "as_of", m.AsOf.Format(time.DateOnly))

	db, err := store.Open(cfg.DBPath, store.Options{})
	if err != nil {
		if errors.Is(err, store.ErrLocked) {
			return fmt.Errorf("%w: is another supportbot running on %s?", err, cfg.DBPath)
		}
		return err
	}
	defer func() {
		if err := db.Close(); err != nil {
			log.Error("store close", "err", err)
		}
	}()

	api := slack.New(cfg.BotToken, slack.OptionAPIURL(cfg.APIURL), slack.OptionAppLevelToken(cfg.AppToken),
		slack.OptionHTTPClient(slackHTTPClient(cfg)))
	authCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	auth, err := api.AuthTestContext(authCtx)
	cancel()
	if err != nil {
		return fmt.Errorf("auth.test with SLACK_BOT_TOKEN: %w", err)
	}
	log.Info("authenticated", "bot_user", auth.UserID, "team", auth.TeamID)

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	metrics := bot.NewMetrics(reg)

	loc, err := time.LoadLocation(cfg.Timezone)
	if err != nil {
		return fmt.Errorf("SUPPORTBOT_TIMEZONE %q: %w", cfg.Timezone, err)
	}
	channels := cfg.ReminderChannels
	reminders, err := bot.NewReminders(bot.ReminderConfig{
		Policy:        policies.get,
		Store:         db,
		Poster:        bot.NewPoster(api, cfg.SlackTimeout, log, metrics),
		Channels:      channels,
		LeadDays:      cfg.ReminderLeadDays,
		At:            cfg.ReminderTime,
		Location:      loc,
		RetryInterval: reminderRetryInterval,
		Now:           time.Now,
		After:         time.After,
		Logger:        log,
		Metrics:       metrics,
		Filter:        stackFilter(db, channels),
	})
	if err != nil {
		return err
	}
	watcher.metrics = metrics
	watcher.onReload = reminders.OnPolicy
	commands := storeCommands(db, cfg)
	commands["subscribe"] = bot.SubscribeCommand(db)
	commands["unsubscribe"] = bot.UnsubscribeCommand(db, channels)
	commands["reminders"] = bot.RemindersCommand(reminders)
	addStackCommands(commands, db, policies.get)

	b, err := bot.New(api, auth.UserID, bot.Config{
		Policy:       policies.get,
		Inbox:        db,
		Log:          db,
		StoreHealth:  storeHealth(db),
		Command:      cfg.Command,
		Admins:       cfg.AdminUsers,
		LogQuestions: cfg.LogQuestions,
		Workers:      cfg.Workers,
		SlashWorkers: cfg.SlashWorkers,
		Queue:        cfg.Queue,
		Posters:      cfg.Posters,
		CallTimeout:  cfg.SlackTimeout,
		RetryFor:     cfg.ReplyRetryFor,
		RetryMaxWait: cfg.RetryMaxWait,
		DedupeTTL:    cfg.DedupeTTL,
		AckDeadline:  ackDeadline,
		DrainTimeout: cfg.DrainTimeout,
		SlackGrace:   cfg.SlackGrace,
		StuckAfter:   cfg.StuckAfter,
		Logger:       log,
		Metrics:      metrics,
		Now:          time.Now,
		Commands:     commands,
	})
	if err != nil {
		return err
	}

	var wg sync.WaitGroup
	bgCtx, stopBg := context.WithCancel(context.Background())
	defer func() { stopBg(); wg.Wait() }()
	wg.Go(func() {
		if err := db.RunRetention(bgCtx, cfg.QueryRetention, time.Hour); err != nil && !errors.Is(err, context.Canceled) {
			log.Error("retention", "err", err)
		}
	})
	wg.Go(func() { reminders.Run(bgCtx) })
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	poll := time.NewTicker(policyPollInterval)
	defer poll.Stop()
	wg.Go(func() { watcher.run(bgCtx, hup, poll.C) })
	if cfg.HTTPAddr != "" {
		calendar := feedRoutes(policies.get, cfg.ReminderLeadDays, feedStacks{db})
		srv, err := listenHTTP(cfg.HTTPAddr, healthHandler(b, &policies, reg, calendar))
		if err != nil {
			return err
		}
		log.Info("http listening", "addr", srv.addr)
		defer srv.shutdown()
	}

	if err := b.Run(ctx); err != nil {
		return err
	}
	log.Info("supportbot stopped cleanly")
	return nil
}

type httpServer struct {
	srv  *http.Server
	addr string
	done chan struct{}
}

func listenHTTP(addr string, h http.Handler) (*httpServer, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("SUPPORTBOT_HTTP_ADDR %s: %w", addr, err)
	}
	s := &httpServer{srv: &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}, addr: ln.Addr().String(), done: make(chan struct{})}
	go func() { defer close(s.done); _ = s.srv.Serve(ln) }()
	return s, nil
}

func (s *httpServer) shutdown() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = s.srv.Shutdown(ctx)
	<-s.done
}

// slackHTTPClient is the Web API's http.Client: every call has a deadline,
// and enough idle connections are kept for the posters not to redial.
func slackHTTPClient(cfg config) *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = cfg.Posters
	t.ResponseHeaderTimeout = cfg.SlackTimeout
	return &http.Client{Timeout: cfg.SlackTimeout, Transport: t}
}

// storeHealth reports why db cannot take writes: closed, or failed for
// good (a damaged page; store.DB.Err). A write that failed for a passing
// reason (a full disk) is reported by the bot itself until one succeeds.
func storeHealth(db *store.DB) func() error {
	return func() error {
		if db.Closed() {
			return store.ErrClosed
		}
		return db.Err()
	}
}

// healthHandler serves /healthz (alive), /readyz (the bot can answer: see
// bot.Bot.Ready; and a policy is loaded), /metrics and /calendar.ics (the planned expiries).
func healthHandler(b *bot.Bot, policies *policyHolder, reg *prometheus.Registry, calendar http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, "ok\n")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, _ *http.Request) {
		var why []string
		if err := b.Ready(); err != nil {
			why = append(why, strings.Split(err.Error(), "\n")...)
		}
		if policies.get() == nil {
			why = append(why, "no policy loaded")
		}
		w.Header().Set("Content-Type", "application/json")
		if len(why) > 0 {
			w.WriteHeader(http.StatusServiceUnavailable)
			_ = json.NewEncoder(w).Encode(map[string]any{"ready": false, "reasons": why})
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"ready": true})
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	mux.Handle("/", calendar) // /calendar.ics and /api/ (http.go)
	return mux
}
