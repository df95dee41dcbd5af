package policy

// The policy file format. Field names are a contract (see DESIGN.md): as_of,
// products.<id>.releases[].cycle|released and products.<id>.upcoming[].cycle|expected
// must keep their meaning; everything else here may grow, additively.
//
// A short example of the dated-history fields (testdata/schema-example.yaml
// holds a complete, loadable one):
//
//	sources:
//	  - id: konvoy-2.2-policy-0043940          # one page at one repository version
//	    title: Konvoy 2.2 Version Support Policy
//	    path: pages/dkp/konvoy/2.2/legal/version-policy/index.md
//	    commit: "0043940"
//	    product: konvoy
//	    cycle: "2.2"
//	products:
//	  konvoy:
//	    name: Konvoy
//	    support: {rule: n-minus, n: 2, source: "konvoy-2.2-policy-0043940#Version Support Policy"}
//	    stated:                                # what a page says is supported
//	      - current: "2.2"
//	        supported: ["2.1", "1.8"]
//	        text: "if the current GA version of Konvoy is 2.2, then D2iQ supports ... 2.1, and 1.8"
//	        source: "konvoy-2.2-policy-0043940#Version Support Policy"
//	      - after: "2.2"                       # "When the next version releases ..."
//	        supported: ["2.2", "2.1"]
//	        expires: ["1.8"]
//	        source: "konvoy-2.2-policy-0043940#Version Support Policy"
//	    releases:
//	      - cycle: "2.1"
//	        released: 2021-11-18
//	        source: "konvoy-2.1.0-notes#Release date"  # the source of released
//	        dates:                             # more values, when pages disagree
//	          - {date: 2021-12-30, printed: "December 30, 2021", source: "konvoy-2.1.1-notes#Intro"}
//	        kubernetes: {min: "1.21.6", max: "1.21", default: "1.21.6", stated_for: "2.1.0", source: "konvoy-2.1.0-notes#Kubernetes"}
//	        kubernetes_also:
//	          - {min: "1.21.3", max: "1.21", default: "1.21.3", stated_for: "2.1.0", source: "konvoy-2.1-policy#Supported Kubernetes versions"}
//	        patches:
//	          - {version: "2.1.1", released: 2021-12-30, source: "konvoy-2.1.1-notes#Intro"}
//	pairings:
//	  - {product: kommander, cycle: "2.0", with: konvoy, with_cycle: "2.0", source: "konvoy-2.0-policy#Supported Kommander Versions"}
//	bans:
//	  - {product: kommander, version: "1.4", on: konvoy, on_version: "2.0", source: "konvoy-2.0-policy#Supported Kommander Versions"}
//	upgrades:
//	  - product: konvoy
//	    from: "1.5.x"
//	    to: "1.6.x"
//	    kind: path
//	    steps: ["1.5.6", "1.6.3"]
//	    source: "konvoy-1.6.3-notes#Upgrade"
//	  - {product: konvoy, from: "1.x", to_product: dkp, to: "2.x", kind: forbidden, when_enabled: kaptain, source: "konvoy-2.1-upgrade#Prerequisites"}
//
// Every fact cites a source as "source-id#Section"; the source names the page,
// its path and its commit in the docs repository, so a fact's provenance is
// page, version and section.

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

	// Pairings are stated pairings between cycles of two products ("Konvoy
	// 2.0.x ↔ Kommander 2.0.x"), one entry per page that states one. They are
	// independent of the support rule: a product with its own n-minus rule
	// can still pair. (A release's pairs_with is the short form for rule "with".)
	Pairings []PairingFile `yaml:"pairings,omitempty"`
	// Bans are stated prohibitions: "You cannot deploy Kommander 1.4.x on
	// Konvoy 2.0.x".
	Bans []BanFile `yaml:"bans,omitempty"`
	// Upgrades are upgrade rules: paths, releases to skip, prerequisites and
	// forbidden upgrades.
	Upgrades []UpgradeFile `yaml:"upgrades,omitempty"`
	// Notices are other dated or versioned statements: removals ("Removed
	// support for Kubernetes 1.15"), deprecations, "Features in Upgrade
	// Patches", product changes (DKP 2.2 merges Konvoy and Kommander).
	Notices []NoticeFile `yaml:"notices,omitempty"`
	// Conflicts record disagreements between pages that the loader cannot see
	// from two values of one field: a stale "current version" example, a
	// mislabelled table heading, a misprinted year. Disagreements between
	// values (two release dates, two Kubernetes ranges for one release, two
	// stated sets for one current version) are found by the loader and need no
	// entry here.
	Conflicts []ConflictFile `yaml:"conflicts,omitempty"`
}

