package policy

import (
	"slices"
	"time"
)

// DatedValue is one page's value for a date, with its source.
type DatedValue struct {
	Date time.Time
	// Printed is the date as the page prints it, when it is odd.
	Printed string
	Note    string
	Source  Ref
}

// Patch is a patch release of a cycle.
type Patch struct {
	Version Version
	// Pre is the pre-release ("beta.0"), empty for a release; a pre-release
	// never counts as the latest patch.
	Pre string
	// Released is the patch's date (the first of Dates); zero when undated.
	Released time.Time
	Dates    []DatedValue
	Advisory string
	Note     string
	Source   Ref
}

// Label is the patch as written: "1.8.3", "1.7.0-beta.0".
func (p Patch) Label() string {
	if p.Pre != "" {
		return p.Version.String() + "-" + p.Pre
	}
	return p.Version.String()
}

// Disputed reports whether the pages give more than one date.
func (p Patch) Disputed() bool { return disputedDates(p.Dates) }

// disputedDates reports whether dates hold more than one distinct day.
func disputedDates(ds []DatedValue) bool {
	for _, d := range ds[min(1, len(ds)):] {
		if !d.Date.Equal(ds[0].Date) {
			return true
		}
	}
	return false
}

// DateDisputed reports whether the pages disagree on the cycle's release date.
func (r *Release) DateDisputed() bool { return disputedDates(r.Dates) }

// releasedAt says where the release stands on day: released (on or after
// every date the pages give, or its derived bound), not released (before
// all of them), or neither (the pages disagree, or an undated release whose
// bounds hold the day).
func (r *Release) releasedAt(day time.Time) (released, notYet bool) {
	switch {
	case !day.Before(r.releasedBy):
		return true, false
	case !r.releasedFrom.IsZero() && day.Before(r.releasedFrom):
		return false, true
	}
	return false, false
}

// dateBounds sets each release's releasedFrom and releasedBy: a dated
// release is released from its earliest date and certainly by its latest;
// an undated one lies between the dated releases around it, so it is in
// doubt on the days between them (before the next dated release, for one
// older than all of them). asOf bounds an undated release newer than every
// dated one: the file lists it as released. In a product with no dates at
// all, every release is released at any day (zero bounds).
func dateBounds(rs []*Release, asOf time.Time) { // rs newest first
	dated := slices.ContainsFunc(rs, func(r *Release) bool { return len(r.Dates) > 0 })
	for _, r := range rs {
		if len(r.Dates) == 0 {
			continue
		}
		r.releasedFrom, r.releasedBy = r.Dates[0].Date, r.Dates[0].Date
		for _, d := range r.Dates[1:] {
			if d.Date.Before(r.releasedFrom) {
				r.releasedFrom = d.Date
			}
			if d.Date.After(r.releasedBy) {
				r.releasedBy = d.Date
			}
		}
	}
	if !dated {
		return
	}
	for i, r := range rs {
		if len(r.Dates) > 0 {
			continue
		}
		var lo, hi time.Time
		for _, newer := range rs[:i] {
			if len(newer.Dates) > 0 && (hi.IsZero() || newer.releasedBy.Before(hi)) {
				hi = newer.releasedBy
			}
		}
		for _, o := range rs[i+1:] {
			if len(o.Dates) > 0 && o.releasedFrom.After(lo) {
				lo = o.releasedFrom
			}
		}
		// An undated release older than every dated one has no lower
		// bound (lo stays zero): it was out by the next dated release.
		if hi.IsZero() {
			hi = asOf
		}
		if hi.Before(lo) {
			hi = lo
		}
		r.releasedFrom, r.releasedBy = lo, hi
	}
}

// dateOf truncates t to its calendar date in UTC, the unit of policy dates.
func dateOf(t time.Time) time.Time {
	y, mo, d := t.Date()
	return time.Date(y, mo, d, 0, 0, 0, 0, time.UTC)
}

// Patch returns the patch release v of the cycle (not a pre-release of it).
func (r *Release) Patch(v Version) (Patch, bool) {
	for _, pt := range r.Patches {
		if pt.Version == v && pt.Pre == "" {
			return pt, true
		}
	}
	return Patch{}, false
}
