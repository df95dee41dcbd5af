package policy

// This file answers topic questions in plain English ("is a cassandra
// performance issue supported?", "do you maintain forks of upstream?",
// "dex"): the policy's own sentences that use the question's words.

import (
	"slices"
	"strings"
)

// topic answers with the policy sentences that share the most of the
// question's topic words, restricted to the areas and products it names.
func (b *answer) topic(q Question) {
	lx := b.m.lexicon()
	score := map[int32]int{}
	for _, st := range q.Topics {
		for _, i := range lx.index[st] {
			score[i]++
		}
	}
	var areas, products []string
	for _, mn := range q.Mentions {
		switch mn.ID {
		case TopicKUDO:
			areas = append(areas, TopicKUDO)
		case TopicKBA:
			areas = append(areas, "addons")
		default:
			if _, ok := b.m.Product(mn.ID); ok {
				products = append(products, mn.ID)
			}
		}
	}
	best := 0
	var hits []int32
	for i, n := range score {
		s := lx.sentences[i]
		if len(areas) > 0 && s.Area != "" && !slices.Contains(areas, s.Area) {
			continue
		}
		if len(products) > 0 && s.Product != "" && !slices.Contains(products, s.Product) {
			continue
		}
		if q.ScopeType != "" && s.Row != "" && !strings.HasPrefix(strings.ToLower(s.Row), q.ScopeType) {
			continue
		}
		switch {
		case n > best:
			best, hits = n, []int32{i}
		case n == best:
			hits = append(hits, i)
		}
	}
	if len(hits) == 0 {
		b.set(IntentScope, VerdictUnknown, "The policy has nothing on that for %s.", strings.Join(q.Topics, ", "))
		return
	}
	slices.Sort(hits)
	if len(hits) > 4 {
		hits = hits[:4]
	}
	var lead []string
	for _, i := range hits {
		s := lx.sentences[i]
		label := "Policy"
		switch {
		case s.Area != "" && s.Row != "":
			label = b.areaName(s.Area) + " — " + s.Row
		case s.Area != "":
			label = b.areaName(s.Area)
		case s.Product != "":
			label = b.m.products[s.Product].Name
		case s.Kind == "experimental":
			label = "Experimental"
		case s.Kind == "istio":
			label = "Istio"
		}
		b.detail(label, "%s", s.Text)
		if s.Row != "" {
			for _, a := range b.m.areas {
				if a.ID != s.Area {
					continue
				}
				for _, r := range a.Rows {
					if r.Type == s.Row {
						b.detail("Support offered", "%s — %s: %s", a.Name, r.Type, r.Offered)
					}
				}
			}
		}
		b.cite(s.Ref)
		if len(lead) < 2 {
			text := s.Text
			if len(hits) > 1 && s.Area != "" {
				text = strings.TrimSuffix(text, ".") + " (" + label + ")."
			}
			lead = append(lead, text)
		}
	}
	b.set(IntentScope, VerdictInfo, "%s", strings.Join(lead, " "))
	if first := lx.sentences[hits[0]]; q.Can && len(hits) == 1 && strings.Contains(strings.ToLower(first.Text), "it is possible") {
		// "can kaptain use kommander's dex?" — the page says it is possible.
		b.set(IntentScope, VerdictCompatible, "Yes: %s", first.Text)
	}
	if len(hits) > 1 && differentAreas(lx, hits) {
		var names []string
		for _, i := range hits {
			if a := lx.sentences[i].Area; a != "" && !slices.Contains(names, b.areaName(a)) {
				names = append(names, b.areaName(a))
			}
		}
		b.detail("Which applies", "%s each say this, in their own table; name the service or add-on for one.", strings.Join(names, " and "))
	}
}

func differentAreas(lx *lexicon, hits []int32) bool {
	first := lx.sentences[hits[0]].Area
	for _, i := range hits[1:] {
		if a := lx.sentences[i].Area; a != "" && a != first {
			return true
		}
	}
	return false
}

func (b *answer) areaName(id string) string {
	if a, ok := b.m.Area(id); ok {
		return a.Name
	}
	return id
}
