package store

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// pruneChunk bounds the records deleted per transaction by PruneQueries and
// PruneEvents, so a large prune never holds up LogQuery for long.
const pruneChunk = 1000

// MarkEvent records that the event id (a Slack event or envelope id) has
// been handled, for ttl. It reports true if the id was not marked or its mark
// had expired, and false if it is a duplicate. The check and the mark are one
// atomic step in a durable, fsynced commit shared with other writes, so of
// two concurrent calls with the same id exactly one gets true, also across a
// restart. ttl must be positive; expired marks are removed by PruneEvents.
func (db *DB) MarkEvent(id string, ttl time.Duration) (firstTime bool, err error) {
	if !validKey(id) {
		return false, fmt.Errorf("mark event %q: %w", id, ErrInvalidKey)
	}
	if ttl <= 0 {
		return false, fmt.Errorf("mark event %q: ttl %s is not positive", id, ttl)
	}
	var first bool // written by the writer goroutine, read after update returns nil
	err = db.update(context.Background(), func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketEvents)
		now := db.now()
		if v := b.Get([]byte(id)); len(v) == 8 && now.UnixNano() < int64(binary.BigEndian.Uint64(v)) {
			first = false
			return nil
		}
		first = true
		return b.Put([]byte(id), binary.BigEndian.AppendUint64(nil, uint64(now.Add(ttl).UnixNano())))
	})
	if err != nil {
		return false, fmt.Errorf("mark event %q: %w", id, err)
	}
	return first, nil
}

// EventSeen reports whether the event id is marked and its mark has not
// expired. It only reads: use it to skip work, and MarkEvent once the work is done.
func (db *DB) EventSeen(id string) (bool, error) {
	if !validKey(id) {
		return false, fmt.Errorf("event seen %q: %w", id, ErrInvalidKey)
	}
	var seen bool
	err := db.view(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketEvents).Get([]byte(id))
		seen = len(v) == 8 && db.now().UnixNano() < int64(binary.BigEndian.Uint64(v))
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("event seen %q: %w", id, err)
	}
	return seen, nil
}

// PruneEvents deletes the event marks that have expired and returns how many.
func (db *DB) PruneEvents() (n int, err error) {
	for {
		var deleted int
		var more bool
		err := db.update(context.Background(), func(tx *bolt.Tx) error {
			deleted, more = 0, false
			b := tx.Bucket(bucketEvents)
			now := db.now().UnixNano()
			var expired [][]byte
			c := b.Cursor()
			for k, v := c.First(); k != nil; k, v = c.Next() {
				if len(v) == 8 && now < int64(binary.BigEndian.Uint64(v)) {
					continue
				}
				if len(expired) == pruneChunk {
					more = true
					break
				}
				expired = append(expired, append([]byte(nil), k...))
			}
			for _, k := range expired {
				if err := b.Delete(k); err != nil {
					return err
				}
			}
			deleted = len(expired)
			return nil
		})
		if err != nil {
			return n, fmt.Errorf("prune events: %w", err)
		}
		n += deleted
		if !more {
			return n, nil
		}
	}
}

// ReminderSent reports whether the reminder identified by key was marked
// sent by MarkReminderSent.
func (db *DB) ReminderSent(key string) (bool, error) {
	if !validKey(key) {
		return false, fmt.Errorf("reminder %q: %w", key, ErrInvalidKey)
	}
	var sent bool
	err := db.view(func(tx *bolt.Tx) error {
		if b := tx.Bucket(bucketReminders); b != nil {
			sent = b.Get([]byte(key)) != nil
		}
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("reminder %q: %w", key, err)
	}
	return sent, nil
}

// MarkReminderSent durably records that the reminder identified by key was
// sent at at. Marking it again keeps the first time.
func (db *DB) MarkReminderSent(key string, at time.Time) error {
	if !validKey(key) {
		return fmt.Errorf("mark reminder %q: %w", key, ErrInvalidKey)
	}
	v := binary.BigEndian.AppendUint64(nil, uint64(at.UnixNano()))
	err := db.update(context.Background(), func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketReminders)
		if b.Get([]byte(key)) != nil {
			return nil
		}
		return b.Put([]byte(key), v)
	})
	if err != nil {
		return fmt.Errorf("mark reminder %q: %w", key, err)
	}
	return nil
}

