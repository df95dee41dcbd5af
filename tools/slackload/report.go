package main

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"slices"
	"strings"
	"text/tabwriter"
)

// Roles of the targets.
const (
	roleBot     = "bot"
	roleEcho    = "echo"
	roleDurable = "echo-durable"
	// roleDurableAck is the echo bot that acks only after its record is
	// committed: the floor of an ack that means "on record".
	roleDurableAck = "echo-durable-ack"
)

// baselines are the floor roles, in the order they are reported.
var baselines = []string{roleEcho, roleDurable, roleDurableAck}

// Targets for a run without faults on the machine of the run.
const (
	maxReplyVsDurable = 1.5  // reply p50 and p99 over the durable echo's
	maxAckVsFloor     = 1.5  // ack p99 over the durable-ack echo's (the echo's without it)
	maxPeakRSSMiB     = 30.0 // peak RSS of the bot
)

// maxDupPerKill bounds the duplicate replies per SIGKILL of the bot: a
// correctness check of runs with -kills, which cannot promise 0.
const maxDupPerKill = 0.1

// report is everything a run of slackload found; it is the JSON output.
type report struct {
	Machine machine `json:"machine"`
	Config  config  `json:"config"`
	// Runs has one result per target: with -repeat, the medians of its
	// runs (the counts are totals), which Samples holds one by one.
	Runs    []result          `json:"runs"`
	Samples [][]result        `json:"samples,omitempty"`
	Ratios  map[string]ratios `json:"ratios,omitempty"` // the bot over each baseline role
	Checks  []check           `json:"checks"`
	GoBench []benchResult     `json:"gobench,omitempty"`
	Pass    bool              `json:"pass"` // every correctness check passed
	Met     bool              `json:"targets_met"`
}

type machine struct {
	CPUs  int    `json:"cpus"`
	Model string `json:"cpu_model,omitempty"`
	Go    string `json:"go"`
	OS    string `json:"os"`
}

// ratios are the bot's figures divided by a baseline's.
type ratios struct {
	AckP50     float64 `json:"ack_p50"`
	AckP90     float64 `json:"ack_p90"`
	AckP99     float64 `json:"ack_p99"`
	AckMax     float64 `json:"ack_max"`
	ReplyP50   float64 `json:"reply_p50"`
	ReplyP90   float64 `json:"reply_p90"`
	ReplyP99   float64 `json:"reply_p99"`
	ReplyMax   float64 `json:"reply_max"`
	Throughput float64 `json:"throughput"`
	PeakRSS    float64 `json:"peak_rss"`
	CPU        float64 `json:"cpu"`
}

// check is one pass/fail criterion.
type check struct {
	Target string `json:"target"`
	Name   string `json:"name"`
	Want   string `json:"want"`
	Got    string `json:"got"`
	OK     bool   `json:"ok"`
	// Correctness checks decide the exit status; performance targets do
	// only with -strict.
	Correctness bool `json:"correctness"`
}

func thisMachine() machine {
	m := machine{CPUs: runtime.NumCPU(), Go: runtime.Version(), OS: runtime.GOOS + "/" + runtime.GOARCH}
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				m.Model = strings.TrimSpace(v)
				break
			}
		}
		_ = f.Close()
	}
	return m
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return math.Round(a/b*100) / 100
}

func ratiosOf(bot, base result) ratios {
	return ratios{
		AckP50: ratio(bot.Ack.P50, base.Ack.P50), AckP90: ratio(bot.Ack.P90, base.Ack.P90),
		AckP99: ratio(bot.Ack.P99, base.Ack.P99), AckMax: ratio(bot.Ack.Max, base.Ack.Max),
		ReplyP50: ratio(bot.Reply.P50, base.Reply.P50), ReplyP90: ratio(bot.Reply.P90, base.Reply.P90),
		ReplyP99: ratio(bot.Reply.P99, base.Reply.P99), ReplyMax: ratio(bot.Reply.Max, base.Reply.Max),
		Throughput: ratio(bot.Throughput, base.Throughput),
		PeakRSS:    ratio(bot.Bot.PeakRSSMiB, base.Bot.PeakRSSMiB),
		CPU:        ratio(bot.Bot.CPUSeconds, base.Bot.CPUSeconds),
	}
}

