package feed_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/d2iq/supportbot/bot/feed"
	"github.com/d2iq/supportbot/policy"
)

// apiServer serves the API over loopback from a swappable policy.
type apiServer struct {
	*httptest.Server
	m atomic.Pointer[policy.Model]
}

func newAPIServer(t *testing.T, m *policy.Model) *apiServer {
	t.Helper()
	s := &apiServer{}
	s.m.Store(m)
	clock := utc("2021-10-05 10:00")
	s.Server = httptest.NewServer(feed.NewAPI(s.m.Load, func() time.Time { return clock }))
	t.Cleanup(s.Close)
	return s
}

// got is a response, its body read and closed.
type got struct {
	StatusCode int
	Header     http.Header
}

func (s *apiServer) get(t *testing.T, path string, header ...string) (got, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, s.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	return got{StatusCode: resp.StatusCode, Header: resp.Header}, body
}

// release is the part of a v1 ProductRelease the tests read.
type release struct {
	Name         string             `json:"name"`
	Label        string             `json:"label"`
	ReleaseDate  string             `json:"releaseDate"`
	IsEol        bool               `json:"isEol"`
	EolFrom      *string            `json:"eolFrom"`
	IsMaintained bool               `json:"isMaintained"`
	Latest       any                `json:"latest"`
	Custom       map[string]*string `json:"custom"`
}

func TestAPI_Releases(t *testing.T) {
	s := newAPIServer(t, remModel(t, datedPolicy))
	str := func(s string) *string { return &s }
	tests := []struct {
		name, path string
		want       release
		wantCustom map[string]*string
	}{
		{
			name: "ended, dated by the release that ended it", path: "/api/v1/products/konvoy/releases/1.6",
			want: release{Name: "1.6", Label: "Konvoy 1.6", ReleaseDate: "2020-12-01", IsEol: true, EolFrom: str("2021-09-01")},
			wantCustom: map[string]*string{"supportStatus": str("ended"), "endedBy": str("Konvoy 1.9"), "releaseDate": str("2020-12-01"),
				// The end's date is the 1.9 release's, from its notes.
				"sources": str("Konvoy release notes — 1.9 <https://example.com/notes>; Konvoy Version Support Policy — Version Support Policy <https://example.com/konvoy-policy>")},
		},
		{
			name: "supported with an announced end", path: "/api/v1/products/konvoy/releases/1.7/",
			want:       release{Name: "1.7", Label: "Konvoy 1.7", ReleaseDate: "2021-03-01", IsMaintained: true, EolFrom: str("2021-12-15")},
			wantCustom: map[string]*string{"supportStatus": str("supported"), "expectedEndWith": str("Konvoy 1.10")},
		},
		{
			name: "supported without a dated end", path: "/api/v1/products/konvoy/releases/1.9",
			want: release{Name: "1.9", Label: "Konvoy 1.9", ReleaseDate: "2021-09-01", IsMaintained: true},
			wantCustom: map[string]*string{"supportStatus": str("supported"),
				"sources": str("Konvoy release notes — 1.9 <https://example.com/notes>; Konvoy Version Support Policy — Version Support Policy <https://example.com/konvoy-policy>")},
		},
		{
			name: "latest patch", path: "/api/v1/products/konvoy/releases/1.8",
			want: release{Name: "1.8", Label: "Konvoy 1.8", ReleaseDate: "2021-06-01", IsMaintained: true,
				Latest: map[string]any{"name": "1.8.2", "date": "2021-08-10", "link": "https://example.com/notes"}},
		},
		{
			name: "latest", path: "/api/v1/products/konvoy/releases/latest",
			want: release{Name: "1.9", Label: "Konvoy 1.9", ReleaseDate: "2021-09-01", IsMaintained: true},
		},
		{
			name: "rule with: the partner's end", path: "/api/v1/products/kommander/releases/1.2",
			want:       release{Name: "1.2", Label: "Kommander 1.2", ReleaseDate: "1970-01-01", IsEol: true, EolFrom: str("2021-09-01")},
			wantCustom: map[string]*string{"endedBy": str("Konvoy 1.9"), "pairsWith": str("Konvoy 1.6"), "releaseDate": nil},
		},
		{
			name: "ended without a date", path: "/api/v1/products/kaptain/releases/1.0",
			want:       release{Name: "1.0", Label: "Kaptain 1.0", ReleaseDate: "1970-01-01", IsEol: true},
			wantCustom: map[string]*string{"supportStatus": str("ended"), "endedBy": str("Kaptain 1.3")},
		},
		{
			name: "no support window: status unknown", path: "/api/v1/products/d2iq-kubernetes-platform/releases/2.1",
			want:       release{Name: "2.1", Label: "DKP 2.1", ReleaseDate: "1970-01-01"},
			wantCustom: map[string]*string{"supportStatus": str("unknown")},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := s.get(t, tt.path)
			if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != feed.JSONContentType {
				t.Fatalf("%d %q %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
			}
			if strings.Contains(string(body), `\u003c`) {
				t.Errorf("sources are HTML-escaped: %s", body)
			}
			var env struct {
				SchemaVersion string  `json:"schema_version"`
				Result        release `json:"result"`
			}
			if err := json.Unmarshal(body, &env); err != nil {
				t.Fatal(err)
			}
			got := env.Result
			if got.Name != tt.want.Name || got.Label != tt.want.Label || got.ReleaseDate != tt.want.ReleaseDate ||
				got.IsEol != tt.want.IsEol || got.IsMaintained != tt.want.IsMaintained || deref(got.EolFrom) != deref(tt.want.EolFrom) ||
				(got.EolFrom == nil) != (tt.want.EolFrom == nil) || !reflect.DeepEqual(got.Latest, tt.want.Latest) {
				t.Errorf("release\n got %+v eolFrom=%v\nwant %+v eolFrom=%v\n%s", got, deref(got.EolFrom), tt.want, deref(tt.want.EolFrom), body)
			}
			for k, v := range tt.wantCustom {
				gv, ok := got.Custom[k]
				if !ok || (gv == nil) != (v == nil) || deref(gv) != deref(v) {
					t.Errorf("custom[%s] = %v, want %v", k, deref(gv), deref(v))
				}
			}
		})
	}
}

