package policy

// This file answers timeline questions from a cycle's Lifecycle: "when did
// konvoy 1.6 support end?", "when was konvoy 1.8 released?", "how long is
// 1.8 supported?". The router calls timeline; AnswerTimeline answers one
// directly.

import (
	"fmt"
	"slices"
	"time"
)

// TimelineKind is what a timeline question asks.
type TimelineKind string

// The timeline questions.
const (
	// TimelineEnd: when did (or will) support end.
	TimelineEnd TimelineKind = "end"
	// TimelineReleased: when was it released.
	TimelineReleased TimelineKind = "released"
	// TimelineHowLong: how long is it supported.
	TimelineHowLong TimelineKind = "how-long"
)

// AnswerTimeline answers a timeline question about product (id or alias)
// version ("1.6", "1.8.3"). Use it on a view (m.At(day)) for a past day.
func (m *Model) AnswerTimeline(kind TimelineKind, product, version string) Answer {
	b := &answer{m: m, a: Answer{Query: fmt.Sprintf("%s %s %s", kind, product, version), AsOf: m.AsOf.Format(time.DateOnly), Details: []Detail{}, Sources: []Ref{}}}
	p, ok := m.Product(product)
	v, err := ParseVersion(version)
	switch {
	case !ok:
		b.set(IntentUnknown, VerdictUnknown, "I don't know a product called %q.", product)
	case err != nil:
		b.set(IntentStatus, VerdictUnknown, "%q is not a version I can read.", version)
	default:
		b.timeline(kind, p, v)
	}
	return b.a
}

// timeline answers kind about p v; the intent is status and the verdict
// info (a date is a fact, not a yes/no), or unknown where the pages do not
// settle it.
func (b *answer) timeline(kind TimelineKind, p *Product, v Version) {
	b.a.Product, b.a.Version = p.ID, v.String()
	b.cite(p.Source)
	lc, ok := p.Lifecycle(v.Cycle)
	if !ok {
		if _, up := p.UpcomingCycle(v.Cycle); up {
			b.status(p, v)
			return
		}
		b.set(IntentStatus, VerdictUnknown, "%s %s is not a release the policy knows then; the latest is %s %s.", p.Name, v.Cycle, p.Name, p.Latest())
		return
	}
	switch kind {
	case TimelineReleased:
		b.released(p, v, lc)
	case TimelineHowLong:
		b.howLong(p, v, lc)
	default:
		b.ended(p, v, lc)
	}
}

// released answers "when was p v released?".
func (b *answer) released(p *Product, v Version, lc Lifecycle) {
	if v.HasPatch {
		r, _ := p.Release(v.Cycle)
		if r == nil {
			r = p.releaseOrUncertain(v.Cycle)
		}
		i := slices.IndexFunc(r.Patches, func(pt Patch) bool { return pt.Version == v && pt.Pre == "" })
		if i < 0 || len(r.Patches[i].Dates) == 0 {
			b.set(IntentStatus, VerdictUnknown, "The policy has no release date for %s %s.", p.Name, v)
			b.releasedCycle(p, v.Cycle, lc, false)
			return
		}
		pt := r.Patches[i]
		switch {
		case pt.Disputed():
			b.set(IntentStatus, VerdictUnknown, "The pages do not settle when %s %s was released: %s.", p.Name, v, b.datesText(pt.Dates))
		case pt.Released.Before(r.releasedFrom):
			printed := pt.Dates[0].Printed
			if printed == "" {
				printed = pt.Released.Format(time.DateOnly)
			}
			b.set(IntentStatus, VerdictUnknown, "The pages do not settle when %s %s was released: they print %q, before %s %s itself came out on %s, so the date is a misprint.",
				p.Name, v, printed, p.Name, v.Cycle, r.releasedFrom.Format(time.DateOnly))
			b.cite(pt.Dates[0].Source)
		default:
			b.set(IntentStatus, VerdictInfo, "%s %s was released on %s.", p.Name, v, b.datesText(pt.Dates))
		}
		for _, d := range pt.Dates {
			if d.Note != "" {
				b.detail("Note", "%s", d.Note)
			}
		}
		if pt.Advisory != "" {
			b.detail("Advisory", "%s", pt.Advisory)
		}
		b.cite(pt.Source)
		return
	}
	b.releasedCycle(p, v.Cycle, lc, true)
}

// releasedCycle gives the cycle's release date; summary sets the summary.
func (b *answer) releasedCycle(p *Product, c Cycle, lc Lifecycle, summary bool) {
	r := p.releaseOrUncertain(c)
	switch {
	case !summary:
	case len(lc.Released) == 0:
		b.set(IntentStatus, VerdictUnknown, "The policy has no release date for %s %s.", p.Name, c)
		b.doubtOf(p, r)
	case disputedDates(lc.Released):
		b.set(IntentStatus, VerdictUnknown, "The pages disagree on when %s %s was released: %s.", p.Name, c, b.datesText(lc.Released))
	default:
		b.set(IntentStatus, VerdictInfo, "%s %s was released on %s.", p.Name, c, b.datesText(lc.Released))
	}
	if len(r.Patches) > 0 {
		var dated []string
		for _, pt := range r.Patches {
			if !pt.Released.IsZero() && !pt.Released.Before(r.releasedFrom) && (p.model == p.model.root || !pt.Released.After(viewDay(p.model))) {
				dated = append(dated, fmt.Sprintf("%s on %s", pt.Label(), pt.Released.Format(time.DateOnly)))
				b.cite(pt.Source)
			}
		}
		if len(dated) > 0 {
			b.detail("Patches", "%s", joinStrings(dated))
		}
	}
	if lc.LatestPatch != nil {
		b.detail("Latest patch", "%s %s", p.Name, lc.LatestPatch.Version)
	}
}

