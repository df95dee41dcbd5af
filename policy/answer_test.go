package policy_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/d2iq/supportbot/policy"
)

// TestModel_Ask covers every fact of both policy pages through the questions
// people ask, with patch versions, aliases and plain-English phrasings.
func TestModel_Ask(t *testing.T) {
	m := policy.Default()
	tests := []struct {
		name    string
		q       string
		intent  policy.Intent
		verdict policy.Verdict
		summary []string // substrings the summary must contain
		details []string // substrings some detail must contain
		source  string   // a section the sources must include
	}{
		// Konvoy N-2.
		{"konvoy latest", "konvoy 1.8", policy.IntentStatus, policy.VerdictSupported, []string{"1.8.x is supported", "latest"}, nil, "Version Support Policy"},
		{"konvoy N-1", "konvoy 1.7", policy.IntentStatus, policy.VerdictSupported, []string{"N-1"}, []string{"Kommander 1.3.x"}, "Version Support Policy"},
		{"konvoy N-2", "konvoy 1.6", policy.IntentStatus, policy.VerdictSupported, []string{"N-2 of the latest release, 1.8"}, []string{"Kommander 1.2.x", "support ends when the next Konvoy version"}, "Version Support Policy"},
		{"konvoy patch", "konvoy 1.6.3", policy.IntentStatus, policy.VerdictSupported, []string{"Konvoy 1.6.3 is supported"}, nil, ""},
		{"konvoy v prefix", "Konvoy v1.7.1", policy.IntentStatus, policy.VerdictSupported, []string{"1.7.1"}, nil, ""},
		{"konvoy x", "konvoy 1.8.x", policy.IntentStatus, policy.VerdictSupported, []string{"1.8.x"}, nil, ""},
		{"konvoy too old", "konvoy 1.5", policy.IntentStatus, policy.VerdictUnsupported, []string{"not supported", "1.8, 1.7, 1.6"}, []string{"latest is Konvoy 1.8"}, "Version Support Policy"},
		{"konvoy 1.0", "konvoy 1.0.2", policy.IntentStatus, policy.VerdictUnsupported, nil, nil, ""},
		{"konvoy unreleased", "konvoy 1.9", policy.IntentStatus, policy.VerdictUnknown, []string{"not a release the policy knows"}, nil, ""},
		{"1.80 is not 1.8", "konvoy 1.80", policy.IntentStatus, policy.VerdictUnknown, []string{"1.80"}, nil, ""},
		{"konvoy major", "konvoy 2.0", policy.IntentStatus, policy.VerdictUnknown, nil, nil, ""},
		{"plain english", "is konvoy 1.6 still supported?", policy.IntentStatus, policy.VerdictSupported, nil, nil, ""},
		{"plain english no", "Hey, is Konvoy 1.5.2 supported anymore??", policy.IntentStatus, policy.VerdictUnsupported, nil, nil, ""},
		{"slack formatting", "<@U123ABC> is *konvoy* `1.6` supported?", policy.IntentStatus, policy.VerdictSupported, nil, nil, ""},
		{"slack link label", "is <https://docs.d2iq.com/konvoy|konvoy> 1.7 ok", policy.IntentStatus, policy.VerdictSupported, nil, nil, ""},
		{"joined", "konvoy-1.7", policy.IntentStatus, policy.VerdictSupported, nil, nil, ""},
		{"product matrix", "konvoy", policy.IntentProduct, policy.VerdictInfo, []string{"1.8, 1.7, 1.6"}, []string{"older than 1.6", "1.18.x to 1.20.x"}, "Version Support Policy"},
		// Kommander: released and supported with Konvoy.
		{"kommander supported", "kommander 1.4.1", policy.IntentStatus, policy.VerdictSupported, []string{"together with Konvoy 1.8.x"}, nil, "Supported Kommander Versions"},
		{"kommander 1.2", "kommander 1.2", policy.IntentStatus, policy.VerdictSupported, []string{"Konvoy 1.6.x"}, nil, ""},
		{"kommander old", "kommander 1.1", policy.IntentStatus, policy.VerdictUnsupported, []string{"1.4, 1.3, 1.2"}, nil, ""},
		{"kommander matrix", "kommander", policy.IntentProduct, policy.VerdictInfo, []string{"1.4, 1.3, 1.2"}, []string{"Konvoy 1.8.x"}, ""},
		// Pairing.
		{"pairing mix", "can I run Kommander 1.3 on Konvoy 1.8?", policy.IntentPairing, policy.VerdictIncompatible, []string{"Konvoy 1.8.x pairs only with Kommander 1.4.x", "prohibited"}, []string{"You cannot deploy Kommander 1.3.x on Konvoy 1.8.x"}, "Supported Kommander Versions"},
		{"pairing mix 2", "konvoy 1.7 kommander 1.2", policy.IntentPairing, policy.VerdictIncompatible, nil, []string{"You cannot deploy Kommander 1.2.x on Konvoy 1.7.x"}, ""},
		{"pairing ok", "konvoy 1.8.2 kommander 1.4.0", policy.IntentPairing, policy.VerdictCompatible, []string{"Yes"}, nil, ""},
		{"pairing ok 1.6", "konvoy 1.6 kommander 1.2", policy.IntentPairing, policy.VerdictCompatible, nil, nil, ""},
		{"pairing lookup", "which kommander goes with konvoy 1.8?", policy.IntentPairing, policy.VerdictInfo, []string{"Konvoy 1.8.x pairs with Kommander 1.4.x"}, nil, ""},
		{"pairing reverse", "kommander 1.3 konvoy", policy.IntentPairing, policy.VerdictInfo, []string{"Kommander 1.3.x pairs with Konvoy 1.7.x"}, nil, ""},
		// No pairing stated, and both sides out of support: the status decides.
		{"pairing unknown", "konvoy 1.5 kommander 1.1", policy.IntentPairing, policy.VerdictUnsupported, []string{"no Kommander pairing for Konvoy 1.5", "Konvoy 1.5.x is not supported"}, nil, ""},
		{"pairing table", "konvoy kommander", policy.IntentPairing, policy.VerdictInfo, []string{"1.8.x ↔ Kommander 1.4.x", "1.7.x ↔ Kommander 1.3.x", "1.6.x ↔ Kommander 1.2.x"}, nil, ""},
		// Kubernetes.
		{"k8s in range", "konvoy 1.8 kubernetes 1.19.4", policy.IntentKubernetes, policy.VerdictCompatible, []string{"1.18.x to 1.20.x", "default 1.20.6"}, []string{"1.8.0"}, "Supported Kubernetes versions"},
		{"k8s min edge", "konvoy 1.8.0 k8s 1.18.2", policy.IntentKubernetes, policy.VerdictCompatible, nil, nil, ""},
		{"k8s max edge", "konvoy 1.8 k8s v1.20", policy.IntentKubernetes, policy.VerdictCompatible, nil, nil, ""},
		{"k8s above", "konvoy 1.8 kubernetes 1.21", policy.IntentKubernetes, policy.VerdictIncompatible, []string{"outside"}, nil, ""},
		{"k8s below", "does konvoy 1.8 support k8s 1.17.9", policy.IntentKubernetes, policy.VerdictIncompatible, nil, nil, ""},
		{"k8s range", "konvoy 1.8 kubernetes", policy.IntentKubernetes, policy.VerdictInfo, []string{"1.18.x to 1.20.x"}, []string{"1.20.6"}, ""},
		{"k8s which", "what kubernetes versions does konvoy 1.8 support?", policy.IntentKubernetes, policy.VerdictInfo, nil, nil, ""},
		{"k8s not in data", "konvoy 1.7 kubernetes", policy.IntentKubernetes, policy.VerdictUnknown, []string{"does not list", "Release Notes"}, nil, ""},
		{"k8s not in data 2", "konvoy 1.6 kubernetes 1.18", policy.IntentKubernetes, policy.VerdictUnknown, nil, nil, ""},
		{"k8s alone", "kubernetes 1.19", policy.IntentKubernetes, policy.VerdictInfo, []string{"Konvoy 1.8.0"}, []string{"1.7, 1.6"}, ""},
		{"k8s alone none", "kubernetes 1.15", policy.IntentKubernetes, policy.VerdictUnknown, nil, nil, ""},
		// Kaptain.
		{"kaptain supported", "kaptain 1.3.0", policy.IntentStatus, policy.VerdictSupported, nil, nil, "Version Support Policy"},
		{"kaptain 1.1", "kaptain 1.1", policy.IntentStatus, policy.VerdictSupported, []string{"N-2"}, nil, ""},
		{"kaptain 1.0 expired", "kaptain 1.0", policy.IntentStatus, policy.VerdictUnsupported, []string{"1.3, 1.2, 1.1"}, nil, ""},
		{"kaptain on konvoy 1.8", "kaptain 1.3 konvoy 1.8", policy.IntentPlatform, policy.VerdictCompatible, []string{"Kaptain 1.3.0 runs on Konvoy 1.8"}, []string{"Istio is a required prerequisite"}, "Supported Konvoy Versions"},
		{"kaptain on konvoy 1.7", "can kaptain 1.3 run on konvoy 1.7.2?", policy.IntentPlatform, policy.VerdictCompatible, nil, nil, ""},
		{"kaptain on konvoy 1.6", "kaptain 1.3 konvoy 1.6", policy.IntentPlatform, policy.VerdictIncompatible, []string{"DKP 2.1.1, Konvoy 1.7, Konvoy 1.8", "not Konvoy 1.6"}, nil, ""},
		// The platform holds, but the policy states no support window for DKP.
		{"kaptain on dkp", "kaptain 1.3 dkp 2.1.1", policy.IntentPlatform, policy.VerdictUnknown, []string{"Kaptain 1.3.0 runs on DKP 2.1.1, but", "no support window for DKP"}, nil, ""},
		{"kaptain on dkp other patch", "kaptain 1.3 dkp 2.1.0", policy.IntentPlatform, policy.VerdictUnknown, []string{"names only"}, nil, ""},
		{"kaptain on dkp 2.2", "kaptain 1.3 dkp 2.2", policy.IntentPlatform, policy.VerdictUnknown, []string{"does not say whether DKP 2.2"}, nil, ""},
		{"kaptain from kommander", "can I install kaptain 1.3 from kommander?", policy.IntentPlatform, policy.VerdictIncompatible, []string{"cannot be installed from Kommander or as an add-on"}, []string{"Dex"}, "Supported Kommander Versions"},
		{"kaptain where", "where does kaptain run", policy.IntentPlatform, policy.VerdictInfo, []string{"DKP 2.1.1", "Konvoy 1.7", "Konvoy 1.8"}, []string{"cannot be installed"}, ""},
		{"kaptain 1.2 platform unknown", "kaptain 1.2 konvoy 1.8", policy.IntentPlatform, policy.VerdictUnknown, []string{"does not say"}, []string{"Kaptain 1.3.0 runs on"}, ""},
		// DKP: no support window in the pages.
		{"dkp", "dkp 2.1.1", policy.IntentStatus, policy.VerdictUnknown, []string{"no support window"}, []string{"Kaptain 1.3.0 runs on DKP 2.1.1"}, ""},
		// KBA.
		{"kba tag", "kba stable-1.20-4.0.0", policy.IntentAddons, policy.VerdictInfo, []string{"Kubernetes 1.20", "regardless of the distribution"}, []string{"1.19", "1.8.0"}, "Supported Kubernetes-Base-Addons (KBA) versions"},
		{"kba tag alone", "stable-1.19-3.2.1", policy.IntentAddons, policy.VerdictInfo, []string{"Kubernetes 1.19"}, nil, ""},
		{"kba on konvoy yes", "kba stable-1.19-3.0.0 on konvoy 1.8", policy.IntentAddons, policy.VerdictCompatible, nil, nil, ""},
		{"kba on konvoy no", "konvoy 1.8 kba stable-1.21-5.0.0", policy.IntentAddons, policy.VerdictIncompatible, nil, nil, ""},
		{"kba on konvoy unknown", "konvoy 1.7 kba stable-1.19-3.0.0", policy.IntentAddons, policy.VerdictUnknown, nil, nil, ""},
		{"kba format", "addons", policy.IntentAddons, policy.VerdictInfo, []string{"<release_channel>-<kubernetes_version>-<kba_version>"}, nil, ""},
		{"kba bad tag", "kba stable-1.20", policy.IntentAddons, policy.VerdictUnknown, []string{"not a KBA tag"}, nil, ""},
		// Scope.
		{"scope addons bug", "scope addons bug fixes", policy.IntentScope, policy.VerdictInfo, []string{"RCA supported with all severities, Fix supported with severity 3 & 4 support terms"}, []string{"No commitment to maintaining forks upstream."}, "Support for Addons in Konvoy"},
		{"scope addons config", "scope addons configuration", policy.IntentScope, policy.VerdictInfo, []string{"Supported with severity 3 & 4 support terms"}, []string{"unrelated to its integration with DKP.."}, ""},
		{"scope addons failure", "what support do addons get for failure assistance", policy.IntentScope, policy.VerdictInfo, []string{"Supported with all severities"}, []string{"beyond basic identification"}, ""},
		{"scope addons docs", "scope addons documentation", policy.IntentScope, policy.VerdictInfo, []string{"Supported with severity 4 support terms"}, nil, ""},
		{"scope kudo config", "scope kafka configuration", policy.IntentScope, policy.VerdictInfo, []string{"KUDO", "Supported with Severity 4 support terms"}, []string{"No support for performance issues with the base technology."}, "Support for KUDO - Cassandra, Kafka & Spark"},
		{"scope kudo failure", "cassandra failure assistance", policy.IntentScope, policy.VerdictInfo, []string{"Supported with Severity 3 & 4 support terms"}, nil, ""},
		{"scope kudo bugs", "spark bug fixes", policy.IntentScope, policy.VerdictInfo, []string{"Supported with Severity 3 & 4 support terms"}, []string{"(Cassandra, Kafka, Spark) on a best effort basis."}, ""},
		{"scope kudo docs", "kudo docs", policy.IntentScope, policy.VerdictInfo, []string{"Supported with Severity 4 support terms"}, []string{"Issue or PR submitted"}, ""},
		{"scope kudo table", "kudo", policy.IntentScope, policy.VerdictInfo, []string{"KUDO Cassandra, Kafka & Spark"}, []string{"KUDO-based operator", "Base Technology refers to"}, ""},
		{"scope all", "scope", policy.IntentScope, policy.VerdictInfo, []string{"KUDO", "Addons in Konvoy"}, []string{"https://d2iq.com/legal/support-terms"}, ""},
		{"experimental", "experimental", policy.IntentScope, policy.VerdictInfo, []string{"Severity 4 support only"}, []string{"General operational guidance", "Standard level, Severity 4 basis only"}, "Experimental Status"},
		{"istio", "is istio supported?", policy.IntentScope, policy.VerdictInfo, []string{"required prerequisite for Kaptain", "considered experimental"}, []string{"Severity 4"}, "Istio Support Status"},
		{"severity", "what do severity levels mean", policy.IntentScope, policy.VerdictInfo, []string{"https://d2iq.com/legal/support-terms"}, nil, "Standard Level & Severity Definitions"},
		// Operating systems: the pages only point elsewhere.
		{"os", "which operating systems does konvoy 1.8 support?", policy.IntentProduct, policy.VerdictUnknown, []string{"Supported Operating Systems"}, nil, "Supported operating systems"},
		{"os distro", "is rhel ok for konvoy", policy.IntentProduct, policy.VerdictUnknown, nil, nil, "Supported operating systems"},
		// Help and the unknown.
		{"help", "help", policy.IntentHelp, policy.VerdictInfo, nil, []string{"konvoy 1.8 kommander 1.3"}, ""},
		{"empty", "   ", policy.IntentHelp, policy.VerdictInfo, nil, nil, ""},
		{"only a mention", "<@U0BOT>", policy.IntentHelp, policy.VerdictInfo, nil, nil, ""},
		{"typo", "konvy 1.6", policy.IntentStatus, policy.VerdictSupported, []string{"Reading 'konvy' as Konvoy"}, nil, ""},
		{"typo kaptain", "is captain 1.3 supported", policy.IntentStatus, policy.VerdictSupported, []string{"Reading 'captain' as Kaptain"}, nil, ""},
		{"far from any name", "konvooyy 1.6", policy.IntentUnknown, policy.VerdictUnknown, []string{"Did you mean konvoy?"}, nil, ""},
		{"unknown product", "openshift 4.6", policy.IntentUnknown, policy.VerdictUnknown, []string{"openshift", "konvoy"}, nil, ""},
		{"version only, one product has it", "is 1.6 supported?", policy.IntentStatus, policy.VerdictSupported, []string{"Reading 1.6 as Konvoy 1.6"}, []string{"the only product"}, ""},
		{"version only", "is 1.2 supported?", policy.IntentUnknown, policy.VerdictUnknown, []string{"Which product"}, nil, ""},
		{"nonsense", "what is the weather", policy.IntentUnknown, policy.VerdictUnknown, []string{"help"}, nil, ""},
		{"bad version", "konvoy 1.x", policy.IntentStatus, policy.VerdictUnknown, []string{"not a version"}, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := m.Ask(tt.q)
			if a.Intent != tt.intent || a.Verdict != tt.verdict {
				t.Fatalf("Ask(%q) = %s/%s (%s), want %s/%s", tt.q, a.Intent, a.Verdict, a.Summary, tt.intent, tt.verdict)
			}
			if a.Summary == "" || a.AsOf == "" {
				t.Fatalf("Ask(%q): empty summary or as_of: %+v", tt.q, a)
			}
			for _, s := range tt.summary {
				if !strings.Contains(a.Summary, s) {
					t.Errorf("summary %q lacks %q", a.Summary, s)
				}
			}
			for _, s := range tt.details {
				if !slices.ContainsFunc(a.Details, func(d policy.Detail) bool { return strings.Contains(d.Text, s) || strings.Contains(d.Label, s) }) {
					t.Errorf("details lack %q: %+v", s, a.Details)
				}
			}
			if tt.source != "" && !slices.ContainsFunc(a.Sources, func(r policy.Ref) bool { return r.Section == tt.source }) {
				t.Errorf("sources lack section %q: %+v", tt.source, a.Sources)
			}
			if a.Verdict != policy.VerdictUnknown && a.Intent != policy.IntentHelp && len(a.Sources) == 0 {
				t.Errorf("answer %q cites no source", a.Summary)
			}
		})
	}
}