func deref(s *string) string {
	if s == nil {
		return "<null>"
	}
	return *s
}

func TestAPI_V0(t *testing.T) {
	s := newAPIServer(t, remModel(t, datedPolicy))
	tests := []struct{ path, want string }{
		{"/api/all.json", `["konvoy","kommander","kaptain","dkp"]`},
		{"/api/konvoy/1.6.json", `{"cycle":"1.6","releaseDate":"2020-12-01","eol":"2021-09-01","lts":false,"support":"2021-09-01"}`},
		{"/api/konvoy/1.8.json", `{"cycle":"1.8","releaseDate":"2021-06-01","eol":false,"latest":"1.8.2","latestReleaseDate":"2021-08-10","lts":false,"support":false,"link":"https://example.com/notes"}`},
		{"/api/konvoy/1.9.json", `{"cycle":"1.9","releaseDate":"2021-09-01","eol":false,"lts":false,"support":false,"link":"https://example.com/notes"}`},
		{"/api/kaptain/1.0.json", `{"cycle":"1.0","eol":true,"lts":false,"support":true}`},
		{"/api/dkp/2.1.json", `{"cycle":"2.1","lts":false}`},
		{"/api/kaptain.json", `[{"cycle":"1.3","eol":false,"lts":false,"support":false},` +
			`{"cycle":"1.2","eol":false,"lts":false,"support":false},` +
			`{"cycle":"1.1","eol":false,"lts":false,"support":false},` +
			`{"cycle":"1.0","eol":true,"lts":false,"support":true}]`},
	}
	for _, tt := range tests {
		resp, body := s.get(t, tt.path)
		if resp.StatusCode != http.StatusOK || strings.TrimSpace(string(body)) != tt.want {
			t.Errorf("%s = %d\n got %s\nwant %s", tt.path, resp.StatusCode, body, tt.want)
		}
	}
}

