package policy

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/Masterminds/semver/v3"
	"go.yaml.in/yaml/v3"
)

// Cycle is a MAJOR.MINOR release cycle. Cycles compare numerically, so 1.10
// follows 1.9 and 1.80 is not 1.8.
type Cycle struct {
	Major, Minor uint64
}

// String returns "MAJOR.MINOR".
func (c Cycle) String() string {
	var b [41]byte
	return string(c.appendTo(b[:0]))
}

// appendTo appends "MAJOR.MINOR" to b (strconv, not fmt: answers name many cycles).
func (c Cycle) appendTo(b []byte) []byte {
	b = strconv.AppendUint(b, c.Major, 10)
	b = append(b, '.')
	return strconv.AppendUint(b, c.Minor, 10)
}

// Compare returns -1, 0 or +1 as c is older than, the same as or newer than d.
func (c Cycle) Compare(d Cycle) int {
	switch {
	case c.Major != d.Major:
		return cmpUint(c.Major, d.Major)
	default:
		return cmpUint(c.Minor, d.Minor)
	}
}

func cmpUint(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Version is a version as people write it: a cycle, and a patch when one was given.
// "1.8", "v1.8", "1.8.x" and "1.8.3" all belong to cycle 1.8.
type Version struct {
	Cycle
	Patch    uint64
	HasPatch bool
}

// String returns the version in its shortest exact form: "1.8" or "1.8.3".
func (v Version) String() string {
	if v.HasPatch {
		var b [62]byte
		return string(strconv.AppendUint(append(v.Cycle.appendTo(b[:0]), '.'), v.Patch, 10))
	}
	return v.Cycle.String()
}

// Label is how answers name the version: "1.8.x" for a whole cycle, "1.8.3" for a patch.
func (v Version) Label() string {
	if v.HasPatch {
		return v.String()
	}
	return v.Cycle.String() + ".x"
}

var versionRE = regexp.MustCompile(`^[vV]?(\d{1,9})\.(\d{1,9})(?:\.(\d{1,9}|[xX*]))?$`)

// ParseVersion parses "1.8", "v1.8.3", "1.8.x" or a full semantic version
// ("1.8.3-rc.1"). It rejects a bare major ("1") and anything else.
func ParseVersion(s string) (Version, error) {
	if m := versionRE.FindStringSubmatch(s); m != nil {
		maj, _ := strconv.ParseUint(m[1], 10, 64)
		minr, _ := strconv.ParseUint(m[2], 10, 64)
		v := Version{Cycle: Cycle{maj, minr}}
		if p := m[3]; p != "" && !strings.ContainsAny(p, "xX*") {
			v.Patch, _ = strconv.ParseUint(p, 10, 64)
			v.HasPatch = true
		}
		return v, nil
	}
	// Pre-release and build metadata: let the semver library judge the syntax.
	if strings.Count(s, ".") >= 2 {
		if sv, err := semver.StrictNewVersion(strings.TrimPrefix(strings.TrimPrefix(s, "v"), "V")); err == nil {
			return Version{Cycle: Cycle{sv.Major(), sv.Minor()}, Patch: sv.Patch(), HasPatch: true}, nil
		}
	}
	return Version{}, fmt.Errorf("%q is not a MAJOR.MINOR or MAJOR.MINOR.PATCH version", s)
}

// ParseCycle parses a MAJOR.MINOR cycle such as "1.8". A patch is an error.
func ParseCycle(s string) (Cycle, error) {
	v, err := ParseVersion(s)
	if err != nil {
		return Cycle{}, err
	}
	if v.HasPatch || strings.HasSuffix(strings.ToLower(s), ".x") || strings.HasPrefix(s, "v") {
		return Cycle{}, fmt.Errorf("%q is not a MAJOR.MINOR cycle (write it like \"1.8\")", s)
	}
	return v.Cycle, nil
}

// Date is a calendar date (RFC 3339 full-date) in the policy file.
type Date struct{ time.Time }

// ParseDate parses "2006-01-02".
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("%q is not a date like 2021-06-01", s)
	}
	return Date{t}, nil
}

// String returns the date as "2006-01-02", or "" for the zero date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.Format(time.DateOnly)
}

// UnmarshalYAML implements yaml.Unmarshaler.
func (d *Date) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: want a date like 2021-06-01", n.Line)
	}
	p, err := ParseDate(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %w", n.Line, err)
	}
	*d = p
	return nil
}

// MarshalYAML implements yaml.Marshaler.
func (d Date) MarshalYAML() (any, error) { return d.String(), nil }

// IsZero reports whether the date is unset (needed by yaml's omitempty).
func (d Date) IsZero() bool { return d.Time.IsZero() }
