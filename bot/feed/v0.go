package feed

import (
	"time"

	"github.com/d2iq/supportbot/policy"
)

// v0Cycle is a cycle in endoflife.date's first API shape
// (/api/{product}.json), which Renovate's endoflife-date datasource and
// Backstage's endoflife plugin read. A fact the policy lacks is left out,
// never null: those consumers accept a missing field and reject null.
type v0Cycle struct {
	Cycle             string `json:"cycle"`
	ReleaseDate       string `json:"releaseDate,omitempty"`
	EOL               any    `json:"eol,omitempty"` // "YYYY-MM-DD" or a bool
	Latest            string `json:"latest,omitempty"`
	LatestReleaseDate string `json:"latestReleaseDate,omitempty"`
	LTS               bool   `json:"lts"`
	Support           any    `json:"support,omitempty"` // as EOL: the policy has one phase of support
	Link              string `json:"link,omitempty"`
}

// v0CycleOf maps a lifecycle to a v0 cycle: eol is the end date when
// known, else true once support ended and false while it lasts; a cycle
// whose status the policy does not know has no eol.
func v0CycleOf(l life) v0Cycle {
	c := v0Cycle{Cycle: l.Cycle.String()}
	if !l.Released.IsZero() {
		c.ReleaseDate = l.Released.Format(time.DateOnly)
	}
	c.Latest = l.Latest
	if !l.LatestDate.IsZero() {
		c.LatestReleaseDate = l.LatestDate.Format(time.DateOnly)
	}
	switch end := l.EndDate(); {
	case !end.IsZero():
		c.EOL = end.Format(time.DateOnly)
	case l.Status == policy.StatusUnsupported:
		c.EOL = true
	case l.Status == policy.StatusSupported:
		c.EOL = false
	}
	c.Support = c.EOL
	// endoflife.date's link is the latest release's notes.
	c.Link = l.LatestLink
	if c.Link == "" {
		c.Link = l.ReleaseLink
	}
	return c
}
