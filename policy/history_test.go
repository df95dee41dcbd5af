package policy_test

// The history policy (deploy/policies/d2iq-history.yaml) against the index of
// the pages it encodes (policy-sources/docs-site/README.md): the test reads the
// index, takes each fact it states (the release-notes table, each page's
// supported sets, pairings, bans and Kubernetes table) and checks that the
// loaded history answers it, through the model's public API, citing the page.

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Masterminds/semver/v3"

	"github.com/d2iq/supportbot/policy"
)

const (
	historyFile = "deploy/policies/d2iq-history.yaml"
	indexFile   = "../shared/policy-sources/docs-site/README.md" // from the repository root
)

// repoRoot is the directory holding go.mod, above the test's directory.
func hxRepoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test directory")
		}
		dir = parent
	}
}

var (
	historyOnce  sync.Once
	historyModel *policy.Model
	historyErr   error
)

// history loads the history policy once for all tests.
func hxHistory(t *testing.T) *policy.Model {
	t.Helper()
	root := hxRepoRoot(t)
	historyOnce.Do(func() { historyModel, historyErr = policy.Load(filepath.Join(root, historyFile)) })
	if historyErr != nil {
		t.Fatalf("load %s: %v", historyFile, historyErr)
	}
	return historyModel
}

// readIndex returns the docs-site index, failing with a clear message when
// the shared policy sources are not beside the repository.
func hxReadIndex(t *testing.T) string {
	t.Helper()
	path := filepath.Join(hxRepoRoot(t), indexFile)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("the docs-site index is missing: %v\n"+
			"The history tests read %s from the repository root (the shared policy sources sit beside the clone).", err, indexFile)
	}
	return string(data)
}

// ---------------------------------------------------------------------------
// The index, parsed.

// indexPage is one "### A1. file.md" section of the index.
type indexPage struct {
	Key     string // "A1"
	File    string // "konvoy-0.0-version-support-policy.md"
	Product string // konvoy, kommander or kaptain (the section group)
	Lines   []string
	Commit  string
	Path    string

	Example  *statedFact // the "N-2 example" / "With the GA release" sentence
	Next     *statedFact // the "Next-release" sentence
	Pairs    [][2]string // Konvoy cycle, Kommander cycle
	Bans     [][2]string // Kommander cycle, Konvoy cycle
	Kube     *kubeFact
	NoPairs  bool // the index says the page has no (visible) pairing table
	inherits map[string]string
}

// statedFact is a stated supported set: when Current is the latest release
// (Current empty: "When the next version releases"), Supported are
// supported and Expires expire.
type statedFact struct {
	Current   string
	Supported []string
	Expires   []string
}

// kubeFact is a page's Kubernetes table.
type kubeFact struct {
	Heading          string // the version the heading names: "1.5.0", "2.0"
	Min, Max, Defalt string // "" where the index does not say
	Mislabelled      bool
}

var (
	sectionRE  = regexp.MustCompile(`(?m)^### ([ABC]\d+)\. (\S+\.md)\s*$`)
	cycleRE    = regexp.MustCompile(`\d+\.\d+(?:\.\d+|\.x)?`)
	pathRE     = regexp.MustCompile("Path: `([^`]+)` @([0-9a-f]{7})")
	samePathRE = regexp.MustCompile(`Same path @([0-9a-f]{7})`)
	pairRE     = regexp.MustCompile(`(\d+\.\d+)\.x↔(\d+\.\d+)\.x`)
	banRE      = regexp.MustCompile(`Kommander (\d+\.\d+)\.x on Konvoy (\d+\.\d+)\.x`)
	tripleRE   = regexp.MustCompile(`(\d+\.\d+\.(?:\d+|x)) / (\d+\.\d+\.(?:\d+|x)) / (\d+\.\d+\.(?:\d+|x))`)
	minMaxRE   = regexp.MustCompile(`min (\d+\.\d+\.(?:\d+|x)), max (\d+\.\d+\.(?:\d+|x)), default (\d+\.\d+\.(?:\d+|x))`)
	headingRE  = regexp.MustCompile(`(?:Konvoy|Kommander) (\d+\.\d+(?:\.\d+)?) supports`)
	k8sForRE   = regexp.MustCompile(`K8s (?:for |\()(\d+\.\d+\.\d+)`)
	defaultRE  = regexp.MustCompile(`K8s default (?:is )?(\d+\.\d+\.\d+)`)
	refRE      = regexp.MustCompile(`\b([ABC]\d+)\b`)
)

// clean drops the Markdown emphasis and the registered marks.
func hxClean(s string) string {
	return strings.NewReplacer("**", "", "®", "", "&reg;", "").Replace(s)
}

// cycles returns the MAJOR.MINOR cycles named in s, in order ("1.8.x" and
// "1.8.0" count as 1.8).
func hxCycles(s string) []string {
	var out []string
	for _, v := range cycleRE.FindAllString(s, -1) {
		parts := strings.Split(v, ".")
		out = append(out, parts[0]+"."+parts[1])
	}
	return out
}

// upTo cuts s at the first sentence end (". ", ".\"", ";", ")" or a final ".").
func hxUpTo(s string) string {
	end := len(s)
	for _, stop := range []string{". ", ".\"", ";", ")"} {
		if i := strings.Index(s, stop); i >= 0 && i < end {
			end = i
		}
	}
	return strings.TrimSuffix(s[:end], ".")
}

// parseIndex returns the index's page sections in order.
func hxParseIndex(t *testing.T, idx string) []*indexPage {
	t.Helper()
	locs := sectionRE.FindAllStringSubmatchIndex(idx, -1)
	if len(locs) == 0 {
		t.Fatalf("%s: no \"### A1. file.md\" page sections", indexFile)
	}
	var pages []*indexPage
	byKey := map[string]*indexPage{}
	for i, loc := range locs {
		end := len(idx)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		body := idx[loc[1]:end]
		if j := strings.Index(body, "\n## "); j >= 0 {
			body = body[:j]
		}
		p := &indexPage{Key: idx[loc[2]:loc[3]], File: idx[loc[4]:loc[5]], inherits: map[string]string{}}
		p.Product = map[byte]string{'A': "konvoy", 'B': "kommander", 'C': "kaptain"}[p.Key[0]]
		for _, l := range strings.Split(body, "\n") {
			l = strings.TrimSpace(l)
			if strings.HasPrefix(l, "- ") {
				p.Lines = append(p.Lines, hxClean(strings.TrimPrefix(l, "- ")))
			}
		}
		p.parse(byKey)
		pages = append(pages, p)
		byKey[p.Key] = p
	}
	return pages
}

// parse reads the facts of one section; byKey holds the sections before it,
// for "Same as A2" and the like.
func (p *indexPage) parse(byKey map[string]*indexPage) {
	from := func(l, kind string) {
		for _, m := range refRE.FindAllStringSubmatch(l, -1) {
			if _, ok := byKey[m[1]]; ok {
				p.inherits[kind] = m[1]
			}
		}
	}
	for _, l := range p.Lines {
		low := strings.ToLower(l)
		switch {
		case strings.HasPrefix(low, "same as ") || strings.HasPrefix(low, "same text as") ||
			strings.HasPrefix(low, "same facts as") || strings.HasPrefix(low, "identical facts to"):
			from(l, "all")
		case strings.Contains(low, "same path @") && (strings.Contains(low, "same as ") || strings.Contains(low, "same facts as") || strings.Contains(low, "same text as")):
			from(l, "all")
		}
		if strings.Contains(low, "same n-2") || strings.Contains(low, "n-2 and next-release text are the same as") {
			from(l, "stated")
		}
		if strings.Contains(low, "table as ") {
			from(l, "pairs")
		}
		if m := pathRE.FindStringSubmatch(l); m != nil {
			p.Path, p.Commit = m[1], m[2]
		} else if m := samePathRE.FindStringSubmatch(l); m != nil {
			p.Commit = m[1]
		}
		switch {
		case strings.HasPrefix(l, "N-2 example") || strings.Contains(l, "N-2 example unchanged"):
			p.Example = hxParseExample(l)
			if n := hxParseNext(l); n != nil && strings.Contains(l, "support continues for") {
				p.Next = n
			}
		case strings.Contains(l, "→") && strings.Contains(low, "n-2"):
			p.Example = hxParseExample(l)
		case strings.HasPrefix(l, "Next-release"):
			p.Next = hxParseNext(l)
		case strings.HasPrefix(l, "\"With the GA release of Kaptain") || strings.HasPrefix(l, "With the GA release of Kaptain"):
			p.Example = hxParseKaptain(l)
		}
		switch {
		case (strings.HasPrefix(l, "Pairing") || strings.HasPrefix(l, "The table is headed")) && strings.Contains(l, "↔"):
			for _, m := range pairRE.FindAllStringSubmatch(l, -1) {
				p.Pairs = append(p.Pairs, [2]string{m[1], m[2]})
			}
		case strings.Contains(l, "Pairing as"):
			from(l[strings.Index(l, "Pairing as"):], "pairs")
		}
		if strings.Contains(low, "pairing table still has no") || strings.Contains(low, "no kommander pairing section") ||
			strings.Contains(low, "inside an html comment") || strings.Contains(low, "table is commented out") {
			p.NoPairs = true
		}
		if i := strings.Index(l, "Bans"); i >= 0 {
			rest := l[i:]
			if ms := banRE.FindAllStringSubmatch(rest, -1); ms != nil {
				for _, m := range ms {
					p.Bans = append(p.Bans, [2]string{m[1], m[2]})
				}
			} else {
				from(rest, "bans")
			}
		}
		if strings.Contains(l, "K8s") && !strings.Contains(l, "table is gone") {
			p.parseKube(l)
		}
	}
	for kind, key := range p.inherits {
		src := byKey[key]
		if kind == "all" || kind == "stated" {
			if p.Example == nil {
				p.Example = src.Example
			}
			if p.Next == nil {
				p.Next = src.Next
			}
		}
		if (kind == "all" || kind == "pairs") && p.Pairs == nil && !p.NoPairs {
			p.Pairs = src.Pairs
		}
		if (kind == "all" || kind == "bans") && p.Bans == nil {
			p.Bans = src.Bans
		}
		if kind == "all" && src.Kube != nil {
			if p.Kube == nil {
				k := *src.Kube
				p.Kube = &k
			} else if p.Kube.Min == "" { // "Same as A14, but the K8s default is 1.22.8"
				k := *src.Kube
				k.Defalt = p.Kube.Defalt
				p.Kube = &k
			}
		}
	}
	if p.Path == "" {
		for _, l := range p.Lines {
			if strings.HasPrefix(l, "Same path") {
				for _, q := range byKey {
					if q.File != p.File && q.Path != "" && hxSamePage(q.File, p.File) {
						p.Path = q.Path
					}
				}
			}
		}
	}
}

