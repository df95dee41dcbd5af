package store

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// SchemaVersion is the schema version this build writes. Open migrates files
// with an older (or no) version to it and refuses files with a newer one.
const SchemaVersion = 2

// DefaultTimeout is how long Open and OpenReadOnly wait for the file lock when
// Options.Timeout is not set.
const DefaultTimeout = time.Second

// ErrLocked is returned by Open and OpenReadOnly when another process (or
// another DB in this process) holds the database file's lock for longer than
// Options.Timeout.
var ErrLocked = errors.New("database is locked by another process")

// ErrSchemaTooNew is returned by Open and OpenReadOnly when the file was
// written by a newer build with a higher schema version. The wrapping error
// names both versions.
var ErrSchemaTooNew = errors.New("database schema is newer than this build supports")

// ErrClosed is returned by every method called after Close.
var ErrClosed = errors.New("database is closed")

// ErrReadOnly is returned by write methods of a DB opened with OpenReadOnly.
var ErrReadOnly = errors.New("database is opened read-only")

// ErrInvalidKey is returned for an empty key (event id, reminder key, channel)
// or one longer than bbolt's key limit.
var ErrInvalidKey = errors.New("invalid key")

// Bucket names. doc.go describes what each holds.
var (
	bucketMeta          = []byte("meta")
	bucketQueries       = []byte("queries")
	bucketEvents        = []byte("events")
	bucketReminders     = []byte("reminders")
	bucketSubscriptions = []byte("subscriptions")
	bucketReleases      = []byte("releases")
	bucketOutbox        = []byte("outbox")

	keySchema   = []byte("schema")
	keyReleases = []byte("state")
)

// Options configures Open and OpenReadOnly. The zero value is ready to use.
type Options struct {
	// Timeout is how long to wait for the file lock before failing with
	// ErrLocked. Zero or negative means DefaultTimeout.
	Timeout time.Duration

	// Now is the clock used for query times, event TTLs and retention.
	// Nil means time.Now.
	Now func() time.Time

	// NoSync skips fsync on commit. Only for tests and benchmarks: with it
	// a crash of the machine can lose or corrupt committed data.
	NoSync bool

	// Logger receives RunRetention's reports. Nil discards them.
	Logger *slog.Logger
}

// DB is an open supportbot database. Its methods are safe for concurrent use.
// All writes go through one writer goroutine that commits them in groups; see
// the package documentation.
type DB struct {
	path   string
	bolt   *bolt.DB
	now    func() time.Time
	log    *slog.Logger
	w      *writer // nil when read-only
	closed atomic.Bool
}

// Open opens (creating if needed) the database file at path for reading and
// writing, migrating its schema to SchemaVersion. It fails with ErrLocked
// after opts.Timeout if another DB holds the file, and with ErrSchemaTooNew if
// a newer build wrote it. Errors name path. Close the DB when done.
func Open(path string, opts Options) (*DB, error) {
	return open(path, opts, false)
}

// OpenReadOnly opens the existing database file at path for reading, as the
// CLI's stats and backup commands do. It takes a shared lock, which conflicts
// with the exclusive lock of a DB opened by Open: while the bot runs it fails
// with ErrLocked after opts.Timeout. It does not migrate: a file with an older
// schema reads as far as its buckets exist. Write methods return ErrReadOnly.
func OpenReadOnly(path string, opts Options) (*DB, error) {
	return open(path, opts, true)
}

func open(path string, opts Options, readOnly bool) (*DB, error) {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	bdb, err := bolt.Open(path, 0o600, &bolt.Options{
		Timeout:  opts.Timeout,
		NoSync:   opts.NoSync,
		ReadOnly: readOnly,
	})
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, fmt.Errorf("%s: %w", path, ErrLocked)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	db := &DB{path: path, bolt: bdb, now: opts.Now, log: opts.Logger}
	if err := db.checkSchema(readOnly); err != nil {
		_ = bdb.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if !readOnly {
		db.w = newWriter(bdb)
		go db.w.run()
	}
	return db, nil
}

// checkSchema refuses a newer schema and, unless readOnly, migrates an older one.
func (db *DB) checkSchema(readOnly bool) error {
	var v uint64
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		v, err = schemaVersion(tx)
		return err
	})
	switch {
	case err != nil:
		return err
	case v > SchemaVersion:
		return fmt.Errorf("schema version %d, this build supports up to %d: %w", v, SchemaVersion, ErrSchemaTooNew)
	case v == SchemaVersion || readOnly:
		return nil
	}
	return db.bolt.Update(migrate)
}

