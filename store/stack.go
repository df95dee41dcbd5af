package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// bucketStacks holds what each channel tracks (`/support track`). It is
// created by the first Track, so files of schema 2 need no migration for it.
var bucketStacks = []byte("stacks")

// maxStackItems bounds a channel's stack: it names what one cluster runs.
const maxStackItems = 32

// ErrStackTooLarge is returned by Track when a stack would hold more than
// 32 products.
var ErrStackTooLarge = errors.New("a stack holds at most 32 products")

// StackItem is one product a channel tracks and the version it runs. The
// store keeps both as given; the caller gives them meaning.
type StackItem struct {
	Product string `json:"product"`
	Version string `json:"version"`
}

// Stack is what a channel tracks, with who last changed it and when.
// Items are sorted by product and hold each product once.
type Stack struct {
	Items []StackItem `json:"items"`
	By    string      `json:"by"`
	At    time.Time   `json:"at"`
}

// Track records that channel runs items, on behalf of the user by: an item
// replaces the version of a product the channel tracks already, and adds a
// product it does not. It returns the stack as it now is.
func (db *DB) Track(channel, by string, items []StackItem) (Stack, error) {
	if !validKey(channel) {
		return Stack{}, fmt.Errorf("track %q: %w", channel, ErrInvalidKey)
	}
	var out Stack
	err := db.update(context.Background(), func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketStacks)
		if err != nil {
			return err
		}
		cur, err := decodeStack(b.Get([]byte(channel)))
		if err != nil {
			return err
		}
		for _, it := range items {
			i := slices.IndexFunc(cur.Items, func(c StackItem) bool { return c.Product == it.Product })
			if i >= 0 {
				cur.Items[i].Version = it.Version
				continue
			}
			cur.Items = append(cur.Items, it)
		}
		if len(cur.Items) > maxStackItems {
			return ErrStackTooLarge
		}
		slices.SortFunc(cur.Items, func(a, b StackItem) int { return strings.Compare(a.Product, b.Product) })
		cur.By, cur.At = by, db.now().UTC()
		v, err := json.Marshal(cur)
		if err != nil {
			return err
		}
		out = cur
		return b.Put([]byte(channel), v)
	})
	if err != nil {
		return Stack{}, fmt.Errorf("track %q: %w", channel, err)
	}
	return out, nil
}

// Untrack stops channel tracking products (all of them when products is
// empty). It returns the items removed, and the stack as it now is; a
// channel whose stack becomes empty tracks nothing.
func (db *DB) Untrack(channel, by string, products []string) (removed []StackItem, now Stack, err error) {
	if !validKey(channel) {
		return nil, Stack{}, fmt.Errorf("untrack %q: %w", channel, ErrInvalidKey)
	}
	err = db.update(context.Background(), func(tx *bolt.Tx) error {
		removed, now = nil, Stack{}
		b := tx.Bucket(bucketStacks)
		if b == nil {
			return nil
		}
		cur, err := decodeStack(b.Get([]byte(channel)))
		if err != nil {
			return err
		}
		var keep []StackItem
		for _, it := range cur.Items {
			if len(products) == 0 || slices.Contains(products, it.Product) {
				removed = append(removed, it)
			} else {
				keep = append(keep, it)
			}
		}
		if len(removed) == 0 {
			now = cur
			return nil
		}
		if len(keep) == 0 {
			return b.Delete([]byte(channel))
		}
		now = Stack{Items: keep, By: by, At: db.now().UTC()}
		v, err := json.Marshal(now)
		if err != nil {
			return err
		}
		return b.Put([]byte(channel), v)
	})
	if err != nil {
		return nil, Stack{}, fmt.Errorf("untrack %q: %w", channel, err)
	}
	return removed, now, nil
}

// ChannelStack returns what channel tracks; an empty Stack when nothing.
func (db *DB) ChannelStack(channel string) (Stack, error) {
	var s Stack
	err := db.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketStacks)
		if b == nil {
			return nil
		}
		var err error
		s, err = decodeStack(b.Get([]byte(channel)))
		return err
	})
	if err != nil {
		return Stack{}, fmt.Errorf("stack of %q: %w", channel, err)
	}
	return s, nil
}

// TrackingChannels returns the channels that track a stack, sorted.
func (db *DB) TrackingChannels() ([]string, error) {
	chs, err := db.keys(bucketStacks)
	if err != nil {
		return nil, fmt.Errorf("tracking channels: %w", err)
	}
	return chs, nil
}

func decodeStack(v []byte) (Stack, error) {
	var s Stack
	if v == nil {
		return s, nil
	}
	if err := json.Unmarshal(v, &s); err != nil {
		return Stack{}, fmt.Errorf("malformed stack record: %w", err)
	}
	return s, nil
}
