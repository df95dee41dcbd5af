package policy

// Conflict is a disagreement between pages: two values for one fact, each
// with its source. Answers that depend on the fact say the pages disagree
// and cite every side; they never pick one silently.
type Conflict struct {
	Product string
	Version string // a cycle or a patch; empty for the product as a whole
	// Fact is "released", "kubernetes", "stated", "pairing", "platforms" or "text".
	Fact    string
	Text    string
	Sources []Ref
}

// Conflicts returns the recorded and the detected disagreements about
// product id (all products when id is empty) and, when version is not
// empty, that version or its cycle.
func (m *Model) Conflicts(id, version string) []Conflict {
	var out []Conflict
	for _, c := range m.root.conflicts {
		if id != "" && c.Product != id {
			continue
		}
		if version != "" && c.Version != "" && !sameVersionOrCycle(c.Version, version) {
			continue
		}
		out = append(out, c)
	}
	return out
}

// sameVersionOrCycle reports whether a and b name the same version, or one
// is the cycle of the other ("1.8" and "1.8.3").
func sameVersionOrCycle(a, b string) bool {
	va, err1 := ParseVersion(a)
	vb, err2 := ParseVersion(b)
	if err1 != nil || err2 != nil {
		return a == b
	}
	if va.Cycle != vb.Cycle {
		return false
	}
	return !va.HasPatch || !vb.HasPatch || va.Patch == vb.Patch
}

// Notice is a statement tied to a product version: a removal, a
// deprecation, a product change.
type Notice struct {
	Product   string
	Version   string
	Kind      string
	Statement string
	Source    Ref

	v    Version // Version parsed; ok false for a notice on the product
	hasV bool
}

// Notices returns the notices about product id's version v: those for its
// cycle, and for v itself when v is a patch.
func (m *Model) Notices(id string, v Version) []Notice {
	var out []Notice
	for _, n := range m.root.notices {
		if n.Product != id {
			continue
		}
		nv := n.v
		if !n.hasV || nv.Cycle != v.Cycle || nv.HasPatch && (!v.HasPatch || nv.Patch != v.Patch) {
			continue
		}
		out = append(out, n)
	}
	return out
}
