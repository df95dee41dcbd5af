package policy

import (
	"slices"

	"github.com/Masterminds/semver/v3"
	"strings"
	"time"
)

// Model is a loaded, validated policy. It is immutable and safe for
// concurrent use; reloading builds a new Model. At returns views of it as it
// stood on a day; a view is a Model too.
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

	pairings  []Pairing
	bans      []Ban
	upgrades  []Upgrade
	conflicts []Conflict
	notices   []Notice

	// root is the model as loaded (itself for the root); on is the first day
	// of the view (zero for the root and for the view before any dated release).
	root *Model
	on   time.Time
	// changes are the days something changes, ascending; views[i] is the
	// policy from changes[i-1] (views[0]: before changes[0]). Root only.
	changes []time.Time
	views   []*Model
	// lifecycles per product id and cycle, computed once on the root.
	lifecycles map[string]map[Cycle]Lifecycle
}

// Product is a product with its releases and the cycles its rule supports.
// In a view (Model.At), Releases holds the cycles released by that day.
type Product struct {
	ID       string
	Name     string
	Aliases  []string
	Rule     RuleKind // RuleNMinus, RuleWith or RuleNone (the policy states no support window)
	N        int
	With     string // product id for rule "with"
	RuleNote string
	Source   Ref

	Releases []*Release // newest first
	Upcoming []Upcoming // soonest first
	Install  *InstallFile
	Requires []RequireFile
	// Stated are the pages' statements of the supported set.
	Stated []*Statement
	// VersionsOf is the product whose release numbers this one shares.
	VersionsOf string

	rule      Rule
	sup       Support // over Releases
	supHi     Support // over Releases and uncertain: differs from sup where the day is in doubt
	uncertain []*Release
	supported []Cycle    // sup.Window; nil when the rule is unknown
	all       []*Release // every release in the file, newest first
	model     *Model     // the model or view the product belongs to
	// withMe are the products (of the same model or view) whose rule is
	// "with" this one, in product order; notices are the model's notices
	// about this product. Both are set at load (see linkProducts).
	withMe  []*Product
	notices []Notice
}

// Release is a released cycle and the facts the policy holds about it.
type Release struct {
	Cycle Cycle
	// Released is the release date (the file's released, else the first of
	// Dates); zero when undated. Dates holds every value with its source:
	// more than one when pages disagree.
	Released  time.Time
	Dates     []DatedValue
	PairsWith *Cycle // the partner product's cycle (rule "with")
	// Kubernetes is the first stated range; KubeRanges holds every one
	// (per patch, per page), Kubernetes first.
	Kubernetes *KubeRange
	KubeRanges []*KubeRange
	// Platforms is the first platform statement; PlatformsAll every one.
	Platforms    *Platforms
	PlatformsAll []*Platforms
	// Patches are the dated or noted patch releases, oldest first.
	Patches []Patch
	// Install is how this release may be installed, when its page says
	// (nil: the product's Install).
	Install *InstallFile
	Status  string
	Note    string
	Source  Ref

	releasedFrom, releasedBy time.Time // see dateBounds
}

// Upcoming is an announced, not yet released cycle.
type Upcoming struct {
	Cycle    Cycle
	Expected time.Time // zero when no date is announced
	Note     string
	Source   Ref
	// KubeRanges are the Kubernetes ranges pages state before it ships.
	KubeRanges []*KubeRange
}

// KubeRange is the Kubernetes versions a Konvoy release supports.
type KubeRange struct {
	// Min and Max are the bounds' cycles; MinVersion and MaxVersion the
	// bounds as written (with a patch when the page gives one: 1.21.3).
	Min, Max               Cycle
	MinVersion, MaxVersion Version
	// Attached: clusters attached must run a version in the range.
	Attached bool
	// AsPrinted: the page's values contradict each other and are kept as printed.
	AsPrinted bool
	// Heading is the table's heading when it names another release.
	Heading   string
	Note      string
	Default   string
	StatedFor string
	Source    Ref
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
	// Path and Commit are the page's path and version in its repository,
	// when the source names them.
	Path   string `json:"path,omitempty"`
	Commit string `json:"commit,omitempty"`
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
	return slices.Clone(p.supported), p.Rule != RuleNone
}

