package bot

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// lane is a bounded pool of workers with a bounded queue. submit never
// blocks the socket's read loop: with the queue full it refuses the work,
// and the envelope is left unacked for Slack to deliver again.
type lane struct {
	workers int
	jobs    chan func(ctx context.Context)
	now     func() time.Time
	busy    atomic.Int64 // jobs queued or running
	done    chan struct{}
	idle    sync.WaitGroup
	// progress is when a job last started or ended (Unix ns); with jobs
	// busy and no progress for a while, the lane is stuck.
	progress atomic.Int64
}

func newLane(workers, queue int, now func() time.Time) *lane {
	return &lane{workers: workers, jobs: make(chan func(ctx context.Context), queue), now: now, done: make(chan struct{})}
}

func (l *lane) start(ctx context.Context, wg *sync.WaitGroup) {
	var workers sync.WaitGroup
	for range l.workers {
		workers.Go(func() {
			for run := range l.jobs {
				l.progress.Store(l.now().UnixNano())
				run(ctx)
				l.progress.Store(l.now().UnixNano())
				l.busy.Add(-1)
				l.idle.Done()
			}
		})
	}
	wg.Go(func() { workers.Wait(); close(l.done) })
}

// submit queues run; false means the queue is full.
func (l *lane) submit(run func(ctx context.Context)) bool {
	l.idle.Add(1)
	if l.busy.Add(1) == 1 {
		l.progress.Store(l.now().UnixNano())
	}
	select {
	case l.jobs <- run:
		return true
	default:
		l.busy.Add(-1)
		l.idle.Done()
		return false
	}
}

// stuckFor is how long the lane has had work and made no progress.
func (l *lane) stuckFor(now time.Time) time.Duration {
	if l.busy.Load() == 0 {
		return 0
	}
	return now.Sub(time.Unix(0, l.progress.Load()))
}

// close takes no more work; the workers end once the queue is empty.
func (l *lane) close() { close(l.jobs) }

// wait returns when the queued work is done or ctx ends.
func (l *lane) wait(ctx context.Context) {
	idle := make(chan struct{})
	go func() { l.idle.Wait(); close(idle) }()
	select {
	case <-idle:
	case <-ctx.Done():
	}
}

// sideJobs runs short Web API work that answers nothing owed (the App Home
// tab, buttons, a "could not record" note) on goroutines of its own,
// bounded, so it waits neither on the lanes nor they on it.
type sideJobs struct {
	slots chan struct{}
	wg    sync.WaitGroup
}

func newSideJobs(n int) *sideJobs { return &sideJobs{slots: make(chan struct{}, n)} }

// run starts fn unless every slot is taken; false means it did not.
func (s *sideJobs) run(fn func()) bool {
	select {
	case s.slots <- struct{}{}:
	default:
		return false
	}
	s.wg.Go(func() {
		defer func() { <-s.slots }()
		fn()
	})
	return true
}

func (s *sideJobs) wait(ctx context.Context) {
	idle := make(chan struct{})
	go func() { s.wg.Wait(); close(idle) }()
	select {
	case <-idle:
	case <-ctx.Done():
	}
}
