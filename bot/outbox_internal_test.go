package bot

import (
	"context"
	"testing"
	"time"
)

// TestGate: a Retry-After is waited out as asked; without one the backoff
// doubles once per round of failures, however many calls failed in it, up
// to the cap; a success resets it.
func TestGate(t *testing.T) {
	g := gate{maxWait: time.Second}
	steps := []struct {
		name       string
		ok         bool
		sameRound  bool // the call started before the last failure's step
		retryAfter time.Duration
		want       time.Duration
	}{
		{name: "first failure", want: 200 * time.Millisecond},
		{name: "a call of the same round", sameRound: true, want: 200 * time.Millisecond},
		{name: "next round", want: 400 * time.Millisecond},
		{name: "next", want: 800 * time.Millisecond},
		{name: "capped", want: time.Second},
		{name: "capped still", want: time.Second},
		{name: "Retry-After wins", retryAfter: 3 * time.Second, want: 3 * time.Second},
		{name: "success", ok: true},
		{name: "after a success", want: 200 * time.Millisecond},
	}
	var epoch uint64
	for _, s := range steps {
		if s.ok {
			g.ok()
			continue
		}
		if !s.sameRound {
			epoch = g.current()
		}
		if got := g.fail(epoch, s.retryAfter); got != s.want {
			t.Errorf("%s: wait %s, want %s", s.name, got, s.want)
		}
	}
	// The gate is shut until the longest wait asked for has passed.
	g.notBefore = time.Now().Add(time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if g.wait(ctx) {
		t.Error("wait on a shut gate returned true with its context done")
	}
	g.notBefore = time.Time{}
	if !g.wait(context.Background()) {
		t.Error("wait on an open gate returned false")
	}
}