// buildReport computes the ratios and the checks of the runs.
func buildReport(cfg config, runs []result, roles []string, bench []benchResult) report {
	rep := report{Machine: thisMachine(), Config: cfg, Runs: runs, GoBench: bench, Ratios: map[string]ratios{}}
	byRole := map[string]result{}
	for i, r := range runs {
		byRole[roles[i]] = r
	}
	bot, haveBot := byRole[roleBot]
	if haveBot {
		for _, role := range baselines {
			if base, ok := byRole[role]; ok {
				rep.Ratios[role] = ratiosOf(bot, base)
			}
		}
	}
	for i, r := range runs {
		add := func(name, want, got string, ok bool) {
			rep.Checks = append(rep.Checks, check{Target: r.Target, Name: name, Want: want, Got: got, OK: ok, Correctness: true})
		}
		add("lost replies", "0", fmt.Sprint(r.Lost), r.Lost == 0)
		if r.Kills > 0 {
			// A SIGKILL between a reply and its mark can answer twice;
			// the target bounds how often.
			per := float64(r.Duplicated) / float64(r.Kills)
			add("duplicate replies per kill", fmt.Sprintf("<= %g", maxDupPerKill),
				fmt.Sprintf("%.2f (%d in %d kills)", per, r.Duplicated, r.Kills), per <= maxDupPerKill)
		} else {
			add("duplicate replies", "0", fmt.Sprint(r.Duplicated), r.Duplicated == 0)
		}
		if r.NoRecord >= 0 {
			add("replies with no query-log record", "0", fmt.Sprint(r.NoRecord), r.NoRecord == 0)
		}
		if roles[i] == roleBot {
			add("replies saying the question was not recorded", "0", fmt.Sprint(r.Sorry), r.Sorry == 0)
			add("mention replies outside the mention's thread", "0", fmt.Sprint(r.Misthreaded), r.Misthreaded == 0)
		}
		add("run errors", "none", orNone(r.Errors), len(r.Errors) == 0)
	}
	if haveBot && !bot.Faults {
		perf := func(name, want, got string, ok bool) {
			rep.Checks = append(rep.Checks, check{Target: bot.Target, Name: name, Want: want, Got: got, OK: ok})
		}
		if rt, ok := rep.Ratios[roleDurable]; ok {
			perf("reply p50 / durable echo reply p50", fmt.Sprintf("<= %gx", maxReplyVsDurable), fmt.Sprintf("%.2fx", rt.ReplyP50), rt.ReplyP50 <= maxReplyVsDurable)
			perf("reply p99 / durable echo reply p99", fmt.Sprintf("<= %gx", maxReplyVsDurable), fmt.Sprintf("%.2fx", rt.ReplyP99), rt.ReplyP99 <= maxReplyVsDurable)
		}
		if rt, ok := rep.Ratios[roleDurableAck]; ok {
			perf("ack p99 / durable-ack echo ack p99", fmt.Sprintf("<= %gx", maxAckVsFloor), fmt.Sprintf("%.2fx", rt.AckP99), rt.AckP99 <= maxAckVsFloor)
		} else if rt, ok := rep.Ratios[roleEcho]; ok {
			perf("ack p99 / echo ack p99", fmt.Sprintf("<= %gx", maxAckVsFloor), fmt.Sprintf("%.2fx", rt.AckP99), rt.AckP99 <= maxAckVsFloor)
		}
		perf("peak RSS", fmt.Sprintf("<= %g MiB", maxPeakRSSMiB), fmt.Sprintf("%.1f MiB", bot.Bot.PeakRSSMiB), bot.Bot.PeakRSSMiB <= maxPeakRSSMiB)
	}
	rep.Pass, rep.Met = true, true
	for _, c := range rep.Checks {
		switch {
		case c.OK:
		case c.Correctness:
			rep.Pass = false
		default:
			rep.Met = false
		}
	}
	return rep
}

func orNone(errs []string) string {
	if len(errs) == 0 {
		return "none"
	}
	return strings.Join(errs, "; ")
}

// fmtMS formats milliseconds compactly: 0.412ms, 12.3ms, 1.52s.
func fmtMS(v float64) string {
	switch {
	case v >= 1000:
		return fmt.Sprintf("%.2fs", v/1000)
	case v >= 100:
		return fmt.Sprintf("%.0fms", v)
	case v >= 10:
		return fmt.Sprintf("%.1fms", v)
	default:
		return fmt.Sprintf("%.3fms", v)
	}
}

