package feed

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/d2iq/supportbot/policy"
)

// CalendarHandler serves GET /calendar.ics: the feed of the policy in force
// (policy is called on every request, so a reload shows at once), with
// alarms at leadDays. stacks answers ?channel= and may be nil. now is the
// clock (default time.Now).
//
// The query selects the cycles, in order: each product=ID starts an
// interest, each cycle=X.Y after it adds a cycle to it (a product without
// cycles means all of its cycles), and channel=C123 adds the stack that
// channel tracks. ?product=konvoy&cycle=1.7&product=kaptain is Konvoy 1.7
// and every Kaptain cycle. No query is every product's ends. A product or
// cycle the policy does not know is a 400 that says so.
func CalendarHandler(policy func() *policy.Model, stacks Stacks, leadDays []int, now func() time.Time) http.Handler {
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
		interests, err := parseInterests(r.Context(), m, r.URL.RawQuery, stacks)
		switch {
		case errors.Is(err, ErrNoStacks):
			http.Error(w, err.Error(), http.StatusNotFound)
			return
		case errors.Is(err, errStackRead):
			slog.Error("calendar: reading a channel's stack", "err", err)
			http.Error(w, "the channel's stack cannot be read now; try again later", http.StatusServiceUnavailable)
			return
		case err != nil:
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		var buf bytes.Buffer
		if err := WriteCalendar(&buf, m, interests, leadDays, now()); err != nil {
			slog.Error("calendar: writing the feed", "err", err)
			http.Error(w, "calendar unavailable", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", CalendarContentType)
		w.Header().Set("Content-Disposition", `inline; filename="supportbot.ics"`)
		w.Header().Set("Cache-Control", "max-age=300")
		_, _ = w.Write(buf.Bytes())
	})
}

// errStackRead marks a Stacks failure (as opposed to a bad query).
var errStackRead = errors.New("reading a channel's stack")

// channelRE is what a Slack channel id looks like.
var channelRE = regexp.MustCompile(`^[A-Z0-9]{1,24}$`)

// maxInterests bounds the parameters of one calendar query.
const maxInterests = 64

// parseInterests reads the calendar query in order (see CalendarHandler).
// It returns nil for an empty query (everything), and a non-nil slice
// otherwise, even when it selects nothing (a channel that tracks nothing).
func parseInterests(ctx context.Context, m *policy.Model, raw string, stacks Stacks) ([]Interest, error) {
	if raw == "" {
		return nil, nil
	}
	interests := []Interest{}
	n := 0
	for part := range strings.SplitSeq(raw, "&") {
		if part == "" {
			continue
		}
		if n++; n > maxInterests {
			return nil, fmt.Errorf("at most %d query parameters", maxInterests)
		}
		key, value, _ := strings.Cut(part, "=")
		k, err1 := url.QueryUnescape(key)
		v, err2 := url.QueryUnescape(value)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("the query %q is not URL-encoded correctly", part)
		}
		switch k {
		case "product":
			p, ok := m.Product(v)
			if !ok {
				return nil, fmt.Errorf("product %q is not in the policy (known: %s)", v, strings.Join(m.Products(), ", "))
			}
			interests = append(interests, Interest{Product: p.ID})
		case "cycle":
			if len(interests) == 0 {
				return nil, fmt.Errorf("cycle=%s needs a product= before it", v)
			}
			in := &interests[len(interests)-1]
			c, err := releasedCycle(m, in.Product, v)
			if err != nil {
				return nil, err
			}
			in.Cycles = append(in.Cycles, c)
		case "channel":
			if !channelRE.MatchString(v) {
				return nil, fmt.Errorf("channel %q is not a Slack channel id (like C0123ABCD)", v)
			}
			if stacks == nil {
				return nil, ErrNoStacks
			}
			items, err := stacks.Stack(ctx, v)
			if err != nil {
				return nil, fmt.Errorf("%w of %s: %w", errStackRead, v, err)
			}
			for _, it := range items {
				p, ok := m.Product(it.Product)
				if !ok {
					continue // tracked before the policy dropped it
				}
				ver, err := policy.ParseVersion(it.Version)
				if err != nil {
					continue
				}
				interests = append(interests, Interest{Product: p.ID, Cycles: []policy.Cycle{ver.Cycle}})
			}
		default:
			return nil, fmt.Errorf("unknown parameter %q (use product, cycle or channel)", k)
		}
	}
	return interests, nil
}

// releasedCycle parses v as a cycle of product id and checks the policy has
// released it.
func releasedCycle(m *policy.Model, id, v string) (policy.Cycle, error) {
	c, err := policy.ParseCycle(v)
	if err != nil {
		return policy.Cycle{}, fmt.Errorf("cycle: %w", err)
	}
	p, _ := m.Product(id)
	if _, ok := p.Release(c); !ok {
		return policy.Cycle{}, fmt.Errorf("%s %s is not a release in the policy", p.Name, c)
	}
	return c, nil
}