// PointerFile is a fact the policy only points at: where it is documented.
type PointerFile struct {
	Statement string `yaml:"statement"`
	Source    string `yaml:"source"`
	// Sources are the other pages that say the same.
	Sources []string `yaml:"sources,omitempty"`
}

// SourceDoc is a document facts are taken from. A fact cites it as "id#Section".
// For pages of the docs repository, one SourceDoc is one page at one version
// (commit): two versions of a page are two sources.
type SourceDoc struct {
	ID    string `yaml:"id"`
	Title string `yaml:"title"`
	URL   string `yaml:"url,omitempty"`
	// Path is the page's path in its repository
	// ("pages/dkp/konvoy/2.2/legal/version-policy/index.md").
	Path string `yaml:"path,omitempty"`
	// Commit is the page's version in the repository (a short commit id).
	Commit string `yaml:"commit,omitempty"`
	// File is the name of the stored copy of the page, when there is one
	// ("konvoy-2.2-legal-version-support-policy-0043940.md").
	File string `yaml:"file,omitempty"`
	// Product and Cycle are the docs version the page belongs to (the
	// Konvoy 2.2 docs), which need not be the version its text talks about.
	Product string `yaml:"product,omitempty"`
	Cycle   string `yaml:"cycle,omitempty"`
	// Kind is "policy" (a version support policy page), "release-notes",
	// "upgrade" or "seed"; free text for anything else.
	Kind string `yaml:"kind,omitempty"`
	// Beta is the page's front matter "beta: true".
	Beta bool `yaml:"beta,omitempty"`
	// PathConfirmed is false when the path is inferred ("path not confirmed").
	PathConfirmed *bool  `yaml:"path_confirmed,omitempty"`
	Note          string `yaml:"note,omitempty"`
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

	// Stated are the pages' explicit statements of the supported set ("if
	// the current GA version is 2.2, then D2iQ supports 2.1, and 1.8"). A
	// statement in force wins over the computed rule; answers say where the
	// two differ.
	Stated []StatedFile `yaml:"stated,omitempty"`
	// VersionsOf names the product whose release numbers this product's
	// versions share (dkp: konvoy, so DKP 2.1.2 is the release of Konvoy
	// 2.1.2), so a platform constraint on one matches the other.
	VersionsOf string `yaml:"versions_of,omitempty"`
	Note       string `yaml:"note,omitempty"`
}

// SupportFile is a product's support rule.
//
// Rule "n-minus" supports the latest N+1 released MAJOR.MINOR cycles, counted
// over the cycles that exist (1.8 → 2.0 has no 1.9). Rule "with" supports a
// product's cycles exactly while the cycle of Product they pair with
// (ReleaseFile.PairsWith) is supported.
type SupportFile struct {
	Rule    string `yaml:"rule"`
	N       int    `yaml:"n,omitempty"`
	Product string `yaml:"product,omitempty"`
	Note    string `yaml:"note,omitempty"`
	Source  string `yaml:"source"`
}

