package feed

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/d2iq/supportbot/policy"
)

// CalendarContentType is the media type of the calendar feed.
const CalendarContentType = "text/calendar; charset=utf-8"

// Interest selects the cycles of one product for the calendar: the cycles
// listed, or every released cycle when Cycles is empty.
type Interest struct {
	Product string // a product id of the policy
	Cycles  []policy.Cycle
}

// WriteCalendar writes the ends of support of m as an iCalendar (RFC 5545)
// feed to w: one all-day event per cycle whose end has a date, on the day
// the release that ends it shipped (support ended) or is expected (planned),
// with a display alarm at each of leadDays before a planned end. An event's
// UID (konvoy-1.6-end@supportbot) stays the same while its date moves and
// when the planned end becomes a past one, so a subscribed calendar updates
// the event instead of adding one. Ends without a date cannot be placed on a
// calendar; the feed's description names the planned ones.
//
// interests selects the cycles; nil means every cycle of the products with a
// support window of their own (a product with rule "with" ends with its
// partner, and is named in the partner's event). now stamps the events
// (DTSTAMP).
func WriteCalendar(w io.Writer, m *policy.Model, interests []Interest, leadDays []int, now time.Time) error {
	cal := ics.NewCalendarFor("supportbot")
	cal.SetProductId("-//D2iQ//supportbot//EN")
	cal.SetMethod(ics.MethodPublish)
	cal.SetCalscale("GREGORIAN")
	cal.SetXWRCalName("D2iQ version support ends")
	cal.SetXPublishedTTL("PT6H")
	cal.SetRefreshInterval("PT6H")

	leads := slices.Clone(leadDays)
	slices.Sort(leads)
	leads = slices.Compact(leads)
	slices.Reverse(leads) // earliest alarm first

	selected := selectCycles(m, interests)
	// Soonest first; the undated keep the policy's order, last.
	slices.SortStableFunc(selected, func(a, b life) int {
		x, y := a.EndDate(), b.EndDate()
		switch {
		case x.IsZero() || y.IsZero():
			return boolCmp(x.IsZero(), y.IsZero())
		}
		return x.Compare(y)
	})
	var undated []string
	for _, l := range selected {
		name := l.Product.Name
		end := l.EndDate()
		if end.IsZero() {
			if l.Status == policy.StatusSupported && l.ExpectedBy != nil {
				undated = append(undated, fmt.Sprintf("%s %s (ends when %s %s ships)",
					name, l.Cycle, productName(m, l.ExpectedBy.Product), l.ExpectedBy.Cycle))
			}
			continue
		}
		ended := l.Status == policy.StatusUnsupported
		var summary string
		if ended {
			summary = fmt.Sprintf("%s %s support ended (%s %s release)", name, l.Cycle, productName(m, l.EndedBy.Product), l.EndedBy.Cycle)
		} else {
			summary = fmt.Sprintf("%s %s support ends (%s %s release)", name, l.Cycle, productName(m, l.ExpectedBy.Product), l.ExpectedBy.Cycle)
		}
		ev := cal.AddEvent(EventUID(l.Product.ID, l.Cycle))
		ev.SetDtStampTime(now)
		ev.SetAllDayStartAt(end)
		ev.SetAllDayEndAt(end.AddDate(0, 0, 1))
		ev.SetSummary(summary)
		ev.SetDescription(calendarDescription(m, l))
		ev.SetTimeTransparency(ics.TransparencyTransparent)
		if u := cmp.Or(l.Product.Source.URL, firstURL(l.Sources)); u != "" {
			ev.SetURL(u) // the policy that says why it ends
		}
		if ended {
			continue // no reminders of the past
		}
		for _, lead := range leads {
			a := ev.AddAlarm()
			a.SetAction(ics.ActionDisplay)
			a.SetTrigger(alarmTrigger(lead))
			a.SetProperty(ics.ComponentPropertyDescription, summary)
		}
	}

	desc := fmt.Sprintf("Ends of support from the supportbot policy (as of %s): the day the release that ended "+
		"a cycle shipped, or the expected date of the announced release that will end it.",
		m.AsOf.Format(time.DateOnly))
	if len(undated) > 0 {
		desc += " Not in this calendar because no date is announced: " + strings.Join(undated, "; ") + "."
	}
	cal.SetXWRCalDesc(desc)
	cal.SetDescription(desc)
	// RFC 5545 lines end in CRLF; the library's default is the platform's.
	return cal.SerializeTo(w, ics.WithNewLineWindows)
}