// samePage reports whether two copy names are versions of one page (they
// share the name up to the commit suffix).
func hxSamePage(a, b string) bool {
	strip := func(s string) string {
		s = strings.TrimSuffix(s, ".md")
		if i := strings.LastIndex(s, "-"); i >= 0 && len(s)-i-1 == 7 {
			s = s[:i]
		}
		return strings.TrimSuffix(s, "-beta")
	}
	return strip(a) == strip(b)
}

// parseExample reads "current X → S" or "if ... is X, then D2iQ supports ... S".
func hxParseExample(l string) *statedFact {
	var before, after string
	if i := strings.Index(l, "→"); i >= 0 {
		before, after = l[:i], l[i+len("→"):]
	} else if i := strings.Index(l, "then D2iQ supports"); i >= 0 {
		before, after = l[:i], l[i+len("then D2iQ supports"):]
	} else {
		return nil
	}
	cur := hxCycles(before)
	sup := hxCycles(hxUpTo(after))
	if len(cur) == 0 || len(sup) == 0 {
		return nil
	}
	return &statedFact{Current: cur[len(cur)-1], Supported: sup}
}

// parseNext reads "When the X version releases, support continues for S.
// Support for ... Y.x expires."
func hxParseNext(l string) *statedFact {
	i := strings.Index(l, "support continues for")
	if i < 0 {
		return nil
	}
	f := &statedFact{}
	if j := strings.Index(l, "When the "); j >= 0 && j < i {
		if cs := hxCycles(l[j:i]); len(cs) > 0 {
			f.Current = cs[0]
		}
	}
	rest := l[i+len("support continues for"):]
	f.Supported = hxCycles(hxUpTo(rest))
	if k := strings.Index(rest, "Support for"); k >= 0 {
		exp := rest[k:]
		if e := strings.Index(exp, "expires"); e >= 0 {
			f.Expires = hxCycles(exp[:e])
		}
	}
	return f
}

// parseKaptain reads "With the GA release of Kaptain X.Y.Z, support
// continues for Kaptain S, ... Support for Kaptain Y expires."
func hxParseKaptain(l string) *statedFact {
	i := strings.Index(l, "support continues for")
	if i < 0 {
		return nil
	}
	f := &statedFact{}
	if cs := hxCycles(l[:i]); len(cs) > 0 {
		f.Current = cs[0]
	}
	rest := l[i:]
	end := len(rest)
	for _, stop := range []string{", including", " …", "Support for"} {
		if k := strings.Index(rest, stop); k >= 0 && k < end {
			end = k
		}
	}
	f.Supported = hxCycles(rest[:end])
	if k := strings.Index(rest, "Support for Kaptain"); k >= 0 {
		exp := rest[k:]
		if e := strings.Index(exp, "expires"); e >= 0 {
			f.Expires = hxCycles(exp[:e])
		}
	}
	return f
}

// parseKube reads a K8s line: its heading's version and the three values.
func (p *indexPage) parseKube(l string) {
	k := &kubeFact{Mislabelled: strings.Contains(l, "mislabelled")}
	if m := headingRE.FindStringSubmatch(l); m != nil {
		k.Heading = m[1]
	} else if m := k8sForRE.FindStringSubmatch(l); m != nil {
		k.Heading = m[1]
	}
	switch m1, m2, m3 := tripleRE.FindStringSubmatch(l), minMaxRE.FindStringSubmatch(l), defaultRE.FindStringSubmatch(l); {
	case m1 != nil:
		k.Min, k.Max, k.Defalt = m1[1], m1[2], m1[3]
	case m2 != nil:
		k.Min, k.Max, k.Defalt = m2[1], m2[2], m2[3]
	case m3 != nil:
		k.Defalt = m3[1]
	default:
		return
	}
	p.Kube = k
}

// releaseRow is one row of the index's release-notes table.
type releaseRow struct {
	Product   string // konvoy, kommander, kaptain, dkp
	Version   string // "1.5.0", "2.0", "2.2"
	Qualifier string // "beta 0", "index variant", "draft", "beta 6"
	DateText  string
	Date      time.Time // zero when the printed date is not a date
	Min, Max  string
	Default   string
	File      string
	Raw       string
}

var (
	rowReleaseRE = regexp.MustCompile(`^(DKP/Konvoy|Konvoy|Kommander|Kaptain|DKP) (\d+\.\d+(?:\.\d+)?)(?: (beta \d+))?(?: \(([^)]*)\))?$`)
	dmyRE        = regexp.MustCompile(`(\d{1,2})(?:st|nd|rd|th)?,? (January|February|March|April|May|June|July|August|September|October|November|December),? (\d{4})`)
	mdyRE        = regexp.MustCompile(`(January|February|March|April|May|June|July|August|September|October|November|December) (\d{1,2})(?:st|nd|rd|th)?, (\d{4})`)
	fileRE       = regexp.MustCompile(`([a-z0-9.-]+\.md)`)
	proseRangeRE = regexp.MustCompile(`(\d+\.\d+\.\d+)–(\d+\.\d+\.x)`)
)

// parseDate reads the dates the pages print: "20 July 2020", "September 23,
// 2021", "December 1st, 2022", "09, August 2021".
func hxParseDate(s string) time.Time {
	s = hxClean(s)
	if m := mdyRE.FindStringSubmatch(s); m != nil {
		d, err := time.Parse("January 2 2006", m[1]+" "+m[2]+" "+m[3])
		if err == nil {
			return d
		}
	}
	if m := dmyRE.FindStringSubmatch(s); m != nil {
		d, err := time.Parse("2 January 2006", m[1]+" "+m[2]+" "+m[3])
		if err == nil {
			return d
		}
	}
	return time.Time{}
}

// parseReleaseTable reads the "| Release | Date (as printed) | Min | Max |
// Default | File |" table; a row whose file is "same" takes the row above's.
func hxParseReleaseTable(t *testing.T, idx string) []releaseRow {
	t.Helper()
	i := strings.Index(idx, "| Release | Date")
	if i < 0 {
		t.Fatalf("%s: no release-notes table (a \"| Release | Date ...\" header)", indexFile)
	}
	var rows []releaseRow
	lastFile := ""
	for _, line := range strings.Split(idx[i:], "\n")[2:] {
		if !strings.HasPrefix(line, "|") {
			break
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		if len(cells) != 6 {
			t.Fatalf("release table row has %d cells, want 6: %s", len(cells), line)
		}
		for j := range cells {
			cells[j] = strings.TrimSpace(cells[j])
		}
		m := rowReleaseRE.FindStringSubmatch(hxClean(cells[0]))
		if m == nil {
			t.Fatalf("release table: cannot read the release %q", cells[0])
		}
		r := releaseRow{Product: strings.ToLower(m[1]), Version: m[2], Qualifier: m[3] + m[4], DateText: hxClean(cells[1]), Raw: line}
		if m[1] == "DKP/Konvoy" {
			r.Product = "konvoy"
		}
		r.Date = hxParseDate(cells[1])
		if f := fileRE.FindString(cells[5]); f != "" && !strings.HasPrefix(cells[5], "same") {
			lastFile = f
		}
		r.File = lastFile
		if strings.Contains(cells[5], "key-lines file") {
			r.File = "konvoy-1.6.2-1.7.4-release-notes-key-lines.md"
		}
		r.Min, r.Max, r.Default = hxKubeCell(cells[2]), hxKubeCell(cells[3]), hxKubeCell(cells[4])
		if pm := proseRangeRE.FindStringSubmatch(cells[2]); pm != nil {
			r.Min, r.Max = pm[1], pm[2]
		}
		rows = append(rows, r)
	}
	if len(rows) < 30 {
		t.Fatalf("release table: read %d rows, want the index's 40 or so", len(rows))
	}
	return rows
}

// kubeCell is the first version in a Kubernetes cell ("–" and prose: "").
func hxKubeCell(s string) string {
	s = hxClean(s)
	if m := regexp.MustCompile(`^"?(\d+\.\d+\.(?:\d+|x))`).FindStringSubmatch(s); m != nil {
		return m[1]
	}
	return ""
}

// ---------------------------------------------------------------------------
// Helpers on the model.

// sourceID is the history file's source id for a page copy.
func hxSourceID(t *testing.T, m *policy.Model, file string) string {
	t.Helper()
	for _, s := range m.File().Sources {
		if s.File == file {
			return s.ID
		}
	}
	t.Fatalf("no source in %s has file %q", historyFile, file)
	return ""
}

func hxProduct(t *testing.T, m *policy.Model, id string) *policy.Product {
	t.Helper()
	p, ok := m.Product(id)
	if !ok {
		t.Fatalf("%s has no product %q", historyFile, id)
	}
	return p
}

func hxCyc(t *testing.T, s string) policy.Cycle {
	t.Helper()
	v, err := policy.ParseVersion(s)
	if err != nil {
		t.Fatalf("version %q: %v", s, err)
	}
	return v.Cycle
}

func hxCycleStrings(cs []policy.Cycle) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.String()
	}
	return out
}

// sameSet compares two cycle lists as sets.
func hxSameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(slices.Compact(a), slices.Compact(b))
}

// norm writes a Kubernetes bound the way the model prints it: "1.17.x" is "1.17".
func hxNorm(s string) string { return strings.TrimSuffix(s, ".x") }

// allReleases is every release of p the root model holds.
func hxAllReleases(p *policy.Product) []*policy.Release { return p.Releases }

