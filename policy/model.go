package policy

import (
	"slices"

	"github.com/Masterminds/semver/v3"
	"strings"
	"time"
)

// Model is a loaded, validated policy. It is immutable and safe for
// concurrent use; reloading builds a new Model.
type Model struct {
	// AsOf is the date the facts were taken.
	AsOf time.Time
	// Name is where the policy came from: a file path or "default".
	Name string

	file     File
	sources  map[string]SourceDoc
	products map[string]*Product
	order    []string          // product ids in a stable order
	aliases  map[string]string // alias or id -> product id
	areas    []*Area           // support-scope areas
	areaByID map[string]*Area
	lex      *lexicon // the reader's words for this policy (read.go)
}

// Product is a product with its releases and the cycles its rule supports.
type Product struct {
	ID       string
	Name     string
	Aliases  []string
	Rule     string // "n-minus", "with" or "" (the policy states no support window)
	N        int
	With     string // product id for rule "with"
	RuleNote string
	Source   Ref

	Releases []*Release // newest first
	Upcoming []Upcoming // soonest first
	Install  *InstallFile
	Requires []RequireFile

	supported []Cycle // newest first; nil when the rule is unknown
}

// Release is a released cycle and the facts the policy holds about it.
type Release struct {
	Cycle      Cycle
	Released   time.Time
	PairsWith  *Cycle // the partner product's cycle (rule "with")
	Kubernetes *KubeRange
	Platforms  *Platforms
	Source     Ref
}

// Upcoming is an announced, not yet released cycle.
type Upcoming struct {
	Cycle    Cycle
	Expected time.Time // zero when no date is announced
}

// KubeRange is the Kubernetes versions a Konvoy release supports.
type KubeRange struct {
	// Min and Max are the bounds' cycles; MinVersion and MaxVersion the
	// bounds as written (with a patch when the page gives one: 1.21.3).
	Min, Max               Cycle
	MinVersion, MaxVersion Version
	Default                string
	StatedFor              string
	Source                 Ref
}

// Contains reports whether Kubernetes cycle c is inside the range.
func (r *KubeRange) Contains(c Cycle) bool {
	return c.Compare(r.Min) >= 0 && c.Compare(r.Max) <= 0
}

// Platforms is where a release runs.
type Platforms struct {
	StatedFor string
	RunsOn    []Platform
	Source    Ref
}

// Platform is one product version a release runs on: a Version, or a
// Constraint ("DKP 2.1.2 and newer": ">= 2.1.2") when Constraint is set.
type Platform struct {
	Product        string
	Version        Version
	Constraint     *semver.Constraints
	ConstraintText string
	As             string // how it is installed there, when stated
}

// Area is a support-scope table.
type Area struct {
	ID, Name   string
	Aliases    []string
	Definition string
	Note       string
	Source     Ref
	Rows       []RowFile
}

// Ref is a citation: a source document and a section of it.
type Ref struct {
	ID      string `json:"id"`
	Title   string `json:"title"`
	Section string `json:"section,omitempty"`
	URL     string `json:"url,omitempty"`
}

// String renders the citation as "Title — Section".
func (r Ref) String() string {
	if r.Section == "" {
		return r.Title
	}
	return r.Title + " — " + r.Section
}

// Products returns the product ids in a stable order: the policy's products
// in the order of their first appearance in the default set, then the rest sorted.
func (m *Model) Products() []string { return slices.Clone(m.order) }

// Product returns a product by id or alias (case-insensitive).
func (m *Model) Product(name string) (*Product, bool) {
	id, ok := m.aliases[strings.ToLower(name)]
	if !ok {
		return nil, false
	}
	return m.products[id], true
}

// File returns a copy of the policy file the model was built from.
func (m *Model) File() File { return m.file }

// Supported returns the supported cycles, newest first, and whether the policy
// states a support window for the product at all.
func (p *Product) Supported() ([]Cycle, bool) {
	return slices.Clone(p.supported), p.Rule != ""
}

// Latest returns the newest released cycle.
func (p *Product) Latest() Cycle { return p.Releases[0].Cycle }

// Release returns the released cycle c, if the policy lists it.
func (p *Product) Release(c Cycle) (*Release, bool) {
	for _, r := range p.Releases {
		if r.Cycle == c {
			return r, true
		}
	}
	return nil, false
}

// UpcomingCycle returns the announced cycle c, if any.
func (p *Product) UpcomingCycle(c Cycle) (Upcoming, bool) {
	for _, u := range p.Upcoming {
		if u.Cycle == c {
			return u, true
		}
	}
	return Upcoming{}, false
}

// Status is where a cycle stands under a product's support rule.
type Status int

// The statuses a cycle can have.
const (
	StatusUnknown     Status = iota // the policy does not say
	StatusSupported                 // inside the support window
	StatusUnsupported               // older than the window: support has ended
	StatusUpcoming                  // announced, not released yet
	StatusUnreleased                // newer than any release the policy knows
)

// Status places cycle c under the product's support rule.
func (p *Product) Status(c Cycle) Status {
	if p.Rule == "" || len(p.supported) == 0 {
		return StatusUnknown
	}
	if slices.Contains(p.supported, c) {
		return StatusSupported
	}
	if _, ok := p.UpcomingCycle(c); ok {
		return StatusUpcoming
	}
	newest, oldest := p.supported[0], p.supported[len(p.supported)-1]
	switch {
	case c.Compare(newest) > 0:
		return StatusUnreleased
	case c.Compare(oldest) < 0 && p.windowFull():
		return StatusUnsupported
	}
	// Older than a window that is not full, or between supported cycles but
	// not itself released: the policy does not know this cycle.
	return StatusUnknown
}

// windowFull reports whether the support window holds all the cycles its rule
// allows, so that every older cycle is known to be out of support.
func (p *Product) windowFull() bool {
	switch p.Rule {
	case "n-minus":
		return len(p.supported) == p.N+1
	case "with":
		return true
	}
	return false
}

// partners returns the products whose rule is "with" the product id.
func (m *Model) partners(id string) []*Product {
	var out []*Product
	for _, pid := range m.order {
		if q := m.products[pid]; q.Rule == "with" && q.With == id {
			out = append(out, q)
		}
	}
	return out
}

// pairOf returns the cycle of p (a product with rule "with") that pairs with cycle c of p's With product.
func (p *Product) pairOf(c Cycle) (Cycle, bool) {
	for _, r := range p.Releases {
		if r.PairsWith != nil && *r.PairsWith == c {
			return r.Cycle, true
		}
	}
	return Cycle{}, false
}

// Area returns a support-scope area by id or alias.
func (m *Model) Area(name string) (*Area, bool) {
	name = strings.ToLower(name)
	for _, a := range m.areas {
		if a.ID == name || slices.Contains(a.Aliases, name) {
			return a, true
		}
	}
	return nil, false
}

// Areas returns the support-scope areas.
func (m *Model) Areas() []*Area { return slices.Clone(m.areas) }

// ref resolves "id#Section" against the model's sources. Load has checked it.
func (m *Model) ref(s string) Ref {
	id, section, _ := strings.Cut(s, "#")
	src := m.sources[id]
	return Ref{ID: id, Title: src.Title, Section: section, URL: src.URL}
}
