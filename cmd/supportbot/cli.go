package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/d2iq/supportbot/policy"
)

// Exit statuses (a contract: scripts gate on them).
const (
	exitOK      = 0
	exitNo      = 1 // unsupported or incompatible
	exitUsage   = 2
	exitUnknown = 3
)

// usageError is a mistake in the command line; it exits 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

// env is the process environment as the commands see it.
type env struct {
	getenv         func(string) string
	stdout, stderr io.Writer
}

// command is one subcommand: it returns an exit status, or an error (exit 1,
// or 2 for a usageError).
type command struct {
	name, args, summary string
	run                 func(ctx context.Context, e env, args []string) (int, error)
}

func commands() []command {
	return []command{
		{"ask", "[--format text|json|blocks] [--on YYYY-MM-DD] WORDS...", "answer a question from the policy (exit 0 yes/info, 1 no, 3 unknown)", cmdAsk},
		{"check", "[--format text|json|markdown|sarif] [--warn-within 90d] FILE", "check a stack file (konvoy: 1.8.2 ...) as one question (exit as ask)", cmdCheck},
		{"run", "", "run the Slack bot over Socket Mode (configured from the environment)", cmdRun},
		{"stats", "--db PATH [--since 7d] [--format text|json]", "question counts and unanswered questions from the query log", cmdStats},
		{"backup", "--db PATH OUT", "write a consistent copy of the database to OUT", cmdBackup},
		{"db", "check --db PATH", "check the database file for damage (exit 0 clean, 1 damaged, 3 not checked)", cmdDB},
		{"policy check", "FILE", "validate a policy file", cmdPolicyCheck},
		{"policy dump", "", "print the effective policy as YAML", cmdPolicyDump},
		{"version", "", "print the version", cmdVersion},
		{"help", "", "show this help", cmdHelp},
	}
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	e := env{getenv: getenv, stdout: stdout, stderr: stderr}
	if len(args) == 0 {
		writeUsage(e)
		return exitUsage
	}
	name, rest := args[0], args[1:]
	switch name {
	case "-h", "--help", "-help":
		name = "help"
	case "policy":
		if len(rest) == 0 {
			fmt.Fprintln(stderr, "supportbot policy: say check FILE or dump")
			return exitUsage
		}
		name, rest = "policy "+rest[0], rest[1:]
	}
	for _, c := range commands() {
		if c.name != name {
			continue
		}
		code, err := c.run(ctx, e, rest)
		var ue *usageError
		switch {
		case errors.As(err, &ue):
			fmt.Fprintf(stderr, "supportbot %s: %s\nusage: supportbot %s %s\n", c.name, ue.msg, c.name, c.args)
			return exitUsage
		case errors.Is(err, flag.ErrHelp):
			return exitOK
		case err != nil:
			fmt.Fprintf(stderr, "supportbot %s: %v\n", c.name, err)
			return max(code, 1)
		}
		return code
	}
	fmt.Fprintf(stderr, "supportbot: unknown command %q (see supportbot help)\n", name)
	return exitUsage
}

func writeUsage(e env) {
	fmt.Fprintf(e.stdout, "supportbot %s — answers D2iQ version-support questions in Slack and from a terminal.\n\nCommands:\n", version)
	for _, c := range commands() {
		fmt.Fprintf(e.stdout, "  %-14s %-38s %s\n", c.name, c.args, c.summary)
	}
	fmt.Fprintf(e.stdout, "\nExamples:\n")
	for _, f := range policy.Grammar() {
		ex := f.Example
		if strings.ContainsAny(ex, "?*[]'\"$&;|<>()") {
			ex = `"` + ex + `"` // a bare "1.8?" is a shell glob
		}
		fmt.Fprintf(e.stdout, "  supportbot ask %s\n", ex)
	}
	fmt.Fprintf(e.stdout, "\nEnvironment:\n%s", configUsage())
}

func cmdHelp(_ context.Context, e env, _ []string) (int, error) {
	writeUsage(e)
	return exitOK, nil
}

func cmdVersion(_ context.Context, e env, _ []string) (int, error) {
	fmt.Fprintln(e.stdout, "supportbot", version)
	return exitOK, nil
}

