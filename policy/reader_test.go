package policy_test

import (
	"strings"
	"testing"

	"github.com/d2iq/supportbot/policy"
)

// readerCase is a question as people type it, the verdict its answer must
// have, and words the answer must contain (anywhere in its text form, its
// not_understood or its corrections; case-insensitive).
type readerCase struct {
	class   string
	q       string
	verdict policy.Verdict
	want    []string
}

const (
	yes    = policy.VerdictSupported
	no     = policy.VerdictUnsupported
	fits   = policy.VerdictCompatible
	clash  = policy.VerdictIncompatible
	facts  = policy.VerdictInfo
	unsure = policy.VerdictUnknown
)

// longSlack is an 83-word message that mentions Kafka in passing and ends with its question.
const longSlack = `Hey team, hope everyone had a good weekend. Quick context: our customer runs a fairly
big platform with a bunch of clusters, and last quarter they moved their streaming jobs onto Kafka
with the KUDO operator, which went fine after some tuning of the brokers. They are now planning the
next maintenance window and their platform lead asked me to double check a few things before they
commit to dates with their change board, because they got burned last year. Is konvoy 1.5 still supported?`

var readerCases = []readerCase{
	// A typo next to another product: corrected, said so, never re-bound.
	{"typo", "konvoy 1.8 komander 1.3", clash, []string{"reading 'komander' as kommander", "Kommander 1.4.x"}},
	{"typo", "kaptian 1.3 on konvoy 1.6", clash, []string{"reading 'kaptian' as kaptain", "not Konvoy 1.6"}},
	{"typo", "rancher 2.5 konvoy 1.6", unsure, []string{"rancher 2.5", "Konvoy 1.6.x is supported"}},
	{"typo", "is k0nvoy 1.7 supported?", yes, []string{"reading 'k0nvoy' as konvoy"}},
	{"typo", "konvpy 1.6", yes, []string{"reading 'konvpy' as konvoy"}},
	{"typo", "can I run kommandr 1.3 on konvoy 1.8", clash, []string{"kommandr", "prohibited"}},
	{"typo", "konvoy 1.8 kubernets 1.19.4", fits, []string{"reading 'kubernets' as kubernetes"}},
	{"typo", "is kaptain 1.3 suported on konvoy 1.8", fits, []string{"suported"}},
	{"typo", "commander 1.4 with konvoy 1.8?", fits, []string{"reading 'commander' as kommander"}},
	{"typo", "openshift 4.6 konvoy 1.8", unsure, []string{"openshift 4.6"}},
	{"typo", "KONVOY 1.8 KOMANDER 1.4", fits, []string{"komander"}},

	// Every version and every pair is evaluated; any no makes the whole a no.
	{"multi", "are konvoy 1.6 and 1.7 supported?", yes, []string{"Konvoy 1.6.x is supported", "Konvoy 1.7.x is supported"}},
	{"multi", "konvoy 1.6 vs 1.8", yes, []string{"1.6.x is supported", "1.8.x is supported"}},
	{"multi", "konvoy 1.5 and 1.6", no, []string{"1.5.x is not supported", "1.6.x is supported"}},
	{"multi", "we are upgrading konvoy 1.7 to 1.8, is kommander 1.3 still ok?", clash, []string{"pairs only with Kommander 1.4.x"}},
	{"multi", "upgrading konvoy 1.7 to 1.8 with kommander 1.4", fits, []string{"Kommander 1.4.x"}},
	{"multi", "from konvoy 1.7 to konvoy 1.8, kommander 1.3?", clash, []string{"1.4.x"}},
	{"multi", "konvoy 1.7 and 1.8 with kommander 1.3", clash, []string{"You cannot deploy Kommander 1.3.x on Konvoy 1.8.x"}},
	{"multi", "konvoy 1.8 kommander 1.4 kubernetes 1.21", clash, []string{"outside"}},
	{"multi", "kommander 1.3 on konvoy 1.7, kubernetes 1.19?", unsure, []string{"does not list the Kubernetes versions of Konvoy 1.7"}},

	// A whole stack: every product's status and every relation.
	// Every relation holds, but DKP's own status is not stated: never a bare yes.
	{"stack", "konvoy 1.8 kommander 1.4 kaptain 1.3 dkp 2.1.1", unsure, []string{"Kaptain 1.3.0 runs on Konvoy 1.8", "runs on DKP 2.1.1", "no support window for DKP"}},
	{"stack", "kaptain 1.3 on konvoy 1.8 with kommander 1.4", fits, []string{"runs on Konvoy 1.8", "released together"}},
	{"stack", "konvoy 1.8.2 kommander 1.4.1 kaptain 1.3.0 kubernetes 1.20.6", fits, []string{"Kubernetes 1.20.6", "Kommander 1.4.1"}},
	{"stack", "konvoy 1.8.2 kommander 1.3.1 kaptain 1.3.0 kubernetes 1.20.6", clash, []string{"cannot deploy Kommander 1.3.x"}},
	{"stack", "stack: konvoy 1.7, kommander 1.3, kaptain 1.3", fits, []string{"Kaptain 1.3.0 runs on Konvoy 1.7"}},
	{"stack", "konvoy 1.6 kommander 1.2 kaptain 1.3", clash, []string{"not Konvoy 1.6"}},
	{"stack", "kommander 1.3 with konvoy 1.7 and kaptain 1.3 on konvoy 1.7", fits, []string{"runs on Konvoy 1.7"}},
	{"stack", "can kaptain use kommander's dex?", fits, []string{"Yes: It is possible to use Kommander's Dex instance"}},
	{"stack", "kaptain and kommander dex", facts, []string{"Dex"}},

	// Version forms.
	{"forms", "konvoy 1.8.0-rc1", unsure, []string{"pre-release", "not a released patch version"}},
	{"forms", "is konvoy 1.7.0-beta.2 supported", unsure, []string{"pre-release"}},
	{"forms", "konvoy 1.5.0-rc.1", no, []string{"not supported", "pre-release"}},
	{"forms", "konvoy 1.6.0+build.5", yes, []string{"build metadata", "1.6.0"}},
	{"forms", "konvoy 1.8.3-d2iq.1", unsure, []string{"pre-release"}},
	{"forms", "konvoy 2", unsure, []string{"no Konvoy release matching 2"}},
	{"forms", "konvoy 1", unsure, []string{"major version", "MAJOR.MINOR"}},
	{"forms", "konvoy >=1.6", yes, []string{"1.8, 1.7, 1.6"}},
	{"forms", "konvoy >=1.5", no, []string{"1.5 and older not supported"}},
	{"forms", "konvoy 1.6-1.8", yes, []string{"1.8, 1.7, 1.6"}},
	{"forms", "kaptain 1.0-1.3", no, []string{"1.0 not supported"}},
	{"forms", "konvoy v1.7.1", yes, []string{"1.7.1"}},
	{"forms", "konvoy 1.80", unsure, []string{"1.80"}},

	// Unknown qualifiers: used, or named and the verdict is no bare yes/no.
	{"qualifier", "kaptain 1.3 on eks", unsure, []string{"says nothing about eks"}},
	{"qualifier", "does konvoy 1.8 support calico", unsure, []string{"calico"}},
	{"qualifier", "konvoy 1.8 on aws", unsure, []string{"Konvoy 1.8.x is supported", "the policy says nothing about aws"}},
	{"qualifier", "is konvoy 1.7 ok in an air-gapped env?", unsure, []string{"air-gapped"}},
	{"qualifier", "konvoy 1.8 with gpus", unsure, []string{"gpus"}},
	{"qualifier", "kaptain 1.3 on dkp 2.2", unsure, []string{"does not say whether DKP 2.2"}},
	{"qualifier", "kaptain 1.3 on konvoy 1.9", unsure, []string{"does not say whether Konvoy 1.9"}},
	{"qualifier", "kaptain 1.3.1 on konvoy 1.8", fits, []string{"states this for Kaptain 1.3.0"}},
	{"qualifier", "kaptain 1.3 konvoy 1.6", clash, []string{"not Konvoy 1.6"}},
	{"qualifier", "konvoy 1.5 on vsphere", unsure, []string{"not supported", "vsphere"}},
	{"qualifier", "Can we run kafka on konvoy 1.8?", unsure, []string{"does not say on which versions"}},
	{"qualifier", "does d2iq support konvoy 1.4 anymore", no, nil},

	// Plain-English scope questions find their row.
	{"scope", "is a cassandra performance issue supported?", facts, []string{"No support for performance issues with the base technology"}},
	{"scope", "do you maintain forks of upstream?", facts, []string{"No commitment to maintaining forks", "Addons in Konvoy", "KUDO"}},
	{"scope", "what does secondary support mean?", facts, []string{"Secondary support covers"}},
	{"scope", "support terms", facts, []string{"https://d2iq.com/legal/support-terms"}},
	{"scope", "dex", facts, []string{"Dex instance"}},
	{"scope", "can kaptain be installed as an addon?", clash, []string{"No: Kaptain 1.3.0 cannot be installed as an add-on"}},
	{"scope", "can I install kaptain from kommander", clash, []string{"cannot be installed from Kommander"}},
	{"scope", "kafka bug fixes", facts, []string{"Severity 3 & 4"}},
	{"scope", "are upstream changes guaranteed to be accepted?", facts, []string{"No guarantee"}},
	{"scope", "what is experimental support", facts, []string{"Severity 4"}},
	{"scope", "istio?", facts, []string{"required prerequisite"}},

	// Inferred facts say they are inferred.
	{"derived", "kommander 1.3", yes, []string{"derived from its pairing"}},
	{"derived", "is 1.7 supported?", yes, []string{"reading 1.7 as Konvoy 1.7"}},

	// Time and procedure: what the pages say, and what they don't.
	{"time", "will 1.7 still be supported after 1.9 ships?", yes, []string{"1.9, 1.8, 1.7", "stays supported"}},
	{"time", "will konvoy 1.6 be supported after 1.9 is released?", no, []string{"support for Konvoy 1.6 ends"}},
	{"time", "end of support date for konvoy 1.6", facts, []string{"no release or end-of-support date", "support ends when the next Konvoy version"}},
	{"time", "when does konvoy 1.7 reach end of life?", facts, []string{"2 more Konvoy versions"}},
	{"time", "release date of konvoy 1.8", facts, []string{"no release or end-of-support date"}},
	{"time", "how do I upgrade konvoy", facts, []string{"Users should upgrade their Konvoy clusters with every new release"}},
	{"time", "can I skip versions when upgrading konvoy?", unsure, []string{"does not say whether you can skip"}},
	{"time", "can I upgrade from konvoy 1.6 to 1.8?", unsure, []string{"skips 1.7"}},
	{"time", "upgrade konvoy 1.7 to 1.8", facts, []string{"Konvoy 1.8.x is supported"}},
	{"time", "konvoy 1.6 in october 2019", unsure, []string{"2019-10-01"}},
	{"time", "is konvoy 1.6 supported in october?", unsure, []string{"october"}},
	{"time", "may I ask if konvoy 1.6 is supported", yes, nil},

	// Real Slack messages.
	{"slack", longSlack, no, []string{"Konvoy 1.5.x is not supported", "Read as the question"}},
	{"slack", "<@U123ABC> hey, is *konvoy* `1.6` supported? thx", yes, nil},
	{"slack", "> quoting someone\nis konvoy 1.7 still ok?", yes, nil},
	{"slack", "is <https://docs.d2iq.com/konvoy|konvoy> 1.7 ok", yes, nil},
	{"slack", "<!channel> konvoy 1.5???", no, nil},
	{"slack", "hi @supportbot, which kommander goes with konvoy 1.8?", facts, []string{"Kommander 1.4.x"}},

	// Text forms.
	{"text", "ｋｏｎｖｏｙ １．６", yes, nil},
	{"text", "is konvoy ~1.5~ 1.6 supported?", yes, []string{"1.6.x is supported"}},
	{"text", "is \u201ckonvoy\u201d 1.6 supported?", yes, nil},
	{"text", "kommander\u2019s pairing for konvoy 1.8", facts, []string{"Kommander 1.4.x"}},
	{"text", ":wave: is konvoy 1.6 supported? :pray:", yes, nil},
	{"text", "is konvoy 1.6 supported 🙏", yes, nil},

	// Chatty.
	{"chatty", "Hey folks 👋 does anyone know if Kommander 1.3 works with Konvoy 1.7?", fits, []string{"released together"}},
	{"chatty", "quick q - is kaptain 1.2 still under support?", yes, []string{"N-1"}},
	{"chatty", "our customer is on konvoy 1.5.3, do they need to upgrade?", no, []string{"1.5.3 is not supported", "upgrade their Konvoy clusters"}},
	{"chatty", "can I use istio without kaptain?", facts, []string{"All other usage of Istio is considered experimental"}},
	{"chatty", "does kaptain need istio?", facts, []string{"required prerequisite"}},
	{"chatty", "kaptain on dkp?", facts, []string{"DKP 2.1.1"}},
	{"chatty", "what k8s versions can I use with konvoy 1.8.1", facts, []string{"1.18.x to 1.20.x"}},
	{"chatty", "is kubernetes 1.19 supported on konvoy 1.8?", fits, []string{"in range"}},
	{"chatty", "which versions of konvoy are supported right now?", facts, []string{"1.8, 1.7, 1.6"}},
	{"chatty", "konvoy 1.8 + kommander 1.4?", fits, nil},
	{"chatty", "kommander 1.4 / konvoy 1.8", fits, nil},

	{"chatty", "how about kaptain 1.1?", yes, []string{"N-2"}},
	{"chatty", "what can you do?", facts, []string{"konvoy 1.6"}},
	{"chatty", "how long is konvoy 1.8 supported", facts, []string{"3 more Konvoy versions"}},
	{"qualifier", "kaptain 1.3 with istio 1.9", unsure, []string{"istio 1.9"}},
	{"chatty", "konvoy 1.8 k8s 1.19 kommander 1.4", fits, []string{"in range", "released together"}},

	// Small talk.
	{"smalltalk", "hi", facts, []string{"help"}},
	{"smalltalk", "hello!", facts, []string{"help"}},
	{"smalltalk", "thanks!", facts, []string{"welcome"}},
	{"smalltalk", "thank you so much 🙏", facts, []string{"welcome"}},
	{"smalltalk", "cheers, that's perfect", facts, []string{"welcome"}},
}

