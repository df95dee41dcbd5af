package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/d2iq/supportbot/bot"
	"github.com/d2iq/supportbot/store"
)

// openErr explains a store error to an operator.
func openErr(path string, err error) error {
	if errors.Is(err, store.ErrLocked) {
		return fmt.Errorf("%w: a running supportbot holds %s; use /support stats in Slack, or stop the bot first", err, path)
	}
	return err
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
