package policy

// This file holds the facts answers share about dates, stated sets and
// disagreements between pages: every one cites its sources.

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// datesText renders date values: "2021-08-26", or, when the pages
// disagree, "2021-11-18 (Konvoy 2.1.0 Release Notes) or 2021-12-30 (...)".
// It cites every value's source.
func (b *answer) datesText(ds []DatedValue) string {
	for _, d := range ds {
		b.cite(d.Source)
	}
	if len(ds) == 0 {
		return ""
	}
	if !disputedDates(ds) {
		return ds[0].Date.Format(time.DateOnly)
	}
	parts := make([]string, 0, len(ds))
	for _, d := range ds {
		s := d.Date.Format(time.DateOnly)
		if d.Printed != "" {
			s += fmt.Sprintf(" (printed %q)", d.Printed)
		}
		if d.Source.Title != "" {
			s += " per " + d.Source.String()
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", or ")
}

// statedFacts says which pages state the supported set in force, and where
// it differs from the N-2 count.
func (b *answer) statedFacts(p *Product) {
	s := p.sup
	if len(s.Stated) == 0 || !s.DiffersFromRule() && !s.Conflict {
		// The pages agree with the count: the rule's citation says it.
		return
	}
	latest := p.Latest()
	// One line per distinct set, naming every page that states it.
	var groups [][]*Statement
	for _, st := range s.Stated {
		b.cite(st.Source)
		i := slices.IndexFunc(groups, func(g []*Statement) bool { return slices.Equal(g[0].window(latest), st.window(latest)) })
		if i < 0 {
			groups = append(groups, []*Statement{st})
		} else {
			groups[i] = append(groups[i], st)
		}
	}
	for _, g := range groups {
		text := g[0].Text
		if text == "" {
			text = "supported: " + joinCycles(g[0].Supported)
		}
		b.detail("Stated", "%s: %q", refList(g), text)
		if g[0].OmitsCurrent(latest) {
			b.detail("Note", "The sentence does not name %s %s itself; as the current release it is supported.", p.Name, latest)
		}
	}
	switch {
	case s.Stale:
		b.staleFacts(p)
	case s.Conflict:
		b.detail("Pages disagree", "The pages in force disagree on %s %s.", p.Name, joinCycles(s.Disputed))
	}
	if s.DiffersFromRule() {
		b.detail("Differs from N-2", "The pages state %s %s; the N-%d count over released cycles would give %s. This answer follows the pages.",
			p.Name, joinCycles(s.Window), p.N, joinCycles(s.Rule))
	}
}

// staleFacts says why the stale statements in force are not followed
// alone: what they have expire had already ended before the current
// release, so they appear to repeat an earlier page; what the N-2 count
// gives instead; and which cycles are in doubt. It cites the earlier pages
// and the rule.
func (b *answer) staleFacts(p *Product) {
	s, latest := p.sup, p.Latest()
	var expires []Cycle
	var earlier []*Statement
	for _, st := range s.Stated {
		for _, e := range st.Expires {
			if !slices.Contains(expires, e) {
				expires = append(expires, e)
			}
		}
		for _, r := range st.Repeats {
			if !slices.Contains(earlier, r) {
				earlier = append(earlier, r)
			}
		}
	}
	made := ""
	if len(earlier) > 0 {
		made = fmt.Sprintf(" (%s already said so)", refList(earlier))
		for _, r := range earlier {
			b.cite(r.Source)
		}
	}
	b.detail("Stale", "It has %s %s expire, which was already out of support before %s %s was released%s: the page appears to repeat the earlier page rather than describe %s %s's release.",
		p.Name, joinCycles(expires), p.Name, latest, made, p.Name, latest)
	b.detail("N-2 count", "With %s %s current, the N-%d count over released cycles gives %s %s.", p.Name, latest, p.N, p.Name, joinCycles(s.Rule))
	b.cite(p.Source)
	if len(s.Disputed) > 0 {
		b.detail("In doubt", "%s %s: the page and the N-%d count disagree, so the policy cannot say whether support continues.", p.Name, joinCycles(s.Disputed), p.N)
	}
}

// staleReason says in a phrase what the stale statements in force and the
// N-2 count each give.
func (b *answer) staleReason(p *Product) string {
	s, latest := p.sup, p.Latest()
	var sets []string
	for _, st := range s.Stated {
		if set := joinCycles(st.window(latest)); !slices.Contains(sets, set) {
			sets = append(sets, set)
		}
	}
	return fmt.Sprintf("%s states %s %s with %s %s current but appears to repeat the earlier page, while the N-%d count gives %s",
		refList(s.Stated), p.Name, strings.Join(sets, " or "), p.Name, latest, p.N, joinCycles(s.Rule))
}

// doubt explains why the day is in doubt about product p: releases whose
// date the pages disagree on, or that have no date.
func (b *answer) doubt(p *Product) {
	for _, r := range p.uncertain {
		if r.DateDisputed() {
			b.detail("Pages disagree", "The pages give different release dates for %s %s: %s.", p.Name, r.Cycle, b.datesText(r.Dates))
			continue
		}
		switch {
		case r.releasedFrom.IsZero():
			b.detail("No date", "The policy has no release date for %s %s; it was out by %s.", p.Name, r.Cycle, r.releasedBy.Format(time.DateOnly))
		default:
			b.detail("No date", "The policy has no release date for %s %s: it came out between %s and %s.", p.Name, r.Cycle,
				r.releasedFrom.Format(time.DateOnly), r.releasedBy.Format(time.DateOnly))
		}
	}
	for _, c := range b.m.Conflicts(p.ID, "") {
		if c.Fact == "stated" && slices.ContainsFunc(p.sup.Stated, func(st *Statement) bool { return st.HasCurrent && st.Current.String() == c.Version }) {
			b.detail("Pages disagree", "%s", c.Text)
			b.cite(c.Sources...)
		}
	}
}

// endedText says when and why support for cycle c ended, from its
// lifecycle: "support ended on 2021-08-26, when Konvoy 2.0 was released".
// ok is false when the policy does not know.
func (b *answer) endedText(p *Product, lc Lifecycle) (string, bool) {
	if lc.EndedBy == nil {
		return "", false
	}
	if lc.endedMsg != "" {
		for _, d := range lc.EndedDates {
			b.cite(d.Source)
		}
		return lc.endedMsg, true
	}
	name := p.Name
	if q, ok := b.m.products[lc.EndedByProduct]; ok {
		name = q.Name
	}
	by := fmt.Sprintf("%s %s", name, lc.EndedBy.Cycle)
	switch {
	case len(lc.EndedDates) == 0:
		return fmt.Sprintf("support ended when %s was released (the policy has no date for that release)", by), true
	case disputedDates(lc.EndedDates):
		return fmt.Sprintf("support ended when %s was released; the pages disagree on that date: %s", by, b.datesText(lc.EndedDates)), true
	}
	return fmt.Sprintf("support ended on %s, when %s was released", b.datesText(lc.EndedDates), by), true
}

// endedWhy adds why the release ended support: the rule's count or a
// page's stated set, and where the count alone would have ended it.
func (b *answer) endedWhy(p *Product, lc Lifecycle) {
	if lc.EndedBy == nil {
		return
	}
	if len(lc.EndedStated) == 0 || lc.RuleEndedBy == lc.EndedBy {
		if lc.whyMsg != "" {
			b.fact("Why", lc.whyMsg)
		} else {
			b.detail("Why", "With %s %s released, %s %s is no longer among the latest %d releases (N-%d).", p.Name, lc.EndedBy.Cycle, p.Name, lc.Cycle, p.N+1, p.N)
		}
		b.cite(p.Source)
		if len(lc.EndedStated) > 0 {
			// The pages say the same; cite the first that does.
			b.cite(lc.EndedStated[0].Source)
		}
		return
	}
	for _, st := range lc.EndedStated {
		b.cite(st.Source)
	}
	b.detail("Why", "With %s %s current, %s states the supported set without %s %s.", p.Name, lc.EndedBy.Cycle, refList(lc.EndedStated), p.Name, lc.Cycle)
	switch {
	case lc.RuleEndedBy == nil:
		b.detail("Differs from N-2", "The N-%d count alone would still support %s %s.", p.N, p.Name, lc.Cycle)
	case lc.RuleEndedBy != lc.EndedBy:
		when := ""
		if !lc.RuleEnded.IsZero() {
			when = " on " + lc.RuleEnded.Format(time.DateOnly)
		}
		b.detail("Differs from N-2", "The N-%d count alone would have ended it with %s %s%s.", p.N, p.Name, lc.RuleEndedBy.Cycle, when)
	}
}

// refList names the pages of statements, each page once (by title and
// version), at most three and a count of the rest.
func refList(sts []*Statement) string {
	var names []string
	for _, st := range sts {
		if s := st.Source.Title; !slices.Contains(names, s) {
			names = append(names, s)
		}
	}
	if len(names) > 3 {
		return fmt.Sprintf("%s and %d more pages", strings.Join(names[:3], ", "), len(names)-3)
	}
	if len(names) > 1 {
		return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
	}
	return strings.Join(names, "")
}

// versionFacts adds what the pages say about the version itself: a patch's
// advisory, versions to skip, and notices (removals, deprecations).
func (b *answer) versionFacts(p *Product, v Version) {
	if r := p.releaseOrUncertain(v.Cycle); r != nil && v.HasPatch {
		for _, pt := range r.Patches {
			if pt.Version == v && pt.Pre == "" && pt.Advisory != "" {
				b.detail("Advisory", "%s", pt.Advisory)
				b.cite(pt.Source)
			}
		}
		for _, u := range b.m.root.upgrades {
			if u.Product == p.ID && u.Kind == UpgradeAvoid && slices.Contains(u.Avoid, v) {
				b.detail("Skip", "Do not upgrade to %s %s: go to %s instead.", p.Name, v, versionList(u.Instead))
				b.cite(u.Source)
			}
		}
	}
	// The notices' labels and texts are rendered at load; a statement two
	// pages make is said once, citing both.
	notices := p.notices
	for i := range notices {
		n := &notices[i]
		if !n.about(p.ID, v) || n.Kind == "features-in-patches" {
			continue // features-in-patches: a page's standing section, not news about this version
		}
		b.cite(n.Source)
		if slices.ContainsFunc(notices[:i], func(o Notice) bool {
			return o.Statement == n.Statement && o.Kind != "features-in-patches" && o.about(p.ID, v)
		}) {
			continue // another page says the same
		}
		b.fact(n.label, n.text)
	}
}

// fact adds a detail whose text is already rendered.
func (b *answer) fact(label, text string) {
	b.a.Details = append(b.a.Details, Detail{Label: label, Text: text})
}

// doubtReason says in a phrase why the day is in doubt about p: "the pages
// disagree on when Kommander 2.2 was released", "the policy has no release
// date for Kommander 2.0", or that the pages in force disagree.
func (b *answer) doubtReason(p *Product) string {
	var parts []string
	for _, r := range p.uncertain {
		if r.DateDisputed() {
			parts = append(parts, fmt.Sprintf("the pages disagree on when %s %s was released", p.Name, r.Cycle))
		} else {
			parts = append(parts, fmt.Sprintf("the policy has no release date for %s %s", p.Name, r.Cycle))
		}
		if len(parts) == 2 && len(p.uncertain) > 2 {
			parts = append(parts, fmt.Sprintf("%d more releases are in doubt", len(p.uncertain)-2))
			break
		}
	}
	switch {
	case p.sup.Stale && p.sup.Conflict:
		parts = append(parts, b.staleReason(p))
	case p.sup.Conflict:
		parts = append(parts, "the pages in force disagree on the supported set")
	}
	if len(parts) == 0 {
		return "the pages do not settle it"
	}
	return andJoin(parts)
}