// doubtOf explains an undated release's bounds.
func (b *answer) doubtOf(p *Product, r *Release) {
	if r == nil || r.releasedBy.IsZero() {
		return
	}
	if r.releasedFrom.IsZero() {
		b.detail("Bounds", "It was out by %s, when a newer %s release the pages date came out.", r.releasedBy.Format(time.DateOnly), p.Name)
		return
	}
	b.detail("Bounds", "It came out between %s and %s.", r.releasedFrom.Format(time.DateOnly), r.releasedBy.Format(time.DateOnly))
}

// ended answers "when did support for p v end?".
func (b *answer) ended(p *Product, v Version, lc Lifecycle) {
	if text, ok := b.endedText(p, lc); ok {
		b.set(IntentStatus, VerdictInfo, "For %s %s, %s.", p.Name, v.Label(), text)
		if lc.Ended.IsZero() || disputedDates(lc.EndedDates) {
			b.a.Verdict = VerdictUnknown
		}
		b.endedWhy(p, lc)
		if len(lc.Released) > 0 && !disputedDates(lc.Released) && !lc.Ended.IsZero() {
			b.detail("Supported", "from %s to %s (%s)", lc.Released[0].Date.Format(time.DateOnly), lc.Ended.Format(time.DateOnly), span(lc.Released[0].Date, lc.Ended))
		}
		b.cite(lc.Sources...)
		return
	}
	switch p.Status(v.Cycle) {
	case StatusSupported:
		b.set(IntentStatus, VerdictInfo, "Support for %s %s has not ended: %s.", p.Name, v.Label(), b.untilText(p, v.Cycle, lc))
		b.statedFacts(p)
	case StatusUnsupported:
		b.set(IntentStatus, VerdictUnknown, "%s %s is not supported, but the policy does not say which release ended it.", p.Name, v.Label())
	default:
		if len(p.uncertain) == 0 && !p.sup.Conflict {
			b.set(IntentStatus, VerdictUnknown, "I cannot say whether support for %s %s had ended then.", p.Name, v.Label())
			return
		}
		b.set(IntentStatus, VerdictUnknown, "I cannot say whether support for %s %s had ended then: %s.", p.Name, v.Label(), b.doubtReason(p))
		b.doubt(p)
		if p.sup.Conflict {
			b.statedFacts(p)
		}
	}
}

// howLong answers "how long is p v supported?".
func (b *answer) howLong(p *Product, v Version, lc Lifecycle) {
	if p.Rule == RuleNMinus {
		b.detail("Rule", "Each %s release is supported until the %s release after it (N-%d over the releases that exist), unless a page states otherwise.", p.Name, ordinal(p.N+1), p.N)
	}
	if text, ok := b.endedText(p, lc); ok {
		b.set(IntentStatus, VerdictInfo, "%s %s was supported until its support ended: %s.", p.Name, v.Label(), text)
		if len(lc.Released) > 0 && !lc.Ended.IsZero() && !disputedDates(lc.Released) && !disputedDates(lc.EndedDates) {
			b.a.Summary = fmt.Sprintf("%s %s was supported from %s to %s (%s): %s.", p.Name, v.Label(), lc.Released[0].Date.Format(time.DateOnly), lc.Ended.Format(time.DateOnly), span(lc.Released[0].Date, lc.Ended), text)
		}
		b.endedWhy(p, lc)
		b.cite(lc.Sources...)
		return
	}
	switch p.Status(v.Cycle) {
	case StatusSupported:
		b.set(IntentStatus, VerdictInfo, "%s %s is supported %s.", p.Name, v.Label(), b.untilText(p, v.Cycle, lc))
		b.statedFacts(p)
	default:
		b.ended(p, v, lc)
	}
	b.cite(lc.Sources...)
}

// untilText says until when a supported cycle is supported: the announced
// release that ends it (with its date), or how many more releases the rule
// allows.
func (b *answer) untilText(p *Product, c Cycle, lc Lifecycle) string {
	if u := lc.ExpectedEndBy; u != nil {
		owner := p
		if p.Rule == RuleWith {
			if w, ok := b.m.products[p.With]; ok {
				owner = w
			}
		}
		return fmt.Sprintf("until %s %s is released%s", owner.Name, u.Cycle, expectedSuffix(lc.ExpectedEnd))
	}
	if p.Rule == RuleNMinus {
		if p.sup.DiffersFromRule() {
			return fmt.Sprintf("for as long as the pages' stated set for the current release names it (%s)", refList(p.sup.Stated))
		}
		i := slices.Index(p.sup.Window, c)
		if left := p.N + 1 - i; i >= 0 && left > 0 {
			if left == 1 {
				return fmt.Sprintf("until the next %s release (no date is announced)", p.Name)
			}
			return fmt.Sprintf("until the %s %s release from now (no date is announced)", ordinal(left), p.Name)
		}
	}
	return "the policy announces no release that would end it"
}

func ordinal(n int) string {
	switch n {
	case 1:
		return "next"
	case 2:
		return "second"
	case 3:
		return "third"
	case 4:
		return "fourth"
	}
	return fmt.Sprintf("%dth", n)
}

// span renders the time between two days in months and days, roughly.
func span(from, to time.Time) string {
	days := int(to.Sub(from).Hours() / 24)
	months := days / 30
	if months < 1 {
		return fmt.Sprintf("%d days", days)
	}
	return fmt.Sprintf("%d days, about %d months", days, months)
}

func joinStrings(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += ", "
		}
		out += x
	}
	return out
}
