package policy

// Admits reports whether the platform covers product id version v: the
// same product (or one sharing its release numbers, DKP and Konvoy), and
// the version or constraint admits v. sure is false when v is a whole cycle
// and only some of its patches are admitted (DKP 2.1 against ">= 2.1.2").
func (pl Platform) Admits(m *Model, id string, v Version) (in, sure bool) {
	if !m.sameLine(pl.Product, id) {
		return false, true
	}
	if pl.Constraint != nil {
		if v.HasPatch {
			return matches(pl.Constraint, v), true
		}
		lo, hi := matches(pl.Constraint, Version{Cycle: v.Cycle, Patch: 0, HasPatch: true}), matches(pl.Constraint, Version{Cycle: v.Cycle, Patch: 999, HasPatch: true})
		return lo || hi, lo == hi
	}
	if pl.Version.Cycle != v.Cycle {
		return false, true
	}
	switch {
	case !pl.Version.HasPatch:
		return true, true
	case v.HasPatch && pl.Version.Patch == v.Patch:
		return true, true
	}
	// The page names another patch of the cycle: it does not say about v.
	return false, false
}

// render renders the platform: "DKP 2.1.1", "DKP >= 2.1.2 (as a workspace
// catalog application)"; name is the product's name.
func (pl Platform) render(name string) string {
	s := name + " " + pl.Version.String()
	if pl.Constraint != nil {
		s = name + " " + pl.ConstraintText
	}
	if pl.As != "" {
		s += " (as a " + pl.As + ")"
	}
	return s
}
