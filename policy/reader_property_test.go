package policy_test

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/d2iq/supportbot/policy"
)

// TestReader_EveryWordAccounted generates questions from products, versions,
// filler, relations and words the policy knows nothing of, and checks the
// reader's promise: every content word is used by the answer or named as not
// understood, and an answer with a word it did not understand never has a
// bare yes/no verdict.
func TestReader_EveryWordAccounted(t *testing.T) {
	m := policy.Default()
	r := rand.New(rand.NewPCG(1, 2))
	products := []struct{ word, name string }{
		{"konvoy", "Konvoy"}, {"Konvoy", "Konvoy"}, {"kommander", "Kommander"}, {"kaptain", "Kaptain"},
		{"dkp", "DKP"}, {"k8s", "Kubernetes"}, {"kubernetes", "Kubernetes"},
	}
	versions := []string{"1.6", "1.7", "1.8", "1.8.2", "v1.7.1", "1.3", "1.4", "2.1.1", "1.20", "1.5", "1.8.x"}
	filler := []string{"is", "are", "the", "still", "supported", "ok", "hey", "please", "can", "i", "run", "we", "our", "customer", "cluster", "currently", "with", "and", "on", "?"}
	unknown := []string{"aws", "eks", "calico", "rancher", "gpus", "terraform", "openshift", "vsphere", "argocd", "nutanix", "gke", "arm64", "fips", "selinux", "multus"}
	yesNo := []policy.Verdict{policy.VerdictSupported, policy.VerdictCompatible, policy.VerdictUnsupported, policy.VerdictIncompatible}
	for i := 0; i < 1500; i++ {
		var words []string
		var named []string // products the question names
		var strange []string
		n := 2 + r.IntN(7)
		for range n {
			switch k := r.IntN(10); {
			case k < 3:
				p := products[r.IntN(len(products))]
				words = append(words, p.word)
				named = append(named, p.name)
				if r.IntN(3) > 0 {
					words = append(words, versions[r.IntN(len(versions))])
				}
			case k < 8:
				words = append(words, filler[r.IntN(len(filler))])
			default:
				u := unknown[r.IntN(len(unknown))]
				words = append(words, u)
				strange = append(strange, u)
			}
		}
		q := strings.Join(words, " ")
		a := m.Ask(q)
		txt := a.Text()
		for _, u := range strange {
			if !slices.ContainsFunc(a.NotUnderstood, func(s string) bool { return strings.HasPrefix(s, u) }) && !strings.Contains(txt, u) {
				t.Fatalf("Ask(%q): %q is neither used nor named as not understood: %v\n%s", q, u, a.NotUnderstood, txt)
			}
		}
		for _, name := range named {
			if !strings.Contains(txt, name) && !slices.ContainsFunc(a.NotUnderstood, func(s string) bool { return strings.Contains(strings.ToLower(s), strings.ToLower(name)) }) {
				t.Fatalf("Ask(%q): %s is named but the answer neither uses it nor says it did not understand it:\n%s", q, name, txt)
			}
		}
		if len(a.NotUnderstood) > 0 && slices.Contains(yesNo, a.Verdict) {
			t.Fatalf("Ask(%q) = %s over words it did not understand %v", q, a.Verdict, a.NotUnderstood)
		}
		if a.Summary == "" {
			t.Fatalf("Ask(%q): empty summary", q)
		}
	}
}