func TestReader_Phrasings(t *testing.T) {
	m := policy.Default()
	passed := map[string]int{}
	total := map[string]int{}
	for _, tc := range readerCases {
		total[tc.class]++
		t.Run(tc.class+"/"+tc.q[:min(len(tc.q), 40)], func(t *testing.T) {
			a := m.Ask(tc.q)
			hay := strings.ToLower(a.Text() + " " + strings.Join(a.NotUnderstood, " "))
			for _, c := range a.Corrections {
				hay += " " + strings.ToLower(c.From+" "+c.To)
			}
			ok := true
			if a.Verdict != tc.verdict {
				t.Errorf("Ask(%q) verdict %s, want %s\n%s", tc.q, a.Verdict, tc.verdict, a.Text())
				ok = false
			}
			for _, w := range tc.want {
				if !strings.Contains(hay, strings.ToLower(w)) {
					t.Errorf("Ask(%q) lacks %q:\n%s", tc.q, w, a.Text())
					ok = false
				}
			}
			if ok {
				passed[tc.class]++
			}
		})
	}
	for class, n := range total {
		t.Logf("%-10s %d/%d", class, passed[class], n)
	}
}

func TestReader_Smalltalk(t *testing.T) {
	m := policy.Default()
	for q, want := range map[string]string{"thanks a lot": "thanks", "hey": "greeting", "konvoy 1.6": ""} {
		a := m.Ask(q)
		if a.Smalltalk != want {
			t.Errorf("Ask(%q).Smalltalk = %q, want %q", q, a.Smalltalk, want)
		}
		if want != "" && (a.Intent != policy.IntentHelp || a.Verdict != policy.VerdictInfo) {
			t.Errorf("Ask(%q) = %s/%s, want help/info", q, a.Intent, a.Verdict)
		}
	}
}