func TestAPI_NotFound(t *testing.T) {
	s := newAPIServer(t, remModel(t, datedPolicy))
	tests := []struct{ path, want string }{
		{"/api/v1/products/nope", `product "nope" is not in the policy (known: konvoy, kommander, kaptain, dkp)`},
		{"/api/v1/products/nope/releases/latest", `product "nope" is not in the policy`},
		{"/api/v1/products/konvoy/releases/1.99", `release "1.99" of Konvoy is not in the policy (known: 1.9, 1.8, 1.7, 1.6)`},
		{"/api/v1/products/konvoy/releases/1.10", `release "1.10" of Konvoy is not in the policy`}, // announced, not released
		{"/api/v1/products/konvoy/releases/", "is not a document of this API"},
		{"/api/v1/categories", "is not a document of this API"},
		{"/api/v1x", "is not a document of this API"},
		{"/api/nope.json", `product "nope" is not in the policy`},
		{"/api/konvoy/1.99.json", `release "1.99" of Konvoy is not in the policy`},
		{"/api/konvoy", "is not a document of this API"},
		{"/api/a/b/c.json", "is not a document of this API"},
		{"/api/v1/products/" + strings.Repeat("x", 200), "…"},
	}
	for _, tt := range tests {
		resp, body := s.get(t, tt.path)
		var e struct{ Message string }
		err := json.Unmarshal(body, &e)
		if resp.StatusCode != http.StatusNotFound || resp.Header.Get("Content-Type") != feed.JSONContentType || err != nil || !strings.Contains(e.Message, tt.want) {
			t.Errorf("%s = %d %q %v %s, want 404 with %q", tt.path, resp.StatusCode, resp.Header.Get("Content-Type"), err, body, tt.want)
		}
	}

	post, err := http.Post(s.URL+"/api/v1/products", "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	post.Body.Close()
	if post.StatusCode != http.StatusMethodNotAllowed || post.Header.Get("Allow") != "GET, HEAD" {
		t.Errorf("POST = %d Allow %q", post.StatusCode, post.Header.Get("Allow"))
	}

	s.m.Store(nil)
	if g, _ := s.get(t, "/api/v1/products"); g.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("without a policy = %d", g.StatusCode)
	}
}

