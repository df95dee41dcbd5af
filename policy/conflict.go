package policy

import "strings"

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
	// label and text are the answer's detail, rendered at load: "Deprecation",
	// "Konvoy 1.8.4: Dispatch is deprecated in favor of Flux".
	label, text string
}

// about reports whether the notice is about product id's version v: its
// cycle, or v itself when the notice names a patch.
func (n *Notice) about(id string, v Version) bool {
	if n.Product != id || !n.hasV {
		return false
	}
	nv := n.v
	return nv.Cycle == v.Cycle && (!nv.HasPatch || v.HasPatch && nv.Patch == v.Patch)
}

// render fills the notice's answer label and text; name is its product's name.
func (n *Notice) render(name string) {
	n.label = "Notice"
	if n.Kind != "" {
		k := strings.ReplaceAll(n.Kind, "-", " ")
		n.label = strings.ToUpper(k[:1]) + k[1:]
	}
	n.text = name + " " + n.Version + ": " + n.Statement
}

// Notices returns the notices about product id's version v: those for its
// cycle, and for v itself when v is a patch.
func (m *Model) Notices(id string, v Version) []Notice {
	var out []Notice
	for i := range m.root.notices {
		if n := &m.root.notices[i]; n.about(id, v) {
			out = append(out, *n)
		}
	}
	return out
}
