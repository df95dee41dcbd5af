package policy

import (
	"fmt"
	"slices"
	"strings"

	"github.com/Masterminds/semver/v3"
)

// The loader's checks of the dated-history fields.

func (v *validator) dates(m *Model, path string, dfs []DateFile) []DatedValue {
	out := make([]DatedValue, 0, len(dfs))
	for i, df := range dfs {
		at := fmt.Sprintf("%s[%d]", path, i)
		if df.Date.IsZero() {
			v.fail(at+".date", "a date like 2021-08-26 is required")
			continue
		}
		out = append(out, DatedValue{Date: df.Date.Time, Printed: df.Printed, Note: df.Note, Source: v.cite(m, at+".source", df.Source, false)})
	}
	return out
}

func (v *validator) patches(m *Model, path string, c Cycle, pfs []PatchFile) []Patch {
	var out []Patch
	seen := map[string]bool{}
	for i, pf := range pfs {
		at := fmt.Sprintf("%s[%d]", path, i)
		pv, err := ParseVersion(pf.Version)
		pre := ""
		if sv, serr := semver.StrictNewVersion(strings.TrimPrefix(pf.Version, "v")); serr == nil {
			pre = sv.Prerelease()
		}
		switch {
		case err != nil:
			v.fail(at+".version", "%v", err)
			continue
		case !pv.HasPatch:
			v.fail(at+".version", "%q is not a patch version like \"%s.3\"", pf.Version, c)
			continue
		case pv.Cycle != c:
			v.fail(at+".version", "patch %s is not in cycle %s", pv, c)
			continue
		case seen[pf.Version]:
			v.fail(at+".version", "duplicate patch %s", pf.Version)
			continue
		}
		seen[pf.Version] = true
		pt := Patch{Version: pv, Pre: pre, Advisory: pf.Advisory, Note: pf.Note, Source: v.cite(m, at+".source", pf.Source, true)}
		if pf.Released != nil {
			pt.Dates = append(pt.Dates, DatedValue{Date: pf.Released.Time, Source: pt.Source})
		}
		pt.Dates = append(pt.Dates, v.dates(m, at+".dates", pf.Dates)...)
		if len(pt.Dates) > 0 {
			pt.Released = pt.Dates[0].Date
		}
		out = append(out, pt)
	}
	slices.SortFunc(out, func(a, b Patch) int {
		if c := cmpUint(a.Version.Patch, b.Version.Patch); c != 0 {
			return c
		}
		switch { // a pre-release comes before its release
		case a.Pre != "" && b.Pre == "":
			return -1
		case a.Pre == "" && b.Pre != "":
			return 1
		}
		return strings.Compare(a.Pre, b.Pre)
	})
	return out
}

func (v *validator) statement(m *Model, path string, sf StatedFile) *Statement {
	st := &Statement{Kind: sf.Kind, Text: sf.Text, Note: sf.Note, Source: v.cite(m, path+".source", sf.Source, false)}
	switch {
	case sf.Current != "" && sf.After != "":
		v.fail(path+".after", "give current or after, not both")
		return nil
	case sf.Current != "":
		c, err := ParseCycle(sf.Current)
		if err != nil {
			v.fail(path+".current", "%v", err)
			return nil
		}
		st.Current, st.HasCurrent = c, true
	case sf.After != "":
		c, err := ParseCycle(sf.After)
		if err != nil {
			v.fail(path+".after", "%v", err)
			return nil
		}
		st.After = c
	default:
		v.fail(path+".current", "a stated set needs current (the latest release it assumes) or after")
		return nil
	}
	var ok bool
	if st.Supported, ok = v.cycles(path+".supported", sf.Supported); !ok {
		return nil
	}
	if st.Expires, ok = v.cycles(path+".expires", sf.Expires); !ok {
		return nil
	}
	if len(st.Supported) == 0 {
		v.fail(path+".supported", "list the cycles the page says are supported")
		return nil
	}
	slices.SortFunc(st.Supported, func(a, b Cycle) int { return b.Compare(a) })
	return st
}

func (v *validator) cycles(path string, ss []string) ([]Cycle, bool) {
	out := make([]Cycle, 0, len(ss))
	ok := true
	for i, s := range ss {
		c, err := ParseCycle(s)
		if err != nil {
			v.fail(fmt.Sprintf("%s[%d]", path, i), "%v", err)
			ok = false
			continue
		}
		out = append(out, c)
	}
	return out, ok
}

