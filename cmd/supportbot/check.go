package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/d2iq/supportbot/bot"
	"github.com/d2iq/supportbot/policy"
	"github.com/d2iq/supportbot/store"
)

// checkFormats are the output formats of `supportbot check`.
var checkFormats = []string{"text", "json", "markdown", "sarif"}

// Rule ids of the findings (SARIF ruleId, JSON rule_id). They are stable:
// code-scanning views track results by them.
const (
	ruleEndsWithin = "supportbot/support-ends-within"
	ruleEndsLater  = "supportbot/support-end-announced"
	ruleIncomplete = "supportbot/stack-incomplete"
)

// ruleFor is the rule id of a finding of the policy's intent: "supportbot/status".
func ruleFor(i policy.Intent) string { return "supportbot/" + string(i) }

// finding is one checked relation of a stack: a product's status, a pairing,
// where a product runs, the Kubernetes version, or an end of support that
// is coming. Line is the stack file line it is located at.
type finding struct {
	RuleID   string         `json:"rule_id"`
	Subjects []string       `json:"subjects"`
	Intent   policy.Intent  `json:"intent"`
	Verdict  policy.Verdict `json:"verdict"`
	Summary  string         `json:"summary"`
	Line     int            `json:"line"`
	Sources  []policy.Ref   `json:"sources"`
	// Ends is the date support ends, for the support-end findings.
	Ends string `json:"ends,omitempty"`
	// Fails is whether the finding fails the check (exit 1) on its own.
	Fails bool `json:"fails"`
}

// stackReport is the result of a check: the policy's answer to the stack
// question, the findings drawn from it, and the exit status.
type stackReport struct {
	File     string
	Answer   policy.Answer
	Findings []finding
	Exit     int
}

// result names the exit status: pass, fail or unknown.
func (r stackReport) result() string {
	switch r.Exit {
	case exitOK:
		return "pass"
	case exitNo:
		return "fail"
	}
	return "unknown"
}

// checkOptions are the flags of a check.
type checkOptions struct {
	// WarnWithin fails the check when a cycle's support ends within it; 0 is off.
	WarnWithin time.Duration
	// Now is the clock for "today" when the file gives no `on:`.
	Now func() time.Time
}

func cmdCheck(_ context.Context, e env, args []string) (int, error) {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	format := fs.String("format", "text", "output format: "+strings.Join(checkFormats, ", "))
	warn := fs.String("warn-within", "", "fail when a cycle's support ends within this window (90d, 12w, 2160h)")
	// Flags may come before or after the file.
	var files []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return exitOK, err
			}
			return exitUsage, usagef("%v", err)
		}
		if fs.NArg() == 0 {
			break
		}
		files, args = append(files, fs.Arg(0)), fs.Args()[1:]
	}
	if len(files) != 1 {
		return exitUsage, usagef("name one stack file")
	}
	if !slices.Contains(checkFormats, *format) {
		return exitUsage, usagef("unknown format %q: use %s", *format, strings.Join(checkFormats, ", "))
	}
	opts := checkOptions{Now: time.Now}
	if *warn != "" {
		d, err := parseWithin(*warn)
		if err != nil {
			return exitUsage, usagef("--warn-within: %v", err)
		}
		opts.WarnWithin = d
	}
	m, err := loadPolicy(e.getenv)
	if err != nil {
		return exitUsage, err
	}
	s, err := readStackFile(files[0], m)
	if err != nil {
		return exitUsage, err
	}
	r := checkStack(m, s, opts)
	if err := writeReport(e.stdout, *format, r); err != nil {
		return exitUsage, err
	}
	return r.Exit, nil
}