// StatedFile is one page's statement of which cycles are supported when a
// given cycle is the current (latest released) one. It applies on the days
// its current cycle is the product's latest release.
//
// Current names that cycle ("if the current version is 2.2", "With the GA
// release of Kaptain 2.0.0", "When the 2.1 version releases"); After names
// the cycle before it instead, for "When the next version releases" on the
// 2.2 page (After "2.2": in force once the first cycle after 2.2 is the
// latest). Exactly one of Current and After is set.
//
// Supported lists the cycles as the page names them; the current cycle is
// supported even where the sentence leaves it out (Kaptain 2.0: "support
// continues for Kaptain 1.3, and 1.2"), and answers say it was left out.
// Expires lists the cycles the page says expire. A cycle in neither list is
// not supported by the statement.
type StatedFile struct {
	Current   string   `yaml:"current,omitempty"`
	After     string   `yaml:"after,omitempty"`
	Supported []string `yaml:"supported"`
	Expires   []string `yaml:"expires,omitempty"`
	// Kind is "example" (the "for example, if the current version is ..."
	// sentence) or "next-release" (the "When the next version releases ..."
	// sentence); free text otherwise.
	Kind string `yaml:"kind,omitempty"`
	// Text is the sentence, verbatim or nearly.
	Text string `yaml:"text,omitempty"`
	// Note says what is odd about it ("stale: the page lives in the 1.6 docs").
	Note   string `yaml:"note,omitempty"`
	Source string `yaml:"source"`
}

// ReleaseFile is a released MAJOR.MINOR cycle. Only Cycle is required.
type ReleaseFile struct {
	Cycle string `yaml:"cycle"`
	// Released is the cycle's release date (its .0 GA); Source cites it.
	// Dates holds further values from other pages: when they differ from
	// Released (or from one another) the pages disagree, and answers that
	// depend on the date say so and cite each.
	Released *Date      `yaml:"released,omitempty"`
	Dates    []DateFile `yaml:"dates,omitempty"`
	// PairsWith is the partner product's cycle for rule "with".
	PairsWith  string         `yaml:"pairs_with,omitempty"`
	Kubernetes *KubeRangeFile `yaml:"kubernetes,omitempty"`
	// KubernetesAlso are more Kubernetes ranges of the release: for other
	// patches (1.8.3's default 1.20.11; set StatedFor) and from other pages
	// (a conflicting value for the same patch is kept, with its source).
	KubernetesAlso []KubeRangeFile `yaml:"kubernetes_also,omitempty"`
	Platforms      *PlatformsFile  `yaml:"platforms,omitempty"`
	// PlatformsAlso are more platform statements (other patches, other pages).
	PlatformsAlso []PlatformsFile `yaml:"platforms_also,omitempty"`
	// Patches are the cycle's patch releases the pages date.
	Patches []PatchFile `yaml:"patches,omitempty"`
	// Install says how this release may be installed, when its page says
	// (the product's install is the default).
	Install *InstallFile `yaml:"install,omitempty"`
	// Status is "" for a GA release, or "technical-preview", "beta",
	// "experimental" for releases or features under other terms.
	Status string `yaml:"status,omitempty"`
	Note   string `yaml:"note,omitempty"`
	Source string `yaml:"source,omitempty"`
}

// DateFile is one page's value for a date.
type DateFile struct {
	Date Date `yaml:"date"`
	// Printed is the date as the page prints it, when it is odd ("12
	// January 2020" for a release of January 2021).
	Printed string `yaml:"printed,omitempty"`
	Note    string `yaml:"note,omitempty"`
	Source  string `yaml:"source"`
}

// PatchFile is a patch release of a cycle.
type PatchFile struct {
	// Version is the full version: "1.8.3", or a pre-release
	// ("1.7.0-beta.0"), which never counts as the latest patch.
	Version  string     `yaml:"version"`
	Released *Date      `yaml:"released,omitempty"`
	Dates    []DateFile `yaml:"dates,omitempty"`
	// Advisory is a warning about the patch ("skip 1.8.1: upgrade directly
	// to 1.8.2"); upgrade rules say the same in machine form.
	Advisory string `yaml:"advisory,omitempty"`
	Note     string `yaml:"note,omitempty"`
	Source   string `yaml:"source,omitempty"`
}

// UpcomingFile is an announced, not yet released cycle. Only Cycle is required.
type UpcomingFile struct {
	Cycle    string `yaml:"cycle"`
	Expected *Date  `yaml:"expected,omitempty"`
	Note     string `yaml:"note,omitempty"`
	Source   string `yaml:"source,omitempty"`
	// Kubernetes are the ranges pages state for the cycle before it ships
	// (draft release notes, a policy page of its docs).
	Kubernetes []KubeRangeFile `yaml:"kubernetes,omitempty"`
}