func TestAnswer_JSON(t *testing.T) {
	a := policy.Default().Ask("konvoy 1.6")
	data, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"query", "intent", "verdict", "summary", "details", "sources", "as_of"} {
		if _, ok := got[k]; !ok {
			t.Errorf("JSON lacks %q: %s", k, data)
		}
	}
	if got["verdict"] != "supported" || got["intent"] != "status" || got["as_of"] != policy.Default().AsOf.Format("2006-01-02") {
		t.Errorf("JSON = %s", data)
	}
}

func TestVerdict_ExitCode(t *testing.T) {
	want := map[policy.Verdict]int{
		policy.VerdictSupported: 0, policy.VerdictCompatible: 0, policy.VerdictInfo: 0,
		policy.VerdictUnsupported: 1, policy.VerdictIncompatible: 1, policy.VerdictUnknown: 3,
	}
	for v, code := range want {
		if got := v.ExitCode(); got != code {
			t.Errorf("%s.ExitCode() = %d, want %d", v, got, code)
		}
	}
}

// TestGrammar checks that every example help shows is answered with its intent.
func TestGrammar(t *testing.T) {
	m := policy.Default()
	for _, f := range policy.Grammar() {
		if a := m.Ask(f.Example); a.Intent != f.Intent || a.Verdict == policy.VerdictUnknown && f.Intent != policy.IntentUnknown {
			t.Errorf("example %q: got %s/%s (%s), want intent %s", f.Example, a.Intent, a.Verdict, a.Summary, f.Intent)
		}
	}
}

