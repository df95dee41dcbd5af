package store

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// PruneQueries deletes the logged queries whose Time is before before and
// returns how many. It deletes from the start of the log, at most 1000
// records per transaction, and stops at the first record at or after before:
// the log is in commit order, so a record whose caller-supplied Time is
// older than an earlier record's is pruned once the records before it are.
func (db *DB) PruneQueries(before time.Time) (n int, err error) {
	return db.pruneQueries(before, pruneChunk)
}

func (db *DB) pruneQueries(before time.Time, chunk int) (n int, err error) {
	cut := before.UnixNano()
	for {
		var deleted int
		var more bool
		err := db.update(context.Background(), func(tx *bolt.Tx) error {
			deleted, more = 0, false
			b := tx.Bucket(bucketQueries)
			var old []uint64
			c := b.Cursor()
			for k, v := c.First(); k != nil; k, v = c.Next() {
				t, err := recordTime(k, v)
				if err != nil {
					return err
				}
				if t >= cut {
					break
				}
				if len(old) == chunk {
					more = true
					break
				}
				old = append(old, binary.BigEndian.Uint64(k))
			}
			for _, seq := range old {
				if err := b.Delete(seqKey(seq)); err != nil {
					return err
				}
			}
			deleted = len(old)
			return nil
		})
		if err != nil {
			return n, fmt.Errorf("prune queries before %s: %w", before.Format(time.RFC3339), err)
		}
		n += deleted
		if !more {
			return n, nil
		}
	}
}

// RunRetention prunes, at once and then every every, the queries older than
// Options.Now() minus retention and the expired event marks, until ctx is
// done; then it returns nil. Errors are logged to Options.Logger and retried
// on the next tick. It returns ErrClosed if the DB is closed while it runs,
// and an error at once if retention or every is not positive.
func (db *DB) RunRetention(ctx context.Context, retention, every time.Duration) error {
	if retention <= 0 || every <= 0 {
		return fmt.Errorf("retention %s every %s: both must be positive", retention, every)
	}
	t := time.NewTicker(every)
	defer t.Stop()
	return db.runRetention(ctx, retention, t.C, nil)
}

// runRetention is RunRetention with the ticks supplied; passed, if not nil,
// is called after each pass.
func (db *DB) runRetention(ctx context.Context, retention time.Duration, tick <-chan time.Time, passed func()) error {
	for ctx.Err() == nil {
		before := db.now().Add(-retention)
		n, qerr := db.PruneQueries(before)
		m, eerr := db.PruneEvents()
		if n > 0 || m > 0 {
			db.log.Info("pruned store", "queries", n, "before", before, "events", m)
		}
		if err := errors.Join(qerr, eerr); err != nil {
			if db.closed.Load() {
				return ErrClosed
			}
			db.log.Error("prune store", "err", err)
		}
		if passed != nil {
			passed()
		}
		select {
		case <-ctx.Done():
		case <-tick:
		}
	}
	return nil
}
