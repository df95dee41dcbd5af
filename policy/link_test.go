package policy

import (
	"path/filepath"
	"testing"
)

// TestModel_LinkProducts: every view's products name their partners (rule
// "with") among the view's own products, and share the root's notices.
func TestModel_LinkProducts(t *testing.T) {
	m, err := Load(filepath.Join("testdata", "dated.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(m.views) == 0 {
		t.Fatal("the dated test policy has no views")
	}
	linked := 0
	for _, v := range append([]*Model{m}, m.views...) {
		for id, p := range v.products {
			for _, q := range p.withMe {
				if v.products[q.ID] != q || q.With != id {
					t.Errorf("view %s: %s lists partner %s of another model", v.on.Format("2006-01-02"), id, q.ID)
				}
				linked++
			}
			for _, n := range p.notices {
				if n.Product != id {
					t.Errorf("view %s: %s holds a notice about %s", v.on.Format("2006-01-02"), id, n.Product)
				}
			}
			if len(p.notices) != len(m.products[id].notices) {
				t.Errorf("view %s: %s has %d notices, the root %d", v.on.Format("2006-01-02"), id, len(p.notices), len(m.products[id].notices))
			}
		}
	}
	if linked == 0 {
		t.Error("no product has a partner: the test policy should have a rule \"with\"")
	}
}
