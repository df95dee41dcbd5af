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

// Retry bounds for Web API calls.
const (
	maxAttempts    = 5
	maxRetryWait   = 30 * time.Second
	firstRetryWait = 200 * time.Millisecond
)

// poster calls the Web API, waiting out rate limits and retrying transient
// failures; permanent errors are returned at once.
type poster struct {
	api     *slack.Client
	log     *slog.Logger
	metrics *Metrics
}

// post sends a message with chat.postMessage.
func (p *poster) post(ctx context.Context, channel string, opts ...slack.MsgOption) error {
	return p.do(ctx, "chat.postMessage", func(ctx context.Context) error {
		_, _, err := p.api.PostMessageContext(ctx, channel, opts...)
		return err
	})
}

// do runs call until it succeeds, fails permanently, or runs out of attempts.
func (p *poster) do(ctx context.Context, method string, call func(ctx context.Context) error) error {
	wait := firstRetryWait
	var err error
	for attempt := 1; ; attempt++ {
		err = call(ctx)
		if err == nil {
			return nil
		}
		retry, after := retryable(err)
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
			return fmt.Errorf("%s: %w (while waiting to retry: %w)", method, err, ctx.Err())
		case <-t.C:
		}
	}
	p.metrics.apiError(method)
	return fmt.Errorf("%s: %w", method, err)
}

// retryable separates rate limits, server errors and network errors (retry)
// from everything else (permanent). after is the wait Slack asked for.
func retryable(err error) (retry bool, after time.Duration) {
	if rl, ok := errors.AsType[*slack.RateLimitedError](err); ok {
		return true, rl.RetryAfter
	}
	if sc, ok := errors.AsType[slack.StatusCodeError](err); ok {
		return sc.Code >= 500 || sc.Code == 408, 0
	}
	if _, ok := errors.AsType[net.Error](err); ok {
		return true, 0
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false, 0
	}
	// slack.SlackErrorResponse (ok=false) and the like: the request itself is wrong.
	return false, 0
}
