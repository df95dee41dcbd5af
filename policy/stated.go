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
