package policy

import (
	"slices"
	"strings"
)

// KubeFor returns the Kubernetes ranges stated for version v of the
// release: for a patch, those stated for the newest patch at or below it
// (1.8.4 takes 1.8.4's default, 1.8.3's if 1.8.4 has none); for a whole
// cycle, those stated like the release's first range. A range stated for a
// pre-release (1.7.0-beta.0) counts only for that pre-release. More than
// one range means several pages state it; they may disagree (see
// KubeConflict).
func (r *Release) KubeFor(v Version) []*KubeRange {
	var ranges []*KubeRange
	for _, k := range r.KubeRanges {
		if !strings.Contains(k.StatedFor, "-") {
			ranges = append(ranges, k)
		}
	}
	if len(ranges) == 0 {
		return nil
	}
	key := func(k *KubeRange) (uint64, bool) {
		if k.StatedFor == "" {
			return 0, false
		}
		sv, err := ParseVersion(k.StatedFor)
		if err != nil || !sv.HasPatch {
			return 0, false
		}
		return sv.Patch, true
	}
	want, wantOK := key(ranges[0])
	if v.HasPatch {
		best, found := uint64(0), false
		for _, k := range ranges {
			if p, ok := key(k); ok && p <= v.Patch && (!found || p > best) {
				best, found = p, true
			}
		}
		if found {
			want, wantOK = best, true
		}
	}
	var out []*KubeRange
	for _, k := range ranges {
		if p, ok := key(k); ok == wantOK && p == want {
			out = append(out, k)
		}
	}
	return out
}

// KubeConflict reports whether the ranges disagree in a bound or the default.
func KubeConflict(ks []*KubeRange) bool {
	for _, k := range ks[min(1, len(ks)):] {
		if k.MinVersion != ks[0].MinVersion || k.MaxVersion != ks[0].MaxVersion || k.Default != ks[0].Default {
			return true
		}
	}
	return false
}

// Admits reports whether Kubernetes version v is in the range; sure is false
// when v names a whole cycle and a bound with a patch cuts through it
// (1.21 against a minimum of 1.21.3).
func (r *KubeRange) Admits(v Version) (in, sure bool) {
	if v.Cycle.Compare(r.Min) < 0 || v.Cycle.Compare(r.Max) > 0 {
		return false, true
	}
	in, sure = true, true
	if v.Cycle == r.Min && r.MinVersion.HasPatch && r.MinVersion.Patch > 0 {
		if !v.HasPatch {
			sure = false
		} else if v.Patch < r.MinVersion.Patch {
			return false, true
		}
	}
	if v.Cycle == r.Max && r.MaxVersion.HasPatch {
		if !v.HasPatch {
			sure = false
		} else if v.Patch > r.MaxVersion.Patch {
			return false, true
		}
	}
	return in, sure
}

// patchDefaults lists the other defaults the release's ranges state per patch.
func (r *Release) patchDefaults() []*KubeRange {
	var out []*KubeRange
	for _, k := range r.KubeRanges {
		if k.StatedFor != "" && k.Default != "" && !slices.ContainsFunc(out, func(o *KubeRange) bool { return o.StatedFor == k.StatedFor && o.Default == k.Default }) {
			out = append(out, k)
		}
	}
	return out
}