// parseWithin reads a window: days ("90d"), weeks ("12w") or a Go duration ("2160h").
func parseWithin(s string) (time.Duration, error) {
	const day = 24 * time.Hour
	for suffix, unit := range map[string]time.Duration{"d": day, "w": 7 * day} {
		if n, ok := strings.CutSuffix(s, suffix); ok {
			var k int
			if _, err := fmt.Sscanf(n, "%d", &k); err == nil && fmt.Sprint(k) == n && k > 0 && k <= 3650 {
				return time.Duration(k) * unit, nil
			}
			return 0, fmt.Errorf("%q is not a window like 90d, 12w or 2160h", s)
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%q is not a window like 90d, 12w or 2160h", s)
	}
	return d, nil
}

// askStack is the policy's evaluation of the stack as one question, on the
// file's day or today: the same as `/support stack` (bot.AskStack).
func askStack(m *policy.Model, s stackFile, now func() time.Time) policy.Answer {
	items := make([]store.StackItem, len(s.Entries))
	for i, e := range s.Entries {
		items[i] = store.StackItem{Product: e.Product, Version: e.Version.String()}
	}
	return bot.AskStack(m, s.Question(), items, checkDay(s, now))
}

// checkDay is the day a stack is checked on: the file's `on:`, or today.
func checkDay(s stackFile, now func() time.Time) time.Time {
	if !s.On.IsZero() {
		return s.On
	}
	return now()
}

// checkStack evaluates the stack as one question and draws the findings and
// the exit status from the policy's answer. It evaluates nothing itself:
// the verdicts are the policy's, and the support-end findings read the
// policy's planned expiries.
func checkStack(m *policy.Model, s stackFile, opts checkOptions) stackReport {
	a := askStack(m, s, opts.Now)
	r := stackReport{File: s.Path, Answer: a}
	r.Findings = partFindings(a, s)
	r.Findings = append(r.Findings, endFindings(m, s, opts)...)
	r.Exit = a.Verdict.ExitCode()
	for _, f := range r.Findings {
		code := f.Verdict.ExitCode()
		if f.Fails {
			code = exitNo
		}
		r.Exit = worseExit(r.Exit, code)
	}
	return r
}

// worseExit combines exit statuses: a definite no (1) wins over unknown (3),
// which wins over yes (0).
func worseExit(a, b int) int {
	rank := func(c int) int {
		switch c {
		case exitNo:
			return 2
		case exitUnknown:
			return 1
		}
		return 0
	}
	if rank(b) > rank(a) {
		return b
	}
	return a
}

// partFindings turns the answer into findings: one per part (relation)
// the policy evaluated, or one for the whole answer when it has no parts.
// Products of the stack that no part covers, and words the policy did not
// place, are an unknown finding: a stack check never passes on a part it
// did not check.
func partFindings(a policy.Answer, s stackFile) []finding {
	var out []finding
	for _, p := range a.Parts {
		out = append(out, finding{
			RuleID: ruleFor(p.Intent), Subjects: nonNil(p.Subjects), Intent: p.Intent, Verdict: p.Verdict,
			Summary: p.Summary, Line: firstLine(s, p.Subjects), Sources: nonNil(p.Sources),
		})
	}
	if len(out) == 0 {
		subjects := []string{}
		if a.Product != "" {
			subjects = append(subjects, a.Product)
		}
		out = append(out, finding{
			RuleID: ruleFor(a.Intent), Subjects: subjects, Intent: a.Intent, Verdict: a.Verdict,
			Summary: a.Summary, Line: firstLine(s, subjects), Sources: nonNil(a.Sources),
		})
	}
	covered := map[string]bool{}
	for _, f := range out {
		for _, id := range f.Subjects {
			covered[id] = true
		}
	}
	var rest []string
	line := 0
	for _, e := range s.Entries {
		if !covered[e.Product] {
			rest = append(rest, e.Product+" "+e.Raw)
			if line == 0 {
				line = e.Line
			}
		}
	}
	if len(rest) > 0 && len(s.Entries) > 1 {
		out = append(out, finding{
			RuleID: ruleIncomplete, Subjects: []string{}, Intent: policy.IntentUnknown, Verdict: policy.VerdictUnknown,
			Summary: "The policy's answer covers no relation of " + strings.Join(rest, ", ") + "; it is not checked.",
			Line:    line, Sources: []policy.Ref{},
		})
	}
	if len(a.NotUnderstood) > 0 {
		out = append(out, finding{
			RuleID: ruleIncomplete, Subjects: []string{}, Intent: policy.IntentUnknown, Verdict: policy.VerdictUnknown,
			Summary: "The policy did not place: " + strings.Join(a.NotUnderstood, " ") + ".",
			Line:    firstLine(s, nil), Sources: []policy.Ref{},
		})
	}
	return out
}

// nonNil keeps JSON arrays as [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// firstLine is the stack file line of the first subject the file names,
// or the first entry's line.
func firstLine(s stackFile, subjects []string) int {
	for _, id := range subjects {
		if l := s.line(id); l > 0 {
			return l
		}
	}
	if len(s.Entries) > 0 {
		return s.Entries[0].Line
	}
	return 1
}

// endFindings are the announced ends of support for the stack's cycles,
// from the policy as it stands on the check's day (Product.Lifecycle of
// Model.At): each one with an expected date is a finding, which fails the
// check when it falls within opts.WarnWithin of that day. A Kommander cycle
// ends with the Konvoy cycle it pairs with.
func endFindings(m *policy.Model, s stackFile, opts checkOptions) []finding {
	day := checkDay(s, opts.Now)
	view := m.At(day)
	var out []finding
	for _, e := range s.Entries {
		p, ok := view.Product(e.Product)
		if !ok {
			continue // kubernetes: not a product of the policy
		}
		lc, ok := p.Lifecycle(e.Version.Cycle)
		if !ok || lc.EndedBy != nil || lc.ExpectedEndBy == nil || lc.ExpectedEnd.IsZero() {
			continue
		}
		ender := p
		if p.Rule == policy.RuleWith {
			if w, ok := view.Product(p.With); ok {
				ender = w
			}
		}
		date := lc.ExpectedEnd.Format(time.DateOnly)
		f := finding{
			RuleID: ruleEndsLater, Subjects: []string{e.Product}, Intent: policy.IntentStatus, Verdict: policy.VerdictInfo,
			Line: e.Line, Sources: nonNil(lc.Sources), Ends: date,
			Summary: fmt.Sprintf("Support for %s %s ends when %s %s is released, expected %s.", p.Name, e.Version.Cycle, ender.Name, lc.ExpectedEndBy.Cycle, date),
		}
		if opts.WarnWithin > 0 && lc.ExpectedEnd.Before(day.Add(opts.WarnWithin)) {
			f.RuleID, f.Fails = ruleEndsWithin, true
			f.Summary += fmt.Sprintf(" That is within %s of %s: plan the upgrade to a supported %s release.", humanDuration(opts.WarnWithin), day.Format(time.DateOnly), p.Name)
		}
		out = append(out, f)
	}
	return out
}

// humanDuration says a window in days when it is whole days.
func humanDuration(d time.Duration) string {
	const day = 24 * time.Hour
	if d%day == 0 {
		if n := d / day; n != 1 {
			return fmt.Sprintf("%d days", n)
		}
		return "1 day"
	}
	return d.String()
}
