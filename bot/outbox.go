package bot

import (
	"context"
	"sync"
	"time"
)

// outbox delivers the owed replies: Config.Posters workers take them in
// order and post each until Slack takes it. While Slack fails (5xx, 429, a
// timeout, no network) every worker waits on one gate: the Retry-After
// Slack asked for, or a backoff doubling from 200ms to RetryMaxWait, so an
// outage is probed, not hammered. A reply is retried until RetryFor after
// its question; then, or on a permanent error (channel_not_found, …), it is
// reported (an ERROR line with its event id, supportbot_replies_failed_total)
// and settled. Memory is one small Question per owed reply, no goroutine.
type outbox struct {
	b    *Bot
	gate gate

	mu      sync.Mutex
	cond    *sync.Cond
	queue   []*owedReply
	owed    map[string]*owedReply // queued or being posted, by event id
	closing bool
	emptied chan struct{} // closed and replaced whenever owed becomes empty

	answered chan string   // ids whose reply is out, for the marker
	marked   chan struct{} // closed when the marker has flushed and ended
}

// owedReply is one reply the outbox owes, and how its delivery is going.
type owedReply struct {
	q         Question
	attempts  int
	firstFail time.Time // zero until an attempt fails
}

func newOutbox(b *Bot) *outbox {
	o := &outbox{b: b, owed: map[string]*owedReply{}, emptied: make(chan struct{}),
		answered: make(chan string, 4096), marked: make(chan struct{})}
	o.cond = sync.NewCond(&o.mu)
	o.gate.maxWait = b.cfg.RetryMaxWait
	return o
}

// add owes q a reply. A reply already owed is not added twice.
func (o *outbox) add(q Question) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if _, dup := o.owed[q.ID]; dup {
		return
	}
	r := &owedReply{q: q}
	o.owed[q.ID] = r
	o.queue = append(o.queue, r)
	o.cond.Signal()
}

func (o *outbox) start(ctx context.Context, wg *sync.WaitGroup) {
	var workers sync.WaitGroup
	for range o.b.cfg.Posters {
		workers.Go(func() { o.work(ctx) })
	}
	wg.Go(func() { workers.Wait(); close(o.answered) })
	wg.Go(o.mark)
}

// take waits for a reply to post; false once the outbox stops.
func (o *outbox) take() (*owedReply, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for len(o.queue) == 0 && !o.closing {
		o.cond.Wait()
	}
	if o.closing {
		return nil, false
	}
	r := o.queue[0]
	o.queue[0] = nil
	o.queue = o.queue[1:]
	return r, true
}

func (o *outbox) work(ctx context.Context) {
	for {
		r, ok := o.take()
		if !ok {
			return
		}
		if !o.gate.wait(ctx) {
			o.requeue(r)
			return
		}
		epoch := o.gate.current()
		err := o.b.postReply(ctx, r.q)
		if err == nil {
			o.gate.ok()
			o.b.health.slackOK()
			o.done(r)
			continue
		}
		if ctx.Err() != nil {
			o.requeue(r) // stopping: still owed, answered after the restart
			return
		}
		log := r.q.logger(o.b.log)
		retry, after := retryable(ctx, err)
		now := o.b.cfg.Now()
		r.attempts++
		if r.firstFail.IsZero() {
			r.firstFail = now
		}
		switch {
		case !retry:
			o.b.cfg.Metrics.replyFailed("rejected")
			log.Error("reply not sent: Slack refused it", "err", err, "attempts", r.attempts)
			o.done(r)
		case now.Sub(r.q.Received) >= o.b.cfg.RetryFor:
			o.b.cfg.Metrics.replyFailed("expired")
			log.Error("reply not sent: Slack did not take it before the retry limit", "err", err,
				"attempts", r.attempts, "asked", r.q.Received, "retry_for", o.b.cfg.RetryFor)
			o.done(r)
		default:
			wait := o.gate.fail(epoch, after)
			o.b.cfg.Metrics.retry("chat.postMessage")
			o.b.health.slackFailed(now)
			if r.attempts == 1 || r.attempts%10 == 0 {
				log.Warn("reply will be retried", "err", err, "attempts", r.attempts, "after", wait)
			}
			o.requeue(r)
		}
	}
}