// ---------------------------------------------------------------------------
// The tests.

// TestHistoryIndexPagesAreSources: every page the index lists, and every
// copy in docs-site, is a source of the history file with the path and
// commit the index gives.
func TestHistoryIndexPagesAreSources(t *testing.T) {
	m := hxHistory(t)
	idx := hxReadIndex(t)
	pages := hxParseIndex(t, idx)
	if len(pages) != 35 {
		t.Errorf("index page sections = %d, want 35 (A1-A18, B1-B10, C1-C7)", len(pages))
	}
	byFile := map[string]policy.SourceDoc{}
	for _, s := range m.File().Sources {
		if s.File != "" {
			byFile[s.File] = s
		}
	}
	for _, p := range pages {
		t.Run(p.Key, func(t *testing.T) {
			s, ok := byFile[p.File]
			if !ok {
				t.Fatalf("%s (%s) is not a source", p.File, p.Key)
			}
			if p.Commit != "" && s.Commit != p.Commit {
				t.Errorf("%s commit = %q, the index says %q", p.File, s.Commit, p.Commit)
			}
			if p.Path != "" && s.Path != p.Path {
				t.Errorf("%s path = %q, the index says %q", p.File, s.Path, p.Path)
			}
			if s.Product != p.Product {
				t.Errorf("%s product = %q, want %q", p.File, s.Product, p.Product)
			}
		})
	}
	// Every copy in the folder, release notes included.
	dir := filepath.Dir(filepath.Join(hxRepoRoot(t), indexFile))
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if e.IsDir() || e.Name() == "README.md" || !strings.HasSuffix(e.Name(), ".md") {
			continue
		}
		n++
		if _, ok := byFile[e.Name()]; !ok {
			t.Errorf("docs-site/%s is not a source of the history file", e.Name())
		}
	}
	if n < 60 {
		t.Errorf("docs-site holds %d pages, want the 60-odd the index describes", n)
	}
}

// TestHistoryIndexStatedSets: each page's "N-2 example" and "Next-release"
// sentence is a stated set of the history file, citing the page; on the day
// its current cycle was released, the statement is in force and the
// cycles it says expire are no longer supported.
func TestHistoryIndexStatedSets(t *testing.T) {
	m := hxHistory(t)
	pages := hxParseIndex(t, hxReadIndex(t))
	checked := 0
	for _, pg := range pages {
		for _, f := range []struct {
			kind string
			fact *statedFact
		}{{"example", pg.Example}, {"next-release", pg.Next}} {
			if f.fact == nil {
				continue
			}
			checked++
			t.Run(pg.Key+"/"+f.kind, func(t *testing.T) {
				p := hxProduct(t, m, pg.Product)
				src := hxSourceID(t, m, pg.File)
				var found *policy.Statement
				for _, s := range p.Stated {
					if s.Source.ID != src || !hxSameSet(hxCycleStrings(s.Supported), f.fact.Supported) {
						continue
					}
					if f.fact.Current != "" && s.HasCurrent && s.Current.String() != f.fact.Current {
						continue
					}
					if len(f.fact.Expires) > 0 && !hxSameSet(hxCycleStrings(s.Expires), f.fact.Expires) {
						continue
					}
					found = s
					break
				}
				if found == nil {
					t.Fatalf("%s %s: no stated set citing %s with current %q, supported %v, expires %v",
						pg.Product, f.kind, src, f.fact.Current, f.fact.Supported, f.fact.Expires)
				}
				if found.HasCurrent {
					hxCheckStatementInForce(t, m, p.ID, found)
				}
			})
		}
	}
	if checked < 50 {
		t.Errorf("checked %d stated sets from the index, want at least 50", checked)
	}
}

// checkStatementInForce: on the day the statement's current cycle was
// released (when the pages date it), the view cites the statement among those
// in force, supports the current cycle and no longer supports what it says
// expires.
func hxCheckStatementInForce(t *testing.T, m *policy.Model, id string, s *policy.Statement) {
	t.Helper()
	p := hxProduct(t, m, id)
	r, ok := p.Release(s.Current)
	if !ok || r.Released.IsZero() || r.DateDisputed() {
		return // undated, announced only, or the pages disagree on the day
	}
	// In force only while the current cycle is the latest release.
	if p.Latest() != s.Current {
		if next := hxNextRelease(p, s.Current); next != nil && !next.Released.After(r.Released) {
			return
		}
	}
	view := m.At(r.Released)
	vp := hxProduct(t, view, id)
	sup := vp.Support()
	if !slices.ContainsFunc(sup.Stated, func(x *policy.Statement) bool { return x.Source == s.Source && x.Text == s.Text }) {
		t.Errorf("%s on %s: the statement of %s is not in force (stated in force: %d)", id, r.Released.Format(time.DateOnly), s.Source.ID, len(sup.Stated))
	}
	if vp.Status(s.Current) != policy.StatusSupported {
		t.Errorf("%s %s on its release day %s: status %v, want supported", id, s.Current, r.Released.Format(time.DateOnly), vp.Status(s.Current))
	}
	// The window is the page's set (with the current cycle), unless pages in
	// force that day disagree.
	want := append(hxCycleStrings(s.Supported), s.Current.String())
	if !sup.Conflict && !hxSameSet(hxCycleStrings(sup.Window), want) {
		t.Errorf("%s on %s: supported %v, %s states %v", id, r.Released.Format(time.DateOnly), hxCycleStrings(sup.Window), s.Source.ID, want)
	}
	for _, e := range s.Expires {
		if slices.Contains(sup.Disputed, e) {
			continue
		}
		if sup.Has(e) {
			t.Errorf("%s %s on %s: still supported, but %s says it expires", id, e, r.Released.Format(time.DateOnly), s.Source.ID)
		}
	}
}

// nextRelease is the release after c, oldest first.
func hxNextRelease(p *policy.Product, c policy.Cycle) *policy.Release {
	var next *policy.Release
	for _, r := range p.Releases {
		if r.Cycle.Compare(c) > 0 {
			next = r
		}
	}
	return next
}

// TestHistoryIndexPairingsAndBans: each page's pairing rows and "You cannot
// deploy" bans are in the history file, citing the page.
func TestHistoryIndexPairingsAndBans(t *testing.T) {
	m := hxHistory(t)
	pages := hxParseIndex(t, hxReadIndex(t))
	pairs, bans := 0, 0
	for _, pg := range pages {
		src := hxSourceID(t, m, pg.File)
		for _, pr := range pg.Pairs {
			pairs++
			t.Run(fmt.Sprintf("%s/pair-konvoy-%s-kommander-%s", pg.Key, pr[0], pr[1]), func(t *testing.T) {
				ok := slices.ContainsFunc(m.Pairings("kommander", hxCyc(t, pr[1])), func(x policy.Pairing) bool {
					return x.Source.ID == src && x.With == "konvoy" && x.WithCycle == hxCyc(t, pr[0])
				})
				if !ok {
					t.Errorf("no pairing Konvoy %s.x ↔ Kommander %s.x citing %s", pr[0], pr[1], src)
				}
			})
		}
		if pg.NoPairs {
			t.Run(pg.Key+"/no-pairing-table", func(t *testing.T) {
				for _, x := range m.PairingsBetween("konvoy", "kommander") {
					if x.Source.ID == src && (pg.Key != "B8" || x.WithCycle == hxCyc(t, "2.2")) {
						t.Errorf("pairing Konvoy %s ↔ Kommander %s cites %s, whose table the index says is absent or hidden", x.Cycle, x.WithCycle, src)
					}
				}
			})
		}
		for _, b := range pg.Bans {
			bans++
			t.Run(fmt.Sprintf("%s/ban-kommander-%s-on-konvoy-%s", pg.Key, b[0], b[1]), func(t *testing.T) {
				ok := slices.ContainsFunc(m.Bans("kommander", hxCyc(t, b[0]), "konvoy", hxCyc(t, b[1])), func(x policy.Ban) bool { return x.Source.ID == src })
				if !ok {
					t.Errorf("no ban of Kommander %s.x on Konvoy %s.x citing %s", b[0], b[1], src)
				}
			})
		}
	}
	if pairs < 50 || bans < 25 {
		t.Errorf("checked %d pairings and %d bans from the index, want at least 50 and 25", pairs, bans)
	}
}

// TestHistoryIndexPolicyPageKubernetes: each policy page's Kubernetes table
// is a range of the history file citing the page (a mislabelled or
// announced-only one is held where the page's own release is).
func TestHistoryIndexPolicyPageKubernetes(t *testing.T) {
	m := hxHistory(t)
	pages := hxParseIndex(t, hxReadIndex(t))
	checked := 0
	for _, pg := range pages {
		if pg.Kube == nil {
			continue
		}
		checked++
		t.Run(pg.Key, func(t *testing.T) {
			src := hxSourceID(t, m, pg.File)
			p := hxProduct(t, m, pg.Product)
			k := pg.Kube
			for _, r := range hxAllReleases(p) {
				for _, kr := range r.KubeRanges {
					if kr.Source.ID != src {
						continue
					}
					if k.Min != "" && (kr.MinVersion.String() != hxNorm(k.Min) || kr.MaxVersion.String() != hxNorm(k.Max)) {
						continue
					}
					if kr.Default != k.Defalt {
						continue
					}
					if !k.Mislabelled && k.Heading != "" && hxCyc(t, k.Heading) != r.Cycle && !strings.HasPrefix(pg.File, "konvoy-2.2") && !strings.HasPrefix(pg.File, "konvoy-2.3") {
						t.Errorf("%s: the range is under %s %s, the table's heading names %s", src, p.ID, r.Cycle, k.Heading)
					}
					return
				}
			}
			// Not a release's range: an announced cycle's.
			for _, u := range p.Upcoming {
				for _, kr := range u.KubeRanges {
					if kr.Source.ID == src && kr.Default == k.Defalt && (k.Min == "" || kr.MinVersion.String() == hxNorm(k.Min) && kr.MaxVersion.String() == hxNorm(k.Max)) {
						return
					}
				}
			}
			t.Errorf("%s: no Kubernetes range %s / %s / %s (heading %q) citing %s", pg.Key, k.Min, k.Max, k.Defalt, k.Heading, src)
		})
	}
	if checked < 18 {
		t.Errorf("checked %d policy-page Kubernetes tables, want at least 18", checked)
	}
}

