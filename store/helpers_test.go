package store

import (
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// MustOpen opens a new database in a temporary directory with fsync off and
// a fake clock; tb.Cleanup checks and closes it.
func MustOpen(tb testing.TB) (*DB, *fakeClock) {
	tb.Helper()
	clock := newFakeClock()
	db := MustOpenWith(tb, filepath.Join(tb.TempDir(), "supportbot.db"), Options{NoSync: true, Now: clock.Now})
	return db, clock
}

// MustOpenWith opens path with opts; tb.Cleanup checks and closes it.
func MustOpenWith(tb testing.TB, path string, opts Options) *DB {
	tb.Helper()
	db, err := Open(path, opts)
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	tb.Cleanup(func() {
		if db.closed.Load() {
			return
		}
		if err := db.Check(); err != nil {
			tb.Errorf("Check: %v", err)
		}
		if err := db.Close(); err != nil {
			tb.Errorf("Close: %v", err)
		}
	})
	return db
}

// fakeClock is a settable clock for Options.Now.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2021, 6, 1, 12, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// mustLog logs q or fails the test.
func mustLog(tb testing.TB, db *DB, q Query) uint64 {
	tb.Helper()
	seq, err := db.LogQuery(tb.Context(), q)
	if err != nil {
		tb.Fatalf("LogQuery: %v", err)
	}
	return seq
}