// requeue puts r back at the front: replies go out in order.
func (o *outbox) requeue(r *owedReply) {
	o.mu.Lock()
	o.queue = append([]*owedReply{r}, o.queue...)
	o.cond.Signal()
	o.mu.Unlock()
}

// done settles r: its reply is out, or was given up on and reported.
func (o *outbox) done(r *owedReply) {
	o.answered <- r.q.ID
	o.mu.Lock()
	delete(o.owed, r.q.ID)
	if len(o.owed) == 0 {
		close(o.emptied)
		o.emptied = make(chan struct{})
	}
	o.mu.Unlock()
}

// mark settles answered replies in the Inbox, as many per call as are
// waiting, so each rides the next commit.
func (o *outbox) mark() {
	defer close(o.marked)
	for id := range o.answered {
		ids := []string{id}
	more:
		for len(ids) < 512 {
			select {
			case id, ok := <-o.answered:
				if !ok {
					break more
				}
				ids = append(ids, id)
			default:
				break more
			}
		}
		if err := o.b.cfg.Inbox.Answered(ids...); err != nil {
			o.b.log.Error("owed replies sent but not marked answered; they are sent again after a restart", "n", len(ids), "err", err)
		}
	}
}

// drain waits until nothing is owed or ctx ends; false if something is.
func (o *outbox) drain(ctx context.Context) bool {
	o.mu.Lock()
	if len(o.owed) == 0 {
		o.mu.Unlock()
		return true
	}
	emptied := o.emptied
	o.mu.Unlock()
	select {
	case <-emptied:
		return true
	case <-ctx.Done():
		return false
	}
}

// stop ends the workers (their context must be done already) and waits for
// the marker to flush what was answered.
func (o *outbox) stop() {
	o.mu.Lock()
	o.closing = true
	o.cond.Broadcast()
	o.mu.Unlock()
	<-o.marked
}

// outboxStats is what the metrics and /readyz read.
type outboxStats struct {
	owed, queued int
	oldest       time.Duration // age of the oldest owed question
	oldestRetry  time.Duration // how long the longest-failing reply has been failing
}

func (o *outbox) stats(now time.Time) outboxStats {
	o.mu.Lock()
	defer o.mu.Unlock()
	s := outboxStats{owed: len(o.owed), queued: len(o.queue)}
	for _, r := range o.owed {
		s.oldest = max(s.oldest, now.Sub(r.q.Received))
		if !r.firstFail.IsZero() {
			s.oldestRetry = max(s.oldestRetry, now.Sub(r.firstFail))
		}
	}
	return s
}

func (o *outbox) owedCount() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return len(o.owed)
}

// gate holds every outbox worker back while Slack is failing.
type gate struct {
	maxWait time.Duration

	mu        sync.Mutex
	notBefore time.Time
	backoff   time.Duration
	epoch     uint64 // bumped by each backoff step
}

func (g *gate) current() uint64 {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.epoch
}

// wait returns once the gate is open; false if ctx ends first.
func (g *gate) wait(ctx context.Context) bool {
	for {
		g.mu.Lock()
		d := time.Until(g.notBefore)
		g.mu.Unlock()
		if d <= 0 {
			return ctx.Err() == nil
		}
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return false
		case <-t.C:
		}
	}
}

// fail closes the gate after a failed call that started in epoch: for the
// Retry-After Slack asked for, or one more backoff step (once per epoch,
// however many calls failed at once). It returns the wait.
func (g *gate) fail(epoch uint64, retryAfter time.Duration) time.Duration {
	g.mu.Lock()
	defer g.mu.Unlock()
	wait := retryAfter
	if wait <= 0 {
		if epoch == g.epoch {
			g.backoff = min(max(2*g.backoff, firstRetryWait), g.maxWait)
			g.epoch++
		}
		wait = g.backoff
	}
	if nb := time.Now().Add(wait); nb.After(g.notBefore) {
		g.notBefore = nb
	}
	return wait
}

// ok opens the gate: Slack took a call.
func (g *gate) ok() {
	g.mu.Lock()
	g.backoff = 0
	g.mu.Unlock()
}
