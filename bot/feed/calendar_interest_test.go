package feed_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/d2iq/supportbot/bot/feed"
	"github.com/d2iq/supportbot/policy"
)

// fakeStacks is a Stacks over a map; err fails every call.
type fakeStacks struct {
	stacks map[string][]feed.StackItem
	err    error
	asked  []string
}

func (f *fakeStacks) Stack(_ context.Context, channel string) ([]feed.StackItem, error) {
	f.asked = append(f.asked, channel)
	return f.stacks[channel], f.err
}

type calEvent struct {
	uid, start, summary string
	alarms              int
}

func getCalendar(t *testing.T, srv *httptest.Server, query string) (int, []calEvent, string) {
	t.Helper()
	resp, err := http.Get(srv.URL + "/calendar.ics" + query)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return resp.StatusCode, nil, string(body)
	}
	cal, err := ics.ParseCalendar(strings.NewReader(string(body)))
	if err != nil {
		t.Fatalf("%s: %v\n%s", query, err, body)
	}
	var evs []calEvent
	for _, ev := range cal.Events() {
		evs = append(evs, calEvent{
			uid:     ev.Id(),
			start:   ev.GetProperty(ics.ComponentPropertyDtStart).Value,
			summary: ev.GetProperty(ics.ComponentPropertySummary).Value,
			alarms:  len(ev.Alarms()),
		})
	}
	return resp.StatusCode, evs, string(body)
}

func TestCalendarHandler_Interests(t *testing.T) {
	m := remModel(t, datedPolicy)
	stacks := &fakeStacks{stacks: map[string][]feed.StackItem{
		"C0KOM": {{Product: "kommander", Version: "1.2.3"}, {Product: "konvoy", Version: "1.7"}, {Product: "gone", Version: "1.0"}},
	}}
	srv := httptest.NewServer(feed.CalendarHandler(func() *policy.Model { return m }, stacks, leadDays, func() time.Time { return utc("2021-10-05 10:00") }))
	defer srv.Close()

	ended16 := calEvent{"konvoy-1.6-end@supportbot", "20210901", "Konvoy 1.6 support ended (Konvoy 1.9 release)", 0}
	ends17 := calEvent{"konvoy-1.7-end@supportbot", "20211215", "Konvoy 1.7 support ends (Konvoy 1.10 release)", 5}
	kom12 := calEvent{"kommander-1.2-end@supportbot", "20210901", "Kommander 1.2 support ended (Konvoy 1.9 release)", 0}
	kom13 := calEvent{"kommander-1.3-end@supportbot", "20211215", "Kommander 1.3 support ends (Konvoy 1.10 release)", 5}
	tests := []struct {
		name  string
		query string
		want  []calEvent
	}{
		{"everything: products with a window of their own", "", []calEvent{ended16, ends17}},
		{"one cycle", "?product=konvoy&cycle=1.7", []calEvent{ends17}},
		{"repeated cycles", "?product=konvoy&cycle=1.6&cycle=1.7", []calEvent{ended16, ends17}},
		{"alias and a product's every cycle", "?product=Kommander", []calEvent{kom12, kom13}},
		{"a supported cycle without a dated end", "?product=konvoy&cycle=1.9", nil},
		{"a channel's stack", "?channel=C0KOM", []calEvent{kom12, ends17}},
		{"a channel that tracks nothing", "?channel=C0NONE", nil},
		{"a stack and a product", "?channel=C0KOM&product=konvoy&cycle=1.6", []calEvent{ended16, kom12, ends17}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, evs, body := getCalendar(t, srv, tt.query)
			if code != http.StatusOK {
				t.Fatalf("%d %s", code, body)
			}
			if !slices.Equal(evs, tt.want) {
				t.Errorf("events\n got %v\nwant %v\n%s", evs, tt.want, body)
			}
		})
	}
	if !slices.Contains(stacks.asked, "C0KOM") {
		t.Errorf("Stacks asked for %v", stacks.asked)
	}

	bad := []struct{ query, want string }{
		{"?product=nope", `product "nope" is not in the policy`},
		{"?cycle=1.7", "needs a product= before it"},
		{"?product=konvoy&cycle=1.99", "Konvoy 1.99 is not a release in the policy"},
		{"?product=konvoy&cycle=1.7.2", "not a MAJOR.MINOR cycle"},
		{"?channel=" + url.QueryEscape("<!channel>"), "is not a Slack channel id"},
		{"?when=soon", `unknown parameter "when"`},
		{"?product=%zz", "not URL-encoded"},
	}
	for _, tt := range bad {
		code, _, body := getCalendar(t, srv, tt.query)
		if code != http.StatusBadRequest || !strings.Contains(body, tt.want) {
			t.Errorf("%s = %d %q, want 400 with %q", tt.query, code, body, tt.want)
		}
	}
	if code, _, body := getCalendar(t, srv, "?"+strings.Repeat("product=konvoy&", 65)); code != http.StatusBadRequest {
		t.Errorf("65 parameters = %d %s", code, body)
	}

	stacks.err = errors.New("disk on fire")
	if code, _, _ := getCalendar(t, srv, "?channel=C0KOM"); code != http.StatusServiceUnavailable {
		t.Errorf("a failing store = %d, want 503", code)
	}

	none := httptest.NewServer(feed.CalendarHandler(func() *policy.Model { return m }, nil, leadDays, nil))
	defer none.Close()
	if code, _, body := getCalendar(t, none, "?channel=C0KOM"); code != http.StatusNotFound || !strings.Contains(body, feed.ErrNoStacks.Error()) {
		t.Errorf("without stacks = %d %q", code, body)
	}
}

