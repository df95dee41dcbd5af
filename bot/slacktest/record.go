package slacktest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"sync"
	"sync/atomic"
	"time"
)

// Ack is one frame the client wrote on a socket connection, normally the
// acknowledgement {"envelope_id":...,"payload":...} of an envelope.
type Ack struct {
	EnvelopeID string
	// Payload is the raw "payload" of the ack, nil when the client sent none.
	Payload json.RawMessage
	Time    time.Time
}

// Call is one Web API request the server answered.
type Call struct {
	// Method is the Web API method ("chat.postMessage", "auth.test", ...),
	// or "response_url" for a POST to a URL from NewResponseURL.
	Method string
	// Path is the request path, e.g. "/api/chat.postMessage" or
	// "/response/R00000012".
	Path string
	// Form holds the query and form-encoded body parameters, nil for a JSON
	// body.
	Form url.Values
	// JSON is the JSON body decoded, nil for a form-encoded or empty body.
	JSON map[string]any
	// Token is the bearer token of the Authorization header, or else the
	// "token" parameter.
	Token string
	// Status is the HTTP status the server answered with (429 for an
	// injected rate limit, ...).
	Status int
	Time   time.Time
}

// Param returns the named parameter of the call: the form value, or else the
// JSON body field if it is a string, or else the JSON body field encoded as
// JSON. It returns "" when the parameter is absent.
func (c Call) Param(name string) string {
	if c.Form != nil {
		if v, ok := c.Form[name]; ok && len(v) > 0 {
			return v[0]
		}
	}
	v, ok := c.JSON[name]
	if !ok || v == nil {
		return ""
	}
	if str, ok := v.(string); ok {
		return str
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// Acks returns the channel every ack is delivered on, in the order received.
// It is buffered; when the buffer is full acks are dropped from the channel
// (see Dropped) but stay visible to WaitAck. Close closes it.
func (s *Server) Acks() <-chan Ack { return s.acks.ch }

// Calls returns the channel every Web API call is delivered on, in the order
// received, including calls answered with an injected failure. It is
// buffered; when the buffer is full calls are dropped from the channel (see
// Dropped) but stay visible to WaitCall. Close closes it.
func (s *Server) Calls() <-chan Call { return s.calls.ch }

// WaitAck waits for the ack of the given envelope, returning at once if it was
// already received. It does not consume anything from the Acks channel.
func (s *Server) WaitAck(ctx context.Context, envelopeID string) (Ack, error) {
	return s.acks.wait(ctx, func(a Ack) bool { return a.EnvelopeID == envelopeID })
}

// WaitCall returns the first call, in the order received since the server
// started (within Options.HistoryLimit), for which pred returns true, waiting
// for it if needed. pred is called at most once per call, in order, so it may
// count. WaitCall does not consume anything from the Calls channel.
func (s *Server) WaitCall(ctx context.Context, pred func(Call) bool) (Call, error) {
	return s.calls.wait(ctx, pred)
}

// recorder delivers items on a buffered channel without ever blocking and
// keeps a bounded history for the waiting helpers.
type recorder[T any] struct {
	ch      chan T
	dropped *atomic.Int64
	limit   int

	mu      sync.Mutex
	items   []T
	base    int           // sequence number of items[0]
	notify  chan struct{} // closed and replaced on every add
	stopped bool
}

func newRecorder[T any](buffer, limit int, dropped *atomic.Int64) *recorder[T] {
	return &recorder[T]{
		ch:      make(chan T, buffer),
		dropped: dropped,
		limit:   limit,
		notify:  make(chan struct{}),
	}
}

func (r *recorder[T]) add(v T) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.stopped {
		return
	}
	// Forget in chunks so that adding stays O(1) amortized.
	if len(r.items) >= 2*r.limit {
		drop := len(r.items) - r.limit
		r.items = append(r.items[:0:0], r.items[drop:]...)
		r.base += drop
	}
	r.items = append(r.items, v)
	select {
	case r.ch <- v:
	default:
		r.dropped.Add(1)
	}
	close(r.notify)
	r.notify = make(chan struct{})
}

// close closes the channel and wakes up every waiter. The caller must make
// sure no add is running concurrently with or after it; add checks stopped
// under the lock anyway.
func (r *recorder[T]) close() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.stopped {
		return
	}
	r.stopped = true
	close(r.ch)
	close(r.notify)
}

func (r *recorder[T]) wait(ctx context.Context, pred func(T) bool) (T, error) {
	var zero T
	next := 0 // sequence number of the next item to look at
	for {
		r.mu.Lock()
		if next < r.base {
			next = r.base
		}
		pending := append([]T(nil), r.items[next-r.base:]...)
		next += len(pending)
		notify, stopped := r.notify, r.stopped
		r.mu.Unlock()

		for _, v := range pending {
			if pred(v) {
				return v, nil
			}
		}
		if stopped {
			return zero, ErrServerClosed
		}
		select {
		case <-ctx.Done():
			return zero, ctx.Err()
		case <-notify:
		}
	}
}
