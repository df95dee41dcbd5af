package feed

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/d2iq/supportbot/policy"
)

// JSONContentType is the media type of the API's documents.
const JSONContentType = "application/json; charset=utf-8"

// maxBases bounds the base URLs (Host headers) cached per policy
// generation; documents for more are rendered per request.
const maxBases = 8

// API serves the endoflife.date-compatible API under /api/: v1
// (/api/v1/, /products, /products/full, /products/{product},
// /products/{product}/releases/{release} and .../releases/latest, each
// with or without a trailing slash) and v0 (/api/all.json,
// /api/{product}.json, /api/{product}/{cycle}.json). Products are found by
// id or alias, releases by cycle ("1.8"). Unknown ones are a JSON 404.
// Documents carry a strong ETag and Last-Modified and answer conditional
// requests with 304.
//
// API is safe for concurrent use. It renders every document of a policy
// generation (a *policy.Model) once and keeps the bytes until the policy
// getter returns another model.
type API struct {
	policy func() *policy.Model
	now    func() time.Time

	mu    sync.Mutex
	gen   *policy.Model
	since time.Time         // when gen was first served: Last-Modified
	bases map[string]docSet // base URL -> documents
}

// docSet is every document of one generation for one base URL, by
// canonical path ("/api/v1/products/konvoy", "/api/konvoy.json").
type docSet map[string]*doc

type doc struct {
	body []byte
	etag string
}

// NewAPI returns the API over the policy getter (called on every request,
// so a reload shows at once). now is the clock (default time.Now).
func NewAPI(policy func() *policy.Model, now func() time.Time) *API {
	if now == nil {
		now = time.Now
	}
	return &API{policy: policy, now: now}
}

// ServeHTTP serves the documents.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		writeError(w, http.StatusMethodNotAllowed, "method not allowed: the API is read-only (GET, HEAD)")
		return
	}
	m := a.policy()
	if m == nil {
		writeError(w, http.StatusServiceUnavailable, "no policy loaded")
		return
	}
	key, err := canonicalPath(m, r.URL.Path)
	if err != nil {
		writeError(w, http.StatusNotFound, err.Error())
		return
	}
	docs, since := a.documents(m, baseURL(r))
	d, ok := docs[key]
	if !ok {
		writeError(w, http.StatusNotFound, fmt.Sprintf("%s is not a document of this API", clip(r.URL.Path)))
		return
	}
	h := w.Header()
	h["ETag"] = []string{d.etag}
	h["Last-Modified"] = []string{since.Format(http.TimeFormat)}
	h["Cache-Control"] = cacheControl
	h["Vary"] = varyHost
	if notModified(r, d.etag, since) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h["Content-Type"] = jsonContentType
	h["Content-Length"] = []string{strconv.Itoa(len(d.body))}
	if r.Method == http.MethodHead {
		return
	}
	_, _ = w.Write(d.body)
}

// Header values shared by every answer (never modified).
var (
	jsonContentType = []string{JSONContentType}
	cacheControl    = []string{"max-age=300"}
	varyHost        = []string{"Host"}
)

// notModified reports whether the conditional request r already has the
// document (RFC 9110 §13.2.2): If-None-Match when present (weak
// comparison, "*" matches), else If-Modified-Since against modified.
func notModified(r *http.Request, etag string, modified time.Time) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		for tag := range strings.SplitSeq(inm, ",") {
			tag = strings.TrimSpace(tag)
			if tag == "*" || strings.TrimPrefix(tag, "W/") == etag {
				return true
			}
		}
		return false
	}
	if ims := r.Header.Get("If-Modified-Since"); ims != "" {
		t, err := http.ParseTime(ims)
		return err == nil && !modified.After(t)
	}
	return false
}

// documents returns the documents of generation m for base, rendering them
// the first time.
func (a *API) documents(m *policy.Model, base string) (docSet, time.Time) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.gen != m {
		a.gen, a.since, a.bases = m, a.now().UTC().Truncate(time.Second), map[string]docSet{}
	}
	if ds, ok := a.bases[base]; ok {
		return ds, a.since
	}
	ds := render(m, base, a.since)
	if len(a.bases) < maxBases {
		a.bases[base] = ds
	}
	return ds, a.since
}