func TestAnswer_Text(t *testing.T) {
	txt := policy.Default().Ask("konvoy 1.5").Text()
	lines := strings.Split(txt, "\n")
	if !strings.HasPrefix(lines[0], "NOT SUPPORTED  Konvoy 1.5.x is not supported") {
		t.Errorf("first line = %q", lines[0])
	}
	srcAt, asOfAt := strings.Index(txt, "Sources:"), strings.Index(txt, "Policy as of")
	if srcAt < 0 || asOfAt < srcAt {
		t.Errorf("sources and as-of must come last:\n%s", txt)
	}
	// Facts are aligned: every detail's text starts at the same column.
	col := -1
	for _, l := range lines[2:] {
		if l == "" {
			break
		}
		i := strings.Index(l[2:], "  ")
		for i >= 0 && i+4 < len(l) && l[2+i+2] == ' ' {
			i++
		}
		if col == -1 {
			col = i
		} else if i != col {
			t.Errorf("detail column %d != %d in %q", i, col, l)
		}
	}
}

func TestParseQuestion_Long(t *testing.T) {
	m := policy.Default()
	// A 40,000-character message is read: its question sentence is found.
	long := strings.Repeat("We deploy things with <!channel> *bold* words. ", 900)[:39980] + ". Is konvoy 1.6 ok?"
	a := m.Ask(long)
	if a.Intent != policy.IntentStatus || a.Verdict != policy.VerdictSupported {
		t.Fatalf("long question: %s/%s %q", a.Intent, a.Verdict, a.Summary)
	}
	// A longer one is answered with "too long", never cut silently.
	a = m.Ask(strings.Repeat("konvoy 1.6 ", 4000))
	if a.Verdict != policy.VerdictUnknown || !strings.Contains(a.Summary, "too long") {
		t.Fatalf("too long: %s/%s %q", a.Intent, a.Verdict, a.Summary)
	}
}
