package policy

// This file answers questions on named support terms ("Technical
// Preview"): what they mean and which terms they follow.

import "strings"

// Term returns the support term named name (its id, name or an alias,
// case-insensitive), as the policy's scope.terms state it.
func (m *Model) Term(name string) (TermFile, bool) {
	s := m.file.Scope
	if s == nil {
		return TermFile{}, false
	}
	name = strings.ToLower(strings.TrimSpace(name))
	for _, t := range s.Terms {
		if t.ID == name || strings.ToLower(t.Name) == name {
			return t, true
		}
		for _, a := range t.Aliases {
			if strings.ToLower(a) == name {
				return t, true
			}
		}
	}
	return TermFile{}, false
}

// AnswerTerm answers "what is Technical Preview?" for a term name.
func (m *Model) AnswerTerm(name string) Answer {
	b := newTermAnswer(m, name)
	if t, ok := m.Term(name); ok {
		b.term(t)
	} else {
		b.set(IntentScope, VerdictUnknown, "The policy states no support terms called %q.", name)
	}
	return b.a
}

func newTermAnswer(m *Model, q string) *answer {
	return &answer{m: m, a: Answer{Query: q, AsOf: m.AsOf.Format("2006-01-02"), Details: []Detail{}, Sources: []Ref{}}}
}

// term answers what a support term means, and the terms it follows.
func (b *answer) term(t TermFile) {
	b.set(IntentScope, VerdictInfo, "%s: %s", t.Name, t.Definition)
	for _, st := range t.Statements {
		b.detail(t.Name, "%s", st)
	}
	b.citeAll(t.Sources)
	if t.SameAs == "experimental" {
		if s := b.m.file.Scope; s != nil && s.Experimental != nil {
			b.detail("Support", "%s (the experimental terms)", s.Experimental.Support)
			b.citeAll(s.Experimental.Sources)
		}
	}
}

// termsFollowing adds the terms that follow terms id ("experimental"):
// Technical Preview features get experimental support terms.
func (b *answer) termsFollowing(id string) {
	s := b.m.file.Scope
	if s == nil {
		return
	}
	for _, t := range s.Terms {
		if t.SameAs == id {
			b.detail(t.Name, "%s", t.Definition)
			b.citeAll(t.Sources)
		}
	}
}
