package policy

// This file connects the reader's time and upgrade frames to the answers
// from dates and upgrade rules: when the policy holds them, these answer;
// otherwise the frames answer as before.

import (
	"slices"
	"strings"
)

// upgradeFromRules answers an upgrade question from the policy's upgrade
// rules when there are any for the product and the question names the
// version upgraded from; it reports whether it answered.
func (b *answer) upgradeFromRules(q Question) bool {
	if len(q.Mentions) == 0 {
		return false
	}
	// "how long is 1.8 supported?" reads as a how-question; it asks a date.
	if strings.Contains(strings.ToLower(q.Text), "how long") && b.whenFromLifecycle(q) {
		return true
	}
	mn := q.Mentions[0]
	p, ok := b.m.Product(mn.ID)
	if !ok || !b.m.hasUpgradeRules(p.ID) {
		return false
	}
	uq := UpgradeQuery{Product: p.ID}
	var from, to *Version
	for i := range mn.Versions {
		v := mn.Versions[i].Version
		switch {
		case mn.Versions[i].Target:
			to = &v
		case mn.Versions[i].Source || from == nil:
			from = &v
		}
	}
	if from == nil {
		return false
	}
	if to == nil && len(q.Mentions) > 1 {
		// "konvoy 1.8 to dkp 2.1": the target is another product.
		if t := q.Mentions[1]; t.Version != nil && hasTarget(t.Versions) {
			uq.ToProduct, to = t.ID, t.Version
		}
	}
	uq.From, uq.To = *from, to
	text := strings.ToLower(q.Text)
	for _, id := range b.m.order {
		name := strings.ToLower(b.m.products[id].Name)
		if id != p.ID && (slices.Contains(q.Enabled, id) || strings.Contains(text, name+" enabled") || strings.Contains(text, "with "+name)) {
			uq.Enabled = append(uq.Enabled, id)
		}
	}
	b.upgradeRules(uq)
	return true
}

// hasUpgradeRules reports whether the policy states upgrade rules for product id.
func (m *Model) hasUpgradeRules(id string) bool {
	for _, u := range m.root.upgrades {
		if u.Product == id {
			return true
		}
	}
	return false
}

// whenFromLifecycle answers a date question ("when did konvoy 1.6 support
// end?", "when was konvoy 1.8 released?", "how long is 1.8 supported?")
// from the cycle's lifecycle when the policy dates the product's releases;
// it reports whether it answered.
func (b *answer) whenFromLifecycle(q Question) bool {
	if len(q.Mentions) == 0 || q.Mentions[0].Version == nil {
		return false
	}
	mn := q.Mentions[0]
	p, ok := b.m.Product(mn.ID)
	if !ok || !p.dated() {
		return false
	}
	text := strings.ToLower(q.Text)
	kind := TimelineEnd
	switch {
	case strings.Contains(text, "how long"):
		kind = TimelineHowLong
	case (strings.Contains(text, "release") || strings.Contains(text, "came out") || strings.Contains(text, "come out") || strings.Contains(text, "ship")) &&
		!strings.Contains(text, "end") && !strings.Contains(text, "eol"):
		kind = TimelineReleased
	}
	b.timeline(kind, p, *mn.Version)
	return true
}

// dated reports whether the policy dates any release of the product.
func (p *Product) dated() bool {
	for _, r := range p.all {
		if len(r.Dates) > 0 {
			return true
		}
	}
	return false
}
