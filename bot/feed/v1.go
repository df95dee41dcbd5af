package feed

import (
	"strings"
	"time"

	"github.com/d2iq/supportbot/policy"
)

// SchemaVersion is the version of endoflife.date's API v1 description the
// documents follow (openapi.yml info.version).
const SchemaVersion = "1.1.0"

// unknownReleaseDate is served as a release's releaseDate, which the v1
// schema requires, when the policy has no date for the release: an
// unmistakable placeholder rather than a plausible date (custom.releaseDate
// is null then).
const unknownReleaseDate = "1970-01-01"

// The custom fields of a v1 ProductRelease (values are strings or null).
const (
	customStatus      = "supportStatus"   // "supported", "ended" or "unknown"
	customReleaseDate = "releaseDate"     // the policy's release date, or null
	customDisputed    = "releaseDates"    // every date, when the pages disagree
	customEndDates    = "eolDates"        // every date of the ending release, when the pages disagree
	customEndedBy     = "endedBy"         // the release that ended support ("Konvoy 1.9")
	customEndsWith    = "expectedEndWith" // the announced release expected to end it
	customPairsWith   = "pairsWith"       // the partner cycle of a rule "with" product
	customSources     = "sources"         // the statements the facts rest on
	customPolicyAsOf  = "policyAsOf"      // the policy's as_of date
)

// v1Envelope is the response wrapper of every v1 document. Total is set
// for lists; LastModified for every document (the schema requires it of
// product documents and allows it elsewhere).
type v1Envelope struct {
	SchemaVersion string `json:"schema_version"`
	GeneratedAt   string `json:"generated_at"`
	LastModified  string `json:"last_modified"`
	Total         *int   `json:"total,omitempty"`
	Result        any    `json:"result"`
}

type v1URI struct {
	Name string `json:"name"`
	URI  string `json:"uri"`
}

type v1Summary struct {
	Name     string   `json:"name"`
	Label    string   `json:"label"`
	Aliases  []string `json:"aliases"`
	Category string   `json:"category"`
	Tags     []string `json:"tags"`
	URI      string   `json:"uri"`
}

type v1Details struct {
	Name           string         `json:"name"`
	Label          string         `json:"label"`
	Aliases        []string       `json:"aliases"`
	Category       string         `json:"category"`
	Tags           []string       `json:"tags"`
	VersionCommand *string        `json:"versionCommand"`
	Identifiers    []v1Identifier `json:"identifiers"`
	Labels         v1Labels       `json:"labels"`
	Links          v1Links        `json:"links"`
	Releases       []v1Release    `json:"releases"`
}

type v1Identifier struct {
	ID   string `json:"id"`
	Type string `json:"type"`
}

type v1Labels struct {
	Eoas         *string `json:"eoas"`
	Discontinued *string `json:"discontinued"`
	Eol          string  `json:"eol"`
	Eoes         *string `json:"eoes"`
}

type v1Links struct {
	Icon          *string `json:"icon"`
	HTML          string  `json:"html"`
	ReleasePolicy *string `json:"releasePolicy"`
}

// v1Release is a ProductRelease.
type v1Release struct {
	Name         string             `json:"name"`
	Codename     *string            `json:"codename"`
	Label        string             `json:"label"`
	ReleaseDate  string             `json:"releaseDate"`
	IsLts        bool               `json:"isLts"`
	LtsFrom      *string            `json:"ltsFrom"`
	IsEol        bool               `json:"isEol"`
	EolFrom      *string            `json:"eolFrom"`
	IsMaintained bool               `json:"isMaintained"`
	Latest       *v1Version         `json:"latest"`
	Custom       map[string]*string `json:"custom"`
}

type v1Version struct {
	Name string  `json:"name"`
	Date *string `json:"date"`
	Link *string `json:"link"`
}

// The product facts the v1 schema requires and the policy does not state.
const (
	productCategory = "server-app"
	productVendor   = "d2iq"
	eolLabel        = "Supported"
)

func v1ProductSummary(p *policy.Product, base string) v1Summary {
	return v1Summary{
		Name:     p.ID,
		Label:    p.Name,
		Aliases:  nonNil(p.Aliases),
		Category: productCategory,
		Tags:     []string{productVendor, productCategory},
		URI:      base + "/api/v1/products/" + p.ID + "/",
	}
}

