package policy

import "slices"

// Statement is one page's statement of the supported set: when Current is
// the latest release (or, for an After statement, when the latest release
// is the first one after After), the supported cycles are Supported and the
// current cycle itself.
type Statement struct {
	// Current is the cycle the statement takes as the latest release; for an
	// After statement ("When the next version releases ...") it is zero and
	// After is set.
	Current    Cycle
	HasCurrent bool
	After      Cycle
	// Supported are the cycles as the page names them, newest first;
	// Expires the cycles it says expire.
	Supported []Cycle
	Expires   []Cycle
	Kind      string
	Text      string
	Note      string
	Source    Ref
	// Stale is set at load for a statement that cannot be describing its
	// own release: every cycle it says expires was already out of support
	// before its current release (it repeats an earlier transition, as
	// Kaptain 2.1's page repeats 2.0's sentence). While only stale
	// statements are in force, the N-2 count is weighed with them: a cycle
	// they and the count disagree on is disputed, not ended. Repeats are
	// the statements in force before the current release that made the
	// transition it repeats.
	Stale   bool
	Repeats []*Statement
}

// inForce reports whether the statement applies while released (newest
// first) are the released cycles.
func (s *Statement) inForce(released []Cycle) bool {
	if len(released) == 0 {
		return false
	}
	if s.HasCurrent {
		return released[0] == s.Current
	}
	return len(released) >= 2 && released[1] == s.After
}

// window is the set the statement supports when current is the latest
// release: the cycles it names and current itself, newest first.
func (s *Statement) window(current Cycle) []Cycle {
	out := slices.Clone(s.Supported)
	if !slices.Contains(out, current) {
		out = append(out, current)
	}
	slices.SortFunc(out, func(a, b Cycle) int { return b.Compare(a) })
	return out
}

// OmitsCurrent reports whether the page's list leaves out the current
// release itself (Kaptain 2.0's "support continues for Kaptain 1.3, and 1.2").
func (s *Statement) OmitsCurrent(current Cycle) bool {
	return !slices.Contains(s.Supported, current)
}

// prevCycles returns the released cycles as they stood just before the
// statement's current release, newest first: for a Current statement the
// cycles older than Current, for an After statement After and those older.
func (s *Statement) prevCycles(all []Cycle) []Cycle {
	var out []Cycle
	for _, c := range all {
		if s.HasCurrent && c.Compare(s.Current) < 0 || !s.HasCurrent && c.Compare(s.After) <= 0 {
			out = append(out, c)
		}
	}
	return out
}

// markStale decides, once at load, which of the product's statements are
// stale (see Statement.Stale). A statement is judged against the support
// window in force before its current release, which depends only on
// statements for earlier releases: they are judged first.
func (p *Product) markStale() {
	if p.rule.Kind != RuleNMinus {
		return
	}
	all := cyclesOf(p.all)
	order := slices.Clone(p.Stated)
	slices.SortStableFunc(order, func(a, b *Statement) int {
		return len(a.prevCycles(all)) - len(b.prevCycles(all))
	})
	for _, st := range order {
		st.Stale, st.Repeats = false, nil
		prev := st.prevCycles(all)
		if len(st.Expires) == 0 || len(prev) == 0 {
			continue
		}
		before := p.support(prev, nil)
		stale := before.Full
		for _, e := range st.Expires {
			if before.Has(e) || slices.Contains(before.Disputed, e) || !slices.Contains(prev, e) && e.Compare(prev[len(prev)-1]) > 0 {
				stale = false
			}
		}
		if !stale {
			continue
		}
		st.Stale = true
		for _, b := range before.Stated {
			if slices.ContainsFunc(b.Expires, func(e Cycle) bool { return slices.Contains(st.Expires, e) }) {
				st.Repeats = append(st.Repeats, b)
			}
		}
	}
}

// statementsInForce returns the statements that apply while released are
// the released cycles.
func statementsInForce(all []*Statement, released []Cycle) []*Statement {
	var out []*Statement
	for _, s := range all {
		if s.inForce(released) {
			out = append(out, s)
		}
	}
	return out
}
