package policy

import (
	"slices"
)

// RuleKind is the kind of a product's support rule.
type RuleKind string

// The support rules a policy can state.
const (
	// RuleNone: the policy states no support window for the product.
	RuleNone RuleKind = ""
	// RuleNMinus: the latest N+1 released MAJOR.MINOR cycles are supported,
	// counted over the cycles that exist (1.8 → 2.0 has no 1.9).
	RuleNMinus RuleKind = "n-minus"
	// RuleWith: a cycle is supported exactly while the partner product's
	// cycle it pairs with is supported (Kommander with Konvoy).
	RuleWith RuleKind = "with"
)

// Rule is a product's support rule. Its one computation is window: every
// support window (today's, at a past date, after an upcoming release, before
// and after a new release) is computed by it.
type Rule struct {
	Kind RuleKind
	N    int    // for RuleNMinus
	With string // partner product id, for RuleWith
	Note string
	// Source cites the rule.
	Source Ref
}

// window returns the cycles the rule supports when released are the released
// cycles (newest first) and partner is the partner's window (rule "with";
// nil otherwise), with pairOf giving the product's cycle that pairs with a
// partner cycle. The result is newest first; nil for RuleNone.
func (r Rule) window(released []Cycle, partner []Cycle, pairOf func(Cycle) (Cycle, bool)) []Cycle {
	switch r.Kind {
	case RuleNMinus:
		return slices.Clone(released[:min(r.N+1, len(released))])
	case RuleWith:
		var out []Cycle
		for _, pc := range partner {
			if c, ok := pairOf(pc); ok && slices.Contains(released, c) {
				out = append(out, c)
			}
		}
		slices.SortFunc(out, func(a, b Cycle) int { return b.Compare(a) })
		return out
	}
	return nil
}

// full reports whether window holds every cycle the rule allows, so that
// each older cycle is known to be out of support.
func (r Rule) full(window []Cycle) bool {
	switch r.Kind {
	case RuleNMinus:
		return len(window) == r.N+1
	case RuleWith:
		return true
	}
	return false
}

// Support is the support window in force for one set of released cycles:
// the computed rule's window and, where pages state the set, what they state.
type Support struct {
	// Window is the supported set the answer follows, newest first: the
	// stated set when statements are in force and agree, else the rule's.
	Window []Cycle
	// Rule is the window the support rule computes (the N-2 count).
	Rule []Cycle
	// Stated are the statements in force (their Current is the latest
	// release); empty when no page states the set for it.
	Stated []*Statement
	// Conflict is true when statements in force disagree with one another;
	// Window is then their common part, and the cycles outside it that some
	// of them support are Disputed.
	Conflict bool
	Disputed []Cycle
	// Full reports whether every cycle older than the window is out of
	// support (a young product's window may not be full yet).
	Full bool
	// Stale is true when every statement in force is stale (it repeats an
	// earlier page's transition): the N-2 count is then weighed with them,
	// Window is what both support and Disputed what only one of them does.
	Stale bool
}

// DiffersFromRule reports whether the stated set differs from the rule's
// count and the answer follows the pages (not while the pages in force are
// stale: then neither wins, see Stale).
func (s Support) DiffersFromRule() bool {
	return len(s.Stated) > 0 && !s.Stale && !slices.Equal(s.Window, s.Rule)
}

// Has reports whether c is in the window.
func (s Support) Has(c Cycle) bool { return slices.Contains(s.Window, c) }

// support is the one place a window is decided: the rule's window over
// released (newest first), overridden by the statements in force.
func (p *Product) support(released []Cycle, partner []Cycle) Support {
	rule := p.rule.window(released, partner, p.pairOf)
	s := Support{Window: rule, Rule: rule, Full: p.rule.full(rule)}
	if len(released) == 0 || p.rule.Kind == RuleNone {
		return s
	}
	s.Stated = statementsInForce(p.Stated, released)
	if len(s.Stated) == 0 {
		return s
	}
	// Each statement in force is one view of the set, and the N-2 count
	// another while every statement is stale. The window is what all of
	// them support; what only some do is disputed.
	views := make([][]Cycle, 0, len(s.Stated)+1)
	s.Stale = true
	for _, st := range s.Stated {
		views = append(views, st.window(released[0]))
		s.Stale = s.Stale && st.Stale
	}
	if s.Stale {
		views = append(views, rule)
	}
	var any []Cycle
	for _, w := range views {
		for _, c := range w {
			if !slices.Contains(any, c) {
				any = append(any, c)
			}
		}
	}
	var all []Cycle
	for _, c := range any {
		in := true
		for _, w := range views {
			if !slices.Contains(w, c) {
				in = false
			}
		}
		if in {
			all = append(all, c)
		} else {
			s.Disputed = append(s.Disputed, c)
		}
	}
	slices.SortFunc(all, func(a, b Cycle) int { return b.Compare(a) })
	slices.SortFunc(s.Disputed, func(a, b Cycle) int { return b.Compare(a) })
	s.Window, s.Conflict, s.Full = all, len(s.Disputed) > 0, true
	return s
}

// After returns the support window once cycle next is released, with the
// announced cycles before it released too: the rule's count, or the pages'
// statements for next as the current release.
func (p *Product) After(next Cycle) Support {
	cs := cyclesOf(p.Releases)
	for _, u := range p.Upcoming {
		if u.Cycle.Compare(next) < 0 {
			cs = append(cs, u.Cycle)
		}
	}
	cs = append(cs, next)
	slices.SortFunc(cs, func(a, b Cycle) int { return b.Compare(a) })
	cs = slices.Compact(cs)
	var partner []Cycle
	if p.Rule == RuleWith {
		if w, ok := p.model.products[p.With]; ok {
			partner = w.sup.Window
		}
	}
	return p.support(cs, partner)
}