// render builds every document of m.
func render(m *policy.Model, base string, since time.Time) docSet {
	ds := docSet{}
	stamp := since.Format(time.RFC3339)
	put := func(path string, v any) {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false) // "<https://...>" in sources stays legible
		if err := enc.Encode(v); err != nil {
			// Only plain types go in: a failure is a bug, served as one.
			buf.Reset()
			fmt.Fprintf(&buf, "{\"message\":%q}\n", err.Error())
		}
		body := buf.Bytes()
		sum := sha256.Sum256(body)
		ds[path] = &doc{body: body, etag: `"` + hex.EncodeToString(sum[:12]) + `"`}
	}
	v1 := func(path string, result any, total int) {
		env := v1Envelope{SchemaVersion: SchemaVersion, GeneratedAt: stamp, LastModified: stamp, Result: result}
		if total >= 0 {
			env.Total = &total
		}
		put(path, env)
	}

	ids := m.Products()
	v1("/api/v1", []v1URI{
		{Name: "products", URI: base + "/api/v1/products/"},
		{Name: "products/full", URI: base + "/api/v1/products/full/"},
	}, 2)
	summaries := make([]v1Summary, 0, len(ids))
	full := make([]v1Details, 0, len(ids))
	for _, id := range ids {
		p, _ := m.Product(id)
		summaries = append(summaries, v1ProductSummary(p, base))
		d := v1ProductDetails(m, p, base)
		full = append(full, d)
		v1("/api/v1/products/"+id, d, -1)
		lives := lifecycle(m, p)
		cycles := make([]v0Cycle, 0, len(lives))
		for i, l := range lives {
			v1("/api/v1/products/"+id+"/releases/"+l.Cycle.String(), d.Releases[i], -1)
			c := v0CycleOf(l)
			cycles = append(cycles, c)
			put("/api/"+id+"/"+l.Cycle.String()+".json", c)
		}
		if len(d.Releases) > 0 {
			v1("/api/v1/products/"+id+"/releases/latest", d.Releases[0], -1)
		}
		put("/api/"+id+".json", cycles)
	}
	v1("/api/v1/products", summaries, len(summaries))
	v1("/api/v1/products/full", full, len(full))
	put("/api/all.json", ids)
	return ds
}

// canonicalPath maps a request path to its document's key: no trailing
// slash, the product's id for an alias. It says what is unknown.
func canonicalPath(m *policy.Model, path string) (string, error) {
	rest, ok := strings.CutPrefix(path, "/api/")
	if !ok {
		return "", fmt.Errorf("%s is not under /api/", clip(path))
	}
	if v1, ok := strings.CutPrefix(rest, "v1"); ok && (v1 == "" || v1[0] == '/') {
		seg := strings.Split(strings.Trim(v1, "/"), "/")
		if seg[0] == "" {
			seg = nil
		}
		switch {
		case len(seg) == 0:
			return "/api/v1", nil
		case seg[0] != "products" || len(seg) == 3 || len(seg) > 4 || (len(seg) == 4 && seg[2] != "releases"):
			return "", fmt.Errorf("%s is not a document of this API", clip(path))
		case len(seg) == 1:
			return "/api/v1/products", nil
		case len(seg) == 2 && seg[1] == "full":
			return "/api/v1/products/full", nil
		}
		p, err := findProduct(m, seg[1])
		if err != nil {
			return "", err
		}
		if len(seg) == 2 {
			return "/api/v1/products/" + p.ID, nil
		}
		if seg[3] == "latest" {
			if len(p.Releases) == 0 {
				return "", fmt.Errorf("%s has no release in the policy", p.Name)
			}
			return "/api/v1/products/" + p.ID + "/releases/latest", nil
		}
		c, err := findRelease(p, seg[3])
		if err != nil {
			return "", err
		}
		return "/api/v1/products/" + p.ID + "/releases/" + c, nil
	}
	seg := strings.Split(rest, "/")
	switch {
	case len(seg) == 1 && seg[0] == "all.json":
		return "/api/all.json", nil
	case len(seg) == 1 && strings.HasSuffix(seg[0], ".json"):
		p, err := findProduct(m, strings.TrimSuffix(seg[0], ".json"))
		if err != nil {
			return "", err
		}
		return "/api/" + p.ID + ".json", nil
	case len(seg) == 2 && strings.HasSuffix(seg[1], ".json"):
		p, err := findProduct(m, seg[0])
		if err != nil {
			return "", err
		}
		c, err := findRelease(p, strings.TrimSuffix(seg[1], ".json"))
		if err != nil {
			return "", err
		}
		return "/api/" + p.ID + "/" + c + ".json", nil
	}
	return "", fmt.Errorf("%s is not a document of this API", clip(path))
}

func findProduct(m *policy.Model, name string) (*policy.Product, error) {
	if p, ok := m.Product(name); ok {
		return p, nil
	}
	return nil, fmt.Errorf("product %q is not in the policy (known: %s)", clip(name), strings.Join(m.Products(), ", "))
}

func findRelease(p *policy.Product, name string) (string, error) {
	if c, err := policy.ParseCycle(name); err == nil {
		if _, ok := p.Release(c); ok {
			return c.String(), nil
		}
	}
	known := make([]string, len(p.Releases))
	for i, r := range p.Releases {
		known[i] = r.Cycle.String()
	}
	return "", fmt.Errorf("release %q of %s is not in the policy (known: %s)", clip(name), p.Name, strings.Join(known, ", "))
}

// apiError is the body of every error answer.
type apiError struct {
	Message string `json:"message"`
}

func writeError(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", JSONContentType)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(apiError{Message: msg})
}

// baseURL is the scheme and host the client used, for absolute links.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	host := r.Host
	if host == "" || strings.ContainsAny(host, " /\\\"<>{}|^`") || len(host) > 255 {
		host = "localhost"
	}
	return scheme + "://" + host
}

// clip keeps what a client sent short in an answer.
func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}