// subscription is the value stored for a subscribed channel.
type subscription struct {
	By string    `json:"by"`
	At time.Time `json:"at"`
}

// Subscribe subscribes channel to reminders on behalf of the user by. It
// reports false if the channel was already subscribed, which leaves the
// existing subscription as it was.
func (db *DB) Subscribe(channel, by string) (added bool, err error) {
	if !validKey(channel) {
		return false, fmt.Errorf("subscribe %q: %w", channel, ErrInvalidKey)
	}
	v, err := json.Marshal(subscription{By: by, At: db.now().UTC()})
	if err != nil {
		return false, fmt.Errorf("subscribe %q: %w", channel, err)
	}
	var ok bool
	err = db.update(context.Background(), func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSubscriptions)
		ok = b.Get([]byte(channel)) == nil
		if !ok {
			return nil
		}
		return b.Put([]byte(channel), v)
	})
	if err != nil {
		return false, fmt.Errorf("subscribe %q: %w", channel, err)
	}
	return ok, nil
}

// Unsubscribe removes channel's subscription. It reports false if there was
// none.
func (db *DB) Unsubscribe(channel string) (removed bool, err error) {
	if !validKey(channel) {
		return false, fmt.Errorf("unsubscribe %q: %w", channel, ErrInvalidKey)
	}
	var ok bool
	err = db.update(context.Background(), func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSubscriptions)
		ok = b.Get([]byte(channel)) != nil
		if !ok {
			return nil
		}
		return b.Delete([]byte(channel))
	})
	if err != nil {
		return false, fmt.Errorf("unsubscribe %q: %w", channel, err)
	}
	return ok, nil
}

// Subscriptions returns the subscribed channels, sorted.
func (db *DB) Subscriptions() ([]string, error) {
	chs, err := db.keys(bucketSubscriptions)
	if err != nil {
		return nil, fmt.Errorf("subscriptions: %w", err)
	}
	return chs, nil
}

// keys returns the keys of bucket as strings, in bbolt's byte order (which
// is the sort order wanted); none when the bucket does not exist yet.
func (db *DB) keys(bucket []byte) ([]string, error) {
	var ks []string
	err := db.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucket)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, _ []byte) error {
			ks = append(ks, string(k))
			return nil
		})
	})
	return ks, err
}

// ReleaseState returns the release state last saved by SetReleaseState:
// product id -> released cycles. ok is false if none was ever saved.
func (db *DB) ReleaseState() (state map[string][]string, ok bool, err error) {
	err = db.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketReleases)
		if b == nil {
			return nil
		}
		v := b.Get(keyReleases)
		if v == nil {
			return nil
		}
		ok = true
		return json.Unmarshal(v, &state)
	})
	if err != nil {
		return nil, false, fmt.Errorf("release state: %w", err)
	}
	if ok && state == nil {
		state = map[string][]string{}
	}
	return state, ok, nil
}

// SetReleaseState durably replaces the saved release state with state
// (product id -> released cycles). A nil map is saved as an empty one.
func (db *DB) SetReleaseState(state map[string][]string) error {
	if state == nil {
		state = map[string][]string{}
	}
	v, err := json.Marshal(state)
	if err != nil {
		return fmt.Errorf("set release state: %w", err)
	}
	err = db.update(context.Background(), func(tx *bolt.Tx) error {
		return tx.Bucket(bucketReleases).Put(keyReleases, v)
	})
	if err != nil {
		return fmt.Errorf("set release state: %w", err)
	}
	return nil
}
