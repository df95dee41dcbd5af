package policy

import (
	"regexp"
	"strings"

	"github.com/Masterminds/semver/v3"
)

// VersionRef is one version as a question wrote it: its cycle and patch, and
// what else the form says. Pre-release and build metadata come from a
// semantic-version parse (Masterminds/semver): build metadata never changes
// the cycle; a pre-release is not a released patch version.
type VersionRef struct {
	Version
	Raw string
	// Pre is the pre-release ("rc1", "beta.2", "d2iq.1"); Build the build metadata.
	Pre, Build string
	// MajorOnly is a bare major ("konvoy 2"): it names every line of that major.
	MajorOnly bool
	// Constraint is a set of cycles (">=1.6", "1.6-1.8"), checked with Matches.
	Constraint string
	// Target marks the version an upgrade goes to ("to 1.8"), Source where it starts.
	Target, Source bool

	c *semver.Constraints
}

// Set reports whether the reference names a set of cycles rather than one.
func (r VersionRef) Set() bool { return r.MajorOnly || r.c != nil }

// Matches reports whether cycle c is in the reference's set (or is its cycle).
func (r VersionRef) Matches(c Cycle) bool {
	switch {
	case r.c != nil:
		v := semver.New(c.Major, c.Minor, 0, "", "")
		return r.c.Check(v)
	case r.MajorOnly:
		return c.Major == r.Major
	}
	return c == r.Cycle
}

var (
	versionTokRE = regexp.MustCompile(`^v?\d{1,9}(\.(\d{1,9}|x|\*)){1,2}(-[0-9a-z][0-9a-z.-]*)?(\+[0-9a-z][0-9a-z.-]*)?$`)
	rangeTokRE   = regexp.MustCompile(`^v?(\d{1,9}\.\d{1,9}(?:\.\d{1,9})?)-v?(\d{1,9}\.\d{1,9}(?:\.\d{1,9})?)$`)
	constraintRE = regexp.MustCompile(`^(>=|<=|>|<|=|~|\^)v?\d{1,9}(\.\d{1,9}){0,2}$`)
	numberRE     = regexp.MustCompile(`^v?\d{1,9}$`)
)

// parseVersionToken reads a version-like token; ok is false when it is not one.
// A token that looks like a version but does not parse sets bad.
func parseVersionToken(w string) (ref VersionRef, ok, bad bool) {
	ref.Raw = w
	if !strings.ContainsAny(w, "-+<>=~^") {
		// The common case: 1.8, v1.8.3, 1.8.x.
		if v, err := ParseVersion(w); err == nil {
			ref.Version = v
			return ref, true, false
		}
		if !versionTokRE.MatchString(w) {
			return ref, false, false
		}
	}
	switch {
	case rangeTokRE.MatchString(w):
		sub := rangeTokRE.FindStringSubmatch(w)
		c, err := semver.NewConstraint(sub[1] + " - " + sub[2])
		if err != nil {
			return ref, true, true
		}
		lo, _ := ParseVersion(sub[1])
		ref.Version, ref.c, ref.Constraint = lo, c, sub[1]+"-"+sub[2]
		return ref, true, false
	case constraintRE.MatchString(w):
		c, err := semver.NewConstraint(w)
		if err != nil {
			return ref, true, true
		}
		ref.c, ref.Constraint = c, w
		num := strings.TrimLeft(w, "<>=~^v")
		if v, err := semver.NewVersion(num); err == nil {
			ref.Version = Version{Cycle: Cycle{v.Major(), v.Minor()}}
		}
		return ref, true, false
	case versionTokRE.MatchString(w):
		if !strings.ContainsAny(w, "-+") {
			if v, err := ParseVersion(w); err == nil {
				ref.Version = v
				return ref, true, false
			}
		}
		sv, err := semver.NewVersion(w)
		if err != nil {
			return ref, true, true
		}
		ref.Version = Version{Cycle: Cycle{sv.Major(), sv.Minor()}, Patch: sv.Patch(), HasPatch: strings.Count(strings.SplitN(strings.SplitN(w, "-", 2)[0], "+", 2)[0], ".") >= 2}
		ref.Pre, ref.Build = sv.Prerelease(), sv.Metadata()
		return ref, true, false
	}
	return ref, false, false
}

// looksLikeVersion reports whether w has the shape of a version, range or constraint.
func looksLikeVersion(w string) bool {
	if w == "" {
		return false
	}
	if c := w[0]; (c < '0' || c > '9') && c != 'v' && !strings.ContainsRune("<>=~^", rune(c)) {
		return false
	}
	return strings.Contains(w, ".") && (versionTokRE.MatchString(w) || rangeTokRE.MatchString(w)) || constraintRE.MatchString(w)
}

// Describe is the reference as answers name it.
func (r VersionRef) Describe() string {
	switch {
	case r.Constraint != "":
		return r.Constraint
	case r.MajorOnly:
		return r.Raw
	case r.Pre != "" || r.Build != "":
		return r.Raw
	}
	return r.Label()
}
