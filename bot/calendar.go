package bot

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/d2iq/supportbot/policy"
)

// CalendarContentType is the media type of the calendar feed.
const CalendarContentType = "text/calendar; charset=utf-8"

// WriteCalendar writes the planned expiries of m as an iCalendar (RFC 5545)
// feed to w: one all-day event per dated expiry, on the day the release that
// ends it is expected, with a display alarm at each of leadDays before it.
// An event's UID (konvoy-1.6-end@supportbot) stays the same while the date
// moves, so a subscribed calendar updates the event instead of adding one.
// Expiries whose release has no announced date cannot be placed on a
// calendar; the feed's description names them. now stamps the events
// (DTSTAMP).
func WriteCalendar(w io.Writer, m *policy.Model, leadDays []int, now time.Time) error {
	cal := ics.NewCalendarFor("supportbot")
	cal.SetProductId("-//D2iQ//supportbot//EN")
	cal.SetMethod(ics.MethodPublish)
	cal.SetCalscale("GREGORIAN")
	cal.SetXWRCalName("D2iQ version support expiries")
	cal.SetXPublishedTTL("PT6H")
	cal.SetRefreshInterval("PT6H")

	leads := slices.Clone(leadDays)
	slices.Sort(leads)
	leads = slices.Compact(leads)
	slices.Reverse(leads) // earliest alarm first

	var undated []string
	for _, e := range m.Expiries() {
		name := productName(m, e.Product)
		if e.Expected.IsZero() {
			undated = append(undated, fmt.Sprintf("%s %s (ends when %s %s ships)", name, e.Ends, name, e.Next))
			continue
		}
		summary := fmt.Sprintf("%s %s support ends (%s %s release)", name, e.Ends, name, e.Next)
		ev := cal.AddEvent(fmt.Sprintf("%s-%s-end@supportbot", e.Product, e.Ends))
		ev.SetDtStampTime(now)
		ev.SetAllDayStartAt(e.Expected)
		ev.SetAllDayEndAt(e.Expected.AddDate(0, 0, 1))
		ev.SetSummary(summary)
		ev.SetDescription(calendarDescription(m, e))
		ev.SetTimeTransparency(ics.TransparencyTransparent)
		if e.Source.URL != "" {
			ev.SetURL(e.Source.URL)
		}
		for _, lead := range leads {
			a := ev.AddAlarm()
			a.SetAction(ics.ActionDisplay)
			a.SetTrigger(alarmTrigger(lead))
			a.SetProperty(ics.ComponentPropertyDescription, summary)
		}
	}

	desc := fmt.Sprintf("Planned ends of support from the supportbot policy (as of %s). "+
		"An end of support is planned when the next release is announced; the date is the release's expected date.",
		m.AsOf.Format(time.DateOnly))
	if len(undated) > 0 {
		desc += " Not in this calendar because no date is announced: " + strings.Join(undated, "; ") + "."
	}
	cal.SetXWRCalDesc(desc)
	cal.SetDescription(desc)
	// RFC 5545 lines end in CRLF; the library's default is the platform's.
	return cal.SerializeTo(w, ics.WithNewLineWindows)
}

// alarmTrigger is the TRIGGER of an alarm lead days before the start:
// "-P30D", or "PT0S" on the day itself.
func alarmTrigger(lead int) string {
	if lead == 0 {
		return "PT0S"
	}
	return fmt.Sprintf("-P%dD", lead)
}

// calendarDescription says what expires, what to move to and the source.
func calendarDescription(m *policy.Model, e policy.Expiry) string {
	name := productName(m, e.Product)
	var b strings.Builder
	fmt.Fprintf(&b, "Support for %s %s (all patch versions) ends when %s %s is released, expected %s.\n",
		name, e.Ends, name, e.Next, e.Expected.Format(time.DateOnly))
	if len(e.Partners) > 0 {
		names := make([]string, len(e.Partners))
		for i, p := range e.Partners {
			names[i] = productName(m, p.Product) + " " + p.Cycle.String()
		}
		fmt.Fprintf(&b, "%s, released with it, ends with it.\n", andList(names))
	}
	fmt.Fprintf(&b, "Supported after the release: %s %s.\n", name, strings.Join(cycleStrings(e.After), ", "))
	if e.Source.Title != "" {
		fmt.Fprintf(&b, "Source: %s", e.Source)
		if e.Source.URL != "" {
			fmt.Fprintf(&b, " (%s)", e.Source.URL)
		}
		b.WriteString(".\n")
	}
	fmt.Fprintf(&b, "Policy as of %s.", m.AsOf.Format(time.DateOnly))
	return b.String()
}

// CalendarHandler serves GET /calendar.ics: the feed of the policy in force
// (policy is called on every request, so a reload shows at once), with
// alarms at leadDays (DefaultLeadDays when nil). now is the clock (default
// time.Now).
func CalendarHandler(policy func() *policy.Model, leadDays []int, now func() time.Time) http.Handler {
	if leadDays == nil {
		leadDays = DefaultLeadDays()
	}
	if now == nil {
		now = time.Now
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		m := policy()
		if m == nil {
			http.Error(w, "no policy loaded", http.StatusServiceUnavailable)
			return
		}
		var buf bytes.Buffer
		if err := WriteCalendar(&buf, m, leadDays, now()); err != nil {
			http.Error(w, "calendar unavailable", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", CalendarContentType)
		w.Header().Set("Content-Disposition", `inline; filename="supportbot.ics"`)
		w.Header().Set("Cache-Control", "max-age=300")
		_, _ = w.Write(buf.Bytes())
	})
}
