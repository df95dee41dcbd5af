package policy

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/Masterminds/semver/v3"
	"go.yaml.in/yaml/v3"
)

//go:embed default.yaml
var defaultYAML []byte

// DefaultYAML returns the embedded default policy file.
func DefaultYAML() []byte { return slices.Clone(defaultYAML) }

// Default returns the embedded default policy. It panics only if the embedded
// file is invalid, which the package tests rule out.
func Default() *Model {
	m, err := Parse("default", defaultYAML)
	if err != nil {
		panic(err)
	}
	return m
}

// Load reads and validates the policy file at path.
func Load(path string) (*Model, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("policy %s: %w", path, err)
	}
	return Parse(path, data)
}

// Error is a problem in a policy file: the file, the line, the field and what is wrong.
type Error struct {
	File  string
	Line  int    // 0 when unknown
	Field string // a path like products.konvoy.releases[1].cycle
	Msg   string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("policy ")
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, " line %d", e.Line)
	}
	if e.Field != "" {
		b.WriteString(" field ")
		b.WriteString(e.Field)
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	return b.String()
}

var yamlLineRE = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

// Parse validates a policy file's contents; name identifies it in errors.
// The document is decoded once; its node tree, which gives errors their
// lines, is built only when there is an error to place.
func Parse(name string, data []byte) (*Model, error) {
	var f File
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &Error{File: name, Msg: "the file is empty"}
		}
		return nil, yamlError(name, nodes(data), err)
	}
	v := validator{name: name, data: data}
	m := v.build(f)
	if len(v.errs) > 0 {
		return nil, errors.Join(v.errs...)
	}
	return m, nil
}

// nodes parses data into a node tree, or nil when it does not parse.
func nodes(data []byte) *yaml.Node {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil
	}
	return &root
}

// yamlError turns a yaml error into Errors, one per reported line, each
// naming the field's path (found in the document's nodes by line and value).
func yamlError(name string, root *yaml.Node, err error) error {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		errs := make([]error, 0, len(te.Errors))
		for _, s := range te.Errors {
			errs = append(errs, withField(lineError(name, s), root))
		}
		return errors.Join(errs...)
	}
	return withField(lineError(name, err.Error()), root)
}

var quotedValueRE = regexp.MustCompile("`([^`]*)`")

// withField fills in e.Field with the full path of the field at e.Line:
// the key named in an unknown-field error, or the value a type error quotes.
func withField(e *Error, root *yaml.Node) *Error {
	if root == nil || e.Line == 0 {
		return e
	}
	key, value := e.Field, ""
	if m := quotedValueRE.FindStringSubmatch(e.Msg); m != nil {
		value = m[1]
	}
	var found, first string
	walkNodes(root, "", func(path string, k, v *yaml.Node) {
		if k.Line != e.Line && v.Line != e.Line {
			return
		}
		if first == "" {
			first = path
		}
		switch {
		case found != "":
		case key != "" && k.Value == key:
			found = path
		case key == "" && value != "" && v.Kind == yaml.ScalarNode && v.Value == value:
			found = path
		}
	})
	if found == "" && key == "" {
		found = first
	}
	if found != "" {
		e.Field = found
	}
	return e
}

// walkNodes calls fn for every mapping entry and sequence item under n,
// with its path ("products.konvoy.releases[1].cycle"); k is the key node
// (the item itself for sequence items).
func walkNodes(n *yaml.Node, path string, fn func(path string, k, v *yaml.Node)) {
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			walkNodes(c, path, fn)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			p := k.Value
			if path != "" {
				p = path + "." + k.Value
			}
			fn(p, k, v)
			walkNodes(v, p, fn)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			p := fmt.Sprintf("%s[%d]", path, i)
			if c.Kind == yaml.ScalarNode {
				fn(p, c, c)
			}
			walkNodes(c, p, fn)
		}
	}
}

var knownFieldRE = regexp.MustCompile(`field (\S+) not found in type policy\.(\w+)`)

func lineError(name, s string) *Error {
	e := &Error{File: name, Msg: s}
	if m := yamlLineRE.FindStringSubmatch(s); m != nil {
		e.Line, _ = strconv.Atoi(m[1])
		e.Msg = m[2]
	}
	if m := knownFieldRE.FindStringSubmatch(e.Msg); m != nil {
		e.Field = m[1]
		where := strings.ToLower(strings.TrimSuffix(m[2], "File"))
		if where == "" {
			where = "the top level"
		}
		e.Msg = fmt.Sprintf("unknown field %q (in %s)", m[1], where)
	}
	return e
}

