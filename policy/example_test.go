package policy_test

import (
	"fmt"
	"time"

	"github.com/d2iq/supportbot/policy"
)

func ExampleModel_Ask() {
	m := policy.Default()
	a := m.Ask("can I run Kommander 1.3 on Konvoy 1.8?")
	fmt.Println(a.Intent, a.Verdict)
	fmt.Println(a.Summary)
	// Output:
	// pairing incompatible
	// No: Konvoy 1.8.x pairs only with Kommander 1.4.x; mixing minor versions is prohibited.
}

func ExampleProduct_Supported() {
	konvoy, _ := policy.Default().Product("konvoy")
	cycles, _ := konvoy.Supported()
	fmt.Println(cycles)
	// Output: [1.8 1.7 1.6]
}

func ExampleParse() {
	m, err := policy.Parse("mine.yaml", []byte(`as_of: 2021-06-01
sources: [{id: src, title: My Policy}]
products:
  konvoy:
    name: Konvoy
    support: {rule: n-minus, n: 2, source: "src#Support"}
    releases: [{cycle: "2.0"}, {cycle: "1.8"}, {cycle: "1.7"}, {cycle: "1.6"}]
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(m.Ask("konvoy 1.6").Verdict, m.Ask("konvoy 2.0.1").Verdict)
	// Output: unsupported supported
}

func ExampleParse_error() {
	_, err := policy.Parse("bad.yaml", []byte("as_of: 2021-06-01\nproducts:\n  konvoy:\n    name: Konvoy\n    releases: []\n"))
	fmt.Println(err)
	// Output: policy bad.yaml line 5 field products.konvoy.releases: product "konvoy" has no releases: list at least one released cycle
}

func ExampleParseKBATag() {
	t, _ := policy.ParseKBATag("stable-1.20-4.0.0")
	fmt.Println(t.Channel, t.Kubernetes, t.KBA)
	// Output: stable 1.20 4.0.0
}

func ExampleModel_At() {
	m, err := policy.Parse("dated.yaml", []byte(`as_of: 2021-09-01
sources: [{id: notes, title: Release Notes}]
products:
  konvoy:
    name: Konvoy
    support: {rule: n-minus, n: 2, source: "notes#Support"}
    releases:
      - {cycle: "2.0", released: 2021-08-26, source: "notes#2.0"}
      - {cycle: "1.8", released: 2021-05-05, source: "notes#1.8"}
      - {cycle: "1.7", released: 2021-02-10, source: "notes#1.7"}
      - {cycle: "1.6", released: 2020-11-16, source: "notes#1.6"}
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	before := time.Date(2021, 8, 25, 0, 0, 0, 0, time.UTC)
	after := time.Date(2021, 9, 1, 0, 0, 0, 0, time.UTC)
	fmt.Println(m.At(before).Ask("konvoy 1.6").Verdict)
	fmt.Println(m.At(after).Ask("konvoy 1.6").Summary)
	// Output:
	// supported
	// Konvoy 1.6.x is not supported: support ended on 2021-08-26, when Konvoy 2.0 was released. Support covers Konvoy 2.0, 1.8, 1.7 only.
}

func ExampleProduct_Lifecycle() {
	m, _ := policy.Parse("dated.yaml", []byte(`as_of: 2021-09-01
sources: [{id: notes, title: Release Notes}]
products:
  konvoy:
    name: Konvoy
    support: {rule: n-minus, n: 2, source: "notes#Support"}
    releases:
      - {cycle: "2.0", released: 2021-08-26, source: "notes#2.0"}
      - {cycle: "1.8", released: 2021-05-05, source: "notes#1.8"}
      - {cycle: "1.7", released: 2021-02-10, source: "notes#1.7"}
      - {cycle: "1.6", released: 2020-11-16, source: "notes#1.6"}
`))
	konvoy, _ := m.Product("konvoy")
	lc, _ := konvoy.Lifecycle(policy.Cycle{Major: 1, Minor: 6})
	fmt.Println(lc.Released[0].Date.Format(time.DateOnly), lc.EndedBy.Cycle, lc.Ended.Format(time.DateOnly))
	// Output: 2020-11-16 2.0 2021-08-26
}
