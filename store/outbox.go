package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Pending is a reply the bot owes: an event it acked (at Slack's deadline)
// before its reply was out. If the bot dies before replying, Slack will not
// redeliver the event, so the next start answers it from here.
type Pending struct {
	EventID string    `json:"event_id"`
	Time    time.Time `json:"time"`
	Team    string    `json:"team,omitempty"`
	Channel string    `json:"channel"`
	User    string    `json:"user,omitempty"`
	Thread  string    `json:"thread,omitempty"`
	Source  string    `json:"source,omitempty"`
	Text    string    `json:"text"`
}

// PutPending records a reply owed, durably, before it returns.
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

// DeletePending forgets a reply owed once it is out. The delete rides in the
// next commit, or commits within 20ms; a crash before it only means the reply is
// checked again at the next start, where the event's mark settles it.
func (db *DB) DeletePending(id string) <-chan error {
	if db.w == nil || db.closed.Load() {
		ch := make(chan error, 1)
		ch <- fmt.Errorf("delete pending %q: %w", id, ErrClosed)
		return ch
	}
	return db.w.submitLazy(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketOutbox).Delete([]byte(id))
	})
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