// validator collects every problem of a file, not just the first.
type validator struct {
	name string
	data []byte
	root *yaml.Node // parsed from data at the first error
	errs []error
}

// fail records a problem at a field path like "products.konvoy.releases[1].cycle".
func (v *validator) fail(path, format string, args ...any) {
	if v.root == nil {
		if v.root = nodes(v.data); v.root == nil {
			v.root = &yaml.Node{}
		}
	}
	v.errs = append(v.errs, &Error{File: v.name, Line: lineOf(v.root, path), Field: path, Msg: fmt.Sprintf(format, args...)})
}

// lineOf finds the line of a field path in the document, or of its nearest
// existing parent.
func lineOf(root *yaml.Node, path string) int {
	n := root
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	line := n.Line
	for _, part := range splitPath(path) {
		next, at := child(n, part)
		if next == nil {
			return line
		}
		n, line = next, at
	}
	return line
}

func splitPath(path string) []string {
	var parts []string
	for _, p := range strings.Split(path, ".") {
		name, idx, ok := strings.Cut(p, "[")
		parts = append(parts, name)
		if ok {
			parts = append(parts, "["+idx)
		}
	}
	return parts
}

// child returns the node at one path step and the line that names it: a
// mapping's key line, or a sequence item's line.
func child(n *yaml.Node, part string) (*yaml.Node, int) {
	if strings.HasPrefix(part, "[") {
		i, err := strconv.Atoi(strings.TrimSuffix(part[1:], "]"))
		if err != nil || n.Kind != yaml.SequenceNode || i < 0 || i >= len(n.Content) {
			return nil, 0
		}
		return n.Content[i], n.Content[i].Line
	}
	if n.Kind != yaml.MappingNode {
		return nil, 0
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == part {
			return n.Content[i+1], n.Content[i].Line
		}
	}
	return nil, 0
}

var idRE = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)

