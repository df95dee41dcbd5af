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
	// Released is the cycle's release date; zero when the policy has none.
	Released time.Time
	// ReleaseSources cite the release date (or the release) when the policy does.
	ReleaseSources []policy.Ref
	// Ended is the day support ended: the release date of EndedBy. Zero while
	// the cycle is supported, and when the policy has no date for EndedBy.
	Ended time.Time
	// EndedBy is the release whose arrival ended support (a release of the
	// partner product for a product with rule "with"); nil when support has
	// not ended or the policy does not know what ended it.
	EndedBy *policy.PartnerCycle
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
	// Sources are the statements the facts above rest on: the support rule
	// and the release's own source.
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
// first. It is the one place the feed derives lifecycle facts; it reads the
// support window from p.Status and the planned ends from m.Expiries, and
// dates an end by the release date of the release that caused it.
//
// TODO(history): switch to policy.Product.Lifecycle when it lands, keeping
// this signature.
func lifecycle(m *policy.Model, p *policy.Product) []life {
	expiries := m.Expiries()
	out := make([]life, 0, len(p.Releases))
	for i, r := range p.Releases {
		l := life{Product: p, Cycle: r.Cycle, Status: p.Status(r.Cycle), Released: r.Released}
		if r.Source.ID != "" {
			l.ReleaseSources = []policy.Ref{r.Source}
		}
		if p.Source.ID != "" {
			l.Sources = append(l.Sources, p.Source)
		}
		if r.Source.ID != "" && !slices.Contains(l.Sources, r.Source) {
			l.Sources = append(l.Sources, r.Source)
		}
		lead, leadCycle, leadIndex := p, r.Cycle, i
		if p.Rule == "with" && r.PairsWith != nil {
			// A cycle with rule "with" lives exactly as long as its partner's.
			if q, ok := m.Product(p.With); ok {
				if j := releaseIndex(q, *r.PairsWith); j >= 0 {
					lead, leadCycle, leadIndex = q, *r.PairsWith, j
				}
			}
		}
		if l.Status == policy.StatusUnsupported && lead.Rule == "n-minus" {
			// The n-minus window holds the newest N+1 releases: the cycle at
			// index k left it when the release N+1 places newer shipped.
			if k := leadIndex - (lead.N + 1); k >= 0 {
				ender := lead.Releases[k]
				l.Ended = ender.Released
				l.EndedBy = &policy.PartnerCycle{Product: lead.ID, Cycle: ender.Cycle}
			}
		}
		if l.Status == policy.StatusSupported {
			for _, e := range expiries {
				if e.Product == lead.ID && e.Ends == leadCycle {
					l.Expected = e.Expected
					l.ExpectedBy = &policy.PartnerCycle{Product: lead.ID, Cycle: e.Next}
					l.Expiry = &e
					break
				}
			}
		}
		out = append(out, l)
	}
	return out
}

// cycleLife returns the lifecycle of cycle c of p, if p has released it.
func cycleLife(m *policy.Model, p *policy.Product, c policy.Cycle) (life, bool) {
	for _, l := range lifecycle(m, p) {
		if l.Cycle == c {
			return l, true
		}
	}
	return life{}, false
}

func releaseIndex(p *policy.Product, c policy.Cycle) int {
	return slices.IndexFunc(p.Releases, func(r *policy.Release) bool { return r.Cycle == c })
}
