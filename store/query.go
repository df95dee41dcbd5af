package store

import (
	"cmp"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Query is one logged question and how it was answered.
type Query struct {
	// Seq is the record's key in the log, set by the read methods.
	// LogQuery ignores it and returns the new record's Seq.
	Seq uint64 `json:"seq,omitempty"`

	// Time is when the question was asked. LogQuery sets a zero Time to
	// Options.Now(). Read methods return it in UTC.
	Time time.Time `json:"time"`

	// Team, Channel and User are the Slack ids of where and by whom the
	// question was asked; empty when they do not apply (the CLI).
	Team    string `json:"team,omitempty"`
	Channel string `json:"channel,omitempty"`
	User    string `json:"user,omitempty"`

	// Source is where the question came from: "slash", "mention", "dm",
	// "share" or "cli".
	Source string `json:"source,omitempty"`

	// Text is the question as asked. Callers that must not keep questions
	// leave it empty.
	Text string `json:"text,omitempty"`

	// Intent, Verdict, Product and Version describe the answer: the
	// question's intent, the verdict given, and the product id and version
	// asked about (empty if none).
	Intent  string `json:"intent,omitempty"`
	Verdict string `json:"verdict,omitempty"`
	Product string `json:"product,omitempty"`
	Version string `json:"version,omitempty"`

	// Latency is how long answering took.
	Latency time.Duration `json:"latency_ns,omitempty"`
}

// QueryFilter selects logged queries by time.
type QueryFilter struct {
	// Since is the earliest Time included; zero means no lower bound.
	Since time.Time
	// Until is the first Time excluded; zero means no upper bound.
	Until time.Time
	// Limit caps the number of results; zero or negative means no limit.
	Limit int
}

// match reports whether a record with time t (Unix nanoseconds) is selected.
func (f QueryFilter) match(t int64) bool {
	if !f.Since.IsZero() && t < f.Since.UnixNano() {
		return false
	}
	if !f.Until.IsZero() && t >= f.Until.UnixNano() {
		return false
	}
	return true
}

// LogQuery appends q to the query log and returns its sequence number. It
// returns only after the transaction holding the record has been committed
// and fsynced, so a logged question survives a crash that follows. Concurrent
// calls share commits (see the package documentation).
//
// If ctx is done first, LogQuery returns ctx.Err(); the record may still be
// committed. After Close it returns ErrClosed, on a read-only DB ErrReadOnly.
func (db *DB) LogQuery(ctx context.Context, q Query) (seq uint64, err error) {
	if q.Time.IsZero() {
		q.Time = db.now()
	}
	v, err := encodeQuery(&q)
	if err != nil {
		return 0, fmt.Errorf("log query: %w", err)
	}
	// got is written by the writer goroutine; read it only after update
	// returned nil, which orders the write before the read.
	var got uint64
	err = db.update(ctx, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketQueries)
		// Keys only ever grow, so full pages split less and the file stays small.
		b.FillPercent = 1.0
		s, err := b.NextSequence()
		if err != nil {
			return err
		}
		got = s
		return b.Put(seqKey(s), v)
	})
	if err != nil && errors.Is(err, ctx.Err()) {
		return 0, err
	}
	if err != nil {
		return 0, fmt.Errorf("log query: %w", err)
	}
	return got, nil
}

// History returns user's last limit queries, newest first. Zero or negative
// limit means all of them. It walks the log backwards from the end.
func (db *DB) History(user string, limit int) ([]Query, error) {
	var qs []Query
	err := db.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketQueries)
		if b == nil {
			return nil
		}
		c := b.Cursor()
		for k, v := c.Last(); k != nil; k, v = c.Prev() {
			q, err := decodeQuery(k, v)
			if err != nil {
				return err
			}
			if q.User != user {
				continue
			}
			qs = append(qs, q)
			if limit > 0 && len(qs) == limit {
				break
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("history of %s: %w", user, err)
	}
	return qs, nil
}

