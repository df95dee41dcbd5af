package bot

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/d2iq/supportbot/store"
)

// StatsReader reads query-log statistics.
type StatsReader interface {
	Stats(f store.QueryFilter) (store.Stats, error)
}

// HistoryReader reads a user's own recent questions, newest first.
type HistoryReader interface {
	History(user string, limit int) ([]store.Query, error)
}

// StatsCommand is `/support stats [DAYS]d`: counts over a window, admins only.
func StatsCommand(r StatsReader, now func() time.Time) Command {
	return Command{
		Admin: true,
		Help:  "question counts by product, intent, verdict and source over the last 7 days (or `stats 30d`), and what I could not answer",
		Run: func(_ context.Context, c CommandCall) (Message, error) {
			window := 7 * 24 * time.Hour
			if len(c.Args) > 0 {
				d, err := ParseWindow(c.Args[0])
				if err != nil {
					return Message{Text: Escape(err.Error())}, nil
				}
				window = d
			}
			since := now().Add(-window)
			st, err := r.Stats(store.QueryFilter{Since: since})
			if err != nil {
				return Message{}, fmt.Errorf("stats: %w", err)
			}
			return renderStats(st, window), nil
		},
	}
}

// ParseWindow reads a window like "7d", "24h" or "90m".
func ParseWindow(s string) (time.Duration, error) {
	if days, ok := strings.CutSuffix(s, "d"); ok {
		var n int
		if _, err := fmt.Sscanf(days, "%d", &n); err == nil && n > 0 && n <= 3650 && fmt.Sprint(n) == days {
			return time.Duration(n) * 24 * time.Hour, nil
		}
	} else if d, err := time.ParseDuration(s); err == nil && d > 0 {
		return d, nil
	}
	return 0, fmt.Errorf("%q is not a window like 7d or 24h", s)
}

func renderStats(st store.Stats, window time.Duration) Message {
	summary := fmt.Sprintf("%d questions in the last %s.", st.Queries, humanWindow(window))
	var b strings.Builder
	for _, part := range []struct {
		name string
		m    map[string]int
	}{{"By product", st.ByProduct}, {"By intent", st.ByIntent}, {"By verdict", st.ByVerdict}, {"By source", st.BySource}} {
		b.WriteString("*" + part.name + "*  " + Escape(countList(part.m)) + "\n")
	}
	blocks := []slack.Block{
		header(":bar_chart: Question stats"),
		section(Escape(summary)),
		section(truncateRunes(b.String(), maxSectionText)),
	}
	var u strings.Builder
	u.WriteString("*Most asked that I could not answer*\n")
	if len(st.Unanswered) == 0 {
		u.WriteString("_none_")
	}
	for _, q := range st.Unanswered {
		fmt.Fprintf(&u, "• %d× %s\n", q.Count, Escape(truncate(q.Text, 200)))
	}
	blocks = append(blocks, section(truncateRunes(u.String(), maxSectionText)))
	return Message{Text: Escape(summary), Blocks: blocks}
}

func humanWindow(d time.Duration) string {
	if d%(24*time.Hour) == 0 {
		if n := int(d / (24 * time.Hour)); n != 1 {
			return fmt.Sprintf("%d days", n)
		}
		return "day"
	}
	return d.String()
}

// countList renders counts as "konvoy 12, kaptain 3", largest first.
func countList(m map[string]int) string {
	if len(m) == 0 {
		return "none"
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if m[a] != m[b] {
			return m[b] - m[a]
		}
		return strings.Compare(a, b)
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	return strings.Join(parts, ", ")
}

// HistoryCommand is `/support history`: the caller's own last 10 questions.
func HistoryCommand(r HistoryReader) Command {
	return Command{
		Help: "your own last 10 questions",
		Run: func(_ context.Context, c CommandCall) (Message, error) {
			qs, err := r.History(c.User, 10)
			if err != nil {
				return Message{}, fmt.Errorf("history: %w", err)
			}
			if len(qs) == 0 {
				return Message{Text: "You have not asked me anything yet (or your questions are past the retention period)."}, nil
			}
			var b strings.Builder
			for _, q := range qs {
				text := q.Text
				if text == "" {
					text = "(question text not kept)"
				}
				fmt.Fprintf(&b, "• %s  %s → _%s_\n", q.Time.UTC().Format("2006-01-02 15:04"), Escape(truncate(text, 150)), Escape(q.Verdict))
			}
			summary := fmt.Sprintf("Your last %d questions.", len(qs))
			return Message{Text: summary, Blocks: []slack.Block{section(summary), section(truncateRunes(b.String(), maxSectionText))}}, nil
		},
	}
}