// loadPolicy returns the policy in SUPPORTBOT_POLICY_FILE, or the embedded default.
func loadPolicy(getenv func(string) string) (*policy.Model, error) {
	if path := getenv("SUPPORTBOT_POLICY_FILE"); path != "" {
		return loadPolicyFile(path)
	}
	return policy.Default(), nil
}

func cmdAsk(_ context.Context, e env, args []string) (int, error) {
	fs := flag.NewFlagSet("ask", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are printed once, by run
	format := fs.String("format", "text", "output format: text, json or blocks")
	on := fs.String("on", "", "answer as the policy stood on this day (YYYY-MM-DD; default today)")
	flags, words, err := splitFlags(fs, args)
	if err != nil {
		return exitUsage, err
	}
	if err := fs.Parse(flags); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(e.stdout)
			fmt.Fprintln(e.stdout, "usage: supportbot ask [--format text|json|blocks] [--on YYYY-MM-DD] WORDS...")
			fs.PrintDefaults()
			return exitOK, err
		}
		return exitUsage, usagef("%v", err)
	}
	switch *format {
	case "text", "json", "blocks":
	default:
		return exitUsage, usagef("unknown format %q: use text, json or blocks", *format)
	}
	today := time.Now()
	if *on != "" {
		d, err := time.Parse(time.DateOnly, *on)
		if err != nil {
			return exitUsage, usagef("--on %q is not a date like 2021-09-01", *on)
		}
		today = d
	}
	if len(words) == 0 {
		return exitUsage, usagef("say what to ask, like: supportbot ask konvoy 1.6")
	}
	m, err := loadPolicy(e.getenv)
	if err != nil {
		return exitUsage, err
	}
	a := m.AskOn(strings.Join(words, " "), today)
	switch *format {
	case "text":
		fmt.Fprint(e.stdout, a.Text())
	case "json":
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(a); err != nil {
			return exitUsage, err
		}
	case "blocks":
		if err := writeBlocks(e.stdout, a); err != nil {
			return exitUsage, err
		}
	}
	return a.Verdict.ExitCode(), nil
}

// splitFlags separates the flags of fs from the words of a question, so that
// flags may come before, among or after the words; everything after "--" is
// words. A word that starts with "-" and is not a flag of fs is a usage error
// (say "--" before it to ask about it).
func splitFlags(fs *flag.FlagSet, args []string) (flags, words []string, err error) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return flags, append(words, args[i+1:]...), nil
		}
		if len(a) < 2 || a[0] != '-' || (a[1] >= '0' && a[1] <= '9') {
			words = append(words, a)
			continue
		}
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if name == "h" || name == "help" {
			flags = append(flags, a)
			continue
		}
		f := fs.Lookup(name)
		if f == nil {
			return nil, nil, usagef("unknown flag %s (put -- before words that start with a dash)", a)
		}
		flags = append(flags, a)
		if bf, ok := f.Value.(interface{ IsBoolFlag() bool }); hasValue || ok && bf.IsBoolFlag() {
			continue
		}
		if i+1 == len(args) {
			return nil, nil, usagef("flag %s needs a value", a)
		}
		i++
		flags = append(flags, args[i])
	}
	return flags, words, nil
}

func cmdPolicyCheck(_ context.Context, e env, args []string) (int, error) {
	if len(args) != 1 {
		return exitUsage, usagef("name one policy file")
	}
	m, err := policy.Load(args[0])
	if err != nil {
		return 1, err
	}
	var cycles int
	for _, id := range m.Products() {
		p, _ := m.Product(id)
		cycles += len(p.Releases)
	}
	fmt.Fprintf(e.stdout, "%s: ok (as of %s; %d products, %d releases)\n", args[0], m.AsOf.Format("2006-01-02"), len(m.Products()), cycles)
	return exitOK, nil
}

func cmdPolicyDump(_ context.Context, e env, args []string) (int, error) {
	if len(args) != 0 {
		return exitUsage, usagef("dump takes no arguments")
	}
	m, err := loadPolicy(e.getenv)
	if err != nil {
		return 1, err
	}
	return exitOK, m.Dump(e.stdout)
}