// Queries returns the logged queries selected by f in Time order (log order
// among equal times).
func (db *DB) Queries(f QueryFilter) ([]Query, error) {
	var qs []Query
	err := db.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketQueries)
		if b == nil {
			return nil
		}
		// Records are in commit order, which concurrent callers' own Times
		// can disagree with by a little; select by the time stored at a fixed
		// offset and sort, and decode only what is returned.
		type hit struct {
			t   int64
			seq uint64
		}
		var hits []hit
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			t, err := recordTime(k, v)
			if err != nil {
				return err
			}
			if f.match(t) {
				hits = append(hits, hit{t, binary.BigEndian.Uint64(k)})
			}
		}
		slices.SortStableFunc(hits, func(a, b hit) int { return cmp.Compare(a.t, b.t) })
		if f.Limit > 0 && len(hits) > f.Limit {
			hits = hits[:f.Limit]
		}
		qs = make([]Query, 0, len(hits))
		for _, h := range hits {
			k := seqKey(h.seq)
			q, err := decodeQuery(k, b.Get(k))
			if err != nil {
				return err
			}
			qs = append(qs, q)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("queries: %w", err)
	}
	return qs, nil
}

// seqKey encodes a query log key: the sequence number, 8 bytes big-endian.
func seqKey(seq uint64) []byte {
	return binary.BigEndian.AppendUint64(make([]byte, 0, 8), seq)
}

// queryEncoding is the first byte of every query record; a change to the
// layout gets a new value and decodeQuery keeps reading the old ones.
const queryEncoding = 1

// Earliest and latest times UnixNano can represent.
var (
	minTime = time.Unix(0, -1<<63)
	maxTime = time.Unix(0, 1<<63-1)
)

// encodeQuery lays q out as documented in doc.go:
//
//	[1]byte encoding (1) | [8]byte Time, Unix ns, big-endian |
//	varint Latency ns | 9 x (uvarint length, bytes): Team, Channel,
//	User, Source, Text, Intent, Verdict, Product, Version
func encodeQuery(q *Query) ([]byte, error) {
	if q.Time.Before(minTime) || q.Time.After(maxTime) {
		return nil, fmt.Errorf("time %s out of range", q.Time)
	}
	fields := [...]string{q.Team, q.Channel, q.User, q.Source, q.Text, q.Intent, q.Verdict, q.Product, q.Version}
	n := 1 + 8 + binary.MaxVarintLen64
	for _, s := range fields {
		n += binary.MaxVarintLen64 + len(s)
	}
	buf := make([]byte, 0, n)
	buf = append(buf, queryEncoding)
	buf = binary.BigEndian.AppendUint64(buf, uint64(q.Time.UnixNano()))
	buf = binary.AppendVarint(buf, int64(q.Latency))
	for _, s := range fields {
		buf = binary.AppendUvarint(buf, uint64(len(s)))
		buf = append(buf, s...)
	}
	return buf, nil
}

// recordTime returns the Time of an encoded record without decoding the rest.
func recordTime(k, v []byte) (int64, error) {
	if len(k) != 8 || len(v) < 9 || v[0] != queryEncoding {
		return 0, malformed(k)
	}
	return int64(binary.BigEndian.Uint64(v[1:9])), nil
}

// decodeQuery decodes the record v stored under key k. The result does not
// refer to v, so it outlives the transaction.
func decodeQuery(k, v []byte) (Query, error) {
	t, err := recordTime(k, v)
	if err != nil {
		return Query{}, err
	}
	q := Query{Seq: binary.BigEndian.Uint64(k), Time: time.Unix(0, t).UTC()}
	rest := v[9:]
	lat, n := binary.Varint(rest)
	if n <= 0 {
		return Query{}, malformed(k)
	}
	q.Latency = time.Duration(lat)
	rest = rest[n:]
	for _, p := range [...]*string{&q.Team, &q.Channel, &q.User, &q.Source, &q.Text, &q.Intent, &q.Verdict, &q.Product, &q.Version} {
		l, n := binary.Uvarint(rest)
		if n <= 0 || l > uint64(len(rest)-n) {
			return Query{}, malformed(k)
		}
		*p = string(rest[n : n+int(l)])
		rest = rest[n+int(l):]
	}
	return q, nil
}

func malformed(k []byte) error {
	if len(k) == 8 {
		return fmt.Errorf("query %d: malformed record", binary.BigEndian.Uint64(k))
	}
	return fmt.Errorf("query key %x: malformed record", k)
}
