package main

import (
	"context"
	"net/http"

	"github.com/d2iq/supportbot/bot/feed"
	"github.com/d2iq/supportbot/policy"
	"github.com/d2iq/supportbot/store"
)

// feedRoutes serves what the bot publishes over HTTP beside its health
// endpoints: /calendar.ics (ends of support, per interest) and the
// endoflife.date-compatible API under /api/. policies is the policy getter
// the bot answers from, so both follow reloads; leadDays are the reminder
// lead times (the calendar's alarms); stacks answers /calendar.ics?channel=
// (storeStacks over the open store; nil answers 404).
func feedRoutes(policies func() *policy.Model, leadDays []int, stacks feed.Stacks) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/calendar.ics", feed.CalendarHandler(policies, stacks, leadDays, nil))
	mux.Handle("/api/", feed.NewAPI(policies, nil))
	return mux
}

// storeStacks gives the calendar the stacks `/support track` records.
type storeStacks struct{ db *store.DB }

var _ feed.Stacks = storeStacks{}

// Stack returns what channel tracks.
func (s storeStacks) Stack(_ context.Context, channel string) ([]feed.StackItem, error) {
	st, err := s.db.ChannelStack(channel)
	if err != nil {
		return nil, err
	}
	items := make([]feed.StackItem, len(st.Items))
	for i, it := range st.Items {
		items[i] = feed.StackItem{Product: it.Product, Version: it.Version}
	}
	return items, nil
}
