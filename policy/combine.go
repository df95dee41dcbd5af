package policy

import (
	"slices"
	"strings"
)

// Combining: each part the router planned is answered on its own, and the
// parts become one answer whose verdict is the whole question's
// (incompatible > unsupported > unknown > yes), with each part shown.

// run answers one part on b.
func (b *answer) run(p part) {
	q := p.q
	switch p.kind {
	case kStatus:
		b.productOrStatus(q)
	case kProduct:
		b.productOrStatus(q)
	case kPairing:
		b.pairing(q)
	case kKubernetes:
		b.kubernetes(q)
	case kPlatform:
		b.platform(q)
	case kInstall:
		b.platform(q)
	case kAddons:
		b.addons(q)
	case kScope:
		_, hasKBA := q.Has(TopicKBA)
		b.scope(q, hasKBA)
	case kTopic:
		b.topic(q)
	case kExperimental:
		b.experimental()
	case kSeverity:
		b.severity()
	case kIstio:
		b.istio()
	case kOS:
		b.operatingSystems()
	case kUpgrade:
		b.upgradeFrame(q)
	case kAfter:
		b.after(q)
	case kWhen:
		b.when(q)
	case kStatedPairing:
		b.statedPairing(q)
	case kTerm:
		if t, ok := b.m.Term(q.Term); ok {
			b.term(t)
		}
	}
}

// partOf is the answer so far as a Part.
func (b *answer) partOf(subjects []string) Part {
	return Part{Subjects: slices.Clone(subjects), Intent: b.a.Intent, Verdict: b.a.Verdict, Summary: b.a.Summary, Sources: slices.Clone(b.a.Sources)}
}

// verdictRank orders verdicts for combining parts: any no makes the whole a
// no, an unknown part makes it unknown, and only all-yes is yes.
var verdictRank = map[Verdict]int{
	VerdictIncompatible: 6, VerdictUnsupported: 5, VerdictUnknown: 4,
	VerdictCompatible: 3, VerdictSupported: 2, VerdictInfo: 1,
}

// combine answers each part and joins them: the verdict is the whole
// question's (any incompatible part makes it incompatible, else any
// unsupported part unsupported, else any unknown part unknown), the summary
// leads with the deciding part, and every part is listed with its own
// verdict.
func (b *answer) combine(parts []part) {
	var answers []Answer
	var facts []string
	lead := 0
	for i, p := range parts {
		sub := newAnswer(b.m, p.q)
		sub.a.Query = b.a.Query
		sub.run(p)
		if sub.a.Summary == "" {
			sub.set(IntentUnknown, VerdictUnknown, "I could not answer this part.")
		}
		answers = append(answers, sub.a)
		facts = append(facts, sub.relFact)
		b.a.Parts = append(b.a.Parts, sub.partOf(p.subjects))
		if verdictRank[sub.a.Verdict] > verdictRank[answers[lead].Verdict] {
			lead = i
		}
	}
	la := answers[lead]
	b.a.Intent, b.a.Verdict = la.Intent, la.Verdict
	b.a.Product, b.a.Version = la.Product, la.Version
	if s, ok := b.statusLed(parts, answers, facts, lead); ok {
		// The relation holds, but a side's status decides: say both.
		b.a.Summary = s
	} else {
		var others []string
		for i, a := range answers {
			if i != lead && (!parts[i].implied || verdictRank[a.Verdict] >= verdictRank[VerdictUnknown]) {
				others = append(others, a.Summary)
			}
		}
		b.a.Summary = la.Summary
		if len(others) > 0 {
			b.a.Summary += " Also: " + strings.Join(others, " ")
		}
	}
	if parts[lead].implied {
		// The question asks about the relation; the status only decides it.
		for i, p := range parts {
			if !p.implied {
				b.a.Intent = answers[i].Intent
				break
			}
		}
	}
	// A support-scope area beside a version ("can we run kafka on konvoy
	// 1.8?") asks a relation the policy does not state: never a bare yes/no.
	area, versioned := "", ""
	for i, p := range parts {
		switch {
		case p.kind == kTerm:
			if t, ok := b.m.Term(p.q.Term); ok {
				area = t.Name
			}
		case p.kind == kScope || p.kind == kTopic:
			if _, ok := p.q.Has(TopicKUDO); ok {
				area = b.areaName(TopicKUDO)
			}
		case p.kind == kStatus && verdictRank[answers[i].Verdict] != verdictRank[VerdictInfo] && answers[i].Verdict != VerdictUnknown:
			versioned = partLabel(b.m, p.q)
		}
	}
	if area != "" && versioned != "" {
		b.a.Verdict = VerdictUnknown
		if _, ok := b.m.Term(area); ok {
			b.a.Summary = "The policy does not say which versions or features are " + area + ", so I cannot say for " + versioned + ". " + b.a.Summary
		} else {
			b.a.Summary = "The policy does not say on which versions " + area + " runs, so I cannot say for " + versioned + ". " + b.a.Summary
		}
	}
	for i, a := range answers {
		label := partLabel(b.m, parts[i].q)
		if parts[i].implied && i != lead && hasLabel(la.Details, label) {
			continue // the deciding part's own details state this status
		}
		b.detail(label, "%s: %s", a.Verdict.Label(), plain(a.Summary))
	}
	for _, d := range la.Details {
		b.a.Details = appendDetail(b.a.Details, d)
	}
	for _, a := range answers {
		b.cite(a.Sources...)
		for _, f := range a.FollowUps {
			if len(b.a.FollowUps) < 3 {
				b.follow(f.Label, f.Question)
			}
		}
	}
}