// TestWriteCalendar_StableUID: when a planned end's date is corrected, and
// when the release then ships, the event keeps its UID.
func TestWriteCalendar_StableUID(t *testing.T) {
	planned := remModel(t, remPolicy)
	corrected := remModel(t, strings.Replace(remPolicy, "expected: 2021-09-01", "expected: 2021-10-15", 1))
	shipped := remModel(t, strings.NewReplacer(
		`releases: [{cycle: "1.8"}`, `releases: [{cycle: "1.9", released: 2021-10-20}, {cycle: "1.8"}`,
		`    upcoming: [{cycle: "1.9", expected: 2021-09-01}]`+"\n", "",
	).Replace(remPolicy))
	for _, tt := range []struct {
		name   string
		m      *policy.Model
		start  string
		alarms int
	}{
		{"planned", planned, "20210901", 5},
		{"corrected", corrected, "20211015", 5},
		{"shipped", shipped, "20211020", 0},
	} {
		var b strings.Builder
		if err := feed.WriteCalendar(&b, tt.m, []feed.Interest{{Product: "konvoy", Cycles: []policy.Cycle{{Major: 1, Minor: 6}}}}, leadDays, utc("2021-06-05 10:00")); err != nil {
			t.Fatal(err)
		}
		cal, err := ics.ParseCalendar(strings.NewReader(b.String()))
		if err != nil {
			t.Fatal(err)
		}
		evs := cal.Events()
		if len(evs) != 1 || evs[0].Id() != "konvoy-1.6-end@supportbot" ||
			evs[0].GetProperty(ics.ComponentPropertyDtStart).Value != tt.start || len(evs[0].Alarms()) != tt.alarms {
			t.Errorf("%s: %s", tt.name, b.String())
		}
	}
}

// TestCalendarHandler_History: the history policy's real ends reach the
// calendar, on the day the ending release shipped, without alarms.
func TestCalendarHandler_History(t *testing.T) {
	m := historyModel(t)
	srv := httptest.NewServer(feed.CalendarHandler(func() *policy.Model { return m }, nil, leadDays, nil))
	defer srv.Close()
	code, evs, body := getCalendar(t, srv, "?product=konvoy&cycle=1.6&cycle=1.7")
	want := []calEvent{
		{"konvoy-1.6-end@supportbot", "20210826", "Konvoy 1.6 support ended (Konvoy 2.0 release)", 0},
		// The pages date Konvoy 2.1 both 2021-11-18 and 2021-12-30; the
		// history model takes the later.
		{"konvoy-1.7-end@supportbot", "20211230", "Konvoy 1.7 support ended (Konvoy 2.1 release)", 0},
	}
	if code != http.StatusOK || !slices.Equal(evs, want) {
		t.Errorf("%d events\n got %v\nwant %v\n%s", code, evs, want, body)
	}
	if !strings.Contains(strings.ReplaceAll(body, "\r\n ", ""), "The pages disagree on that date (2021-11-18 in") {
		t.Errorf("the disputed date is not explained:\n%s", body)
	}
	code, evs, body = getCalendar(t, srv, "")
	if code != http.StatusOK || len(evs) < 5 {
		t.Errorf("the whole history: %d, %d events\n%s", code, len(evs), body)
	}
}
