package policy

// This file answers upgrade questions from the pages' upgrade rules: the
// stated path, prerequisites, versions to skip, advisories, and upgrades the
// pages forbid. The router calls upgradeRules; AnswerUpgrade answers an
// UpgradeQuery directly.

import (
	"fmt"
	"strings"
	"time"
)

// intentUpgrade is the upgrade intent ("upgrade" in DESIGN.md).
const intentUpgrade Intent = "upgrade"

// AnswerUpgrade answers an upgrade question given as an UpgradeQuery
// ("upgrade konvoy 1.8 to 2.1 with kaptain enabled").
func (m *Model) AnswerUpgrade(q UpgradeQuery) Answer {
	b := &answer{m: m, a: Answer{Query: q.String(), AsOf: m.AsOf.Format(time.DateOnly), Details: []Detail{}, Sources: []Ref{}}}
	b.upgradeRules(q)
	return b.a
}

// String renders the query as words: "upgrade konvoy 1.8 to dkp 2.1 with kaptain enabled".
func (q UpgradeQuery) String() string {
	s := "upgrade " + q.Product + " " + q.From.String()
	if q.To != nil {
		s += " to "
		if q.ToProduct != "" && q.ToProduct != q.Product {
			s += q.ToProduct + " "
		}
		s += q.To.String()
	}
	if len(q.Enabled) > 0 {
		s += " with " + strings.Join(q.Enabled, " and ") + " enabled"
	}
	return s
}

// upgradeRules answers an upgrade question from the policy's upgrade
// rules: verdict unsupported where a rule forbids it, info where the pages
// state a path or advice, unknown where they say nothing about it.
func (b *answer) upgradeRules(q UpgradeQuery) {
	p, ok := b.m.Product(q.Product)
	if !ok {
		b.set(IntentUnknown, VerdictUnknown, "I don't know a product called %q.", q.Product)
		return
	}
	q.Product = p.ID
	target := p
	if q.ToProduct != "" {
		if t, ok := b.m.Product(q.ToProduct); ok {
			target, q.ToProduct = t, t.ID
		}
	}
	b.a.Product, b.a.Version = p.ID, q.From.String()
	from := p.Name + " " + q.From.Label()
	to := "a newer version"
	if q.To != nil {
		to = target.Name + " " + q.To.Label()
	}
	rules := b.m.Upgrades(q)
	var forbidden, paths, prereqs, avoids, advice []Upgrade
	for _, u := range rules {
		switch u.Kind {
		case UpgradeForbidden:
			forbidden = append(forbidden, u)
		case UpgradePath:
			paths = append(paths, u)
		case UpgradePrerequisite:
			prereqs = append(prereqs, u)
		case UpgradeAvoid:
			avoids = append(avoids, u)
		default:
			advice = append(advice, u)
		}
		b.cite(u.Source)
	}
	switch {
	case len(forbidden) > 0:
		u := forbidden[0]
		cond := ""
		if u.WhenEnabled != "" {
			cond = " with " + b.productName(u.WhenEnabled) + " enabled"
		}
		b.set(intentUpgrade, VerdictUnsupported, "No: the pages do not support upgrading %s to %s%s. %s", from, to, cond, u.Statement)
		for _, f := range forbidden {
			b.detail("Not supported", "%s (%s)", f.Statement, f.Source.String())
		}
	case len(paths) > 0:
		b.set(intentUpgrade, VerdictInfo, "Upgrade %s to %s: %s.", from, to, strings.Join(b.pathSteps(p, q.From, paths[0]), " → "))
		for _, u := range paths {
			b.detail("Path", "%s (%s)", u.Statement, u.Source.String())
		}
	case len(prereqs) > 0 || len(avoids) > 0 || len(advice) > 0:
		b.set(intentUpgrade, VerdictInfo, "The pages state no step-by-step path from %s to %s, but give this advice.", from, to)
	default:
		b.set(intentUpgrade, VerdictUnknown, "The pages state no upgrade path or advice from %s to %s.", from, to)
	}
	for _, u := range prereqs {
		b.detail("Before", "%s (%s)", u.Statement, u.Source.String())
	}
	for _, u := range avoids {
		b.detail("Skip", "Do not upgrade to %s %s: go to %s instead. %s", p.Name, versionList(u.Avoid), versionList(u.Instead), u.Statement)
	}
	for _, u := range advice {
		b.detail("Advisory", "%s (%s)", u.Statement, u.Source.String())
	}
	if len(forbidden) == 0 {
		for _, u := range b.m.ForbiddenWhenEnabled(q) {
			b.detail("Not supported", "With %s enabled: %s", b.productName(u.WhenEnabled), u.Statement)
			b.cite(u.Source)
		}
	}
	if q.To != nil && b.a.Verdict != VerdictUnsupported {
		b.statusNote(target, q.To.Cycle)
	}
	b.statusNote(p, q.From.Cycle)
}

// pathSteps renders a path's steps: from, then each step, naming the
// rule's target product once the path crosses to it (Konvoy 1.8.x →
// Konvoy 1.8.3 - 1.8.5 → DKP 2.1.0 - 2.1.1).
func (b *answer) pathSteps(p *Product, from Version, u Upgrade) []string {
	steps := []string{p.Name + " " + from.Label()}
	for _, s := range u.Steps {
		name := p.Name
		if v, err := ParseVersion(strings.Fields(s)[0]); err == nil && u.ToProduct != "" && v.Major != from.Major {
			name = b.productName(u.ToProduct)
		}
		steps = append(steps, fmt.Sprintf("%s %s", name, s))
	}
	return steps
}

func versionList(vs []Version) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = v.String()
	}
	return strings.Join(s, " or ")
}

// productName names a product id, or returns the id.
func (b *answer) productName(id string) string {
	if p, ok := b.m.Product(id); ok {
		return p.Name
	}
	return id
}