// statusLed is the summary of a question whose relations all hold (or are
// facts) while the status of a product they name decides the verdict:
// "Kommander 1.2.x pairs with Konvoy 1.6.x, but neither is supported any
// more: support covers ...". It is false when a relation itself decides.
func (b *answer) statusLed(parts []part, answers []Answer, facts []string, lead int) (string, bool) {
	if !parts[lead].implied {
		return "", false
	}
	var rel []string
	var relSubjects []string
	for i, p := range parts {
		if p.kind == kStatus {
			continue
		}
		switch answers[i].Verdict {
		case VerdictCompatible, VerdictSupported, VerdictInfo:
		default:
			return "", false
		}
		f := facts[i]
		if f == "" {
			f = strings.TrimSuffix(strings.TrimPrefix(answers[i].Summary, "Yes: "), ".")
		}
		rel = append(rel, f)
		relSubjects = append(relSubjects, p.subjects...)
	}
	if len(rel) == 0 {
		return "", false
	}
	var ended, endedCovers, others []string
	for i, p := range parts {
		if p.kind != kStatus || verdictRank[answers[i].Verdict] < verdictRank[VerdictUnknown] {
			continue
		}
		mn := p.q.Mentions[0]
		pr := b.m.products[mn.ID]
		if answers[i].Verdict == VerdictUnsupported && pr != nil && mn.Version != nil && pr.Status(mn.Version.Cycle) == StatusUnsupported && len(pr.supported) > 0 {
			ended = append(ended, pr.Name+" "+mn.Version.Cycle.String())
			endedCovers = append(endedCovers, pr.Name+" "+joinCycles(pr.supported))
			continue
		}
		others = append(others, answers[i].Summary)
	}
	var s string
	switch {
	case len(ended) > 0:
		who := joinAnd(ended) + " " + plural(len(ended), "is not", "are not")
		if len(ended) == 2 && len(relSubjects) == 2 && len(rel) == 1 {
			who = "neither is"
		}
		s = strings.Join(rel, "; ") + ", but " + who + " supported any more: support covers " + joinAnd(endedCovers) + "."
		if len(others) > 0 {
			s += " Also: " + strings.Join(others, " ")
		}
	case len(others) > 0:
		s = strings.Join(rel, "; ") + ", but " + lowerFirst(others[0])
		if len(others) > 1 {
			s += " Also: " + strings.Join(others[1:], " ")
		}
	default:
		return "", false
	}
	return s, true
}

