package feed_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/d2iq/supportbot/bot/feed"
	"github.com/d2iq/supportbot/policy"
)

// calPolicy adds a second dated expiry to remPolicy: Konvoy 1.10 ends 1.7.
var calPolicy = strings.Replace(remPolicy,
	`upcoming: [{cycle: "1.9", expected: 2021-09-01}]`,
	`upcoming: [{cycle: "1.9", expected: 2021-09-01}, {cycle: "1.10", expected: 2021-12-15}]`, 1)

func TestWriteCalendar(t *testing.T) {
	m := remModel(t, calPolicy)
	stamp := utc("2021-06-05 10:00")
	var buf bytes.Buffer
	if err := feed.WriteCalendar(&buf, m, nil, []int{90, 30, 7, 1, 0}, stamp); err != nil {
		t.Fatal(err)
	}
	raw := buf.String()

	// RFC 5545 §3.1: lines end in CRLF and are folded at 75 octets.
	for i, line := range strings.Split(strings.TrimSuffix(raw, "\r\n"), "\r\n") {
		if len(line) > 75 {
			t.Errorf("line %d has %d octets: %q", i+1, len(line), line)
		}
		if strings.Contains(line, "\n") {
			t.Errorf("line %d has a bare LF", i+1)
		}
	}

	cal, err := ics.ParseCalendar(strings.NewReader(raw))
	if err != nil {
		t.Fatalf("ParseCalendar: %v\n%s", err, raw)
	}
	props := map[string]string{}
	for _, p := range cal.CalendarProperties {
		props[p.IANAToken] = p.Value
	}
	if props["VERSION"] != "2.0" || props["PRODID"] == "" || props["METHOD"] != "PUBLISH" {
		t.Errorf("calendar properties = %v", props)
	}
	if desc := props["X-WR-CALDESC"]; !strings.Contains(desc, "Kaptain 1.1 (ends when Kaptain 1.4 ships)") || !strings.Contains(desc, "no date is announced") {
		t.Errorf("X-WR-CALDESC does not name the undated expiry: %q", desc)
	}

	events := cal.Events()
	tests := []struct {
		uid, start, end, summary string
		desc                     []string
	}{
		{
			uid: "konvoy-1.6-end@supportbot", start: "20210901", end: "20210902",
			summary: "Konvoy 1.6 support ends (Konvoy 1.9 release)",
			desc: []string{"Support for Konvoy 1.6 (all patch versions) ends when Konvoy 1.9 is released, expected 2021-09-01.",
				"Kommander 1.2, released with it, ends with it.",
				"Supported after the release: Konvoy 1.9, 1.8, 1.7.",
				"Source: Konvoy Version Support Policy — Version Support Policy (https://example.com/konvoy-policy).",
				"Policy as of 2021-06-01."},
		},
		{
			uid: "konvoy-1.7-end@supportbot", start: "20211215", end: "20211216",
			summary: "Konvoy 1.7 support ends (Konvoy 1.10 release)",
			desc:    []string{"Supported after the release: Konvoy 1.10, 1.9, 1.8."},
		},
	}
	if len(events) != len(tests) {
		t.Fatalf("%d events, want %d (the undated expiry is left out)\n%s", len(events), len(tests), raw)
	}
	for i, tt := range tests {
		ev := events[i]
		get := func(p ics.ComponentProperty) *ics.IANAProperty {
			prop := ev.GetProperty(p)
			if prop == nil {
				t.Fatalf("event %s lacks %s", tt.uid, p)
			}
			return prop
		}
		if ev.Id() != tt.uid {
			t.Errorf("event %d UID = %q, want %q", i, ev.Id(), tt.uid)
		}
		start := get(ics.ComponentPropertyDtStart)
		if start.Value != tt.start || !slices.Equal(start.ICalParameters["VALUE"], []string{"DATE"}) {
			t.Errorf("%s DTSTART = %q %v, want all-day %s", tt.uid, start.Value, start.ICalParameters, tt.start)
		}
		if end := get(ics.ComponentPropertyDtEnd); end.Value != tt.end {
			t.Errorf("%s DTEND = %q, want %s", tt.uid, end.Value, tt.end)
		}
		if day, err := ev.GetAllDayStartAt(); err != nil || day.Format("2006-01-02") != tt.start[:4]+"-"+tt.start[4:6]+"-"+tt.start[6:] {
			t.Errorf("%s all-day start = %v, %v", tt.uid, day, err)
		}
		if got, err := ev.GetDtStampTime(); err != nil || !got.Equal(stamp) {
			t.Errorf("%s DTSTAMP = %v, %v", tt.uid, got, err)
		}
		if s := get(ics.ComponentPropertySummary).Value; s != tt.summary {
			t.Errorf("%s SUMMARY = %q, want %q", tt.uid, s, tt.summary)
		}
		desc := get(ics.ComponentPropertyDescription).Value
		for _, want := range tt.desc {
			if !strings.Contains(desc, want) {
				t.Errorf("%s DESCRIPTION lacks %q:\n%s", tt.uid, want, desc)
			}
		}
		var triggers []string
		for _, a := range ev.Alarms() {
			if act := a.GetProperty(ics.ComponentPropertyAction); act == nil || act.Value != "DISPLAY" {
				t.Errorf("%s alarm ACTION = %v", tt.uid, act)
			}
			if d := a.GetProperty(ics.ComponentPropertyDescription); d == nil || d.Value != tt.summary {
				t.Errorf("%s alarm DESCRIPTION = %v", tt.uid, d)
			}
			if tr := a.GetProperty(ics.ComponentPropertyTrigger); tr != nil {
				triggers = append(triggers, tr.Value)
			}
		}
		if want := []string{"-P90D", "-P30D", "-P7D", "-P1D", "PT0S"}; !slices.Equal(triggers, want) {
			t.Errorf("%s triggers = %q, want %q", tt.uid, triggers, want)
		}
	}
}