// KubeRangeFile is the Kubernetes range a release supports. Min and Max are
// a cycle ("1.18", meaning any 1.18.x) or a full version ("1.21.3", "1.17.8").
type KubeRangeFile struct {
	Min       string `yaml:"min"`
	Max       string `yaml:"max"`
	Default   string `yaml:"default,omitempty"`
	StatedFor string `yaml:"stated_for,omitempty"`
	// Attached is the rule that "any cluster you want to attach ... must be
	// running a Kubernetes version in this range" (DKP 2.2, Kommander 2.2).
	Attached bool `yaml:"attached,omitempty"`
	// Heading is the table's heading as printed, when it names another
	// release than the one it describes ("Konvoy 2.0 supports" on the 2.2 page).
	Heading string `yaml:"heading,omitempty"`
	// AsPrinted keeps values the page prints even though they contradict
	// each other (a default outside its own range); the loader then does not
	// refuse them, and answers say so.
	AsPrinted bool   `yaml:"as_printed,omitempty"`
	Note      string `yaml:"note,omitempty"`
	Source    string `yaml:"source"`
}

// PlatformsFile says where a release runs.
type PlatformsFile struct {
	StatedFor string         `yaml:"stated_for,omitempty"`
	RunsOn    []PlatformFile `yaml:"runs_on"`
	Note      string         `yaml:"note,omitempty"`
	Source    string         `yaml:"source"`
}

