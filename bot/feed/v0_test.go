package feed_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"testing"

	"github.com/d2iq/supportbot/policy"
)

var dateRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// TestAPI_V0Shape checks every v0 document of three policies against what
// its readers accept (Renovate's endoflife-date schema, Backstage's
// plugin): cycle a string; releaseDate, latest, latestReleaseDate, link
// strings or missing, never null; eol and support a date or a bool; lts a
// bool.
func TestAPI_V0Shape(t *testing.T) {
	for name, m := range map[string]*policy.Model{
		"embedded": policy.Default(),
		"history":  historyModel(t),
		"dated":    remModel(t, datedPolicy),
	} {
		t.Run(name, func(t *testing.T) {
			s := newAPIServer(t, m)
			g, body := s.get(t, "/api/all.json")
			var names []string
			if err := json.Unmarshal(body, &names); g.StatusCode != http.StatusOK || err != nil || len(names) != len(m.Products()) {
				t.Fatalf("all.json = %d %v %s", g.StatusCode, err, body)
			}
			cycles := 0
			for _, id := range names {
				g, body := s.get(t, "/api/"+id+".json")
				var list []map[string]any
				if err := json.Unmarshal(body, &list); g.StatusCode != http.StatusOK || err != nil {
					t.Fatalf("%s.json = %d %v", id, g.StatusCode, err)
				}
				for _, c := range list {
					cycles++
					checkV0Cycle(t, id, c)
					g, body := s.get(t, "/api/"+id+"/"+c["cycle"].(string)+".json")
					var one map[string]any
					if err := json.Unmarshal(body, &one); g.StatusCode != http.StatusOK || err != nil || one["cycle"] != c["cycle"] {
						t.Errorf("%s/%v.json = %d %v %s", id, c["cycle"], g.StatusCode, err, body)
					}
				}
			}
			if cycles == 0 {
				t.Fatal("no cycles")
			}
		})
	}
}

func checkV0Cycle(t *testing.T, id string, c map[string]any) {
	t.Helper()
	if _, ok := c["cycle"].(string); !ok {
		t.Errorf("%s: cycle %v is not a string", id, c["cycle"])
	}
	for k, v := range c {
		switch k {
		case "cycle":
		case "releaseDate", "latestReleaseDate":
			if s, ok := v.(string); !ok || !dateRE.MatchString(s) {
				t.Errorf("%s %v: %s = %#v, want a date", id, c["cycle"], k, v)
			}
		case "latest", "link":
			if s, ok := v.(string); !ok || s == "" {
				t.Errorf("%s %v: %s = %#v, want a string", id, c["cycle"], k, v)
			}
		case "eol", "support":
			if s, ok := v.(string); ok && !dateRE.MatchString(s) {
				t.Errorf("%s %v: %s = %q, want a date or a bool", id, c["cycle"], k, s)
			} else if _, isBool := v.(bool); !ok && !isBool {
				t.Errorf("%s %v: %s = %#v, want a date or a bool", id, c["cycle"], k, v)
			}
		case "lts":
			if _, ok := v.(bool); !ok {
				t.Errorf("%s %v: lts = %#v", id, c["cycle"], v)
			}
		default:
			t.Errorf("%s %v: unexpected field %s", id, c["cycle"], k)
		}
	}
}