// TestHistoryIndexReleaseNotes: each row of the index's release-notes table,
// its date (per patch and per cycle) and its Kubernetes range, is answered
// from the history file citing that page.
func TestHistoryIndexReleaseNotes(t *testing.T) {
	m := hxHistory(t)
	rows := hxParseReleaseTable(t, hxReadIndex(t))
	for _, row := range rows {
		t.Run(strings.TrimSpace(row.Product+" "+row.Version+" "+row.Qualifier), func(t *testing.T) {
			src := hxSourceID(t, m, row.File)
			p := hxProduct(t, m, row.Product)
			c := hxCyc(t, row.Version)
			r, released := p.Release(c)
			switch {
			case strings.HasPrefix(row.Qualifier, "beta"):
				// A beta is a pre-release patch of the cycle, with its date.
				if !released {
					t.Fatalf("%s %s is not a release of the history file", p.ID, c)
				}
				if !slices.ContainsFunc(r.Patches, func(pt policy.Patch) bool {
					return pt.Pre != "" && pt.Released.Equal(row.Date) && pt.Source.ID == src
				}) {
					t.Errorf("%s %s: no pre-release patch dated %s citing %s", p.ID, c, row.Date.Format(time.DateOnly), src)
				}
				return
			case row.Date.IsZero():
				// "released on xxxxx": announced, no date.
				if _, ok := p.UpcomingCycle(c); !ok || released {
					t.Errorf("%s %s has no printed date: want it announced, not released", p.ID, c)
				}
				if len(m.Conflicts(p.ID, c.String())) == 0 {
					t.Errorf("%s %s: no conflict recorded for the undated release notes", p.ID, c)
				}
				if row.Min != "" {
					u, _ := p.UpcomingCycle(c)
					if !slices.ContainsFunc(u.KubeRanges, func(k *policy.KubeRange) bool {
						return k.Source.ID == src && k.MinVersion.String() == hxNorm(row.Min) && k.MaxVersion.String() == hxNorm(row.Max) && k.Default == row.Default
					}) {
						t.Errorf("%s %s (announced): no range %s / %s / %s citing %s", p.ID, c, row.Min, row.Max, row.Default, src)
					}
				}
				return
			case !released:
				t.Fatalf("%s %s is not a release of the history file", p.ID, c)
			}
			hxCheckRowDate(t, m, p, r, src, row)
			hxCheckRowKube(t, m, r, src, row)
		})
	}
}

func hxWantNotice(t *testing.T, m *policy.Model, src string, words ...string) {
	t.Helper()
	for _, n := range m.File().Notices {
		if !strings.HasPrefix(n.Source, src+"#") {
			continue
		}
		all := true
		for _, w := range words {
			if !strings.Contains(strings.ToLower(n.Statement+" "+n.Kind), strings.ToLower(strings.Trim(w, "\""))) {
				all = false
			}
		}
		if all {
			return
		}
	}
	t.Errorf("no notice citing %s that says %q", src, words)
}

// checkRowDate: the row's date is the patch's (or the cycle's) date from
// that page.
func hxCheckRowDate(t *testing.T, m *policy.Model, p *policy.Product, r *policy.Release, src string, row releaseRow) {
	t.Helper()
	v, _ := policy.ParseVersion(row.Version)
	hasDate := func(ds []policy.DatedValue) bool {
		return slices.ContainsFunc(ds, func(d policy.DatedValue) bool { return d.Date.Equal(row.Date) && d.Source.ID == src })
	}
	lc, ok := p.Lifecycle(r.Cycle)
	if !ok {
		t.Fatalf("%s %s: no lifecycle", p.ID, r.Cycle)
	}
	if v.HasPatch {
		i := slices.IndexFunc(r.Patches, func(pt policy.Patch) bool { return pt.Version == v && pt.Pre == "" })
		switch {
		case i < 0:
			t.Errorf("%s %s: no patch %s", p.ID, r.Cycle, v)
		case r.Patches[i].Source.ID != src && !hasDate(r.Patches[i].Dates) && !hasDate(lc.Released):
			t.Errorf("%s %s: cites %s, want %s", p.ID, v, r.Patches[i].Source.ID, src)
		case !r.Patches[i].Released.Equal(row.Date) && !hasDate(r.Patches[i].Dates):
			t.Errorf("%s %s released %s, the index says %q", p.ID, v, r.Patches[i].Released.Format(time.DateOnly), row.DateText)
		}
	}
	// The .0 release (or the cycle row) dates the cycle; "version 2.1 was
	// released on ..." in 2.1.1's notes is a second value for the cycle.
	if !v.HasPatch || v.Patch == 0 || strings.Contains(row.DateText, fmt.Sprintf("version %s was released", r.Cycle)) {
		if !hasDate(lc.Released) {
			t.Errorf("%s %s: the lifecycle's release dates %v lack %s from %s", p.ID, r.Cycle, hxDates(lc.Released), row.Date.Format(time.DateOnly), src)
		}
	}
}

func hxDates(ds []policy.DatedValue) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Date.Format(time.DateOnly)+" "+d.Source.ID)
	}
	return out
}

// checkRowKube: the row's Kubernetes range is the release's for that patch,
// citing the page.
func hxCheckRowKube(t *testing.T, m *policy.Model, r *policy.Release, src string, row releaseRow) {
	t.Helper()
	switch {
	case row.Min == "" && row.Default == "":
		if strings.Contains(row.Raw, "supports Kubernetes") {
			hxWantNotice(t, m, src, "Kubernetes 1.22")
		}
		return
	case strings.Contains(row.Raw, "outside its own range"):
		// Kept as printed, and a conflict says so.
		ok := slices.ContainsFunc(m.Conflicts("konvoy", row.Version), func(c policy.Conflict) bool {
			return strings.Contains(c.Text, row.Default) && slices.ContainsFunc(c.Sources, func(s policy.Ref) bool { return s.ID == src })
		})
		if !ok {
			t.Errorf("no conflict citing %s records the default %s outside its range", src, row.Default)
		}
		if !slices.ContainsFunc(r.KubeRanges, func(k *policy.KubeRange) bool { return k.Source.ID == src && k.AsPrinted }) {
			t.Errorf("%s: the range citing %s is not marked as printed", r.Cycle, src)
		}
	}
	for _, kr := range r.KubeRanges {
		if kr.Source.ID != src || kr.MinVersion.String() != hxNorm(row.Min) || kr.MaxVersion.String() != hxNorm(row.Max) || kr.Default != row.Default {
			continue
		}
		if kr.StatedFor != "" && kr.StatedFor != row.Version && kr.StatedFor != row.Version+".0" {
			continue
		}
		return
	}
	t.Errorf("%s: no range %s / %s / %q for %s citing %s (ranges: %s)", r.Cycle, row.Min, row.Max, row.Default, row.Version, src, hxRanges(r))
}

func hxRanges(r *policy.Release) string {
	var out []string
	for _, k := range r.KubeRanges {
		out = append(out, fmt.Sprintf("%s-%s/%s for %s (%s)", k.MinVersion, k.MaxVersion, k.Default, k.StatedFor, k.Source.ID))
	}
	return strings.Join(out, "; ")
}

// TestHistoryTimeTravel: across each dated GA release of the index's table,
// the day before it the cycle is not released and the day of it, it is.
func TestHistoryTimeTravel(t *testing.T) {
	m := hxHistory(t)
	rows := hxParseReleaseTable(t, hxReadIndex(t))
	checked := 0
	for _, row := range rows {
		v, err := policy.ParseVersion(row.Version)
		if err != nil || row.Date.IsZero() || (row.Qualifier != "" && row.Qualifier != "draft") || (v.HasPatch && v.Patch != 0) {
			continue
		}
		p, ok := m.Product(row.Product)
		if !ok {
			continue
		}
		r, ok := p.Release(v.Cycle)
		if !ok {
			continue
		}
		checked++
		t.Run(fmt.Sprintf("%s-%s-%s", row.Product, v.Cycle, row.Date.Format(time.DateOnly)), func(t *testing.T) {
			first, last := r.Released, r.Released
			for _, d := range r.Dates {
				if d.Date.Before(first) {
					first = d.Date
				}
				if d.Date.After(last) {
					last = d.Date
				}
			}
			before := hxProduct(t, m.At(first.AddDate(0, 0, -1)), p.ID)
			if _, ok := before.Release(v.Cycle); ok {
				t.Errorf("%s %s is released on %s, the day before its first date", p.ID, v.Cycle, first.AddDate(0, 0, -1).Format(time.DateOnly))
			}
			if before.Status(v.Cycle) == policy.StatusSupported {
				t.Errorf("%s %s is supported the day before its release", p.ID, v.Cycle)
			}
			on := hxProduct(t, m.At(last), p.ID)
			if _, ok := on.Release(v.Cycle); !ok {
				t.Errorf("%s %s is not released on %s", p.ID, v.Cycle, last.Format(time.DateOnly))
			}
			if got := on.Status(v.Cycle); got != policy.StatusSupported {
				t.Errorf("%s %s on its release day %s: status %v, want supported", p.ID, v.Cycle, last.Format(time.DateOnly), got)
			}
			if on.Latest() != v.Cycle {
				t.Errorf("%s on %s: latest %s, want %s", p.ID, last.Format(time.DateOnly), on.Latest(), v.Cycle)
			}
		})
	}
	if checked < 10 {
		t.Errorf("time-travelled across %d release dates, want at least 10", checked)
	}
}

