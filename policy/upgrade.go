package policy

import (
	"github.com/Masterminds/semver/v3"
)

// UpgradeKind is what an upgrade rule says.
type UpgradeKind string

// The kinds of upgrade rules (see UpgradeFile).
const (
	UpgradePath         UpgradeKind = "path"
	UpgradeAvoid        UpgradeKind = "avoid"
	UpgradePrerequisite UpgradeKind = "prerequisite"
	UpgradeForbidden    UpgradeKind = "forbidden"
	UpgradeAdvisory     UpgradeKind = "advisory"
)

var upgradeKinds = []UpgradeKind{UpgradePath, UpgradeAvoid, UpgradePrerequisite, UpgradeForbidden, UpgradeAdvisory}

// Upgrade is one upgrade rule from the pages.
type Upgrade struct {
	Product string
	// From and To constrain the versions upgraded from and to; nil matches
	// any. FromText and ToText are the constraints as written.
	From, To         *semver.Constraints
	FromText, ToText string
	// ToProduct is the target product when it is another one (dkp).
	ToProduct   string
	Kind        UpgradeKind
	Steps       []string
	Avoid       []Version
	Instead     []Version
	WhenEnabled string
	Statement   string
	Source      Ref
}

// Target is the product upgraded to: ToProduct, or Product.
func (u Upgrade) Target() string {
	if u.ToProduct != "" {
		return u.ToProduct
	}
	return u.Product
}

// UpgradeQuery is an upgrade asked about: product From to product To.
// To.Cycle is zero when no target was given; ToProduct empty means Product.
type UpgradeQuery struct {
	Product   string
	From      Version
	ToProduct string
	To        *Version
	// Enabled are products enabled on the cluster (kaptain).
	Enabled []string
}

// Upgrades returns the upgrade rules that apply to q, in file order. A rule
// with WhenEnabled applies only when q.Enabled names that product; a rule
// on another target product applies only when q asks for it.
func (m *Model) Upgrades(q UpgradeQuery) []Upgrade {
	target := q.ToProduct
	if target == "" {
		target = q.Product
	}
	var out []Upgrade
	for _, u := range m.root.upgrades {
		if u.Product != q.Product || !matches(u.From, q.From) {
			continue
		}
		if q.To != nil {
			same := m.sameLine(u.Target(), target)
			if !same && u.Kind != UpgradeAvoid {
				continue
			}
			if same && !matches(u.To, *q.To) {
				continue
			}
		}
		if u.WhenEnabled != "" && !contains(q.Enabled, u.WhenEnabled) {
			continue
		}
		out = append(out, u)
	}
	return out
}

// ForbiddenWhenEnabled returns the forbidden rules for q that apply only
// when some product is enabled, whether or not q enables it: answers
// mention them ("not supported with Kaptain enabled").
func (m *Model) ForbiddenWhenEnabled(q UpgradeQuery) []Upgrade {
	q.Enabled = nil
	var out []Upgrade
	for _, u := range m.root.upgrades {
		if u.Kind != UpgradeForbidden || u.WhenEnabled == "" || u.Product != q.Product || !matches(u.From, q.From) {
			continue
		}
		if q.To != nil && (!m.sameLine(u.Target(), orSelf(q.ToProduct, q.Product)) || !matches(u.To, *q.To)) {
			continue
		}
		out = append(out, u)
	}
	return out
}

// matches reports whether the constraint admits v: for a whole cycle (no
// patch), whether it admits the cycle's first or some later patch.
func matches(c *semver.Constraints, v Version) bool {
	if c == nil {
		return true
	}
	try := func(patch uint64) bool {
		return c.Check(semver.New(v.Major, v.Minor, patch, "", ""))
	}
	if v.HasPatch {
		return try(v.Patch)
	}
	return try(0) || try(999)
}

func contains(s []string, x string) bool {
	for _, e := range s {
		if e == x {
			return true
		}
	}
	return false
}

// sameLine reports whether products a and b share release numbers: the
// same product, or one's versions are the other's (dkp: konvoy).
func (m *Model) sameLine(a, b string) bool {
	if a == b {
		return true
	}
	pa, okA := m.products[a]
	pb, okB := m.products[b]
	return okA && pa.VersionsOf == b || okB && pb.VersionsOf == a
}

func orSelf(s, self string) string {
	if s == "" {
		return self
	}
	return s
}