// relations checks the pairings, bans, upgrades and notices.
func (v *validator) relations(m *Model, f File) {
	product := func(path, id string) bool {
		if _, ok := m.products[id]; !ok {
			v.fail(path, "unknown product %q", id)
			return false
		}
		return true
	}
	cycle := func(path, s string) (Cycle, bool) {
		c, err := ParseCycle(strings.TrimSuffix(s, ".x"))
		if err != nil {
			v.fail(path, "%v", err)
			return Cycle{}, false
		}
		return c, true
	}
	for i, pf := range f.Pairings {
		at := fmt.Sprintf("pairings[%d]", i)
		ok := product(at+".product", pf.Product)
		ok = product(at+".with", pf.With) && ok
		c, ok1 := cycle(at+".cycle", pf.Cycle)
		wc, ok2 := cycle(at+".with_cycle", pf.WithCycle)
		src := v.cite(m, at+".source", pf.Source, false)
		if ok && ok1 && ok2 {
			m.pairings = append(m.pairings, Pairing{Product: pf.Product, Cycle: c, With: pf.With, WithCycle: wc, Note: pf.Note, Source: src})
		}
	}
	for i, bf := range f.Bans {
		at := fmt.Sprintf("bans[%d]", i)
		ok := product(at+".product", bf.Product)
		ok = product(at+".on", bf.On) && ok
		c, ok1 := cycle(at+".version", bf.Version)
		oc, ok2 := cycle(at+".on_version", bf.OnVersion)
		src := v.cite(m, at+".source", bf.Source, false)
		if ok && ok1 && ok2 {
			m.bans = append(m.bans, Ban{Product: bf.Product, Version: c, On: bf.On, OnVersion: oc, Statement: bf.Statement, Source: src})
		}
	}
	for i, uf := range f.Upgrades {
		if u, ok := v.upgrade(m, fmt.Sprintf("upgrades[%d]", i), uf, product); ok {
			m.upgrades = append(m.upgrades, u)
		}
	}
	for i, nf := range f.Notices {
		at := fmt.Sprintf("notices[%d]", i)
		product(at+".product", nf.Product)
		n := Notice{Product: nf.Product, Version: nf.Version, Kind: nf.Kind, Statement: nf.Statement}
		if nf.Version != "" {
			nv, err := ParseVersion(nf.Version)
			if err != nil {
				v.fail(at+".version", "%v", err)
			}
			n.v, n.hasV = nv, err == nil
		}
		n.Source = v.cite(m, at+".source", nf.Source, false)
		name := nf.Product
		if p, ok := m.products[nf.Product]; ok {
			name = p.Name
		}
		n.render(name)
		m.notices = append(m.notices, n)
	}
}

func (v *validator) upgrade(m *Model, at string, uf UpgradeFile, product func(path, id string) bool) (Upgrade, bool) {
	u := Upgrade{Product: uf.Product, ToProduct: uf.ToProduct, Kind: UpgradeKind(uf.Kind), Steps: uf.Steps,
		WhenEnabled: uf.WhenEnabled, Statement: uf.Statement, FromText: uf.From, ToText: uf.To,
		Source: v.cite(m, at+".source", uf.Source, false)}
	ok := product(at+".product", uf.Product)
	if uf.ToProduct != "" {
		ok = product(at+".to_product", uf.ToProduct) && ok
	}
	if uf.WhenEnabled != "" {
		ok = product(at+".when_enabled", uf.WhenEnabled) && ok
	}
	if !slices.Contains(upgradeKinds, u.Kind) {
		v.fail(at+".kind", "unknown kind %q: use path, avoid, prerequisite, forbidden or advisory", uf.Kind)
		ok = false
	}
	constraint := func(field, s string) *semver.Constraints {
		if s == "" {
			return nil
		}
		c, err := semver.NewConstraint(s)
		if err != nil {
			v.fail(at+"."+field, "%q is not a version constraint like \"1.5.x\" or \">= 1.8.3, <= 1.8.5\": %v", s, err)
			ok = false
		}
		return c
	}
	u.From, u.To = constraint("from", uf.From), constraint("to", uf.To)
	for i, s := range uf.Steps {
		constraint(fmt.Sprintf("steps[%d]", i), s)
	}
	for field, list := range map[string][]string{"avoid": uf.Avoid, "instead": uf.Instead} {
		for i, s := range list {
			pv, err := ParseVersion(s)
			if err != nil {
				v.fail(fmt.Sprintf("%s.%s[%d]", at, field, i), "%v", err)
				ok = false
				continue
			}
			if field == "avoid" {
				u.Avoid = append(u.Avoid, pv)
			} else {
				u.Instead = append(u.Instead, pv)
			}
		}
	}
	switch u.Kind {
	case UpgradePath:
		if len(uf.Steps) == 0 {
			v.fail(at+".steps", "a path lists its steps")
			ok = false
		}
	case UpgradeAvoid:
		if len(uf.Avoid) == 0 {
			v.fail(at+".avoid", "list the versions to avoid")
			ok = false
		}
	}
	return u, ok
}

