package feed_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/config"

	"github.com/d2iq/supportbot/policy"
)

// openAPIPath is endoflife.date's API description, beside the repository.
var openAPIPath = filepath.Join("..", "..", "..", "shared", "endoflife-api", "openapi.yml")

func newOpenAPIValidator(t *testing.T) validator.Validator {
	t.Helper()
	spec, err := os.ReadFile(openAPIPath)
	if err != nil {
		t.Fatalf("endoflife.date's OpenAPI description is expected at %s (the shared folder beside the repository): %v", openAPIPath, err)
	}
	doc, err := libopenapi.NewDocument(spec)
	if err != nil {
		t.Fatalf("%s: %v", openAPIPath, err)
	}
	v, errs := validator.NewValidator(doc, config.WithFormatAssertions())
	if len(errs) > 0 {
		t.Fatalf("%s: %v", openAPIPath, errs)
	}
	return v
}

// v1Paths lists every v1 document of m, with and without the trailing
// slash.
func v1Paths(m *policy.Model) []string {
	paths := []string{"/api/v1", "/api/v1/products", "/api/v1/products/full"}
	for _, id := range m.Products() {
		p, _ := m.Product(id)
		paths = append(paths, "/api/v1/products/"+id, "/api/v1/products/"+id+"/releases/latest")
		for _, r := range p.Releases {
			paths = append(paths, "/api/v1/products/"+id+"/releases/"+r.Cycle.String())
		}
	}
	out := make([]string, 0, 2*len(paths))
	for _, p := range paths {
		out = append(out, p, p+"/")
	}
	return out
}

// TestAPI_OpenAPI validates every v1 response, and the 304s, against
// endoflife.date's OpenAPI 3.1 description, on the embedded policy, the
// history policy and a policy with every lifecycle case.
func TestAPI_OpenAPI(t *testing.T) {
	v := newOpenAPIValidator(t)
	policies := map[string]*policy.Model{
		"embedded": policy.Default(),
		"history":  historyModel(t),
		"dated":    remModel(t, datedPolicy),
	}
	for name, m := range policies {
		t.Run(name, func(t *testing.T) {
			s := newAPIServer(t, m)
			paths := v1Paths(m)
			if len(paths) < 20 {
				t.Fatalf("only %d paths", len(paths))
			}
			for _, path := range paths {
				resp, body := s.get(t, path)
				if resp.StatusCode != http.StatusOK {
					t.Errorf("%s = %d %s", path, resp.StatusCode, body)
					continue
				}
				validate(t, v, path, resp, body)
				etag := resp.Header.Get("ETag")
				resp, body = s.get(t, path, "If-None-Match", etag)
				if resp.StatusCode != http.StatusNotModified {
					t.Errorf("%s If-None-Match = %d", path, resp.StatusCode)
					continue
				}
				validate(t, v, path, resp, body)
			}
		})
	}
}

// validate checks one response against the description. The description's
// server is /api/v1, so its paths are matched without that prefix.
func validate(t *testing.T, v validator.Validator, path string, g got, body []byte) {
	t.Helper()
	specPath := strings.TrimPrefix(path, "/api/v1")
	if specPath == "" {
		specPath = "/"
	}
	if specPath != "/" {
		specPath = strings.TrimSuffix(specPath, "/")
	}
	req, err := http.NewRequest(http.MethodGet, "http://127.0.0.1"+specPath, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp := &http.Response{StatusCode: g.StatusCode, Header: g.Header, Body: io.NopCloser(bytes.NewReader(body)), Request: req}
	ok, errs := v.ValidateHttpResponse(req, resp)
	if !ok {
		var msgs []string
		for _, e := range errs {
			msg := e.Message + ": " + e.Reason
			for _, se := range e.SchemaValidationErrors {
				msg += "\n    " + se.FieldPath + ": " + se.Reason
			}
			msgs = append(msgs, msg)
		}
		t.Errorf("%s (%d) does not follow the description:\n  %s\n%s", path, resp.StatusCode, strings.Join(msgs, "\n  "), clipBody(body))
	}
}

func clipBody(b []byte) string {
	if len(b) > 2000 {
		return string(b[:2000]) + "..."
	}
	return string(b)
}

// TestAPI_OpenAPI_CatchesMistakes: the validator rejects a document that
// breaks the description, so TestAPI_OpenAPI can fail.
func TestAPI_OpenAPI_CatchesMistakes(t *testing.T) {
	v := newOpenAPIValidator(t)
	s := newAPIServer(t, remModel(t, datedPolicy))
	g, body := s.get(t, "/api/v1/products/konvoy/releases/1.6")
	var doc map[string]any
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	for _, breakIt := range []func(r map[string]any){
		func(r map[string]any) { r["releaseDate"] = nil },
		func(r map[string]any) { r["eolFrom"] = "soon" },
		func(r map[string]any) { delete(r, "isMaintained") },
		func(r map[string]any) { r["custom"] = map[string]any{"sources": []string{"a"}} },
	} {
		var copyDoc map[string]any
		_ = json.Unmarshal(body, &copyDoc)
		breakIt(copyDoc["result"].(map[string]any))
		broken, _ := json.Marshal(copyDoc)
		req, _ := http.NewRequest(http.MethodGet, "http://127.0.0.1/products/konvoy/releases/1.6", nil)
		resp := &http.Response{StatusCode: g.StatusCode, Header: g.Header, Body: io.NopCloser(bytes.NewReader(broken)), Request: req}
		if ok, _ := v.ValidateHttpResponse(req, resp); ok {
			t.Errorf("the validator accepts %s", broken)
		}
	}
}