// sourceIDRE also allows dots, for ids that carry versions ("konvoy-2.1.0-notes").
var sourceIDRE = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]*$`)

func (v *validator) build(f File) *Model {
	m := &Model{
		Name:     v.name,
		AsOf:     f.AsOf.Time,
		file:     f,
		sources:  map[string]SourceDoc{},
		products: map[string]*Product{},
		aliases:  map[string]string{},
		areaByID: map[string]*Area{},
	}
	if f.AsOf.IsZero() {
		v.fail("as_of", "as_of is required: the date the facts were taken, like 2021-06-01")
	}
	for i, s := range f.Sources {
		path := fmt.Sprintf("sources[%d]", i)
		switch {
		case !sourceIDRE.MatchString(s.ID):
			v.fail(path+".id", "source id %q must be lower-case letters, digits, dots and dashes", s.ID)
		case m.sources[s.ID].ID != "":
			v.fail(path+".id", "duplicate source id %q", s.ID)
		case s.Title == "":
			v.fail(path+".title", "source %q needs a title", s.ID)
		}
		m.sources[s.ID] = s
	}
	if len(f.Products) == 0 {
		v.fail("products", "the policy lists no products")
	}
	ids := make([]string, 0, len(f.Products))
	for id := range f.Products {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b string) int {
		ia, ib := slices.Index(defaultOrder, a), slices.Index(defaultOrder, b)
		switch {
		case ia >= 0 && ib >= 0:
			return ia - ib
		case ia >= 0:
			return -1
		case ib >= 0:
			return 1
		}
		return strings.Compare(a, b)
	})
	for _, id := range ids {
		m.products[id] = v.product(m, id, f.Products[id])
		m.order = append(m.order, id)
	}
	v.aliases(m)
	v.relations(m, f)
	v.rules(m)
	v.references(m, f)
	v.conflicts(m, f)
	m.root = m
	m.lex = newLexicon(m)
	for _, id := range m.order {
		p := m.products[id]
		p.model = m
		dateBounds(p.all, m.AsOf)
	}
	m.linkProducts()
	if len(v.errs) == 0 {
		m.computeLifecycles()
		m.buildViews()
		for _, vw := range m.views {
			for _, p := range vw.products {
				p.model = vw
			}
			vw.linkProducts()
		}
	}
	return m
}

// defaultOrder is the order products are listed in answers.
var defaultOrder = []string{"konvoy", "kommander", "kaptain", "dkp"}

// reservedIDs are topic words the parser owns; a product cannot take them.
var reservedIDs = []string{"kubernetes", "k8s", "kba", "scope", "istio", "help", "experimental", "severity"}

func (v *validator) product(m *Model, id string, pf ProductFile) *Product {
	base := "products." + id
	if !idRE.MatchString(id) {
		v.fail(base, "product id %q must be lower-case letters, digits and dashes", id)
	}
	if slices.Contains(reservedIDs, id) {
		v.fail(base, "product id %q is a reserved word", id)
	}
	p := &Product{ID: id, Name: pf.Name, Aliases: pf.Aliases, Install: pf.Install, Requires: pf.Requires}
	if p.Name == "" {
		v.fail(base+".name", "product %q needs a name", id)
		p.Name = id
	}
	if len(pf.Releases) == 0 {
		v.fail(base+".releases", "product %q has no releases: list at least one released cycle", id)
	}
	seen := map[Cycle]string{}
	for i, rf := range pf.Releases {
		path := fmt.Sprintf("%s.releases[%d]", base, i)
		c, err := ParseCycle(rf.Cycle)
		if err != nil {
			v.fail(path+".cycle", "%v", err)
			continue
		}
		if prev, dup := seen[c]; dup {
			v.fail(path+".cycle", "duplicate cycle %s (also at %s)", c, prev)
			continue
		}
		seen[c] = path
		r := &Release{Cycle: c, Source: v.cite(m, path+".source", rf.Source, true), Status: rf.Status, Note: rf.Note, Install: rf.Install}
		if rf.Install != nil {
			v.cite(m, path+".install.source", rf.Install.Source, false)
		}
		if rf.Released != nil {
			r.Released = rf.Released.Time
			r.Dates = append(r.Dates, DatedValue{Date: rf.Released.Time, Source: r.Source})
		}
		r.Dates = append(r.Dates, v.dates(m, path+".dates", rf.Dates)...)
		if r.Released.IsZero() && len(r.Dates) > 0 {
			r.Released = r.Dates[0].Date
		}
		r.Patches = v.patches(m, path+".patches", c, rf.Patches)
		if rf.PairsWith != "" {
			pc, err := ParseCycle(rf.PairsWith)
			if err != nil {
				v.fail(path+".pairs_with", "%v", err)
			} else {
				r.PairsWith = &pc
			}
		}
		if k := rf.Kubernetes; k != nil {
			r.Kubernetes = v.kubeRange(m, path+".kubernetes", k)
			r.KubeRanges = append(r.KubeRanges, r.Kubernetes)
		}
		for j := range rf.KubernetesAlso {
			k := v.kubeRange(m, fmt.Sprintf("%s.kubernetes_also[%d]", path, j), &rf.KubernetesAlso[j])
			r.KubeRanges = append(r.KubeRanges, k)
		}
		if r.Kubernetes == nil && len(r.KubeRanges) > 0 {
			r.Kubernetes = r.KubeRanges[0]
		}
		if pl := rf.Platforms; pl != nil {
			r.Platforms = v.platforms(m, path+".platforms", pl)
			r.PlatformsAll = append(r.PlatformsAll, r.Platforms)
		}
		for j := range rf.PlatformsAlso {
			r.PlatformsAll = append(r.PlatformsAll, v.platforms(m, fmt.Sprintf("%s.platforms_also[%d]", path, j), &rf.PlatformsAlso[j]))
		}
		if r.Platforms == nil && len(r.PlatformsAll) > 0 {
			r.Platforms = r.PlatformsAll[0]
		}
		p.Releases = append(p.Releases, r)
	}
	slices.SortFunc(p.Releases, func(a, b *Release) int { return b.Cycle.Compare(a.Cycle) })
	p.all = p.Releases
	for i, uf := range pf.Upcoming {
		path := fmt.Sprintf("%s.upcoming[%d]", base, i)
		c, err := ParseCycle(uf.Cycle)
		if err != nil {
			v.fail(path+".cycle", "%v", err)
			continue
		}
		if prev, dup := seen[c]; dup {
			v.fail(path+".cycle", "duplicate cycle %s (also at %s)", c, prev)
			continue
		}
		seen[c] = path
		if len(p.Releases) > 0 && c.Compare(p.Releases[0].Cycle) < 0 {
			v.fail(path+".cycle", "upcoming cycle %s is older than the latest release %s", c, p.Releases[0].Cycle)
		}
		u := Upcoming{Cycle: c, Note: uf.Note, Source: v.cite(m, path+".source", uf.Source, true)}
		for j := range uf.Kubernetes {
			u.KubeRanges = append(u.KubeRanges, v.kubeRange(m, fmt.Sprintf("%s.kubernetes[%d]", path, j), &uf.Kubernetes[j]))
		}
		if uf.Expected != nil {
			u.Expected = uf.Expected.Time
		}
		p.Upcoming = append(p.Upcoming, u)
	}
	slices.SortFunc(p.Upcoming, func(a, b Upcoming) int { return a.Cycle.Compare(b.Cycle) })
	if s := pf.Support; s != nil {
		p.Rule, p.N, p.With, p.RuleNote = RuleKind(s.Rule), s.N, s.Product, s.Note
		p.Source = v.cite(m, base+".support.source", s.Source, false)
		switch RuleKind(s.Rule) {
		case RuleNMinus:
			if s.N < 0 || s.N > 20 {
				v.fail(base+".support.n", "n must be between 0 and 20, got %d", s.N)
			}
			if s.Product != "" {
				v.fail(base+".support.product", "rule n-minus takes no product")
			}
		case RuleWith:
			if s.Product == "" {
				v.fail(base+".support.product", "rule \"with\" needs the product it is supported with")
			}
		default:
			v.fail(base+".support.rule", "unknown rule %q: use n-minus or with", s.Rule)
			p.Rule = RuleNone
		}
	}
	p.rule = Rule{Kind: p.Rule, N: p.N, With: p.With, Note: p.RuleNote, Source: p.Source}
	p.VersionsOf = pf.VersionsOf
	for i, sf := range pf.Stated {
		if st := v.statement(m, fmt.Sprintf("%s.stated[%d]", base, i), sf); st != nil {
			p.Stated = append(p.Stated, st)
		}
	}
	if len(p.Stated) > 0 && p.Rule == RuleNone {
		v.fail(base+".stated", "stated supported sets need a support rule (support.rule) to differ from")
	}
	if in := pf.Install; in != nil {
		v.cite(m, base+".install.source", in.Source, false)
	}
	for i, rq := range pf.Requires {
		v.cite(m, fmt.Sprintf("%s.requires[%d].source", base, i), rq.Source, false)
	}
	return p
}

func (v *validator) kubeRange(m *Model, path string, k *KubeRangeFile) *KubeRange {
	r := &KubeRange{Default: k.Default, StatedFor: k.StatedFor, Attached: k.Attached, Heading: k.Heading, Note: k.Note, AsPrinted: k.AsPrinted,
		Source: v.cite(m, path+".source", k.Source, false)}
	var err error
	if r.MinVersion, err = parseKubeBound(k.Min); err != nil {
		v.fail(path+".min", "%v", err)
	}
	if r.MaxVersion, err = parseKubeBound(k.Max); err != nil {
		v.fail(path+".max", "%v", err)
	}
	r.Min, r.Max = r.MinVersion.Cycle, r.MaxVersion.Cycle
	if r.Max.Compare(r.Min) < 0 {
		v.fail(path+".max", "max %s is older than min %s", r.Max, r.Min)
	}
	if k.Default != "" {
		d, err := ParseVersion(k.Default)
		switch {
		case err != nil:
			v.fail(path+".default", "%v", err)
		case !r.Contains(d.Cycle) && !k.AsPrinted:
			v.fail(path+".default", "default %s is outside %s..%s (set as_printed: true to keep a page's inconsistent values)", k.Default, r.Min, r.Max)
		}
	}
	if k.StatedFor != "" {
		if _, err := ParseVersion(k.StatedFor); err != nil {
			v.fail(path+".stated_for", "%v", err)
		}
	}
	return r
}

// parseKubeBound accepts a cycle ("1.18", "1.18.x": any patch of it) or a
// full version ("1.21.3").
func parseKubeBound(s string) (Version, error) {
	v, err := ParseVersion(s)
	if err != nil {
		return Version{}, fmt.Errorf("%w: a range bound is a cycle like \"1.18\" or a version like \"1.21.3\"", err)
	}
	return v, nil
}

func (v *validator) platforms(m *Model, path string, pl *PlatformsFile) *Platforms {
	out := &Platforms{StatedFor: pl.StatedFor, Source: v.cite(m, path+".source", pl.Source, false)}
	if len(pl.RunsOn) == 0 {
		v.fail(path+".runs_on", "list at least one platform")
	}
	for i, p := range pl.RunsOn {
		at := fmt.Sprintf("%s.runs_on[%d]", path, i)
		if p.Constraint != "" {
			if p.Version != "" {
				v.fail(at+".constraint", "give a version or a constraint, not both")
				continue
			}
			c, err := semver.NewConstraint(p.Constraint)
			if err != nil {
				v.fail(at+".constraint", "%q is not a version constraint like \">= 2.1.2\": %v", p.Constraint, err)
				continue
			}
			out.RunsOn = append(out.RunsOn, Platform{Product: p.Product, Constraint: c, ConstraintText: p.Constraint, As: p.As})
			continue
		}
		pv, err := ParseVersion(p.Version)
		if err != nil {
			v.fail(at+".version", "%v", err)
			continue
		}
		out.RunsOn = append(out.RunsOn, Platform{Product: p.Product, Version: pv, As: p.As})
	}
	return out
}

// cite checks a "source-id#Section" reference. Sources are parsed before
// products, so every id is known here.
func (v *validator) cite(m *Model, path, s string, optional bool) Ref {
	if s == "" {
		if !optional {
			v.fail(path, "a source is required, like \"konvoy-policy#Section\"")
		}
		return Ref{}
	}
	id, section, _ := strings.Cut(s, "#")
	if _, ok := m.sources[id]; !ok {
		v.fail(path, "unknown source %q (the sources list has %s)", id, strings.Join(sourceIDs(m), ", "))
		return Ref{}
	}
	return m.ref(id + "#" + section)
}

func sourceIDs(m *Model) []string {
	ids := make([]string, 0, len(m.sources))
	for id := range m.sources {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// aliases builds the name lookup; an alias may name only one product.
func (v *validator) aliases(m *Model) {
	for _, id := range m.order {
		m.aliases[id] = id
	}
	for _, id := range m.order {
		for i, a := range m.products[id].Aliases {
			a = strings.ToLower(a)
			path := fmt.Sprintf("products.%s.aliases[%d]", id, i)
			if other, taken := m.aliases[a]; taken {
				v.fail(path, "alias %q already names %s", a, other)
				continue
			}
			if slices.Contains(reservedIDs, a) {
				v.fail(path, "alias %q is a reserved word", a)
				continue
			}
			m.aliases[a] = id
		}
	}
}

// rules computes each product's support window and checks pairings.
func (v *validator) rules(m *Model) {
	for _, id := range m.order {
		p := m.products[id]
		for i, r := range p.Releases {
			if r.PairsWith != nil && p.Rule != RuleWith {
				v.fail(fmt.Sprintf("products.%s.releases[%d].pairs_with", id, i), "pairs_with needs support rule \"with\" (use the top-level pairings list otherwise)")
			}
		}
		if p.Rule != RuleWith {
			continue
		}
		base := "products." + id
		partner, ok := m.products[p.With]
		if !ok || partner.Rule == RuleWith {
			v.fail(base+".support.product", "product %q is not a product with its own support rule", p.With)
			p.Rule, p.rule.Kind = RuleNone, RuleNone
			continue
		}
		paired := map[Cycle]Cycle{}
		for i, r := range p.Releases {
			path := fmt.Sprintf("%s.releases[%d].pairs_with", base, i)
			if r.PairsWith == nil {
				v.fail(path, "release %s needs pairs_with: the %s cycle it is released with", r.Cycle, partner.Name)
				continue
			}
			if _, ok := partner.Release(*r.PairsWith); !ok {
				v.fail(path, "%s %s is not a release in products.%s.releases", partner.Name, *r.PairsWith, partner.ID)
				continue
			}
			if prev, dup := paired[*r.PairsWith]; dup {
				v.fail(path, "%s %s already pairs with %s %s", partner.Name, *r.PairsWith, p.Name, prev)
				continue
			}
			paired[*r.PairsWith] = r.Cycle
			m.pairings = append(m.pairings, Pairing{Product: id, Cycle: r.Cycle, With: partner.ID, WithCycle: *r.PairsWith, Source: p.Source})
		}
	}
	for _, id := range ruleOrder(m) {
		p := m.products[id]
		p.markStale()
		var partner []Cycle
		if p.Rule == RuleWith {
			partner = m.products[p.With].sup.Window
		}
		p.sup = p.support(cyclesOf(p.Releases), partner)
		p.supHi = p.sup
		p.supported = p.sup.Window
	}
}

// references checks the sections outside products.
func (v *validator) references(m *Model, f File) {
	for _, id := range m.order {
		for i, rq := range m.products[id].Requires {
			if _, ok := m.Product(rq.Product); !ok && !slices.Contains(reservedIDs, rq.Product) {
				v.fail(fmt.Sprintf("products.%s.requires[%d].product", id, i), "unknown product %q", rq.Product)
			}
		}
		for i, r := range m.products[id].Releases {
			if r.Platforms == nil {
				continue
			}
			for j, pl := range r.Platforms.RunsOn {
				if _, ok := m.products[pl.Product]; !ok {
					v.fail(fmt.Sprintf("products.%s.releases[%d].platforms.runs_on[%d].product", id, i, j), "unknown product %q", pl.Product)
				}
			}
		}
	}
	if k := f.Kubernetes; k != nil {
		v.cite(m, "kubernetes.source", k.Source, false)
	}
	if a := f.Addons; a != nil {
		v.cite(m, "addons.source", a.Source, false)
		if a.Example != "" {
			if _, err := ParseKBATag(a.Example); err != nil {
				v.fail("addons.example", "%v", err)
			}
		}
	}
	if s := f.Scope; s != nil {
		for i, af := range s.Areas {
			path := fmt.Sprintf("scope.areas[%d]", i)
			if !idRE.MatchString(af.ID) {
				v.fail(path+".id", "area id %q must be lower-case letters, digits and dashes", af.ID)
			}
			if _, dup := m.areaByID[af.ID]; dup {
				v.fail(path+".id", "duplicate area id %q", af.ID)
			}
			if len(af.Rows) == 0 && af.Definition == "" {
				v.fail(path+".rows", "area %q has no rows and no definition", af.ID)
			}
			for j, src := range af.Sources {
				v.cite(m, fmt.Sprintf("%s.sources[%d]", path, j), src, false)
			}
			a := &Area{ID: af.ID, Name: af.Name, Aliases: af.Aliases, Definition: af.Definition, Note: af.Note,
				Source: v.cite(m, path+".source", af.Source, false), Rows: af.Rows}
			m.areas = append(m.areas, a)
			m.areaByID[a.ID] = a
		}
		if e := s.Experimental; e != nil {
			for i, src := range e.Sources {
				v.cite(m, fmt.Sprintf("scope.experimental.sources[%d]", i), src, false)
			}
		}
		for i, t := range s.Terms {
			path := fmt.Sprintf("scope.terms[%d]", i)
			if !idRE.MatchString(t.ID) {
				v.fail(path+".id", "term id %q must be lower-case letters, digits and dashes", t.ID)
			}
			if t.Name == "" || t.Definition == "" {
				v.fail(path+".definition", "term %q needs a name and a definition", t.ID)
			}
			for j, src := range t.Sources {
				v.cite(m, fmt.Sprintf("%s.sources[%d]", path, j), src, false)
			}
		}
		if sv := s.SeverityTerms; sv != nil {
			for i, src := range sv.Sources {
				v.cite(m, fmt.Sprintf("scope.severity_terms.sources[%d]", i), src, false)
			}
		}
	}
	if is := f.Istio; is != nil {
		v.cite(m, "istio.source", is.Source, false)
		for i, src := range is.Sources {
			v.cite(m, fmt.Sprintf("istio.sources[%d]", i), src, false)
		}
	}
	if os := f.OperatingSystems; os != nil {
		v.cite(m, "operating_systems.source", os.Source, false)
		for i, src := range os.Sources {
			v.cite(m, fmt.Sprintf("operating_systems.sources[%d]", i), src, false)
		}
	}
	if k := f.Kubernetes; k != nil {
		for i, src := range k.Sources {
			v.cite(m, fmt.Sprintf("kubernetes.sources[%d]", i), src, false)
		}
	}
}

// Dump writes the model's policy file as YAML; Load accepts the output.
func (m *Model) Dump(w io.Writer) error {
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(m.file); err != nil {
		return fmt.Errorf("policy dump: %w", err)
	}
	return enc.Close()
}
