package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"time"

	"github.com/slack-go/slack"
)

// Retry bounds of a best-effort Web API call (the App Home tab, a button's
// answer, a note, a reminder: nothing the outbox owes). The outbox's own
// retries are bounded by Config.RetryFor instead.
const (
	maxAttempts    = 5
	maxRetryWait   = 30 * time.Second
	firstRetryWait = 200 * time.Millisecond
	maxRetryAfter  = 10 * time.Minute
)

// poster makes Web API calls, each under its own deadline.
type poster struct {
	api     *slack.Client
	log     *slog.Logger
	metrics *Metrics
	timeout time.Duration // of one call
}

// post sends msg to channel (in thread, when given) with one
// chat.postMessage call.
func (p *poster) post(ctx context.Context, channel, thread string, msg Message) error {
	return p.call(ctx, "chat.postMessage", func(ctx context.Context) error {
		_, _, err := p.api.PostMessageContext(ctx, channel, msgOptions(msg, thread)...)
		return err
	})
}

// call makes one Web API call under the per-call deadline; its error says
// the method.
func (p *poster) call(ctx context.Context, method string, fn func(ctx context.Context) error) error {
	start := time.Now()
	callCtx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	err := fn(callCtx)
	p.metrics.apiCall(method, time.Since(start))
	if err != nil {
		if ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded) {
			err = &callTimeout{method: method, after: p.timeout, err: err}
		}
		return fmt.Errorf("%s: %w", method, err)
	}
	return nil
}

// callTimeout is a call that passed its deadline: Slack is slow or hung.
type callTimeout struct {
	method string
	after  time.Duration
	err    error
}

func (e *callTimeout) Error() string { return fmt.Sprintf("no answer within %s", e.after) }
func (e *callTimeout) Unwrap() error { return e.err }

// retry runs fn until it succeeds, fails permanently, or runs out of
// attempts, waiting out rate limits and backing off on transient errors.
func (p *poster) retry(ctx context.Context, method string, fn func(ctx context.Context) error) error {
	wait := firstRetryWait
	var err error
	for attempt := 1; ; attempt++ {
		err = fn(ctx)
		if err == nil {
			return nil
		}
		retry, after := retryable(ctx, err)
		if !retry || attempt == maxAttempts {
			break
		}
		if after <= 0 {
			after = wait
			wait = min(wait*2, maxRetryWait)
		}
		after = min(after, maxRetryWait)
		p.metrics.retry(method)
		p.log.Warn("Slack API call will be retried", "method", method, "attempt", attempt, "after", after, "err", err)
		t := time.NewTimer(after)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("%w (while waiting to retry: %w)", err, ctx.Err())
		case <-t.C:
		}
	}
	p.metrics.apiError(method)
	return err
}

// retryable separates rate limits, server errors, timeouts and network
// errors (retry) from everything else (permanent: the request itself is
// wrong, e.g. channel_not_found). after is the wait Slack asked for.
func retryable(ctx context.Context, err error) (retry bool, after time.Duration) {
	if ctx.Err() != nil {
		return false, 0
	}
	if rl, ok := errors.AsType[*slack.RateLimitedError](err); ok {
		return true, min(rl.RetryAfter, maxRetryAfter)
	}
	if sc, ok := errors.AsType[slack.StatusCodeError](err); ok {
		return sc.Code >= 500 || sc.Code == 408, 0
	}
	if _, ok := errors.AsType[*callTimeout](err); ok {
		return true, 0
	}
	if _, ok := errors.AsType[net.Error](err); ok {
		return true, 0
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return true, 0 // the http.Client's own timeout
	}
	if resp, ok := errors.AsType[slack.SlackErrorResponse](err); ok {
		switch resp.Err {
		case "ratelimited", "service_unavailable", "fatal_error", "internal_error", "request_timeout":
			return true, 0
		}
	}
	return false, 0
}
