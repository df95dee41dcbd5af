package policy

import "slices"

// Pairing is a stated pairing: Cycle of Product pairs with WithCycle of With.
type Pairing struct {
	Product   string
	Cycle     Cycle
	With      string
	WithCycle Cycle
	Note      string
	Source    Ref
}

// Ban is a stated prohibition: Product Version cannot be deployed on On OnVersion.
type Ban struct {
	Product   string
	Version   Cycle
	On        string
	OnVersion Cycle
	Statement string
	Source    Ref
}

// Pairings returns the stated pairings that involve product id's cycle c,
// from either side, as the file lists them (one per page that states it),
// including the pairs_with of a "with" rule.
func (m *Model) Pairings(id string, c Cycle) []Pairing {
	var out []Pairing
	for _, p := range m.pairings {
		if p.Product == id && p.Cycle == c || p.With == id && p.WithCycle == c {
			out = append(out, p)
		}
	}
	return out
}

// PairingsBetween returns the stated pairings of products a and b, with a
// on the Product side when the file lists it either way round.
func (m *Model) PairingsBetween(a, b string) []Pairing {
	var out []Pairing
	for _, p := range m.pairings {
		switch {
		case p.Product == a && p.With == b:
			out = append(out, p)
		case p.Product == b && p.With == a:
			out = append(out, Pairing{Product: a, Cycle: p.WithCycle, With: b, WithCycle: p.Cycle, Note: p.Note, Source: p.Source})
		}
	}
	return out
}

// Bans returns the stated prohibitions of deploying product id cycle c on
// product on cycle onc; either cycle may be zero to match any.
func (m *Model) Bans(id string, c Cycle, on string, onc Cycle) []Ban {
	var out []Ban
	for _, b := range m.bans {
		if b.Product != id || b.On != on {
			continue
		}
		if (c == Cycle{} || b.Version == c) && (onc == Cycle{} || b.OnVersion == onc) {
			out = append(out, b)
		}
	}
	return out
}

// PairedCycles returns the cycles of product b stated to pair with cycle c
// of product a (newest first, each once) and the sources that state them.
func (m *Model) PairedCycles(a string, c Cycle, b string) ([]Cycle, []Ref) {
	var out []Cycle
	var refs []Ref
	for _, p := range m.PairingsBetween(a, b) {
		if p.Cycle != c {
			continue
		}
		if !slices.Contains(out, p.WithCycle) {
			out = append(out, p.WithCycle)
		}
		refs = appendRef(refs, p.Source)
	}
	slices.SortFunc(out, func(x, y Cycle) int { return y.Compare(x) })
	return out, refs
}