// Support returns the support window in force: the rule's count, the
// statements in force and whether they differ.
func (p *Product) Support() Support { return p.sup }

// SupportRule returns the product's support rule.
func (p *Product) SupportRule() Rule { return p.rule }

// Uncertain returns the releases whose release the view's day is in doubt
// about: the pages disagree on the date, or an undated release's bounds
// hold the day. Empty for the root model.
func (p *Product) Uncertain() []*Release { return slices.Clone(p.uncertain) }

// Latest returns the newest released cycle (the zero Cycle in a view of a
// day before any release of the product).
func (p *Product) Latest() Cycle {
	if len(p.Releases) == 0 {
		return Cycle{}
	}
	return p.Releases[0].Cycle
}

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

// Status places cycle c under the product's support rule (and the
// statements in force). It is StatusUnknown where the day is in doubt: a
// release date the pages disagree on, statements that disagree.
func (p *Product) Status(c Cycle) Status {
	lo := p.statusIn(c, p.sup, p.Releases)
	if len(p.uncertain) == 0 {
		return lo
	}
	hi := p.statusIn(c, p.supHi, p.releasedHi())
	if lo != hi {
		return StatusUnknown
	}
	return lo
}

// releasedHi is Releases with the uncertain ones, newest first.
func (p *Product) releasedHi() []*Release {
	rs := append(slices.Clone(p.Releases), p.uncertain...)
	slices.SortFunc(rs, func(a, b *Release) int { return b.Cycle.Compare(a.Cycle) })
	return rs
}

func (p *Product) statusIn(c Cycle, s Support, released []*Release) Status {
	if p.Rule == RuleNone || len(s.Window) == 0 {
		return StatusUnknown
	}
	if s.Has(c) {
		return StatusSupported
	}
	if slices.Contains(s.Disputed, c) {
		return StatusUnknown
	}
	if _, ok := p.UpcomingCycle(c); ok {
		return StatusUpcoming
	}
	newest, oldest := s.Window[0], s.Window[len(s.Window)-1]
	isReleased := slices.ContainsFunc(released, func(r *Release) bool { return r.Cycle == c })
	switch {
	case c.Compare(newest) > 0 && !isReleased:
		return StatusUnreleased
	case s.Full && (c.Compare(oldest) < 0 || isReleased):
		return StatusUnsupported
	}
	// Older than a window that is not full, or between supported cycles but
	// not itself released: the policy does not know this cycle.
	return StatusUnknown
}

// windowFull reports whether the support window holds all the cycles its rule
// allows, so that every older cycle is known to be out of support.
func (p *Product) windowFull() bool { return p.sup.Full }

// partners returns the products whose rule is "with" the product id. The
// slice is shared: callers must not modify it.
func (m *Model) partners(id string) []*Product {
	if p, ok := m.products[id]; ok {
		return p.withMe
	}
	return nil
}

// linkProducts sets, for the model or view m, each product's partners
// (withMe) and, on the root, its notices (a view's products share the
// root's), so answers need not search for them.
func (m *Model) linkProducts() {
	for _, id := range m.order {
		p := m.products[id]
		p.withMe = nil
		for _, pid := range m.order {
			if q := m.products[pid]; q.Rule == RuleWith && q.With == id {
				p.withMe = append(p.withMe, q)
			}
		}
		if m != m.root {
			continue
		}
		p.notices = nil
		for _, n := range m.notices {
			if n.Product == id {
				p.notices = append(p.notices, n)
			}
		}
		p.notices = slices.Clip(p.notices)
	}
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
	return Ref{ID: id, Title: src.Title, Section: section, URL: src.URL, Path: src.Path, Commit: src.Commit}
}

// Text renders the range as "1.18.x to 1.20.x (default 1.20.6)", with the
// bounds' patches where the page gives them ("1.21.3 to 1.21.x").
func (r *KubeRange) Text() string {
	s := boundText(r.MinVersion) + " to " + boundText(r.MaxVersion)
	if r.Default != "" {
		s += " (default " + r.Default + ")"
	}
	return s
}

func boundText(v Version) string {
	if v.HasPatch {
		return v.String()
	}
	return v.Cycle.String() + ".x"
}