// TestHistoryTimeTravelPatches: the day before a dated patch, the cycle's
// latest patch is an older one; on the day, it is that patch.
func TestHistoryTimeTravelPatches(t *testing.T) {
	m := hxHistory(t)
	rows := hxParseReleaseTable(t, hxReadIndex(t))
	checked := 0
	for _, row := range rows {
		v, err := policy.ParseVersion(row.Version)
		// Skipped: betas and drafts' variants, 2.1.1's "version 2.1 was
		// released on", and 1.5.5's misprinted year (left undated).
		if err != nil || !v.HasPatch || row.Date.IsZero() || row.Qualifier != "" || strings.Contains(row.DateText, "version 2.1") || strings.Contains(row.DateText, "sic") {
			continue
		}
		p, ok := m.Product(row.Product)
		if !ok {
			continue
		}
		checked++
		t.Run(fmt.Sprintf("%s-%s", row.Product, v), func(t *testing.T) {
			on, ok := hxProduct(t, m.At(row.Date), p.ID).Lifecycle(v.Cycle)
			if !ok || on.LatestPatch == nil || on.LatestPatch.Version != v {
				t.Errorf("%s on %s: latest patch %v, want %s", p.ID, row.Date.Format(time.DateOnly), hxPatchOf(on), v)
			}
			before, ok := hxProduct(t, m.At(row.Date.AddDate(0, 0, -1)), p.ID).Lifecycle(v.Cycle)
			if ok && before.LatestPatch != nil && before.LatestPatch.Version == v {
				t.Errorf("%s the day before %s: latest patch is already %s", p.ID, row.Date.Format(time.DateOnly), v)
			}
		})
	}
	if checked < 25 {
		t.Errorf("time-travelled across %d patch dates, want at least 25", checked)
	}
}

func hxPatchOf(lc policy.Lifecycle) string {
	if lc.LatestPatch == nil {
		return "none"
	}
	return lc.LatestPatch.Version.String()
}

// TestHistoryConflicts: every disagreement the index lists is in the
// history file with both values and every source.
func TestHistoryConflicts(t *testing.T) {
	m := hxHistory(t)
	idx := hxReadIndex(t)
	tests := []struct {
		name            string
		product, cycle  string
		fact            string
		values          []string // each must be held (dates, defaults, minimums)
		files           []string // each page must be cited
		indexMentions   string   // the index's own words, so the table follows it
		kube, dateValue bool
	}{
		{"konvoy 2.1 minimum Kubernetes", "konvoy", "2.1", "kubernetes", []string{"1.21.3", "1.21.6"},
			[]string{"konvoy-2.1-version-support-policy.md", "konvoy-2.1.0-release-notes.md"}, "The policy page says 1.21.3; the release notes say 1.21.6", true, false},
		{"konvoy 2.0 Kubernetes", "konvoy", "2.0", "kubernetes", []string{"1.21.3", "1.20.8"},
			[]string{"konvoy-2.0-version-support-policy.md", "konvoy-2.0-legal-version-support-policy-beta.md"}, "the 2.0 legal beta says 1.20.8", true, false},
		{"konvoy 1.5.0 maximum Kubernetes", "konvoy", "1.5", "kubernetes", []string{"1.17.8", "1.18.13", "1.18.14", "1.18.18", "1.17.11"},
			[]string{"konvoy-1.5-release-notes.md", "konvoy-0.0-version-support-policy.md", "konvoy-1.6-version-support-policy.md", "konvoy-1.6-version-support-policy-83dae2d.md", "konvoy-1.6-release-notes-version-support-policy-beta.md"},
			"max 1.17.11 / 1.18.13 / 1.18.14 / 1.18.18", true, false},
		{"konvoy 1.7.1 default Kubernetes", "konvoy", "1.7", "kubernetes", []string{"1.19.15", "1.19.8"},
			[]string{"konvoy-1.7-version-support-policy-83dae2d.md", "konvoy-1.6.2-1.7.4-release-notes-key-lines.md"}, "The policy page says 1.19.15; the release notes say 1.19.8", true, false},
		{"konvoy 1.8.0 default Kubernetes", "konvoy", "1.8", "kubernetes", []string{"1.20.5", "1.20.6"},
			[]string{"konvoy-1.8-version-support-policy-beta-0268dd1.md", "konvoy-1.8.0-release-notes.md"}, "1.20.5", true, false},
		{"konvoy 2.2 legal default Kubernetes", "konvoy", "2.2", "kubernetes", []string{"1.22.0", "1.22.8"},
			[]string{"konvoy-2.2-legal-version-support-policy-0043940.md", "konvoy-2.2-legal-version-support-policy-26c15c4.md"}, "the K8s default is **1.22.8**", true, false},
		{"konvoy 2.1 release date", "konvoy", "2.1", "released", []string{"2021-11-18", "2021-12-30"},
			[]string{"konvoy-2.1.0-release-notes.md", "konvoy-2.1.1-release-notes.md"}, "version 2.1 was released on December 30, 2021", false, true},
		{"kommander 2.2 release date", "kommander", "2.2", "released", []string{"2022-03-16", "2022-04-06", "2022-04-08"},
			[]string{"kommander-2.2-release-notes-draft-alt.md", "kommander-2.2-release-notes-alt.md", "konvoy-2.2.0-release-notes.md"}, "Kommander 2.2 Mar 16 vs Apr 6 vs DKP 2.2 Apr 8", false, true},
		{"konvoy 1.5.5 misprinted year", "konvoy", "1.5.5", "released", []string{"2020-01-12"},
			[]string{"konvoy-1.5-release-notes.md"}, "Konvoy 1.5.5 \"12 January 2020\" (it must be 2021)", false, false},
		{"konvoy 2.1.0 and kommander 2.1.0 dates", "kommander", "2.1", "released", []string{"2021-11-19"},
			[]string{"konvoy-2.1.0-release-notes.md", "kommander-2.1.0-release-notes.md"}, "Konvoy 2.1.0 Nov 18 vs Kommander 2.1.0 Nov 19, 2021", false, true},
		{"konvoy 2.3 undated", "konvoy", "2.3", "released", nil,
			[]string{"konvoy-2.3.0-release-notes-draft.md"}, "DKP 2.3.0 \"released on xxxxx\"", false, false},
		{"konvoy 2.2 stated set skips 2.0", "konvoy", "2.2", "stated", nil,
			[]string{"konvoy-2.2-legal-version-support-policy-0043940.md"}, "This skips 2.0", false, false},
		{"konvoy 2.3 stated set skips 2.2", "konvoy", "2.3", "stated", nil,
			[]string{"konvoy-2.3-legal-version-support-policy-0173430.md", "konvoy-2.3-legal-version-support-policy-7190593.md"}, "This skips 2.2", false, false},
		{"kaptain 2.x leaves itself out", "kaptain", "2.0", "stated", nil,
			[]string{"kaptain-2.0-version-support-policy.md", "kaptain-2.1-version-support-policy.md"}, "The new release itself is never listed", false, false},
		{"konvoy 1.8 names 1.9.0", "konvoy", "1.8", "stated", nil,
			[]string{"konvoy-1.8-version-support-policy-beta-0268dd1.md", "konvoy-1.8-version-support-policy-42ea1e3.md"}, "There never was a Konvoy 1.9", false, false},
		{"kommander 2.2 table without 2.2", "kommander", "2.2", "pairing", nil,
			[]string{"kommander-2.2-legal-version-support-policy-0043940.md"}, "claims current 2.2 but its table has no 2.2 row", false, false},
		{"konvoy 1.6.3 component list", "konvoy", "1.6.3", "kubernetes", nil,
			[]string{"konvoy-1.6.3-release-notes.md"}, "component list says Kubernetes v1.18.16", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(hxClean(idx), hxClean(tt.indexMentions)) {
				t.Fatalf("the index no longer says %q: update this table", tt.indexMentions)
			}
			var srcs []string
			for _, f := range tt.files {
				srcs = append(srcs, hxSourceID(t, m, f))
			}
			p := hxProduct(t, m, tt.product)
			c := hxCyc(t, tt.cycle)
			// Both (every) value is held, each with its page.
			if r, ok := p.Release(c); ok {
				if tt.kube {
					for _, v := range tt.values {
						if !slices.ContainsFunc(r.KubeRanges, func(k *policy.KubeRange) bool {
							return k.MinVersion.String() == v || k.MaxVersion.String() == v || k.Default == v
						}) {
							t.Errorf("%s %s: no Kubernetes range holds %s (ranges: %s)", tt.product, c, v, hxRanges(r))
						}
					}
					for _, s := range srcs {
						if !slices.ContainsFunc(r.KubeRanges, func(k *policy.KubeRange) bool { return k.Source.ID == s }) {
							t.Errorf("%s %s: no Kubernetes range cites %s", tt.product, c, s)
						}
					}
				}
				if tt.dateValue {
					for _, v := range tt.values {
						d, _ := time.Parse(time.DateOnly, v)
						if !slices.ContainsFunc(r.Dates, func(x policy.DatedValue) bool { return x.Date.Equal(d) }) {
							t.Errorf("%s %s: release dates %v lack %s", tt.product, c, hxDates(r.Dates), v)
						}
					}
					if len(tt.values) > 1 && !r.DateDisputed() {
						t.Errorf("%s %s: the release date is not disputed", tt.product, c)
					}
				}
			}
			// A conflict names the fact and cites every page.
			var cs []policy.Conflict
			for _, x := range m.Conflicts(tt.product, tt.cycle) {
				if x.Fact == tt.fact {
					cs = append(cs, x)
				}
			}
			if len(cs) == 0 {
				t.Fatalf("no %q conflict about %s %s", tt.fact, tt.product, tt.cycle)
			}
			for _, s := range srcs {
				if !slices.ContainsFunc(cs, func(x policy.Conflict) bool {
					return slices.ContainsFunc(x.Sources, func(r policy.Ref) bool { return r.ID == s })
				}) {
					t.Errorf("no %q conflict about %s %s cites %s", tt.fact, tt.product, tt.cycle, s)
				}
			}
		})
	}
}