// TestWriteCalendar_Escaping: commas, semicolons and newlines in policy text
// survive the round trip through the iCalendar text escaping.
func TestWriteCalendar_Escaping(t *testing.T) {
	m := remModel(t, strings.Replace(remPolicy, "name: Konvoy", `name: "Konvoy; DKP, \"Essential\"\\"`, 1))
	var buf bytes.Buffer
	if err := feed.WriteCalendar(&buf, m, nil, []int{7}, utc("2021-06-05 10:00")); err != nil {
		t.Fatal(err)
	}
	cal, err := ics.ParseCalendar(&buf)
	if err != nil {
		t.Fatal(err)
	}
	evs := cal.Events()
	if len(evs) != 1 {
		t.Fatalf("%d events", len(evs))
	}
	want := `Konvoy; DKP, "Essential"\ 1.6 support ends (Konvoy; DKP, "Essential"\ 1.9 release)`
	if got := evs[0].GetProperty(ics.ComponentPropertySummary).Value; got != want {
		t.Errorf("SUMMARY = %q, want %q", got, want)
	}
}

func TestCalendarHandler(t *testing.T) {
	var m *policy.Model
	h := feed.CalendarHandler(func() *policy.Model { return m }, nil, leadDays, func() time.Time { return utc("2021-06-05 10:00") })
	srv := httptest.NewServer(h)
	defer srv.Close()

	resp, err := http.Get(srv.URL + "/calendar.ics")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("without a policy: %d", resp.StatusCode)
	}

	m = remModel(t, remPolicy)
	resp, err = http.Get(srv.URL + "/calendar.ics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != feed.CalendarContentType {
		t.Errorf("GET = %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	cal, err := ics.ParseCalendar(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if evs := cal.Events(); len(evs) != 1 || len(evs[0].Alarms()) != len(leadDays) {
		t.Errorf("feed has %d events, want 1 with %d alarms", len(evs), len(leadDays))
	}

	// A reload shows at once.
	m = remModel(t, calPolicy)
	resp, err = http.Get(srv.URL + "/calendar.ics")
	if err != nil {
		t.Fatal(err)
	}
	cal, err = ics.ParseCalendar(resp.Body)
	resp.Body.Close()
	if err != nil || len(cal.Events()) != 2 {
		t.Errorf("after a reload: %v events, %v", len(cal.Events()), err)
	}

	resp, err = http.Post(srv.URL+"/calendar.ics", "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST = %d", resp.StatusCode)
	}
}