func v1ProductDetails(m *policy.Model, p *policy.Product, base string) v1Details {
	d := v1Details{
		Name:        p.ID,
		Label:       p.Name,
		Aliases:     nonNil(p.Aliases),
		Category:    productCategory,
		Tags:        []string{productVendor, productCategory},
		Identifiers: []v1Identifier{},
		Labels:      v1Labels{Eol: eolLabel},
		Links:       v1Links{HTML: base + "/api/v1/products/" + p.ID + "/"},
		Releases:    []v1Release{},
	}
	if u := p.Source.URL; u != "" {
		d.Links.HTML = u
		d.Links.ReleasePolicy = &u
	}
	for _, l := range lifecycle(m, p) {
		d.Releases = append(d.Releases, v1ProductRelease(m, l))
	}
	return d
}

// v1ProductRelease maps a lifecycle to a ProductRelease (the README's
// field mapping).
func v1ProductRelease(m *policy.Model, l life) v1Release {
	r := v1Release{
		Name:        l.Cycle.String(),
		Label:       l.Product.Name + " " + l.Cycle.String(),
		ReleaseDate: unknownReleaseDate,
		Custom: map[string]*string{
			customReleaseDate: nil,
			customPolicyAsOf:  ptr(m.AsOf.Format(time.DateOnly)),
		},
	}
	if !l.Released.IsZero() {
		r.ReleaseDate = l.Released.Format(time.DateOnly)
		r.Custom[customReleaseDate] = &r.ReleaseDate
	}
	if len(l.ReleaseDates) > 1 {
		r.Custom[customDisputed] = ptr(datedList(l.ReleaseDates))
	}
	if len(l.EndedDates) > 1 {
		r.Custom[customEndDates] = ptr(datedList(l.EndedDates))
	}
	if l.Latest != "" {
		r.Latest = &v1Version{Name: l.Latest}
		if !l.LatestDate.IsZero() {
			r.Latest.Date = ptr(l.LatestDate.Format(time.DateOnly))
		}
		if l.LatestLink != "" {
			r.Latest.Link = &l.LatestLink
		}
	}
	switch l.Status {
	case policy.StatusUnsupported:
		r.IsEol = true
		r.Custom[customStatus] = ptr("ended")
	case policy.StatusSupported:
		r.IsMaintained = true
		r.Custom[customStatus] = ptr("supported")
	default:
		r.Custom[customStatus] = ptr("unknown")
	}
	if end := l.EndDate(); !end.IsZero() {
		r.EolFrom = ptr(end.Format(time.DateOnly))
	}
	if l.EndedBy != nil {
		r.Custom[customEndedBy] = ptr(productName(m, l.EndedBy.Product) + " " + l.EndedBy.Cycle.String())
	}
	if l.ExpectedBy != nil {
		r.Custom[customEndsWith] = ptr(productName(m, l.ExpectedBy.Product) + " " + l.ExpectedBy.Cycle.String())
	}
	if rel, ok := l.Product.Release(l.Cycle); ok && rel.PairsWith != nil {
		r.Custom[customPairsWith] = ptr(productName(m, l.Product.With) + " " + rel.PairsWith.String())
	}
	if len(l.Sources) > 0 {
		r.Custom[customSources] = ptr(sourceList(l.Sources))
	}
	return r
}

// datedList renders dates the pages disagree on: "2021-11-18 (Title —
// Section); ...".
func datedList(ds []policy.DatedValue) string {
	parts := make([]string, len(ds))
	for i, d := range ds {
		parts[i] = d.Date.Format(time.DateOnly) + " (" + d.Source.String() + ")"
	}
	return strings.Join(parts, "; ")
}

// sourceList renders refs as "Title — Section <url>; ...".
func sourceList(refs []policy.Ref) string {
	parts := make([]string, len(refs))
	for i, s := range refs {
		parts[i] = s.String()
		if s.URL != "" {
			parts[i] += " <" + s.URL + ">"
		}
	}
	return strings.Join(parts, "; ")
}

func ptr[T any](v T) *T { return &v }

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
