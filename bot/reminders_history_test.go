package bot_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/d2iq/supportbot/bot"
	"github.com/d2iq/supportbot/policy"
	"github.com/d2iq/supportbot/store"
)

// historyPolicy is the real 2020-2022 lifecycle, from the repository root.
const historyPolicy = "../deploy/policies/d2iq-history.yaml"

// TestReminders_HistoryReplay drives the reminder engine over the history
// policy with a fake clock, one check a day at 09:00 from July 2020 to
// December 2022; the engine takes the policy as it stood that day. Every
// announcement is checked against the pages (the day of the release, what
// ended, what is supported), and each is posted exactly once.
func TestReminders_HistoryReplay(t *testing.T) {
	hist, err := policy.Load(historyPolicy)
	if err != nil {
		t.Fatalf("the history policy must load from the repository root: %v", err)
	}
	clock := &remClock{t: time.Date(2020, 7, 1, 9, 0, 0, 0, time.UTC)}
	poster := newRemPoster()
	db, err := store.Open(filepath.Join(t.TempDir(), "bot.db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	r, err := bot.NewReminders(remDefaults(bot.ReminderConfig{
		Policy: func() *policy.Model { return hist }, // the engine takes the day's view
		Store:  db, Poster: poster, Channels: []string{"C1"}, At: "09:00", Now: clock.Now,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}))
	if err != nil {
		t.Fatal(err)
	}

	posts := map[string][]string{} // day -> texts
	var all []string
	end := time.Date(2022, 12, 31, 9, 0, 0, 0, time.UTC)
	for d := clock.Now(); !d.After(end); d = d.AddDate(0, 0, 1) {
		clock.Set(d)
		if err := r.Check(context.Background()); err != nil {
			t.Fatalf("check on %s: %v", d.Format(time.DateOnly), err)
		}
		for _, p := range poster.take() {
			day := d.Format(time.DateOnly)
			posts[day] = append(posts[day], p.Msg.Text)
			all = append(all, day+" "+p.Msg.Text)
		}
	}

	// The pages' Konvoy releases: the day each came out (the later date
	// where they disagree: 2.1 is 2021-11-18 in its notes, 2021-12-30 in
	// 2.1.1's), what ended, and the supported set after it.
	konvoy := []struct{ day, text string }{
		{"2020-11-16", "Konvoy 1.6 is released; support for Konvoy 1.3 has ended; supported now: 1.6, 1.5, 1.4"},
		{"2021-02-10", "Konvoy 1.7 is released; support for Konvoy 1.4 has ended; supported now: 1.7, 1.6, 1.5"},
		{"2021-05-05", "Konvoy 1.8 is released; support for Konvoy 1.5 has ended; supported now: 1.8, 1.7, 1.6"},
		{"2021-08-26", "Konvoy 2.0 is released; support for Konvoy 1.6 has ended; supported now: 2.0, 1.8, 1.7"},
		{"2021-12-30", "Konvoy 2.1 is released; support for Konvoy 1.7 has ended; supported now: 2.1, 2.0, 1.8"},
		// Konvoy 2.2's page states 2.1 and 1.8: 2.0 ends, 1.8 stays.
		{"2022-04-08", "Konvoy 2.2 is released; support for Konvoy 2.0 has ended; supported now: 2.2, 2.1, 1.8"},
	}
	for _, k := range konvoy {
		if !slices.Contains(posts[k.day], k.text) {
			t.Errorf("on %s: no announcement %q; posted: %q", k.day, k.text, posts[k.day])
		}
	}

	// The Kaptain 2.1 page repeats the 2.0 page's sentence ("support
	// continues for Kaptain 1.3, and 1.2 ... 1.1 expires"): it cannot end
	// Kaptain 2.0, and the N-2 count alone ends nothing on that day (it
	// ends 1.2, which the page keeps), so the announcement ends nothing and
	// says which cycles are in doubt.
	const kaptain21 = "Kaptain 2.1 is released; in doubt: Kaptain 2.0 and 1.2; supported now: 2.1, 1.3"
	if got := posts["2022-04-26"]; !slices.Contains(got, kaptain21) {
		t.Errorf("on 2022-04-26: no announcement %q; posted: %q", kaptain21, got)
	}
	for _, line := range all {
		if strings.Contains(line, "support for Kaptain 2.0 has ended") {
			t.Errorf("announced an end of Kaptain 2.0 the pages do not settle: %q", line)
		}
	}

	// Every announcement names a release of that day, what the history
	// says ended with it, and is posted once.
	seen := map[string]bool{}
	for _, line := range all {
		day, text, _ := strings.Cut(line, " ")
		if seen[text] {
			t.Errorf("posted twice: %q", text)
		}
		seen[text] = true
		checkAnnouncement(t, hist, day, text)
		t.Log(line)
	}
	if len(all) < len(konvoy) {
		t.Errorf("%d announcements in the replay, want at least %d", len(all), len(konvoy))
	}
}

