package policy

// This file answers scope questions: support scope, experimental components, severities, Istio, operating systems.

import (
	"fmt"
	"strings"
)

func (b *answer) scope(q Question, addons bool) {
	s := b.m.file.Scope
	if s == nil || len(b.m.areas) == 0 {
		b.set(IntentScope, VerdictUnknown, "The policy holds no support-scope tables.")
		return
	}
	var areas []*Area
	if _, ok := q.Has(TopicKUDO); ok {
		if a, ok := b.m.Area(TopicKUDO); ok {
			areas = append(areas, a)
		}
	}
	if addons {
		if a, ok := b.m.Area("addons"); ok {
			areas = append(areas, a)
		}
	}
	if len(areas) == 0 {
		areas = b.m.areas
	}
	var matched []string
	for _, a := range areas {
		b.cite(a.Source)
		for _, row := range a.Rows {
			if q.ScopeType != "" && !strings.HasPrefix(strings.ToLower(row.Type), q.ScopeType) {
				continue
			}
			matched = append(matched, fmt.Sprintf("%s — %s: %s", a.Name, row.Type, row.Offered))
			if q.ScopeType != "" {
				for _, item := range row.Scope {
					b.detail(a.Name+" — "+row.Type, "%s", item)
				}
			}
			b.detail("Support offered", "%s — %s: %s", a.Name, row.Type, row.Offered)
		}
		if q.ScopeType == "" {
			b.detail(a.Name, "%s", a.Definition)
			if a.Note != "" {
				b.detail("Note", "%s", a.Note)
			}
			for _, row := range a.Rows {
				b.follow(row.Type, fmt.Sprintf("scope %s %s", a.ID, strings.ToLower(row.Type)))
			}
		}
	}
	switch {
	case len(matched) == 1:
		b.set(IntentScope, VerdictInfo, "%s.", matched[0])
	case len(areas) == 1:
		b.set(IntentScope, VerdictInfo, "Secondary support for %s: %d types of request, each with its scope and the severities supported.", areas[0].Name, len(matched))
	default:
		b.set(IntentScope, VerdictInfo, "Secondary support scope for %s.", areaNames(areas))
	}
	if sv := s.SeverityTerms; sv != nil {
		b.detail("Severity levels", "defined in the support terms: %s", sv.URL)
	}
}

func areaNames(areas []*Area) string {
	names := make([]string, len(areas))
	for i, a := range areas {
		names[i] = a.Name
	}
	return strings.Join(names, " and ")
}

func (b *answer) experimental() {
	s := b.m.file.Scope
	if s == nil || s.Experimental == nil {
		b.set(IntentScope, VerdictUnknown, "The policy holds no statement on experimental components.")
		return
	}
	e := s.Experimental
	b.set(IntentScope, VerdictInfo, "Experimental components qualify for limited, Severity 4 support only and must not be used in Production Environments.")
	b.detail("Definition", "%s", e.Definition)
	b.detail("Support", "%s", e.Support)
	for _, sv := range e.Services {
		b.detail("Offered", "%s", sv)
	}
	if e.Warranty != "" {
		b.detail("Warranty", "%s", e.Warranty)
	}
	b.citeAll(e.Sources)
	b.termsFollowing("experimental")
	b.follow("Istio", "istio")
}

func (b *answer) severity() {
	s := b.m.file.Scope
	if s == nil || s.SeverityTerms == nil {
		b.set(IntentScope, VerdictUnknown, "The policy holds no link to the severity definitions.")
		return
	}
	b.set(IntentScope, VerdictInfo, "Severity levels and support terms are defined on the support terms page: %s", s.SeverityTerms.URL)
	b.citeAll(s.SeverityTerms.Sources)
	b.follow("Experimental support", "experimental")
	b.follow("Support scope", "scope")
}

func (b *answer) istio() {
	is := b.m.file.Istio
	if is == nil || len(is.Statements) == 0 {
		b.set(IntentScope, VerdictUnknown, "The policy holds nothing on Istio.")
		return
	}
	b.a.Product = TopicIstio
	b.set(IntentScope, VerdictInfo, "%s", strings.Join(is.Statements, " "))
	for _, st := range is.Statements {
		b.detail("Istio", "%s", st)
	}
	b.cite(b.m.ref(is.Source))
	if s := b.m.file.Scope; s != nil && s.Experimental != nil {
		b.detail("Experimental", "%s", s.Experimental.Support)
		b.citeAll(s.Experimental.Sources)
	}
	b.follow("Where Kaptain runs", "where does kaptain run")
}

func (b *answer) operatingSystems() {
	os := b.m.file.OperatingSystems
	if os == nil {
		b.set(IntentProduct, VerdictUnknown, "The policy holds nothing on supported operating systems.")
		return
	}
	b.a.Product = "konvoy"
	b.set(IntentProduct, VerdictUnknown, "%s", os.Statement)
	b.cite(b.m.ref(os.Source))
}