// TestHistoryUpgradeRules: the index's upgrade rules are in the history
// file, each citing its page.
func TestHistoryUpgradeRules(t *testing.T) {
	m := hxHistory(t)
	idx := hxReadIndex(t)
	tests := []struct {
		name, index string
		kind        string
		file        string
		has         func(u policy.UpgradeFile) bool
	}{
		{"1.5.x to 1.6 through 1.5.6 and 1.6.3", "first upgrade to Konvoy 1.5.6 then upgrade to Konvoy 1.6.3", "path", "konvoy-1.6.3-release-notes.md",
			func(u policy.UpgradeFile) bool { return slices.Equal(u.Steps, []string{"1.5.6", "1.6.3"}) }},
		{"skip 1.8.1", "skip 1.7.3 and 1.8.1; upgrade directly to 1.7.4 or 1.8.2", "avoid", "konvoy-1.8.1-release-notes.md",
			func(u policy.UpgradeFile) bool {
				return slices.Contains(u.Avoid, "1.8.1") && slices.Contains(u.Instead, "1.8.2")
			}},
		{"skip 1.7.3", "skip 1.7.3/1.8.1 → go to 1.7.4/1.8.2", "avoid", "konvoy-1.6.2-1.7.4-release-notes-key-lines.md",
			func(u policy.UpgradeFile) bool {
				return slices.Contains(u.Avoid, "1.7.3") && slices.Contains(u.Instead, "1.7.4")
			}},
		{"be on 1.8.3-1.8.5 before DKP 2.1", "Upgrade all clusters to Konvoy 1.8.3, 1.8.4, or 1.8.5", "prerequisite", "konvoy-2.1-major-version-upgrade.md",
			func(u policy.UpgradeFile) bool {
				return u.ToProduct == "dkp" && slices.Contains(u.Steps, "1.8.3 - 1.8.5")
			}},
		{"then DKP 2.1.0 or 2.1.1", "then install \"DKP 2.1.0 or 2.1.1\"", "path", "konvoy-2.1-major-version-upgrade.md",
			func(u policy.UpgradeFile) bool { return slices.Contains(u.Steps, "2.1.0 - 2.1.1") }},
		{"no 1.x to 2.x with Kaptain", "when Kaptain is enabled", "forbidden", "konvoy-2.1-major-version-upgrade.md",
			func(u policy.UpgradeFile) bool { return u.WhenEnabled == "kaptain" && u.From == "1.x" && u.To == "2.x" }},
		{"one cluster at a time", "No major version upgrade for multiple clusters managed by Kommander is available.", "advisory", "konvoy-2.1-major-version-upgrade.md",
			func(u policy.UpgradeFile) bool { return strings.Contains(u.Statement, "one at a time") }},
		{"catalog apps before Kubernetes 1.22", "Catalog applications must be upgraded to the latest version BEFORE upgrading the Kubernetes version", "advisory", "kommander-2.2-release-notes-alt.md",
			func(u policy.UpgradeFile) bool {
				return strings.Contains(u.Statement, "BEFORE upgrading the Kubernetes version")
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(hxClean(idx), hxClean(tt.index)) {
				t.Fatalf("the index no longer says %q: update this table", tt.index)
			}
			src := hxSourceID(t, m, tt.file)
			for _, u := range m.File().Upgrades {
				if u.Kind == tt.kind && strings.HasPrefix(u.Source, src+"#") && tt.has(u) {
					return
				}
			}
			t.Errorf("no %s upgrade rule citing %s for %q", tt.kind, src, tt.index)
		})
	}
}

// TestHistoryPlatforms: the index's Kaptain platform history (section 10).
func TestHistoryPlatforms(t *testing.T) {
	m := hxHistory(t)
	kaptain := hxProduct(t, m, "kaptain")
	tests := []struct {
		cycle, statedFor string
		file             string
		product, runsOn  string // a version, or a constraint
	}{
		{"1.0", "1.0.0", "kaptain-1.0-version-support-policy.md", "konvoy", "1.7"},
		{"1.1", "1.1.0", "kaptain-1.1-version-support-policy-95d7edf.md", "konvoy", "1.8"},
		{"1.3", "1.3.0", "kaptain-1.3-version-support-policy.md", "dkp", "2.1.1"},
		{"1.3", "1.3.0", "kaptain-1.3-version-support-policy.md", "konvoy", "1.7"},
		{"1.3", "1.3.0", "kaptain-1.3-version-support-policy.md", "konvoy", "1.8"},
		{"2.0", "2.0.0", "kaptain-2.0-version-support-policy.md", "dkp", ">= 2.1.2"},
		{"2.0", "2.0.0", "kaptain-2.0.0-release-notes.md", "dkp", ">= 2.1.2"},
		{"2.1", "2.1.0", "kaptain-2.1-version-support-policy.md", "dkp", ">= 2.1.2"},
	}
	for _, tt := range tests {
		t.Run(tt.cycle+"-"+tt.product+"-"+tt.runsOn, func(t *testing.T) {
			r, ok := kaptain.Release(hxCyc(t, tt.cycle))
			if !ok {
				t.Fatalf("kaptain %s is not a release", tt.cycle)
			}
			src := hxSourceID(t, m, tt.file)
			for _, pl := range r.PlatformsAll {
				if pl.Source.ID != src || pl.StatedFor != tt.statedFor {
					continue
				}
				for _, on := range pl.RunsOn {
					if on.Product == tt.product && (on.ConstraintText == tt.runsOn || on.Constraint == nil && on.Version.String() == tt.runsOn) {
						return
					}
				}
			}
			t.Errorf("kaptain %s: no platform %s %s citing %s", tt.statedFor, tt.product, tt.runsOn, src)
		})
	}
	// "Kaptain 1.0.0 (1.1.0, 1.3.0) cannot be installed from Kommander as an add-on."
	for _, c := range []struct{ cycle, file string }{
		{"1.0", "kaptain-1.0-version-support-policy.md"},
		{"1.1", "kaptain-1.1-version-support-policy-95d7edf.md"},
		{"1.3", "kaptain-1.3-version-support-policy.md"},
	} {
		t.Run("install "+c.cycle, func(t *testing.T) {
			r, ok := kaptain.Release(hxCyc(t, c.cycle))
			if !ok {
				t.Fatalf("kaptain %s is not a release", c.cycle)
			}
			in := r.Install
			if in == nil {
				in = kaptain.Install
			}
			src := hxSourceID(t, m, c.file)
			if in == nil || in.FromKommander == nil || *in.FromKommander || in.AsAddon == nil || *in.AsAddon ||
				in.StatedFor != c.cycle+".0" || !strings.HasPrefix(in.Source, src+"#") {
				t.Errorf("kaptain %s: install %+v, want not from Kommander, not as an add-on, stated for %s.0, citing %s", c.cycle, in, c.cycle, src)
			}
		})
	}
	// The constraint is a real one: DKP 2.1.2 and newer, not 2.1.1.
	r, _ := kaptain.Release(hxCyc(t, "2.0"))
	for _, pl := range r.PlatformsAll {
		for _, on := range pl.RunsOn {
			if on.Constraint == nil {
				continue
			}
			for v, want := range map[string]bool{"2.1.1": false, "2.1.2": true, "2.2.3": true} {
				if got := on.Constraint.Check(hxMustSemver(t, v)); got != want {
					t.Errorf("kaptain 2.0 on dkp %s: constraint %q says %v, want %v", v, on.ConstraintText, got, want)
				}
			}
		}
	}
}

