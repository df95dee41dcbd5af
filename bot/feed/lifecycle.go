package feed

import (
	"slices"
	"time"

	"github.com/d2iq/supportbot/policy"
)

// life is what the feed knows about one released cycle of a product.
// lifecycle builds it; every other file reads it and computes nothing of its
// own about support windows.
type life struct {
	Product *policy.Product
	Cycle   policy.Cycle
	Status  policy.Status
	// Released is the cycle's release date (the first of ReleaseDates);
	// zero when the policy has none.
	Released time.Time
	// ReleaseDates are every release date with its source: more than one
	// when pages disagree.
	ReleaseDates []policy.DatedValue
	// Latest is the newest patch the policy lists ("1.8.3"), with its date
	// and link when known; empty when it lists none.
	Latest     string
	LatestDate time.Time
	LatestLink string
	// ReleaseLink is the release's own page (its notes) when the policy
	// cites one with a URL.
	ReleaseLink string
	// Ended is the day support ended: the release date of EndedBy. Zero while
	// the cycle is supported, and when the policy has no date for EndedBy.
	Ended time.Time
	// EndedBy is the release whose arrival ended support (a release of the
	// partner product for a product with rule "with"); nil when support has
	// not ended or the policy does not know what ended it.
	EndedBy *policy.PartnerCycle
	// EndedDates are every date the pages give EndedBy's release, when
	// they disagree (Ended is the latest of them).
	EndedDates []policy.DatedValue
	// Expected is the day support is expected to end: the announced date of
	// the upcoming release that will end it. Zero when none is announced
	// with a date.
	Expected time.Time
	// ExpectedBy is the upcoming release expected to end support, whether or
	// not it has a date; nil when none is announced.
	ExpectedBy *policy.PartnerCycle
	// Expiry is the policy's planned expiry behind Expected, for the
	// calendar's description; nil when none.
	Expiry *policy.Expiry
	// Sources are the statements the facts above rest on: the dates, the
	// release and the support rule.
	Sources []policy.Ref
}

// EndDate is the date served as the cycle's end of support: Ended when
// support has ended, Expected while it is supported; zero when neither is
// known.
func (l life) EndDate() time.Time {
	if l.Status == policy.StatusUnsupported {
		return l.Ended
	}
	return l.Expected
}

// lifecycle returns the lifecycle of every released cycle of p, newest
// first: the policy's Product.Lifecycle and Product.Status, shaped for the
// feed. It is the one place the feed reads lifecycle facts; nothing in the
// feed computes a support window.
func lifecycle(m *policy.Model, p *policy.Product) []life {
	// A product with rule "with" ends with its partner's cycle: the planned
	// expiry and the release that ends it are the partner's.
	owner := p.ID
	if p.Rule == policy.RuleWith && p.With != "" {
		owner = p.With
	}
	out := make([]life, 0, len(p.Releases))
	for _, r := range p.Releases {
		lc, ok := p.Lifecycle(r.Cycle)
		if !ok {
			continue
		}
		l := life{Product: p, Cycle: r.Cycle, Status: p.Status(r.Cycle), ReleaseDates: lc.Released, Sources: lc.Sources}
		if len(lc.Released) > 0 {
			l.Released = lc.Released[0].Date
		}
		for _, d := range lc.Released {
			if l.ReleaseLink == "" {
				l.ReleaseLink = d.Source.URL
			}
		}
		if l.ReleaseLink == "" {
			l.ReleaseLink = r.Source.URL
		}
		if pt := lc.LatestPatch; pt != nil {
			l.Latest, l.LatestDate = pt.Version.String(), pt.Released
			if pt.Source.URL != "" {
				l.LatestLink = pt.Source.URL
			}
		}
		if lc.EndedBy != nil {
			l.Ended = lc.Ended
			l.EndedBy = &policy.PartnerCycle{Product: lc.EndedByProduct, Cycle: lc.EndedBy.Cycle}
			if len(lc.EndedDates) > 1 {
				l.EndedDates = lc.EndedDates
			}
		}
		if lc.ExpectedEndBy != nil && l.Status == policy.StatusSupported {
			l.Expected = lc.ExpectedEnd
			l.ExpectedBy = &policy.PartnerCycle{Product: owner, Cycle: lc.ExpectedEndBy.Cycle}
			l.Expiry = expiryOf(m, owner, lc.ExpectedEndBy.Cycle, p.ID, r.Cycle)
		}
		out = append(out, l)
	}
	return out
}

// expiryOf finds the planned expiry that next (of product owner) brings to
// cycle c of product id, for what the calendar says about it: the partners
// that end with it and the cycles supported after.
func expiryOf(m *policy.Model, owner string, next policy.Cycle, id string, c policy.Cycle) *policy.Expiry {
	for _, e := range m.Expiries() {
		if e.Product != owner || e.Next != next {
			continue
		}
		if (owner == id && e.Ends == c) || slices.Contains(e.Partners, policy.PartnerCycle{Product: id, Cycle: c}) {
			return &e
		}
	}
	return nil
}
