package feed_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/d2iq/supportbot/bot/feed"
	"github.com/d2iq/supportbot/policy"
)

// BenchmarkAPI_ProductsFull serves /api/v1/products/full on the history
// policy from the generation's cache, and reports the p50 and p99 of the
// requests' durations besides the mean.
//
//	go test -run '^$' -bench ProductsFull -benchtime 20000x ./bot/feed
func BenchmarkAPI_ProductsFull(b *testing.B) {
	m := historyModel(b)
	api := feed.NewAPI(func() *policy.Model { return m }, nil)
	req := httptest.NewRequest(http.MethodGet, "http://bot.example/api/v1/products/full", nil)
	serve := func() *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		api.ServeHTTP(rec, req)
		return rec
	}
	if rec := serve(); rec.Code != http.StatusOK || rec.Body.Len() < 10_000 {
		b.Fatalf("%d, %d bytes", rec.Code, rec.Body.Len())
	}
	// The response goes where a connection would take it, without the
	// recorder's copy.
	w := &discardWriter{h: http.Header{}}
	durations := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		start := time.Now()
		clear(w.h)
		api.ServeHTTP(w, req)
		durations = append(durations, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(durations)
	b.ReportMetric(float64(durations[len(durations)/2].Nanoseconds()), "p50-ns")
	b.ReportMetric(float64(durations[len(durations)*99/100].Nanoseconds()), "p99-ns")
}

// BenchmarkAPI_Render renders every document of the history policy: the
// cost of the first request after a reload.
func BenchmarkAPI_Render(b *testing.B) {
	m := historyModel(b)
	req := httptest.NewRequest(http.MethodGet, "http://bot.example/api/v1/products/full", nil)
	b.ReportAllocs()
	for b.Loop() {
		api := feed.NewAPI(func() *policy.Model { return m }, nil)
		api.ServeHTTP(httptest.NewRecorder(), req)
	}
}

// discardWriter is a ResponseWriter that keeps headers and drops the body.
type discardWriter struct {
	h    http.Header
	code int
	n    int
}

func (w *discardWriter) Header() http.Header  { return w.h }
func (w *discardWriter) WriteHeader(code int) { w.code = code }
func (w *discardWriter) Write(p []byte) (int, error) {
	w.n += len(p)
	return len(p), nil
}

// BenchmarkAPI_ProductsFull_Loopback is the same request through a real
// HTTP server and client on 127.0.0.1: what a consumer on the same host
// sees, transport included.
func BenchmarkAPI_ProductsFull_Loopback(b *testing.B) {
	m := historyModel(b)
	srv := httptest.NewServer(feed.NewAPI(func() *policy.Model { return m }, nil))
	defer srv.Close()
	client := srv.Client()
	durations := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	for b.Loop() {
		start := time.Now()
		resp, err := client.Get(srv.URL + "/api/v1/products/full")
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatal(resp.Status)
		}
		durations = append(durations, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(durations)
	b.ReportMetric(float64(durations[len(durations)/2].Nanoseconds()), "p50-ns")
	b.ReportMetric(float64(durations[len(durations)*99/100].Nanoseconds()), "p99-ns")
}