func hxMustSemver(t *testing.T, s string) *semver.Version {
	t.Helper()
	v, err := semver.NewVersion(s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestHistoryAskKubernetes: for each Konvoy release of the index's table
// with a Kubernetes range, the answer to "konvoy X kubernetes" gives the
// range the release notes state and cites them.
func TestHistoryAskKubernetes(t *testing.T) {
	m := hxHistory(t)
	rows := hxParseReleaseTable(t, hxReadIndex(t))
	checked := 0
	for _, row := range rows {
		if row.Product != "konvoy" || row.Qualifier != "" || row.Default == "" || row.Date.IsZero() {
			continue
		}
		checked++
		t.Run(row.Version, func(t *testing.T) {
			src := hxSourceID(t, m, row.File)
			q := "konvoy " + row.Version + " kubernetes"
			a := m.AskOn(q, m.AsOf)
			if a.Intent != policy.IntentKubernetes || a.Verdict != policy.VerdictInfo {
				t.Fatalf("%q: %s %s, want kubernetes info: %s", q, a.Intent, a.Verdict, a.Summary)
			}
			for _, want := range []string{row.Min, row.Max, row.Default} {
				if !strings.Contains(a.Summary, want) {
					t.Errorf("%q: the summary lacks %s: %s", q, want, a.Summary)
				}
			}
			if !slices.ContainsFunc(a.Sources, func(r policy.Ref) bool { return r.ID == src }) {
				t.Errorf("%q: the answer does not cite %s", q, src)
			}
		})
	}
	if checked < 25 {
		t.Errorf("asked about %d Konvoy releases' Kubernetes ranges, want at least 25", checked)
	}
}

// TestHistoryAskAcrossEnds: for each cycle whose support ended with a
// dated release of the index's table, the answer the day before is
// "supported" and on the day "unsupported", saying the date and citing the
// release that ended it.
func TestHistoryAskAcrossEnds(t *testing.T) {
	m := hxHistory(t)
	rows := hxParseReleaseTable(t, hxReadIndex(t))
	gaDay := map[string]time.Time{}   // "konvoy 2.0" -> its GA date in the index
	fileDay := map[string]time.Time{} // "konvoy-1.8.0-release-notes.md" -> the GA date it prints
	for _, row := range rows {
		v, err := policy.ParseVersion(row.Version)
		if err == nil && (row.Qualifier == "" || row.Qualifier == "draft") && !row.Date.IsZero() && (!v.HasPatch || v.Patch == 0) {
			if _, seen := gaDay[row.Product+" "+v.Cycle.String()]; !seen {
				gaDay[row.Product+" "+v.Cycle.String()] = row.Date
			}
			if _, seen := fileDay[row.File]; !seen {
				fileDay[row.File] = row.Date
			}
		}
	}
	fileOf := map[string]string{} // source id -> page copy
	for _, s := range m.File().Sources {
		fileOf[s.ID] = s.File
	}
	checked := 0
	for _, id := range []string{"konvoy", "kommander", "kaptain"} {
		p := hxProduct(t, m, id)
		for _, r := range p.Releases {
			lc, ok := p.Lifecycle(r.Cycle)
			// Ends where the N-2 count and the pages' statements agree; where a
			// statement alone ends support, TestHistoryAskDoneWhen has the cases.
			if !ok || lc.EndedBy == nil || lc.Ended.IsZero() || lc.EndedBy.DateDisputed() || lc.RuleEndedBy != lc.EndedBy {
				continue
			}
			checked++
			t.Run(fmt.Sprintf("%s-%s", id, r.Cycle), func(t *testing.T) {
				ender := lc.EndedByProduct + " " + lc.EndedBy.Cycle.String()
				// The end is the ender's release date as the index's table has it:
				// its own row, or the row of the page that dates it (Kommander
				// 1.4 ships in Konvoy 1.8.0).
				d, ok := gaDay[ender]
				if !ok {
					d, ok = fileDay[fileOf[lc.EndedBy.Source.ID]]
				}
				if !ok || !d.Equal(lc.Ended) {
					t.Errorf("%s %s ended %s with %s; the index dates %s %s", id, r.Cycle, lc.Ended.Format(time.DateOnly), ender, ender, d.Format(time.DateOnly))
				}
				q := id + " " + r.Cycle.String()
				dayBefore := lc.Ended.AddDate(0, 0, -1)
				view := m.At(dayBefore)
				before := m.AskOn(q, dayBefore)
				// Where the day before has releases of unknown date around it,
				// the honest answer is "unknown"; never "unsupported".
				inDoubt := len(hxProduct(t, view, id).Uncertain()) > 0
				if before.Verdict != policy.VerdictSupported && (!inDoubt || before.Verdict != policy.VerdictUnknown) {
					t.Errorf("%q the day before %s: %s, want supported: %s", q, lc.Ended.Format(time.DateOnly), before.Verdict, before.Summary)
				}
				on := m.AskOn(q, lc.Ended)
				if on.Verdict != policy.VerdictUnsupported {
					t.Errorf("%q on %s: %s, want unsupported: %s", q, lc.Ended.Format(time.DateOnly), on.Verdict, on.Summary)
				}
				if !strings.Contains(on.Summary, lc.Ended.Format(time.DateOnly)) {
					t.Errorf("%q on %s: the summary does not say when support ended: %s", q, lc.Ended.Format(time.DateOnly), on.Summary)
				}
				if !slices.ContainsFunc(on.Sources, func(s policy.Ref) bool { return s == lc.EndedBy.Source }) {
					t.Errorf("%q on %s: the answer does not cite %s", q, lc.Ended.Format(time.DateOnly), lc.EndedBy.Source.ID)
				}
			})
		}
	}
	if checked < 6 {
		t.Errorf("asked across %d ends of support, want at least 6", checked)
	}
}

// TestHistoryAskDoneWhen: the example, and the answers that follow
// a page's statement over the N-2 count.
func TestHistoryAskDoneWhen(t *testing.T) {
	m := hxHistory(t)
	day := func(s string) time.Time {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	tests := []struct {
		name    string
		on      time.Time
		q       string
		verdict policy.Verdict
		says    []string
		cites   []string
	}{
		{"konvoy 1.6 on 2021-09-01", day("2021-09-01"), "konvoy 1.6", policy.VerdictUnsupported,
			[]string{"2021-08-26", "Konvoy 2.0"}, []string{"konvoy-2.0-release-notes", "konvoy-2.0-version-support-policy"}},
		{"konvoy 1.6 on 2021-08-25", day("2021-08-25"), "konvoy 1.6", policy.VerdictSupported, nil, nil},
		{"konvoy 2.0 after DKP 2.2: the 2.2 page's set", m.AsOf, "konvoy 2.0", policy.VerdictUnsupported,
			[]string{"2022-04-08"}, []string{"konvoy-2.2-legal-version-support-policy-0043940"}},
		{"konvoy 1.8 after DKP 2.2: the 2.2 page keeps it", m.AsOf, "konvoy 1.8", policy.VerdictSupported,
			nil, []string{"konvoy-2.2-legal-version-support-policy-0043940"}},
		{"kommander 1.4 after 2.2: the 2.2 page keeps it", m.AsOf, "kommander 1.4", policy.VerdictSupported,
			nil, []string{"kommander-2.2-legal-version-support-policy-528e303"}},
		{"kaptain 1.1 after 2.0", day("2022-04-26"), "kaptain 1.1", policy.VerdictUnsupported,
			[]string{"2022-04-25"}, []string{"kaptain-2.0-version-support-policy"}},
		{"konvoy 2.1 kubernetes: the pages disagree", m.AsOf, "konvoy 2.1 kubernetes", policy.VerdictInfo,
			[]string{"disagree", "1.21.3", "1.21.6"}, []string{"konvoy-2.1.0-release-notes", "konvoy-2.1-version-support-policy"}},
		{"konvoy 1.7.1 kubernetes: the pages disagree", m.AsOf, "konvoy 1.7.1 kubernetes", policy.VerdictInfo,
			[]string{"disagree", "1.19.8", "1.19.15"}, []string{"konvoy-1.6.2-1.7.4-release-notes-key-lines", "konvoy-1.7-version-support-policy-83dae2d"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := m.AskOn(tt.q, tt.on)
			if a.Verdict != tt.verdict {
				t.Errorf("%q: %s, want %s: %s", tt.q, a.Verdict, tt.verdict, a.Summary)
			}
			for _, w := range tt.says {
				if !strings.Contains(a.Summary, w) {
					t.Errorf("%q: the summary lacks %q: %s", tt.q, w, a.Summary)
				}
			}
			for _, c := range tt.cites {
				if !slices.ContainsFunc(a.Sources, func(s policy.Ref) bool { return s.ID == c }) {
					t.Errorf("%q: the answer does not cite %s", tt.q, c)
				}
			}
		})
	}
}

// TestHistoryIndexPageSections: the sections the index says a page has (or
// lacks) are in the history file citing it (or not): its KBA or BPS example
// tag, Experimental, Features in patches, Istio, the KUDO and platform
// applications tables, and Technical Preview.
func TestHistoryIndexPageSections(t *testing.T) {
	m := hxHistory(t)
	f := m.File()
	pages := hxParseIndex(t, hxReadIndex(t))
	cites := func(refs []string, src string) bool {
		return slices.ContainsFunc(refs, func(r string) bool { return strings.HasPrefix(r, src+"#") })
	}
	addons := []policy.AddonsFile{}
	if f.Addons != nil {
		addons = append(append(addons, *f.Addons), f.Addons.Also...)
	}
	areaCites := func(topic, src string) bool {
		for _, a := range f.Scope.Areas {
			if (a.Topic == topic || a.ID == topic) && (strings.HasPrefix(a.Source, src+"#") || cites(a.Sources, src)) {
				return true
			}
		}
		return false
	}
	noticeCites := func(kind, src string) bool {
		return slices.ContainsFunc(f.Notices, func(n policy.NoticeFile) bool { return n.Kind == kind && strings.HasPrefix(n.Source, src+"#") })
	}
	tagRE := regexp.MustCompile("(?:KBA|tag)[^`]*`([a-z]+-\\d+\\.\\d+-[0-9a-z.-]+)`")
	checked := 0
	for _, pg := range pages {
		src := hxSourceID(t, m, pg.File)
		text := strings.Join(pg.Lines, "\n")
		low := strings.ToLower(text)
		check := func(name string, want, got bool) {
			checked++
			t.Run(pg.Key+"/"+name, func(t *testing.T) {
				if got != want {
					t.Errorf("%s %s: the index says %v, the history file says %v", src, name, want, got)
				}
			})
		}
		if mt := tagRE.FindStringSubmatch(text); mt != nil && !strings.Contains(low, "no kba section") {
			tag := mt[1]
			check("example tag "+tag, true, slices.ContainsFunc(addons, func(a policy.AddonsFile) bool {
				return a.Example == tag && strings.HasPrefix(a.Source, src+"#")
			}))
		}
		if strings.Contains(low, "no kba section") {
			check("no KBA section", false, slices.ContainsFunc(addons, func(a policy.AddonsFile) bool { return strings.HasPrefix(a.Source, src+"#") }))
		}
		switch {
		case regexp.MustCompile(`no experimental|experimental only|has experimental|and experimental|experimental section|has features in upgrade patches and experimental`).MatchString(low):
			want := !strings.Contains(low, "no experimental")
			check("experimental", want, f.Scope.Experimental != nil && cites(f.Scope.Experimental.Sources, src))
		}
		if strings.Contains(low, "features in upgrade patches") || strings.Contains(low, "features in patches") {
			check("features in patches", true, noticeCites("features-in-patches", src))
		}
		switch {
		case strings.Contains(low, "no istio"):
			check("istio", false, f.Istio != nil && (strings.HasPrefix(f.Istio.Source, src+"#") || cites(f.Istio.Sources, src)))
		case strings.Contains(low, "istio section") || strings.Contains(low, "has istio"):
			check("istio", true, f.Istio != nil && (strings.HasPrefix(f.Istio.Source, src+"#") || cites(f.Istio.Sources, src)))
		}
		switch {
		case strings.Contains(low, "kudo \"secondary support\" definition, with no table") || strings.Contains(low, "has the kudo definition"):
			check("secondary-support definition", true, areaCites("kudo-definition", src))
		case strings.Contains(low, "no kudo") || strings.Contains(low, "kudo section gone") || strings.Contains(low, "without the kudo table") ||
			strings.Contains(low, "kudo table is replaced"):
			check("no KUDO table", false, areaCites("kudo", src))
		case strings.Contains(low, "kudo table") || strings.Contains(low, "kudo secondary-support table"):
			check("KUDO table", true, areaCites("kudo", src) || areaCites("kudo-dkp", src))
		}
		if strings.Contains(low, "platform applications") && !strings.Contains(low, "no kudo") {
			check("platform applications table", true, areaCites("platform-applications", src))
		}
		if strings.Contains(low, "secondary support for cassandra, kafka & spark") {
			check("Kaptain 2.x secondary-support table", true, areaCites("kudo-dkp", src))
		}
		if strings.Contains(low, "technical preview") {
			check("technical preview", true, f.Scope != nil && slices.ContainsFunc(f.Scope.Terms, func(tm policy.TermFile) bool {
				return tm.ID == "technical-preview" && tm.SameAs == "experimental" && cites(tm.Sources, src)
			}))
		}
	}
	if checked < 40 {
		t.Errorf("checked %d page sections from the index, want at least 40", checked)
	}
}

// TestHistoryIndexNotices: the index's other rule-like sentences (DKP
// unification, removals and deprecations, the attached-cluster rule) are in
// the history file citing their pages.
func TestHistoryIndexNotices(t *testing.T) {
	m := hxHistory(t)
	idx := hxClean(hxReadIndex(t))
	tests := []struct {
		index string // what the index says
		file  string
		says  string // what a notice (or range) of the history file says
	}{
		{"Konvoy 1.6 removed Kubernetes 1.15", "konvoy-1.6.0-release-notes.md", "Removed support for Kubernetes 1.15"},
		{"Konvoy 1.7 removed 1.16", "konvoy-1.7.0-release-notes.md", "Remove support for Kubernetes v1.16"},
		{"Konvoy 1.8.5 dropped CentOS 8 (EOL)", "konvoy-1.8.5-release-notes.md", "CentOS 8"},
		{"Dispatch was deprecated in favour of Flux (1.8.4)", "konvoy-1.8.4-release-notes.md", "deprecated in favor of Flux"},
		{"the Konvoy and Kommander binaries have been merged into a single binary", "konvoy-2.2.0-release-notes.md", "merged into a single binary"},
		{"DKP Enterprise", "konvoy-2.2.0-release-notes.md", "DKP Essential for single-cluster environments"},
		{"Konvoy and Kommander 2.1 represent a major version upgrade", "konvoy-2.1.0-release-notes.md", "represent a major version upgrade"},
		{"It also says \"Version 2.2 represents a major upgrade\"", "kommander-2.2-release-notes-draft-alt.md", "represents a major upgrade"},
		{"Istio is listed as `[experimental]`", "konvoy-1.5-release-notes.md", "experimental"},
		{"Kaptain 2.0 supports Kubernetes 1.22, EKS/AKS", "kaptain-2.0.0-release-notes.md", "Amazon EKS and Azure AKS"},
	}
	for _, tt := range tests {
		t.Run(tt.says, func(t *testing.T) {
			if !strings.Contains(idx, hxClean(tt.index)) {
				t.Fatalf("the index no longer says %q: update this table", tt.index)
			}
			src := hxSourceID(t, m, tt.file)
			if !slices.ContainsFunc(m.File().Notices, func(n policy.NoticeFile) bool {
				return strings.HasPrefix(n.Source, src+"#") && strings.Contains(n.Statement, tt.says)
			}) {
				t.Errorf("no notice citing %s says %q", src, tt.says)
			}
		})
	}
	// "DKP 2.3 supports Kubernetes versions between 1.21 and 1.23. Any cluster
	// you want to attach ...": DKP 2.3 is announced, its range an attached one.
	t.Run("attached dkp 2.3 (announced)", func(t *testing.T) {
		if !strings.Contains(idx, "DKP 2.3 supports Kubernetes versions between 1.21 and 1.23. Any cluster you want to attach") {
			t.Fatal("the index no longer states DKP 2.3's attached-cluster rule: update this test")
		}
		src := hxSourceID(t, m, "konvoy-2.3.0-release-notes-draft.md")
		u, ok := hxProduct(t, m, "dkp").UpcomingCycle(hxCyc(t, "2.3"))
		if !ok || !slices.ContainsFunc(u.KubeRanges, func(k *policy.KubeRange) bool {
			return k.Source.ID == src && k.Attached && k.Min == hxCyc(t, "1.21") && k.Max == hxCyc(t, "1.23")
		}) {
			t.Errorf("dkp 2.3: no announced attached-cluster range 1.21 to 1.23 citing %s", src)
		}
	})
	// "Any cluster you want to attach using DKP 2.2 must be running a
	// Kubernetes version in this range" (also Kommander 2.2): an attached rule.
	for _, c := range []struct{ product, cycle, file string }{
		{"konvoy", "2.2", "konvoy-2.2.0-release-notes.md"},
		{"dkp", "2.2", "konvoy-2.2.0-release-notes.md"},
		{"konvoy", "2.2", "dkp-konvoy-2.2.3-release-notes.md"},
		{"kommander", "2.2", "kommander-2.2-release-notes-alt.md"},
	} {
		t.Run("attached "+c.product+" "+c.cycle+" "+c.file, func(t *testing.T) {
			if !strings.Contains(idx, "Any cluster you want to attach using DKP 2.2 must be running a Kubernetes version in this range.") {
				t.Fatal("the index no longer states the attached-cluster rule: update this test")
			}
			src := hxSourceID(t, m, c.file)
			pf := m.File().Products[c.product]
			for _, r := range pf.Releases {
				if r.Cycle != c.cycle {
					continue
				}
				for _, k := range append([]policy.KubeRangeFile{*r.Kubernetes}, r.KubernetesAlso...) {
					if strings.HasPrefix(k.Source, src+"#") && k.Attached && k.Min == "1.21.0" && k.Max == "1.22" {
						return
					}
				}
			}
			t.Errorf("%s %s: no attached-cluster range 1.21.0 to 1.22.x citing %s", c.product, c.cycle, src)
		})
	}
}

// TestHistoryNoDateWithoutPage: every date the history model gives a
// release or a patch is one the index's release-notes table prints for it
// (or for the page it cites): no date is filled in where the pages are
// silent.
func TestHistoryNoDateWithoutPage(t *testing.T) {
	m := hxHistory(t)
	rows := hxParseReleaseTable(t, hxReadIndex(t))
	fileOf := map[string]string{}
	for _, s := range m.File().Sources {
		fileOf[s.ID] = s.File
	}
	printed := func(id string, c policy.Cycle, d time.Time, src policy.Ref) bool {
		return slices.ContainsFunc(rows, func(r releaseRow) bool {
			if !r.Date.Equal(d) {
				return false
			}
			v, err := policy.ParseVersion(r.Version)
			if err == nil && (r.Product == id || r.Product == "konvoy" && id == "dkp" || r.Product == "dkp" && id == "konvoy") && v.Cycle == c {
				return true
			}
			// Kommander 1.x ships as an addon of a Konvoy release: that
			// release's date, from its notes.
			return id == "kommander" && r.Product == "konvoy" && r.File == fileOf[src.ID]
		})
	}
	checked := 0
	for _, id := range m.Products() {
		p := hxProduct(t, m, id)
		for _, r := range p.Releases {
			for _, d := range r.Dates {
				checked++
				if !printed(id, r.Cycle, d.Date, d.Source) {
					t.Errorf("%s %s: release date %s (from %s) is not printed in the index's table", id, r.Cycle, d.Date.Format(time.DateOnly), d.Source.ID)
				}
			}
			for _, pt := range r.Patches {
				if pt.Released.IsZero() {
					continue
				}
				checked++
				if !printed(id, r.Cycle, pt.Released, pt.Source) {
					t.Errorf("%s %s: patch date %s (from %s) is not printed in the index's table", id, pt.Version, pt.Released.Format(time.DateOnly), pt.Source.ID)
				}
			}
		}
	}
	if checked < 40 {
		t.Errorf("checked %d dates, want at least 40", checked)
	}
}

// TestHistoryCitationsNameSections: every "source#Section" the history file
// cites names a page it has a copy of, and a heading of that page (or the
// page's title, for its opening lines).
func TestHistoryCitationsNameSections(t *testing.T) {
	m := hxHistory(t)
	f := m.File()
	dir := filepath.Dir(filepath.Join(hxRepoRoot(t), indexFile))
	sections := map[string][]string{} // source id -> its headings and title
	headRE := regexp.MustCompile(`^#+\s+(.*?)\s*$`)
	for _, s := range f.Sources {
		if s.File == "" {
			continue
		}
		path := filepath.Join(dir, s.File)
		if s.Kind == "seed" {
			path = filepath.Join(dir, "..", s.File)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("source %s: %v", s.ID, err)
			continue
		}
		for _, line := range strings.Split(string(data), "\n") {
			if mt := headRE.FindStringSubmatch(line); mt != nil {
				// The heading, and for the key-lines copy its quoted title
				// without the note after it: `## "Release Notes Konvoy 1.7.3" (table ...)`.
				h := strings.TrimPrefix(mt[1], "title ")
				sections[s.ID] = append(sections[s.ID], h)
				if i := strings.Index(h, "\" ("); strings.HasPrefix(h, "\"") && i > 0 {
					h = h[:i+1]
				}
				sections[s.ID] = append(sections[s.ID], strings.Trim(h, "\""))
			}
			if title, ok := strings.CutPrefix(line, "title: "); ok {
				sections[s.ID] = append(sections[s.ID], strings.TrimSpace(title))
			}
		}
	}
	var cites []string
	var walk func(v reflect.Value, name string)
	walk = func(v reflect.Value, name string) {
		switch v.Kind() {
		case reflect.Pointer, reflect.Interface:
			if !v.IsNil() {
				walk(v.Elem(), name)
			}
		case reflect.Struct:
			for i := range v.NumField() {
				walk(v.Field(i), v.Type().Field(i).Name)
			}
		case reflect.Slice:
			for i := range v.Len() {
				walk(v.Index(i), name)
			}
		case reflect.Map:
			for _, k := range v.MapKeys() {
				walk(v.MapIndex(k), name)
			}
		case reflect.String:
			if name == "Source" || name == "Sources" {
				cites = append(cites, v.String())
			}
		}
	}
	walk(reflect.ValueOf(f), "")
	if len(cites) < 500 {
		t.Fatalf("found %d citations in the history file, want the 500 or more it holds", len(cites))
	}
	for _, c := range cites {
		id, section, _ := strings.Cut(c, "#")
		if id == "support-terms" {
			continue
		}
		heads, ok := sections[id]
		if !ok {
			t.Errorf("citation %q: no page copy for source %q", c, id)
			continue
		}
		if section == "" || !slices.Contains(heads, section) {
			t.Errorf("citation %q: %q is not a heading or the title of %s", c, section, id)
		}
	}
}
