package main

import (
	"net/http"

	"github.com/d2iq/supportbot/bot/feed"
	"github.com/d2iq/supportbot/policy"
)

// feedRoutes serves what the bot publishes over HTTP beside its health
// endpoints: /calendar.ics (ends of support, per interest) and the
// endoflife.date-compatible API under /api/. policies is the policy getter
// the bot answers from, so both follow reloads; leadDays are the reminder
// lead times (the calendar's alarms); stacks answers /calendar.ics?channel=
// (feedStacks over the open store; nil answers 404).
func feedRoutes(policies func() *policy.Model, leadDays []int, stacks feed.Stacks) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/calendar.ics", feed.CalendarHandler(policies, stacks, leadDays, nil))
	mux.Handle("/api/", feed.NewAPI(policies, nil))
	return mux
}