// conflicts collects the recorded disagreements and detects the ones
// between values: release dates, Kubernetes ranges stated for one version,
// stated sets for one current release.
func (v *validator) conflicts(m *Model, f File) {
	for i, cf := range f.Conflicts {
		at := fmt.Sprintf("conflicts[%d]", i)
		if _, ok := m.products[cf.Product]; !ok {
			v.fail(at+".product", "unknown product %q", cf.Product)
		}
		c := Conflict{Product: cf.Product, Version: cf.Version, Fact: cf.Fact, Text: cf.Text}
		for j, s := range cf.Sources {
			c.Sources = append(c.Sources, v.cite(m, fmt.Sprintf("%s.sources[%d]", at, j), s, false))
		}
		if len(cf.Sources) == 0 {
			v.fail(at+".sources", "cite every page of the disagreement")
		}
		m.conflicts = append(m.conflicts, c)
	}
	for _, id := range m.order {
		p := m.products[id]
		for _, r := range p.Releases {
			if r.DateDisputed() {
				m.conflicts = append(m.conflicts, dateConflict(p, r.Cycle.String(), r.Dates))
			}
			for _, pt := range r.Patches {
				if pt.Disputed() {
					m.conflicts = append(m.conflicts, dateConflict(p, pt.Version.String(), pt.Dates))
				}
			}
			m.conflicts = append(m.conflicts, kubeConflicts(p, r)...)
		}
		m.conflicts = append(m.conflicts, statedConflicts(p)...)
	}
}

func dateConflict(p *Product, version string, ds []DatedValue) Conflict {
	c := Conflict{Product: p.ID, Version: version, Fact: "released"}
	var parts []string
	for _, d := range ds {
		s := d.Date.Format("2006-01-02")
		if d.Printed != "" {
			s += fmt.Sprintf(" (printed %q)", d.Printed)
		}
		parts = append(parts, s+" ("+d.Source.String()+")")
		c.Sources = appendRef(c.Sources, d.Source)
	}
	c.Text = fmt.Sprintf("The pages give %s %s different release dates: %s.", p.Name, version, strings.Join(parts, "; "))
	return c
}

// kubeConflicts finds ranges stated for the same version with different values.
func kubeConflicts(p *Product, r *Release) []Conflict {
	var out []Conflict
	done := map[string]bool{}
	for i, a := range r.KubeRanges {
		key := a.StatedFor
		if key == "" {
			key = r.Cycle.String()
		}
		if done[key] {
			continue
		}
		group := []*KubeRange{a}
		for _, b := range r.KubeRanges[i+1:] {
			bk := b.StatedFor
			if bk == "" {
				bk = r.Cycle.String()
			}
			if bk == key {
				group = append(group, b)
			}
		}
		done[key] = true
		differ := false
		for _, b := range group[1:] {
			if b.MinVersion != a.MinVersion || b.MaxVersion != a.MaxVersion || b.Default != a.Default {
				differ = true
			}
		}
		if !differ {
			continue
		}
		c := Conflict{Product: p.ID, Version: key, Fact: "kubernetes"}
		var parts []string
		for _, k := range group {
			parts = append(parts, k.Text()+" ("+k.Source.String()+")")
			c.Sources = appendRef(c.Sources, k.Source)
		}
		c.Text = fmt.Sprintf("The pages give %s %s different Kubernetes ranges: %s.", p.Name, key, strings.Join(parts, "; "))
		out = append(out, c)
	}
	return out
}

// statedConflicts finds statements for the same current release that
// support different sets.
func statedConflicts(p *Product) []Conflict {
	var out []Conflict
	for i, a := range p.Stated {
		if !a.HasCurrent {
			continue
		}
		for _, b := range p.Stated[i+1:] {
			if !b.HasCurrent || b.Current != a.Current || slices.Equal(a.window(a.Current), b.window(b.Current)) {
				continue
			}
			out = append(out, Conflict{Product: p.ID, Version: a.Current.String(), Fact: "stated",
				Text: fmt.Sprintf("With %s %s current, %s says %s are supported and %s says %s.", p.Name, a.Current,
					a.Source.String(), joinCycles(a.window(a.Current)), b.Source.String(), joinCycles(b.window(b.Current))),
				Sources: []Ref{a.Source, b.Source}})
		}
	}
	return out
}