// joinAnd joins names: "a", "a and b", "a, b and c".
func joinAnd(ws []string) string {
	switch len(ws) {
	case 0:
		return ""
	case 1:
		return ws[0]
	}
	return strings.Join(ws[:len(ws)-1], ", ") + " and " + ws[len(ws)-1]
}

// lowerFirst lowers the first word of a sentence that starts with a plain
// word ("The policy ..."), not a name or "I".
func lowerFirst(s string) string {
	for _, w := range []string{"The ", "There ", "It ", "This "} {
		if strings.HasPrefix(s, w) {
			return strings.ToLower(s[:1]) + s[1:]
		}
	}
	return s
}

func hasLabel(ds []Detail, label string) bool {
	return slices.ContainsFunc(ds, func(d Detail) bool { return d.Label == label })
}

func appendDetail(ds []Detail, d Detail) []Detail {
	if slices.Contains(ds, d) {
		return ds
	}
	return append(ds, d)
}

// partLabel names a part by what it is about: "Kaptain 1.3 + Konvoy 1.6".
func partLabel(m *Model, q Question) string {
	var names []string
	for _, mn := range q.Mentions {
		name := mn.ID
		if p, ok := m.Product(mn.ID); ok {
			name = p.Name
		} else if mn.ID == TopicKubernetes {
			name = "Kubernetes"
		}
		if len(mn.Versions) > 0 {
			name += " " + mn.Versions[0].Raw
		}
		names = append(names, name)
	}
	if len(names) == 0 {
		return "Part"
	}
	return strings.Join(names, " + ")
}

// finish adds what the reader corrected, assumed and did not understand,
// and keeps a bare yes or no from standing over words it did not use.
func (b *answer) finish(q Question) {
	a := &b.a
	a.Corrections = append(a.Corrections, q.Corrections...)
	var notes []string
	for _, c := range q.Corrections {
		notes = append(notes, "reading '"+c.From+"' as "+c.To)
	}
	if q.Assumed != "" {
		notes = append(notes, q.Assumed)
		b.detail("Derived", "%s", q.Assumed)
	}
	if len(notes) > 0 {
		a.Summary += " (" + upperFirst(strings.Join(notes, "; ")) + ".)"
	}
	a.NotUnderstood = append(a.NotUnderstood, q.NotUnderstood...)
	if n := len(a.NotUnderstood); n > 0 {
		list := joinWords(a.NotUnderstood)
		switch a.Verdict {
		case VerdictSupported, VerdictCompatible, VerdictUnsupported, VerdictIncompatible:
			a.Verdict = VerdictUnknown
			a.Summary = strings.TrimSuffix(a.Summary, ".") + "; the policy says nothing about " + list + "."
		case VerdictInfo:
			a.Summary += " The policy says nothing about " + list + "."
		}
		b.detail("Not understood", "%s: the answer does not take %s into account", list, plural(n, "it", "them"))
	}
	if q.Sentence != "" && q.Sentence != q.Text {
		b.detail("Read as the question", "%s", q.Sentence)
	}
	if len(q.Noticed) > 0 {
		var names []string
		for _, id := range q.Noticed {
			switch p, ok := b.m.Product(id); {
			case ok:
				names = append(names, p.Name)
			case id == TopicKubernetes:
				names = append(names, "Kubernetes")
			default:
				names = append(names, b.areaName(id))
			}
		}
		b.detail("Also mentioned", "%s (elsewhere in the message; ask about it on its own)", strings.Join(names, ", "))
	}
}

func joinWords(ws []string) string {
	switch len(ws) {
	case 1:
		return ws[0]
	case 2:
		return ws[0] + " or " + ws[1]
	}
	return strings.Join(ws[:len(ws)-1], ", ") + " or " + ws[len(ws)-1]
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