// PlatformFile is one platform: a product and a version (a cycle like "1.8"
// matches all its patches; a full version like "2.1.1" matches only itself),
// or a product and a constraint in Masterminds/semver syntax (">= 2.1.2" for
// "DKP 2.1.2 and newer"). Exactly one of Version and Constraint is set.
type PlatformFile struct {
	Product    string `yaml:"product"`
	Version    string `yaml:"version,omitempty"`
	Constraint string `yaml:"constraint,omitempty"`
	// As is how it is installed there ("workspace catalog application").
	As string `yaml:"as,omitempty"`
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

// PairingFile is one stated pairing: cycle Cycle of Product pairs with
// cycle WithCycle of With ("Kommander 2.0.x ↔ Konvoy 2.0.x").
type PairingFile struct {
	Product   string `yaml:"product"`
	Cycle     string `yaml:"cycle"`
	With      string `yaml:"with"`
	WithCycle string `yaml:"with_cycle"`
	Note      string `yaml:"note,omitempty"`
	Source    string `yaml:"source"`
}

// BanFile is one stated prohibition: Product Version cannot be deployed on
// On OnVersion. Versions are cycles ("1.4" for 1.4.x).
type BanFile struct {
	Product   string `yaml:"product"`
	Version   string `yaml:"version"`
	On        string `yaml:"on"`
	OnVersion string `yaml:"on_version"`
	Statement string `yaml:"statement,omitempty"`
	Source    string `yaml:"source"`
}

// UpgradeFile is one upgrade rule. From and To are Masterminds/semver
// constraints on the versions upgraded from and to ("1.5.x", ">= 1.8.0,
// < 2.0.0", "2.1.x"); ToProduct is set when the target is another product
// (Konvoy 1.8 to DKP 2.1).
//
// Kind says what the rule is:
//   - "path": the stated route; Steps are the versions to pass through, in
//     order, each a version or a constraint ("1.5.6", "1.8.3 - 1.8.5").
//   - "avoid": do not upgrade to the Avoid versions; go to Instead.
//   - "prerequisite": before upgrading, be on a version matching Steps[0]
//     (or meet Statement).
//   - "forbidden": the upgrade is not supported (WhenEnabled: only while
//     that product is enabled, e.g. kaptain).
//   - "advisory": advice to follow (Statement).
type UpgradeFile struct {
	Product   string   `yaml:"product"`
	From      string   `yaml:"from,omitempty"`
	To        string   `yaml:"to,omitempty"`
	ToProduct string   `yaml:"to_product,omitempty"`
	Kind      string   `yaml:"kind"`
	Steps     []string `yaml:"steps,omitempty"`
	Avoid     []string `yaml:"avoid,omitempty"`
	Instead   []string `yaml:"instead,omitempty"`
	// WhenEnabled is a product id: the rule applies when it is enabled on
	// the cluster ("no 1.x → 2.x upgrade with Kaptain enabled").
	WhenEnabled string `yaml:"when_enabled,omitempty"`
	Statement   string `yaml:"statement,omitempty"`
	Source      string `yaml:"source"`
}

// NoticeFile is a statement tied to a product version: a removal, a
// deprecation, a product change. Version is a cycle or a patch ("1.8.5").
type NoticeFile struct {
	Product string `yaml:"product"`
	Version string `yaml:"version,omitempty"`
	// Kind is "removed", "deprecated", "features-in-patches", "product" or
	// free text.
	Kind      string `yaml:"kind,omitempty"`
	Statement string `yaml:"statement"`
	Source    string `yaml:"source"`
}

// ConflictFile is a recorded disagreement between pages: About names what
// it is about ("konvoy 2.1 kubernetes", "konvoy 1.5.5 released"), Text says
// how they disagree, and Sources cite every side.
type ConflictFile struct {
	Product string `yaml:"product"`
	Version string `yaml:"version,omitempty"`
	// Fact is the kind of fact: "released", "kubernetes", "stated",
	// "pairing", "platforms", "text".
	Fact    string   `yaml:"fact"`
	Text    string   `yaml:"text"`
	Sources []string `yaml:"sources"`
}

// KubernetesFile is the general statement on Kubernetes support.
type KubernetesFile struct {
	Statement string `yaml:"statement"`
	Pointer   string `yaml:"pointer"`
	Source    string `yaml:"source"`
	// Sources are the other pages that say the same.
	Sources []string `yaml:"sources,omitempty"`
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
	// Also are the same statement as other pages make it (another example
	// tag, Kommander's "Base Platform Services" name), with their sources.
	Also []AddonsFile `yaml:"also,omitempty"`
}

// ScopeFile holds the support-scope tables, experimental status and the
// severity definitions link.
type ScopeFile struct {
	Areas         []AreaFile        `yaml:"areas"`
	Experimental  *ExperimentalFile `yaml:"experimental,omitempty"`
	SeverityTerms *SeverityFile     `yaml:"severity_terms,omitempty"`
	// Terms are further support terms: "Technical Preview" (same support
	// terms as experimental), and the like.
	Terms []TermFile `yaml:"terms,omitempty"`
}

// AreaFile is one support-scope table. The same table as different pages
// (or page versions) state it is one AreaFile per version: Topic groups
// them, and Product and Cycles say which docs state it.
type AreaFile struct {
	ID         string    `yaml:"id"`
	Name       string    `yaml:"name"`
	Aliases    []string  `yaml:"aliases,omitempty"`
	Definition string    `yaml:"definition"`
	Note       string    `yaml:"note,omitempty"`
	Source     string    `yaml:"source"`
	Rows       []RowFile `yaml:"rows"`
	// Topic is the id of the area this is a version of ("kudo",
	// "platform-applications"); empty when it is its own.
	Topic string `yaml:"topic,omitempty"`
	// Product and Cycles are the docs that state this version of the table
	// (kaptain, ["2.0", "2.1"]).
	Product string   `yaml:"product,omitempty"`
	Cycles  []string `yaml:"cycles,omitempty"`
	// Sources are the other pages that state the same table word for word.
	Sources []string `yaml:"sources,omitempty"`
	// Rows may be empty when the page gives only the definition (Konvoy
	// 2.0-2.3 legal pages' "Secondary Support" without a table).
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

// TermFile is a named support status with its terms ("Technical Preview":
// not production-ready, experimental support terms, may be removed).
type TermFile struct {
	ID         string   `yaml:"id"`
	Name       string   `yaml:"name"`
	Aliases    []string `yaml:"aliases,omitempty"`
	Definition string   `yaml:"definition"`
	// SameAs is the id of the terms these follow ("experimental").
	SameAs     string   `yaml:"same_as,omitempty"`
	Statements []string `yaml:"statements,omitempty"`
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
	// Sources are the other pages that make the same statements.
	Sources []string `yaml:"sources,omitempty"`
}
