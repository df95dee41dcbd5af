package policy

// The policy file format. Field names are a contract (see DESIGN.md): as_of,
// products.<id>.releases[].cycle|released and products.<id>.upcoming[].cycle|expected
// must keep their meaning; everything else here may grow.

// File is the YAML policy file as written on disk. Dump writes it back out in
// the same shape, so a dumped policy is accepted by Load.
type File struct {
	AsOf       Date                   `yaml:"as_of"`
	Sources    []SourceDoc            `yaml:"sources"`
	Products   map[string]ProductFile `yaml:"products"`
	Kubernetes *KubernetesFile        `yaml:"kubernetes,omitempty"`
	Addons     *AddonsFile            `yaml:"addons,omitempty"`
	Scope      *ScopeFile             `yaml:"scope,omitempty"`
	Istio      *IstioFile             `yaml:"istio,omitempty"`
	// OperatingSystems points at where supported operating systems are listed.
	OperatingSystems *PointerFile `yaml:"operating_systems,omitempty"`
}

// PointerFile is a fact the policy only points at: where it is documented.
type PointerFile struct {
	Statement string `yaml:"statement"`
	Source    string `yaml:"source"`
}

// SourceDoc is a document facts are taken from. A fact cites it as "id#Section".
type SourceDoc struct {
	ID    string `yaml:"id"`
	Title string `yaml:"title"`
	URL   string `yaml:"url,omitempty"`
}

// ProductFile is one product in the policy file.
type ProductFile struct {
	Name     string         `yaml:"name"`
	Aliases  []string       `yaml:"aliases,omitempty"`
	Support  *SupportFile   `yaml:"support,omitempty"`
	Releases []ReleaseFile  `yaml:"releases"`
	Upcoming []UpcomingFile `yaml:"upcoming,omitempty"`
	Install  *InstallFile   `yaml:"install,omitempty"`
	Requires []RequireFile  `yaml:"requires,omitempty"`
}

// SupportFile is a product's support rule.
//
// Rule "n-minus" supports the latest N+1 released MAJOR.MINOR cycles. Rule
// "with" supports a product's cycles exactly while the cycle of Product they
// pair with (ReleaseFile.PairsWith) is supported.
type SupportFile struct {
	Rule    string `yaml:"rule"`
	N       int    `yaml:"n,omitempty"`
	Product string `yaml:"product,omitempty"`
	Note    string `yaml:"note,omitempty"`
	Source  string `yaml:"source"`
}

// ReleaseFile is a released MAJOR.MINOR cycle. Only Cycle is required.
type ReleaseFile struct {
	Cycle      string         `yaml:"cycle"`
	Released   *Date          `yaml:"released,omitempty"`
	PairsWith  string         `yaml:"pairs_with,omitempty"`
	Kubernetes *KubeRangeFile `yaml:"kubernetes,omitempty"`
	Platforms  *PlatformsFile `yaml:"platforms,omitempty"`
	Source     string         `yaml:"source,omitempty"`
}

// UpcomingFile is an announced, not yet released cycle. Only Cycle is required.
type UpcomingFile struct {
	Cycle    string `yaml:"cycle"`
	Expected *Date  `yaml:"expected,omitempty"`
}

// KubeRangeFile is the Kubernetes range a Konvoy release supports.
type KubeRangeFile struct {
	Min       string `yaml:"min"`
	Max       string `yaml:"max"`
	Default   string `yaml:"default,omitempty"`
	StatedFor string `yaml:"stated_for,omitempty"`
	Source    string `yaml:"source"`
}

// PlatformsFile says where a release runs.
type PlatformsFile struct {
	StatedFor string         `yaml:"stated_for,omitempty"`
	RunsOn    []PlatformFile `yaml:"runs_on"`
	Source    string         `yaml:"source"`
}

// PlatformFile is one platform: a product and a version (a cycle like "1.8"
// matches all its patches; a full version like "2.1.1" matches only itself).
type PlatformFile struct {
	Product string `yaml:"product"`
	Version string `yaml:"version"`
}

// InstallFile says how a product may be installed.
type InstallFile struct {
	FromKommander *bool  `yaml:"from_kommander,omitempty"`
	AsAddon       *bool  `yaml:"as_addon,omitempty"`
	StatedFor     string `yaml:"stated_for,omitempty"`
	Note          string `yaml:"note,omitempty"`
	Source        string `yaml:"source"`
}

// RequireFile is a prerequisite of a product.
type RequireFile struct {
	Product string `yaml:"product"`
	Source  string `yaml:"source"`
}

// KubernetesFile is the general statement on Kubernetes support.
type KubernetesFile struct {
	Statement string `yaml:"statement"`
	Pointer   string `yaml:"pointer"`
	Source    string `yaml:"source"`
}

// AddonsFile describes Kubernetes Base Addons (KBA) tags.
type AddonsFile struct {
	Name      string `yaml:"name"`
	TagFormat string `yaml:"tag_format"`
	Statement string `yaml:"statement"`
	Example   string `yaml:"example,omitempty"`
	// ExampleNote records where the source's own example disagrees with the tag format.
	ExampleNote string `yaml:"example_note,omitempty"`
	Source      string `yaml:"source"`
}

// ScopeFile holds the support-scope tables, experimental status and the
// severity definitions link.
type ScopeFile struct {
	Areas         []AreaFile        `yaml:"areas"`
	Experimental  *ExperimentalFile `yaml:"experimental,omitempty"`
	SeverityTerms *SeverityFile     `yaml:"severity_terms,omitempty"`
}

// AreaFile is one support-scope table.
type AreaFile struct {
	ID         string    `yaml:"id"`
	Name       string    `yaml:"name"`
	Aliases    []string  `yaml:"aliases,omitempty"`
	Definition string    `yaml:"definition"`
	Note       string    `yaml:"note,omitempty"`
	Source     string    `yaml:"source"`
	Rows       []RowFile `yaml:"rows"`
}

// RowFile is one row of a support-scope table: a type of request, its scope
// items and the support offered, as the source states them.
type RowFile struct {
	Type    string   `yaml:"type"`
	Scope   []string `yaml:"scope"`
	Offered string   `yaml:"offered"`
}

// ExperimentalFile is the experimental-status statement.
type ExperimentalFile struct {
	Definition string   `yaml:"definition"`
	Support    string   `yaml:"support"`
	Services   []string `yaml:"services"`
	Warranty   string   `yaml:"warranty,omitempty"`
	Sources    []string `yaml:"sources"`
}

// SeverityFile points at the severity level definitions.
type SeverityFile struct {
	URL     string   `yaml:"url"`
	Sources []string `yaml:"sources"`
}

// IstioFile is Istio's support status.
type IstioFile struct {
	Statements []string `yaml:"statements"`
	Source     string   `yaml:"source"`
}
