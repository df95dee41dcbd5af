package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/d2iq/supportbot/bot"
	"github.com/d2iq/supportbot/store"
)

// openErr explains a store error to an operator.
func openErr(path string, err error) error {
	switch {
	case errors.Is(err, store.ErrLocked):
		return fmt.Errorf("%w: a running supportbot holds %s; use /support stats in Slack, or stop the bot first", err, path)
	case errors.Is(err, store.ErrCorrupt):
		return fmt.Errorf("%w\n%s", err, restoreHint(path))
	}
	return err
}

// restoreHint tells an operator what to do about a damaged database.
func restoreHint(path string) string {
	return fmt.Sprintf("the database is damaged: stop the bot, keep %s aside, and restore the last good backup "+
		"(supportbot backup) in its place; see \"Restoring the database\" in the README", path)
}

// Exit statuses of db check.
const (
	exitDamaged   = 1 // the file is damaged
	exitUnchecked = 3 // the file could not be checked (locked, missing, unreadable)
)

// cmdDB is `supportbot db check --db PATH`: the cheap checks of the file
// (meta pages, size, root and freelist pages), then every key of every
// bucket read and bbolt's Tx.Check. It opens the file read-only, so it
// cannot run beside the bot holding it (exit 3).
func cmdDB(_ context.Context, e env, args []string) (int, error) {
	if len(args) == 0 || args[0] != "check" {
		return exitUsage, usagef("say check --db PATH")
	}
	fs := flag.NewFlagSet("db check", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	dbPath := fs.String("db", "", "database file (required)")
	if err := fs.Parse(args[1:]); err != nil {
		return exitUsage, usagef("%v", err)
	}
	if *dbPath == "" || fs.NArg() != 0 {
		return exitUsage, usagef("name the database with --db PATH")
	}
	fi, err := os.Stat(*dbPath)
	if err != nil {
		return exitUnchecked, fmt.Errorf("not checked: %w", err)
	}
	start := time.Now()
	db, err := store.OpenReadOnly(*dbPath, store.Options{})
	if err == nil {
		err = db.Check()
		_ = db.Close() // read-only: nothing to flush
	}
	switch {
	case errors.Is(err, store.ErrCorrupt):
		return exitDamaged, fmt.Errorf("%w\n%s", err, restoreHint(*dbPath))
	case err != nil:
		return exitUnchecked, fmt.Errorf("not checked: %w", openErr(*dbPath, err))
	}
	fmt.Fprintf(e.stdout, "%s: no damage found (%.1f MiB, every page read and bbolt's consistency check passed in %s)\n",
		*dbPath, float64(fi.Size())/(1<<20), time.Since(start).Round(time.Millisecond))
	return exitOK, nil
}

func cmdStats(_ context.Context, e env, args []string) (int, error) {
	fs := flag.NewFlagSet("stats", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	dbPath := fs.String("db", "", "database file (required)")
	since := fs.String("since", "7d", "window to count, like 7d or 24h")
	format := fs.String("format", "text", "text or json")
	if err := fs.Parse(args); err != nil {
		return exitUsage, usagef("%v", err)
	}
	if *dbPath == "" || fs.NArg() != 0 {
		return exitUsage, usagef("name the database with --db PATH")
	}
	if *format != "text" && *format != "json" {
		return exitUsage, usagef("unknown format %q: use text or json", *format)
	}
	window, err := bot.ParseWindow(*since)
	if err != nil {
		return exitUsage, usagef("--since: %v", err)
	}
	db, err := store.OpenReadOnly(*dbPath, store.Options{})
	if err != nil {
		return 1, openErr(*dbPath, err)
	}
	defer func() { _ = db.Close() }() // read-only: nothing to flush
	st, err := db.Stats(store.QueryFilter{Since: time.Now().Add(-window)})
	if err != nil {
		return 1, err
	}
	if *format == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return exitOK, enc.Encode(st)
	}
	fmt.Fprintf(e.stdout, "%d questions since %s\n\n", st.Queries, st.Since.UTC().Format(time.RFC3339))
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
	for _, part := range []struct {
		name string
		m    map[string]int
	}{{"product", st.ByProduct}, {"intent", st.ByIntent}, {"verdict", st.ByVerdict}, {"source", st.BySource}} {
		keys := make([]string, 0, len(part.m))
		for k := range part.m {
			keys = append(keys, k)
		}
		slices.SortFunc(keys, func(a, b string) int {
			if part.m[a] != part.m[b] {
				return part.m[b] - part.m[a]
			}
			return strings.Compare(a, b)
		})
		for i, k := range keys {
			label := ""
			if i == 0 {
				label = "by " + part.name
			}
			fmt.Fprintf(tw, "%s\t%s\t%d\n", label, k, part.m[k])
		}
	}
	tw.Flush()
	fmt.Fprintln(e.stdout, "\nMost asked and not answered (the policy data lacks these):")
	if len(st.Unanswered) == 0 {
		fmt.Fprintln(e.stdout, "  none")
	}
	for _, q := range st.Unanswered {
		fmt.Fprintf(e.stdout, "  %4d  %s\n", q.Count, q.Text)
	}
	return exitOK, nil
}

func cmdBackup(_ context.Context, e env, args []string) (int, error) {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	dbPath := fs.String("db", "", "database file (required)")
	if err := fs.Parse(args); err != nil {
		return exitUsage, usagef("%v", err)
	}
	if *dbPath == "" || fs.NArg() != 1 {
		return exitUsage, usagef("name the database with --db PATH and one output file")
	}
	out := fs.Arg(0)
	if err := store.BackupFile(*dbPath, out, store.Options{}); err != nil {
		return 1, openErr(*dbPath, err)
	}
	fmt.Fprintf(e.stdout, "backed up %s to %s\n", *dbPath, out)
	return exitOK, nil
}
