package store

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
)

// writer is the single goroutine that commits every write. It differs from
// bolt.DB.Batch in when it commits: Batch waits up to MaxBatchDelay (10ms)
// for more callers, which would be the latency floor of every answer. The
// writer starts a transaction as soon as it has work; whatever arrives while
// that transaction is being written and fsynced is taken, all of it, by the
// next one. Under load the batch size grows by itself, and an idle writer
// adds no delay.
type writer struct {
	db   *bolt.DB
	fail func(error) // puts the DB in its failed state (DB.fail)
	err  error       // the failure, once a commit panicked; only run's goroutine touches it

	mu      sync.Mutex
	pending []*op
	closing bool

	wake    chan struct{} // capacity 1: "pending may be non-empty"
	stopped chan struct{} // closed when run returns
	commits atomic.Uint64

	lazyDelay time.Duration // how long a lazy op may wait for company
	lazyTimer bool          // a wake-up for lazy ops is scheduled (under mu)
}

// defaultLazyDelay bounds how long a lazy write waits for a commit to share.
const defaultLazyDelay = 20 * time.Millisecond

// op is one caller's part of a group commit.
type op struct {
	fn   func(tx *bolt.Tx) error
	done chan error // capacity 1, so the writer never blocks on a caller that left
}

func newWriter(db *bolt.DB, fail func(error)) *writer {
	return &writer{
		db:        db,
		fail:      fail,
		wake:      make(chan struct{}, 1),
		stopped:   make(chan struct{}),
		lazyDelay: defaultLazyDelay,
	}
}

// submitLazy queues fn without starting a commit for it: it rides in the
// next commit that some other write starts, or in one of its own after
// lazyDelay. The returned channel receives the commit's result.
func (w *writer) submitLazy(fn func(tx *bolt.Tx) error) <-chan error {
	o := &op{fn: fn, done: make(chan error, 1)}
	w.mu.Lock()
	if w.closing {
		w.mu.Unlock()
		o.done <- ErrClosed
		return o.done
	}
	w.pending = append(w.pending, o)
	arm := !w.lazyTimer
	w.lazyTimer = true
	w.mu.Unlock()
	if arm {
		time.AfterFunc(w.lazyDelay, w.poke)
	}
	return o.done
}

// poke wakes the writer unless a wake-up is already pending.
func (w *writer) poke() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// submit queues fn and waits until the transaction holding it is committed.
// If ctx is done first it returns ctx.Err(); fn may still be committed later.
func (w *writer) submit(ctx context.Context, fn func(tx *bolt.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	o := &op{fn: fn, done: make(chan error, 1)}
	w.mu.Lock()
	if w.closing {
		w.mu.Unlock()
		return ErrClosed
	}
	w.pending = append(w.pending, o)
	w.mu.Unlock()
	w.poke()
	select {
	case err := <-o.done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// run commits pending ops until close is called and nothing is pending.
func (w *writer) run() {
	defer close(w.stopped)
	var batch []*op
	for {
		w.mu.Lock()
		// Swap buffers: callers append to the old batch's array from now on.
		batch, w.pending = w.pending, batch[:0]
		closing := w.closing
		if len(batch) > 0 {
			// Lazy ops taken now need no wake-up of their own; one still
			// scheduled finds nothing, or the ops queued after it.
			w.lazyTimer = false
		}
		w.mu.Unlock()
		if len(batch) == 0 {
			if closing {
				return
			}
			<-w.wake
			continue
		}
		w.commit(batch)
		clear(batch) // let the ops be collected
	}
}

// commit runs the batch's fns in one read-write transaction and gives every
// caller the commit's result. If one fn fails, the transaction is rolled back
// (its writes may be partial), that fn is run again on its own so that its
// error is its own, and the rest are committed without it.
//
// A panic or memory fault in the transaction (bbolt panics on a damaged page
// it reads or frees) is rolled back by bbolt and becomes the writer's
// failure: every caller of this batch and of every later one gets it, and
// the DB reports it through Err. Nothing after it is committed.
func (w *writer) commit(batch []*op) {
	for len(batch) > 0 {
		if w.err != nil {
			for _, o := range batch {
				o.done <- w.err
			}
			return
		}
		failed := -1
		err := w.update(func(tx *bolt.Tx) error {
			for i, o := range batch {
				if err := o.fn(tx); err != nil {
					failed = i
					return err
				}
			}
			return nil
		})
		if w.err != nil {
			continue
		}
		if failed < 0 {
			if err == nil {
				w.commits.Add(1)
			}
			for _, o := range batch {
				o.done <- err
			}
			return
		}
		o := batch[failed]
		err = w.update(o.fn)
		if w.err != nil {
			continue
		}
		if err == nil {
			w.commits.Add(1)
		}
		o.done <- err
		batch = append(batch[:failed], batch[failed+1:]...)
	}
}

// update is db.Update under guard: a panic sets w.err and is returned.
func (w *writer) update(fn func(tx *bolt.Tx) error) error {
	panicked := true
	err := guard("commit", func() error {
		err := w.db.Update(fn)
		panicked = false
		return err
	})
	if panicked {
		w.err = err
		w.fail(err)
	}
	return err
}

// close stops accepting ops, waits until everything already queued is
// committed and the goroutine has returned.
func (w *writer) close() {
	w.mu.Lock()
	w.closing = true
	w.mu.Unlock()
	w.poke()
	<-w.stopped
}
