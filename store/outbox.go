package store

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Pending is a question on record that is owed a reply: the bot's inbox.
// Receive writes it in the same commit as the question's query-log record;
// Answered removes it once the reply is out. A restart answers every
// Pending still there. Text is the question as asked, kept here until it is
// answered even when the query log keeps no text.
type Pending struct {
	EventID string    `json:"event_id"`
	Seq     uint64    `json:"seq,omitempty"` // the question's query-log record
	Time    time.Time `json:"time"`
	Team    string    `json:"team,omitempty"`
	Channel string    `json:"channel"`
	User    string    `json:"user,omitempty"`
	Thread  string    `json:"thread,omitempty"`
	Source  string    `json:"source,omitempty"`
	Text    string    `json:"text"`
}

// Receive puts a question on record as owed a reply, in one durable,
// fsynced commit: q in the query log, p in the outbox (with p.Seq set to
// q's record) and p.EventID marked seen for ttl. It returns only once that
// commit is done, so the caller may ack the event when it returns.
//
// first is false, and nothing is written, when p.EventID is on record
// already (marked within its ttl, or still owed): a redelivery, to be acked
// and not answered again. Of two concurrent calls with the same id exactly
// one gets true, also across a restart.
func (db *DB) Receive(ctx context.Context, q Query, p Pending, ttl time.Duration) (first bool, err error) {
	if !validKey(p.EventID) {
		return false, fmt.Errorf("receive %q: %w", p.EventID, ErrInvalidKey)
	}
	if ttl <= 0 {
		return false, fmt.Errorf("receive %q: ttl %s is not positive", p.EventID, ttl)
	}
	if q.Time.IsZero() {
		q.Time = db.now()
	}
	if p.Time.IsZero() {
		p.Time = q.Time
	}
	rec, err := encodeQuery(&q)
	if err != nil {
		return false, fmt.Errorf("receive %q: %w", p.EventID, err)
	}
	id := []byte(p.EventID)
	err = db.update(ctx, func(tx *bolt.Tx) error {
		first = false // fn may run twice
		events, outbox, queries := tx.Bucket(bucketEvents), tx.Bucket(bucketOutbox), tx.Bucket(bucketQueries)
		now := db.now()
		if v := events.Get(id); len(v) == 8 && now.UnixNano() < int64(binary.BigEndian.Uint64(v)) {
			return nil
		}
		if outbox.Get(id) != nil {
			return nil
		}
		queries.FillPercent = 1.0
		seq, err := queries.NextSequence()
		if err != nil {
			return err
		}
		if err := queries.Put(seqKey(seq), rec); err != nil {
			return err
		}
		owed := p
		owed.Seq = seq
		v, err := json.Marshal(owed)
		if err != nil {
			return err
		}
		if err := outbox.Put(id, v); err != nil {
			return err
		}
		if err := events.Put(id, binary.BigEndian.AppendUint64(nil, uint64(now.Add(ttl).UnixNano()))); err != nil {
			return err
		}
		first = true
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("receive %q: %w", p.EventID, err)
	}
	return first, nil
}

// answeredDelay is how long Answered waits for a commit to share before it
// starts one: under load a question's commit comes sooner, and when idle a
// crash in this window only sends the replies again after the restart.
const answeredDelay = 2 * time.Millisecond

// Answered removes the owed replies of ids from the outbox: their replies
// are out (or were given up on and reported). It rides in the next commit
// some other write starts, or starts one after answeredDelay, and returns
// once the removal is durable. Until then a crash sends those replies again
// after the restart.
func (db *DB) Answered(ids ...string) error {
	if len(ids) == 0 {
		return nil
	}
	if db.w == nil {
		return fmt.Errorf("answered: %w", ErrReadOnly)
	}
	if db.closed.Load() {
		return fmt.Errorf("answered: %w", ErrClosed)
	}
	if err := db.Err(); err != nil {
		return fmt.Errorf("answered: %w", err)
	}
	done := db.w.submitLazy(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketOutbox)
		for _, id := range ids {
			if !validKey(id) {
				continue
			}
			if err := b.Delete([]byte(id)); err != nil {
				return err
			}
		}
		return nil
	})
	var err error
	t := time.NewTimer(answeredDelay)
	select {
	case err = <-done:
		t.Stop()
	case <-t.C:
		db.w.poke() // no commit came along: start one
		err = <-done
	}
	if err != nil {
		return fmt.Errorf("answered: %w", err)
	}
	return nil
}

// ListPending returns the replies owed, in event id order.
func (db *DB) ListPending() ([]Pending, error) {
	var out []Pending
	err := db.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketOutbox)
		if b == nil { // a read-only open of a file from before schema 2
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			var p Pending
			if err := json.Unmarshal(v, &p); err != nil {
				return fmt.Errorf("pending %q: %w", k, err)
			}
			out = append(out, p)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("list pending: %w", err)
	}
	return out, nil
}

// PutPending records a reply owed without a query-log record, durably,
// before it returns. The bot puts questions on record with Receive; this is
// for tools and tests that build an outbox by hand.
func (db *DB) PutPending(p Pending) error {
	if !validKey(p.EventID) {
		return fmt.Errorf("put pending %q: %w", p.EventID, ErrInvalidKey)
	}
	v, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("put pending %q: %w", p.EventID, err)
	}
	if err := db.update(context.Background(), func(tx *bolt.Tx) error {
		return tx.Bucket(bucketOutbox).Put([]byte(p.EventID), v)
	}); err != nil {
		return fmt.Errorf("put pending %q: %w", p.EventID, err)
	}
	return nil
}
