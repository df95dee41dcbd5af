// Command slackload is the load and fault harness of supportbot: a fake
// Slack (bot/slacktest) on 127.0.0.1 that a real bot process connects to
// through SLACK_API_URL, as it connects to Slack.
//
// It sends slash commands, mentions and DMs at a set rate, open-loop, and
// measures for every envelope the ack latency (envelope written -> ack
// read) and for every question the reply latency (first envelope written ->
// reply recorded: a chat.postMessage in the mention's thread or the DM, or
// the ack's payload or response_url POST of a slash command). It reads the
// bot's peak RSS (VmHWM) and CPU time (utime+stime) from /proc.
//
// Fault modes, each a flag and combinable (-faults all turns them all on):
// refresh_requested disconnects, abrupt socket drops, 429 bursts with
// Retry-After and 5xx bursts on chat.postMessage, redelivery of a share of
// events with retry_attempt set and the same event_id, malformed frames, and
// SIGKILL of the bot with a restart on the same database. Like Slack, it
// redelivers an envelope not acked in time, and after a kill every envelope
// the dead bot had not acked, with retry_attempt incremented.
//
// After the run it stops the bot with SIGTERM, opens its database
// read-only and checks that every answered question has a query-log record
// (each question has its own user id). Lost questions (never answered),
// duplicate replies and replies with no record must all be 0.
//
// With -echo PATH it first runs the same load against tools/echobot,
// tools/echobot -durable (commit, then reply) and tools/echobot -durable-ack
// (commit, ack, then reply), the floors of the stack, and reports the bot's
// figures as ratios to them. See BENCHMARKS.md.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "slackload: %v\n", err)
		return 2
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	logf := func(format string, args ...any) {
		if cfg.Verbose {
			fmt.Fprintf(stderr, "slackload: "+format+"\n", args...)
		}
	}

	workDir := cfg.WorkDir
	if workDir == "" {
		if workDir, err = os.MkdirTemp("", "slackload-"); err != nil {
			fmt.Fprintf(stderr, "slackload: %v\n", err)
			return 1
		}
		if cfg.Keep {
			fmt.Fprintf(stderr, "slackload: keeping %s\n", workDir)
		} else {
			defer func() { _ = os.RemoveAll(workDir) }()
		}
	} else if err := os.MkdirAll(workDir, 0o755); err != nil {
		fmt.Fprintf(stderr, "slackload: %v\n", err)
		return 1
	}

	var bench []benchResult
	if cfg.GoBench != "" {
		f, err := os.Open(cfg.GoBench)
		if err == nil {
			bench, err = parseGoBench(f)
			_ = f.Close()
		}
		if err != nil {
			fmt.Fprintf(stderr, "slackload: -gobench: %v\n", err)
			return 2
		}
	}

	// targets are the runs of repetition rep, each on a fresh database: a
	// database left by an earlier run would hold the dedupe marks of the
	// same event ids.
	workers := fmt.Sprint(cfg.Workers)
	targets := func(rep int) []target {
		db := func(name string) string { return filepath.Join(workDir, fmt.Sprintf("%s-%d.db", name, rep+1)) }
		var ts []target
		if cfg.Echo != "" {
			ts = append(ts,
				target{Name: "echo", Role: roleEcho, Path: cfg.Echo, Args: []string{"-workers", workers}},
				target{Name: "echo-durable", Role: roleDurable, Path: cfg.Echo, Args: []string{"-durable", "-db", db("echo"), "-workers", workers}},
				target{Name: "echo-durable-ack", Role: roleDurableAck, Path: cfg.Echo, Args: []string{"-durable-ack", "-db", db("echo-ack"), "-workers", workers}})
		}
		if cfg.Bot != "" {
			ts = append(ts, target{Name: "supportbot", Role: roleBot, Path: cfg.Bot, Args: cfg.BotArgs, DB: db("supportbot"), Faults: true})
		}
		return ts
	}
	var roles []string
	for _, tg := range targets(0) {
		roles = append(roles, tg.Role)
	}

	// Targets take turns, so a disturbance of the machine (another
	// process, the disk) is spread over all of them.
	if cfg.Warmup > 0 {
		// A first run pays for cold caches and whatever the machine did
		// before; it is not reported.
		warm := cfg
		warm.Count, warm.Faults = cfg.Warmup, faults{}
		for _, tg := range targets(-1) {
			logf("%s: warm-up, %d questions", tg.Name, warm.Count)
			if _, err := runTarget(ctx, warm, tg, workDir, -1, logf); err != nil {
				fmt.Fprintf(stderr, "slackload: %s warm-up: %v\n", tg.Name, err)
				return 1
			}
		}
	}
	samples := make([][]result, len(roles))
runs:
	for rep := range cfg.Repeat {
		for i, tg := range targets(rep) {
			if ctx.Err() != nil {
				break runs
			}
			if cfg.Repeat > 1 {
				logf("%s: run %d of %d", tg.Name, rep+1, cfg.Repeat)
			}
			res, err := runTarget(ctx, cfg, tg, workDir, rep, logf)
			if err != nil && ctx.Err() != nil {
				break runs
			}
			if err != nil {
				fmt.Fprintf(stderr, "slackload: %s: %v\n", tg.Name, err)
				return 1
			}
			samples[i] = append(samples[i], res)
		}
	}
	if ctx.Err() != nil {
		fmt.Fprintf(stderr, "slackload: stopped by -timeout %s; reporting the runs done\n", cfg.Timeout)
	}
	runs := make([]result, len(roles))
	for i, tg := range targets(0) {
		if len(samples[i]) == 0 {
			runs[i] = result{Target: tg.Name, Errors: []string{"not run: -timeout reached"}}
			continue
		}
		runs[i] = aggregate(samples[i])
	}

	rep := buildReport(cfg, runs, roles, bench)
	if cfg.Repeat > 1 {
		rep.Samples = samples
	}
	writeTable(stdout, rep, roles)
	if cfg.JSON != "" {
		data, err := json.MarshalIndent(rep, "", "  ")
		if err != nil {
			fmt.Fprintf(stderr, "slackload: %v\n", err)
			return 1
		}
		data = append(data, '\n')
		if cfg.JSON == "-" {
			_, err = stdout.Write(data)
		} else {
			err = os.WriteFile(cfg.JSON, data, 0o644)
		}
		if err != nil {
			fmt.Fprintf(stderr, "slackload: %v\n", err)
			return 1
		}
	}
	if !rep.Pass || (cfg.Strict && !rep.Met) {
		return 1
	}
	return 0
}