// historyCases are asked of the dated history policy: dates in the question,
// upgrade rules and the pairings the pages state.
var historyCases = []readerCase{
	{"dated", "konvoy 1.6 in october 2021", no, []string{"2021-10-01", "support ended on 2021-08-26"}},
	{"dated", "was konvoy 1.5 supported on 2021-03-01?", yes, []string{"2021-03-01"}},
	{"dated", "konvoy 1.8 as of March 2022", yes, []string{"2022-03-01"}},
	// Konvoy 1.6 was not out yet in October 2020: the stated pairing holds, but
	// no status can be given for a release that had not shipped.
	{"dated", "konvoy 1.6 kommander 1.2 in october 2020", unsure, []string{"Kommander 1.2.x pairs with Konvoy 1.6.x, but"}},
	{"pairing", "konvoy 1.8 komander 1.3", clash, []string{"reading 'komander' as kommander", "cannot deploy Kommander 1.3.x on Konvoy 1.8.x"}},
	{"upgrade", "can I upgrade konvoy 1.8 to dkp 2.1", facts, []string{"DKP 2.1"}},
	{"upgrade", "upgrade konvoy 1.8 to dkp 2.1 with kaptain", no, []string{"Kaptain is enabled"}},
	{"upgrade", "upgrading konvoy 1.7 to 1.8 with kaptain enabled", facts, nil},
	{"time", "when did konvoy 1.6 support end?", facts, []string{"2021-08-26"}},
	{"time", "when was konvoy 1.8 released", facts, []string{"2021-05-05"}},
	// Named support terms: the policy's definition, never a bare yes beside a version.
	{"term", "what does technical preview mean", facts, []string{"Technical Preview:", "experimental features"}},
	{"term", "tech-preview support?", facts, []string{"Technical Preview"}},
	{"term", "is kaptain 1.3 technical preview?", unsure, []string{"which versions or features are Technical Preview", "Kaptain 1.3"}},
	// A product's version beside Kubernetes stays in the Kubernetes part.
	{"kubernetes", "dkp 2.2.1 kubernetes", unsure, []string{"not for DKP 2.2.1"}},
	{"kubernetes", "which kubernetes for dkp 2.1.1?", unsure, []string{"not for DKP 2.1.1"}},
}

func TestReader_HistoryPhrasings(t *testing.T) {
	m, err := policy.Load("../deploy/policies/d2iq-history.yaml")
	if err != nil {
		t.Fatalf("the history policy: %v", err)
	}
	for _, tc := range historyCases {
		t.Run(tc.class+"/"+tc.q, func(t *testing.T) {
			a := m.Ask(tc.q)
			hay := strings.ToLower(a.Text() + " " + strings.Join(a.NotUnderstood, " ") + " " + a.On)
			for _, c := range a.Corrections {
				hay += " " + strings.ToLower(c.From+" "+c.To)
			}
			if a.Verdict != tc.verdict {
				t.Errorf("Ask(%q) verdict %s, want %s\n%s", tc.q, a.Verdict, tc.verdict, a.Text())
			}
			for _, w := range tc.want {
				if !strings.Contains(hay, strings.ToLower(w)) {
					t.Errorf("Ask(%q) lacks %q:\n%s", tc.q, w, a.Text())
				}
			}
		})
	}
}