// TestAPI_Conditional: ETag and Last-Modified answer conditional requests
// with 304 until the policy changes.
func TestAPI_Conditional(t *testing.T) {
	s := newAPIServer(t, remModel(t, datedPolicy))
	const path = "/api/v1/products/konvoy"
	resp, body := s.get(t, path)
	etag, lastMod := resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(etag, `"`) || lastMod != "Tue, 05 Oct 2021 10:00:00 GMT" {
		t.Fatalf("GET = %d ETag %q Last-Modified %q", resp.StatusCode, etag, lastMod)
	}
	if !strings.Contains(string(body), `"last_modified":"2021-10-05T10:00:00Z"`) {
		t.Errorf("body lacks last_modified: %s", body)
	}
	other, _ := s.get(t, "/api/v1/products/kaptain")
	if other.Header.Get("ETag") == etag {
		t.Errorf("two documents share the ETag %s", etag)
	}
	tests := []struct {
		name   string
		header []string
		want   int
	}{
		{"If-None-Match", []string{"If-None-Match", etag}, http.StatusNotModified},
		{"If-None-Match among others", []string{"If-None-Match", `"x", ` + etag}, http.StatusNotModified},
		{"If-None-Match *", []string{"If-None-Match", "*"}, http.StatusNotModified},
		{"If-None-Match another", []string{"If-None-Match", `"other"`}, http.StatusOK},
		{"If-Modified-Since that time", []string{"If-Modified-Since", lastMod}, http.StatusNotModified},
		{"If-Modified-Since later", []string{"If-Modified-Since", "Wed, 06 Oct 2021 10:00:00 GMT"}, http.StatusNotModified},
		{"If-Modified-Since earlier", []string{"If-Modified-Since", "Mon, 04 Oct 2021 10:00:00 GMT"}, http.StatusOK},
		{"If-None-Match wins over If-Modified-Since", []string{"If-None-Match", `"other"`, "If-Modified-Since", lastMod}, http.StatusOK},
		{"trailing slash, same document", []string{"If-None-Match", etag}, http.StatusNotModified},
	}
	for _, tt := range tests {
		p := path
		if strings.HasPrefix(tt.name, "trailing") {
			p += "/"
		}
		resp, body := s.get(t, p, tt.header...)
		if resp.StatusCode != tt.want {
			t.Errorf("%s = %d, want %d", tt.name, resp.StatusCode, tt.want)
		}
		if tt.want == http.StatusNotModified && len(body) != 0 {
			t.Errorf("%s: 304 with a body", tt.name)
		}
	}

	// A reload is a new generation: the old ETag no longer matches, and the
	// document says what changed.
	s.m.Store(remModel(t, strings.Replace(datedPolicy, "expected: 2021-12-15", "expected: 2022-01-20", 1)))
	resp, body = s.get(t, path, "If-None-Match", etag)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("ETag") == etag || !strings.Contains(string(body), `"eolFrom":"2022-01-20"`) {
		t.Errorf("after a reload = %d ETag %q\n%s", resp.StatusCode, resp.Header.Get("ETag"), body)
	}
}

// TestAPI_BaseURL: links follow the host the client used.
func TestAPI_BaseURL(t *testing.T) {
	s := newAPIServer(t, remModel(t, datedPolicy))
	for _, host := range []string{"bot.internal:8080", "other.example"} {
		req, _ := http.NewRequest(http.MethodGet, s.URL+"/api/v1/products", nil)
		req.Host = host
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if want := `"uri":"http://` + host + `/api/v1/products/konvoy/"`; !strings.Contains(string(body), want) {
			t.Errorf("Host %s: body lacks %s\n%s", host, want, body)
		}
	}
}

// TestAPI_History_DisputedEnd: where the pages disagree on the date of the
// release that ended a cycle, eolFrom is the later (as the history model
// says) and custom.eolDates lists every value with its page.
func TestAPI_History_DisputedEnd(t *testing.T) {
	s := newAPIServer(t, historyModel(t))
	_, body := s.get(t, "/api/v1/products/konvoy/releases/1.7")
	var env struct{ Result release }
	if err := json.Unmarshal(body, &env); err != nil {
		t.Fatal(err)
	}
	dates := deref(env.Result.Custom["eolDates"])
	if !env.Result.IsEol || deref(env.Result.EolFrom) != "2021-12-30" || !strings.Contains(dates, "2021-11-18 (") || !strings.Contains(dates, "2021-12-30 (") {
		t.Errorf("Konvoy 1.7: isEol %v eolFrom %s eolDates %s\n%s", env.Result.IsEol, deref(env.Result.EolFrom), dates, body)
	}
}

// TestAPI_Head: HEAD answers the headers of GET without the body.
func TestAPI_Head(t *testing.T) {
	s := newAPIServer(t, remModel(t, datedPolicy))
	g, body := s.get(t, "/api/konvoy.json")
	resp, err := http.Head(s.URL + "/api/konvoy.json")
	if err != nil {
		t.Fatal(err)
	}
	n, _ := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || n != 0 || resp.Header.Get("ETag") != g.Header.Get("ETag") ||
		resp.Header.Get("Content-Length") != strconv.Itoa(len(body)) {
		t.Errorf("HEAD = %d, %d bytes, ETag %q (GET %q), Content-Length %q (GET %d)", resp.StatusCode, n,
			resp.Header.Get("ETag"), g.Header.Get("ETag"), resp.Header.Get("Content-Length"), len(body))
	}
}