// checkAnnouncement checks "<Product> <cycle> is released; support for
// <Product> <cycle> has ended; supported now: ..." against the history:
// the release is certain that day and not the day before, and the ended
// cycles' lifecycles name this release as their end.
func checkAnnouncement(t *testing.T, hist *policy.Model, day, text string) {
	t.Helper()
	var name, cycle string
	if _, err := fmt.Sscanf(text, "%s %s is released", &name, &cycle); err != nil {
		t.Errorf("on %s, not an announcement: %q", day, text)
		return
	}
	p, ok := hist.Product(strings.ToLower(name))
	if !ok {
		t.Errorf("on %s: unknown product in %q", day, text)
		return
	}
	c, err := policy.ParseCycle(cycle)
	if err != nil {
		t.Errorf("on %s: bad cycle in %q", day, text)
		return
	}
	d, _ := time.Parse(time.DateOnly, day)
	if _, ok := mustRelease(hist.At(d), p.ID, c); !ok {
		t.Errorf("on %s: %s %s announced but not released that day", day, p.Name, c)
	}
	if _, ok := mustRelease(hist.At(d.AddDate(0, 0, -1)), p.ID, c); ok {
		t.Errorf("on %s: %s %s was already released the day before", day, p.Name, c)
	}
	if _, doubt, ok := strings.Cut(text, "; in doubt: "+p.Name+" "); ok {
		// A cycle in doubt is neither ended by the release nor supported.
		doubt, _, _ = strings.Cut(doubt, ";")
		for _, e := range strings.Fields(strings.ReplaceAll(doubt, ",", " ")) {
			ec, err := policy.ParseCycle(e)
			if e == "and" || err != nil {
				continue
			}
			lc, _ := p.Lifecycle(ec)
			if lc.EndedBy != nil {
				t.Errorf("on %s: %q says %s %s is in doubt, but its lifecycle ends it with %s", day, text, p.Name, ec, lc.EndedBy.Cycle)
			}
			if vp, ok := hist.At(d).Product(p.ID); ok && vp.Status(ec) != policy.StatusUnknown {
				t.Errorf("on %s: %q says %s %s is in doubt, but its status is %v", day, text, p.Name, ec, vp.Status(ec))
			}
		}
	}
	_, rest, ok := strings.Cut(text, "; support for "+p.Name+" ")
	if !ok {
		return
	}
	ended, _, ok := strings.Cut(rest, " has ended")
	if !ok {
		t.Errorf("on %s: %q names a support that did not end", day, text)
		return
	}
	for _, e := range strings.FieldsFunc(ended, func(r rune) bool { return r == ',' || r == ' ' }) {
		if e == "and" {
			continue
		}
		ec, err := policy.ParseCycle(e)
		if err != nil {
			t.Errorf("on %s: bad ended cycle %q in %q", day, e, text)
			continue
		}
		lc, ok := p.Lifecycle(ec)
		if !ok || lc.EndedBy == nil || lc.EndedBy.Cycle != c {
			t.Errorf("on %s: %q says %s %s ended, but its lifecycle says %+v", day, text, p.Name, ec, lc.EndedBy)
		}
	}
}

func mustRelease(m *policy.Model, id string, c policy.Cycle) (*policy.Release, bool) {
	p, ok := m.Product(id)
	if !ok {
		return nil, false
	}
	return p.Release(c)
}