// fmtNS formats nanoseconds: 812ns, 4.1µs, 1.23ms.
func fmtNS(v float64) string {
	switch {
	case v >= 1e6:
		return fmtMS(v / 1e6)
	case v >= 1e3:
		return fmt.Sprintf("%.1fµs", v/1e3)
	default:
		return fmt.Sprintf("%.0fns", v)
	}
}

func fmtX(v float64) string {
	if v == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2fx", v)
}

func fmtRate(v float64) string {
	switch {
	case v == 0:
		return "-"
	case v >= 10000:
		return fmt.Sprintf("%.0fk", v/1000)
	default:
		return fmt.Sprintf("%.0f", v)
	}
}

// writeTable prints the report as one table, then the checks.
func writeTable(w io.Writer, rep report, roles []string) {
	c := rep.Config
	fmt.Fprintf(w, "slackload: %d questions at %g/s (%s), %d workers; %d CPUs (%s), %s, %s\n",
		c.Count, c.Rate, c.Mix, c.Workers, rep.Machine.CPUs, rep.Machine.Model, rep.Machine.Go, rep.Machine.OS)
	if c.Repeat > 1 {
		fmt.Fprintf(w, "medians of %d runs of each target, taken in turn; counts are totals, RSS the highest\n", c.Repeat)
	}
	if c.Faults.any() {
		fmt.Fprintf(w, "faults on the bot: %s\n", describeFaults(c.Faults))
	}
	fmt.Fprintln(w)

	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tN\tP50\tP90\tP99\tMAX\tRATE/S\tMEMORY\tCPU\tLOST\tDUP\tNOREC")
	for i, r := range rep.Runs {
		fmt.Fprintf(tw, "%s ack\t%d\t%s\t%s\t%s\t%s\t\t\t\t\t\t\n", r.Target, r.Ack.N,
			fmtMS(r.Ack.P50), fmtMS(r.Ack.P90), fmtMS(r.Ack.P99), fmtMS(r.Ack.Max))
		norec := "-"
		if r.NoRecord >= 0 {
			norec = fmt.Sprint(r.NoRecord)
		}
		fmt.Fprintf(tw, "%s reply\t%d/%d\t%s\t%s\t%s\t%s\t%s\t%.1f MiB RSS\t%.2fs\t%d\t%d\t%s\n", r.Target, r.Replied, r.Events,
			fmtMS(r.Reply.P50), fmtMS(r.Reply.P90), fmtMS(r.Reply.P99), fmtMS(r.Reply.Max),
			fmtRate(r.Throughput), r.Bot.PeakRSSMiB, r.Bot.CPUSeconds, r.Lost, r.Duplicated, norec)
		if roles[i] != roleBot {
			continue
		}
		for _, role := range baselines {
			rt, ok := rep.Ratios[role]
			if !ok {
				continue
			}
			fmt.Fprintf(tw, "  ack / %s\t\t%s\t%s\t%s\t%s\t\t\t\t\t\t\n", role, fmtX(rt.AckP50), fmtX(rt.AckP90), fmtX(rt.AckP99), fmtX(rt.AckMax))
			fmt.Fprintf(tw, "  reply / %s\t\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\t\t\n", role, fmtX(rt.ReplyP50), fmtX(rt.ReplyP90), fmtX(rt.ReplyP99), fmtX(rt.ReplyMax),
				fmtX(rt.Throughput), fmtX(rt.PeakRSS), fmtX(rt.CPU))
		}
	}
	for _, b := range rep.GoBench {
		name := "go " + shortPkg(b.Pkg) + "." + b.Name
		p50, p99 := fmtNS(b.Metrics["ns/op"]), ""
		if v, ok := b.Metrics["p50-us"]; ok {
			p50 = fmtNS(v * 1e3)
		}
		if v, ok := b.Metrics["p99-us"]; ok {
			p99 = fmtNS(v * 1e3)
		}
		rate := 0.0
		if v := b.Metrics["ns/op"]; v > 0 {
			rate = 1e9 / v
		}
		if v, ok := b.Metrics["queries/s"]; ok {
			rate = v
		}
		mem := ""
		if v, ok := b.Metrics["B/op"]; ok {
			mem = fmt.Sprintf("%.0f B/op, %.0f allocs", v, b.Metrics["allocs/op"])
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t\t%s\t\t%s\t%s\t\t\t\t\n", name, b.N, p50, p99, fmtRate(rate), mem)
	}
	tw.Flush()
	fmt.Fprintln(w, "\nack: envelope written -> ack read; reply: first envelope written -> reply recorded; RATE/S: answered per second")
	if len(rep.GoBench) > 0 {
		fmt.Fprintln(w, "go rows: P50 is the time per op (DB_LogQuery: a caller's p50 and p99), RATE/S ops or queries per second")
	}

	for _, r := range rep.Runs {
		if !r.Faults && r.Redelivered == 0 && r.Unacked == 0 && r.StrayAcks == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s: %d envelopes (%d redelivered), %d connections, %d kills, %d unacked questions, %d stray acks, %d malformed frames acked\n",
			r.Target, r.Envelopes, r.Redelivered, r.Connections, r.Kills, r.Unacked, r.StrayAcks, r.MalformedAcked)
		if len(r.Injected) > 0 {
			fmt.Fprintf(w, "  injected: %s\n", fmtCounts(r.Injected))
		}
		if len(r.FailedCalls) > 0 {
			fmt.Fprintf(w, "  failed calls answered: %s\n", fmtCounts(r.FailedCalls))
		}
		if r.Kills > 0 {
			k := float64(r.Kills)
			norec := "-"
			if r.NoRecord >= 0 {
				norec = fmt.Sprintf("%.2f", float64(r.NoRecord)/k)
			}
			fmt.Fprintf(w, "  per kill (%d kills): lost %.2f, no record %s, duplicates %.2f\n",
				r.Kills, float64(r.Lost)/k, norec, float64(r.Duplicated)/k)
		}
		fmt.Fprintf(w, "  reply -> ack of mentions and DMs (a crash here answers twice): p50 %s, p99 %s, max %s\n",
			fmtMS(r.ReplyToAck.P50), fmtMS(r.ReplyToAck.P99), fmtMS(r.ReplyToAck.Max))
		fmt.Fprintf(w, "  bot log: %d errors, %d warnings\n", r.LogErrors, r.LogWarnings)
	}

	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CHECK\tTARGET\tWANT\tGOT\t")
	for _, c := range rep.Checks {
		status := "ok"
		if !c.OK {
			status = "MISS"
			if c.Correctness {
				status = "FAIL"
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", c.Name, c.Target, c.Want, c.Got, status)
	}
	tw.Flush()
}

func describeFaults(f faults) string {
	var parts []string
	if f.DisconnectEvery > 0 {
		parts = append(parts, fmt.Sprintf("refresh_requested every %s", f.DisconnectEvery))
	}
	if f.DropEvery > 0 {
		parts = append(parts, fmt.Sprintf("socket drop every %s", f.DropEvery))
	}
	if f.RateLimitEvery > 0 {
		parts = append(parts, fmt.Sprintf("%d x 429 (Retry-After %s) every %s", f.RateLimitBurst, f.RetryAfter, f.RateLimitEvery))
	}
	if f.ServerErrEvery > 0 {
		parts = append(parts, fmt.Sprintf("%d x 5xx every %s", f.ServerErrBurst, f.ServerErrEvery))
	}
	if f.Redeliver > 0 {
		parts = append(parts, fmt.Sprintf("%.0f%% of events redelivered within %s", f.Redeliver*100, f.RedeliverWithin))
	}
	if f.MalformedEvery > 0 {
		parts = append(parts, fmt.Sprintf("malformed frame every %s", f.MalformedEvery))
	}
	if f.Kills > 0 {
		parts = append(parts, fmt.Sprintf("%d SIGKILL+restart (down %s)", f.Kills, f.RestartDelay))
	}
	if len(f.Outages) > 0 {
		ws := make([]string, len(f.Outages))
		for i, o := range f.Outages {
			ws[i] = o.String()
		}
		parts = append(parts, fmt.Sprintf("Web API outages %s from %s, %s apart (slow: %s a call)",
			strings.Join(ws, ","), f.OutageStart, f.OutageGap, f.SlowDelay))
	}
	if f.SlowAPI > 0 {
		parts = append(parts, fmt.Sprintf("every posting call delayed %s", f.SlowAPI))
	}
	return strings.Join(parts, "; ")
}

func fmtCounts(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s=%d", k, m[k])
	}
	return strings.Join(parts, " ")
}