// EventUID is the stable UID of the end-of-support event of a cycle.
func EventUID(product string, c policy.Cycle) string {
	return fmt.Sprintf("%s-%s-end@supportbot", product, c)
}

// selectCycles returns the lifecycles interests select, in the policy's
// product order and newest cycle first, each once.
func selectCycles(m *policy.Model, interests []Interest) []life {
	var out []life
	for _, id := range m.Products() {
		p, _ := m.Product(id)
		var want []policy.Cycle
		all := false
		if interests == nil {
			all = p.Rule != "with"
		}
		for _, in := range interests {
			if in.Product == id {
				all = all || len(in.Cycles) == 0
				want = append(want, in.Cycles...)
			}
		}
		for _, l := range lifecycle(m, p) {
			if all || slices.Contains(want, l.Cycle) {
				out = append(out, l)
			}
		}
	}
	return out
}

// boolCmp orders false before true.
func boolCmp(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// alarmTrigger is the TRIGGER of an alarm lead days before the start:
// "-P30D", or "PT0S" on the day itself.
func alarmTrigger(lead int) string {
	if lead == 0 {
		return "PT0S"
	}
	return fmt.Sprintf("-P%dD", lead)
}

// calendarDescription says what ends, what to move to and the sources.
func calendarDescription(m *policy.Model, l life) string {
	name := l.Product.Name
	var b strings.Builder
	if l.Status == policy.StatusUnsupported {
		fmt.Fprintf(&b, "Support for %s %s (all patch versions) ended when %s %s was released, on %s.\n",
			name, l.Cycle, productName(m, l.EndedBy.Product), l.EndedBy.Cycle, l.Ended.Format(time.DateOnly))
		if len(l.EndedDates) > 1 {
			dates := make([]string, len(l.EndedDates))
			for i, d := range l.EndedDates {
				dates[i] = d.Date.Format(time.DateOnly) + " in " + d.Source.String()
			}
			fmt.Fprintf(&b, "The pages disagree on that date (%s); the latest is used.\n", strings.Join(dates, "; "))
		}
	} else {
		fmt.Fprintf(&b, "Support for %s %s (all patch versions) ends when %s %s is released, expected %s.\n",
			name, l.Cycle, productName(m, l.ExpectedBy.Product), l.ExpectedBy.Cycle, l.Expected.Format(time.DateOnly))
	}
	if e := l.Expiry; e != nil {
		if e.Product == l.Product.ID && len(e.Partners) > 0 {
			names := make([]string, len(e.Partners))
			for i, p := range e.Partners {
				names[i] = productName(m, p.Product) + " " + p.Cycle.String()
			}
			fmt.Fprintf(&b, "%s, released with it, ends with it.\n", andList(names))
		}
		after := make([]string, len(e.After))
		for i, c := range e.After {
			after[i] = c.String()
		}
		fmt.Fprintf(&b, "Supported after the release: %s %s.\n", productName(m, e.Product), strings.Join(after, ", "))
	} else if supported, ok := l.Product.Supported(); ok && len(supported) > 0 {
		cs := make([]string, len(supported))
		for i, c := range supported {
			cs[i] = c.String()
		}
		fmt.Fprintf(&b, "Supported now: %s %s.\n", name, strings.Join(cs, ", "))
	}
	for _, s := range l.Sources {
		fmt.Fprintf(&b, "Source: %s", s)
		if s.URL != "" {
			fmt.Fprintf(&b, " (%s)", s.URL)
		}
		b.WriteString(".\n")
	}
	fmt.Fprintf(&b, "Policy as of %s.", m.AsOf.Format(time.DateOnly))
	return b.String()
}

// productName is the display name of product id, or the id itself.
func productName(m *policy.Model, id string) string {
	if p, ok := m.Product(id); ok {
		return p.Name
	}
	return id
}

// andList joins "a, b and c".
func andList(s []string) string {
	if len(s) < 2 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}

func firstURL(refs []policy.Ref) string {
	for _, r := range refs {
		if r.URL != "" {
			return r.URL
		}
	}
	return ""
}