// schemaVersion reads the version from the meta bucket; 0 means none.
func schemaVersion(tx *bolt.Tx) (uint64, error) {
	b := tx.Bucket(bucketMeta)
	if b == nil {
		return 0, nil
	}
	v := b.Get(keySchema)
	if v == nil {
		return 0, nil
	}
	if len(v) != 8 {
		return 0, fmt.Errorf("schema version: malformed value of %d bytes", len(v))
	}
	return binary.BigEndian.Uint64(v), nil
}

// migrate brings the file to SchemaVersion one step at a time. Each step must
// be idempotent; future steps go after the last case.
func migrate(tx *bolt.Tx) error {
	v, err := schemaVersion(tx)
	if err != nil {
		return err
	}
	if v > SchemaVersion {
		return fmt.Errorf("schema version %d, this build supports up to %d: %w", v, SchemaVersion, ErrSchemaTooNew)
	}
	if v < 1 {
		for _, name := range [][]byte{bucketMeta, bucketQueries, bucketEvents, bucketReminders, bucketSubscriptions, bucketReleases} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return fmt.Errorf("create bucket %s: %w", name, err)
			}
		}
	}
	if v < 2 {
		if _, err := tx.CreateBucketIfNotExists(bucketOutbox); err != nil {
			return fmt.Errorf("create bucket %s: %w", bucketOutbox, err)
		}
	}
	return tx.Bucket(bucketMeta).Put(keySchema, binary.BigEndian.AppendUint64(nil, SchemaVersion))
}

// Closed reports whether Close has been called.
func (db *DB) Closed() bool { return db.closed.Load() }

// Path returns the database file's path as given to Open.
func (db *DB) Path() string { return db.path }

// Close waits for pending writes to commit, stops the writer and closes the
// file, releasing its lock. Calls after the first return nil.
func (db *DB) Close() error {
	if db.closed.Swap(true) {
		return nil
	}
	if db.w != nil {
		db.w.close()
	}
	if err := db.bolt.Close(); err != nil {
		return fmt.Errorf("%s: %w", db.path, err)
	}
	return nil
}

// Commits returns how many write transactions the writer has committed since
// Open. With concurrent writers it is lower than the number of writes.
func (db *DB) Commits() uint64 {
	if db.w == nil {
		return 0
	}
	return db.w.commits.Load()
}

// Check verifies the file's page structure (bbolt's tx.Check) in a read
// transaction and returns the first problem found, with the number of others.
func (db *DB) Check() error {
	return db.view(func(tx *bolt.Tx) error {
		var first error
		n := 0
		for err := range tx.Check() {
			if first == nil {
				first = err
			}
			n++
		}
		if n > 1 {
			return fmt.Errorf("%s: %w (and %d more problems)", db.path, first, n-1)
		}
		if first != nil {
			return fmt.Errorf("%s: %w", db.path, first)
		}
		return nil
	})
}

// view runs fn in a read transaction.
func (db *DB) view(fn func(tx *bolt.Tx) error) error {
	if db.closed.Load() {
		return ErrClosed
	}
	err := db.bolt.View(fn)
	if errors.Is(err, berrors.ErrDatabaseNotOpen) {
		return ErrClosed
	}
	return err
}

// update runs fn through the group-commit writer and returns once the
// transaction that contains it is committed (or ctx is done). fn may run more
// than once and must set its results afresh each time.
func (db *DB) update(ctx context.Context, fn func(tx *bolt.Tx) error) error {
	if db.w == nil {
		return ErrReadOnly
	}
	if db.closed.Load() {
		return ErrClosed
	}
	return db.w.submit(ctx, fn)
}

// validKey reports whether k can be a bbolt key.
func validKey(k string) bool {
	return k != "" && len(k) <= bolt.MaxKeySize
}
