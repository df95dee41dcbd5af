package store

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"os"
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

	// CheckLimit is the largest file Open checks in full (bbolt's Tx.Check,
	// which reads every page) before it starts; zero means
	// DefaultCheckLimit, negative never. Larger files get the cheap checks
	// only (meta pages, file size, root and freelist pages) and Open logs
	// that the full check was skipped; `supportbot db check` runs it.
	CheckLimit int64
}

// DefaultCheckLimit is the largest file Open checks in full by default.
// The full check reads every page once: measured at 0.12 s for a 260 MiB
// file of 1.1 million queries on a 2-vCPU VM with a warm page cache (about
// 0.5 s a GiB); with a cold cache add the time to read the file from disk.
const DefaultCheckLimit = 1 << 30

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
	failed atomic.Pointer[error] // set once: see Err
}

// Err returns nil while the store works, and the error that put it in its
// failed state once it does not: a bbolt panic (or a memory fault) on a
// damaged page during a read or a group commit. The error wraps ErrCorrupt
// and names the file. The state is final for this DB: every write after it
// returns the same error at once, and so does every read; the file must be
// checked (`supportbot db check`) and restored from a backup, and the
// process restarted. An ordinary commit error (a full disk, an fsync that
// fails) does not set it: that write fails, the next may succeed. Readiness
// checks call Err; it is cheap (one atomic load).
func (db *DB) Err() error {
	if p := db.failed.Load(); p != nil {
		return *p
	}
	return nil
}

// fail puts the DB in its failed state, keeping the first error.
func (db *DB) fail(err error) {
	if db.failed.CompareAndSwap(nil, &err) {
		db.log.Error("database failed; restore it from a backup", "path", db.path, "err", err)
	}
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
	if opts.CheckLimit == 0 {
		opts.CheckLimit = DefaultCheckLimit
	}
	// A file bbolt cannot safely map is refused before it maps it.
	exists, err := validateFile(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if exists && !readOnly {
		if err := checkBeforeOpen(path, opts); err != nil {
			return nil, err
		}
	}
	bdb, err := openBolt(path, &bolt.Options{
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
	if err := guard("schema", func() error { return db.checkSchema(readOnly) }); err != nil {
		_ = bdb.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if !readOnly {
		db.w = newWriter(bdb, func(err error) { db.fail(fmt.Errorf("%s: %w", path, err)) })
		go db.w.run()
	}
	return db, nil
}

// openBolt is bolt.Open with its panics (on a freelist or meta page it
// cannot read) turned into errors wrapping ErrCorrupt. After such a panic
// bbolt's file and lock are not released; the caller is expected to stop.
func openBolt(path string, o *bolt.Options) (bdb *bolt.DB, err error) {
	err = guard("open", func() error {
		var err error
		bdb, err = bolt.Open(path, 0o600, o)
		return err
	})
	if errors.Is(err, berrors.ErrInvalid) || errors.Is(err, berrors.ErrChecksum) || errors.Is(err, berrors.ErrVersionMismatch) {
		err = fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	return bdb, err
}

// checkBeforeOpen runs the full check (checkTx) on the file at path, opened
// read-only, unless it is larger than opts.CheckLimit. bbolt reads the
// freelist when it opens a file for writing, and panics on a damaged one:
// the check finds that first, and the file is opened for writing only once
// it passed.
func checkBeforeOpen(path string, opts Options) error {
	fi, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if opts.CheckLimit < 0 || fi.Size() > opts.CheckLimit {
		opts.Logger.Warn("database larger than the check limit: full consistency check skipped; run supportbot db check",
			"path", path, "bytes", fi.Size(), "limit", opts.CheckLimit)
		return nil
	}
	bdb, err := openBolt(path, &bolt.Options{Timeout: opts.Timeout, ReadOnly: true})
	if errors.Is(err, berrors.ErrTimeout) {
		return fmt.Errorf("%s: %w", path, ErrLocked)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	defer func() { _ = bdb.Close() }() // read-only: nothing to flush
	if err := bdb.View(checkTx); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
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

// Check verifies the whole file in a read transaction: it reads every key
// of every bucket, then runs bbolt's own consistency check (Tx.Check: pages
// reachable once, not both used and free, keys in order). It returns nil, or
// the first problem found with the number of others, wrapping ErrCorrupt.
// It reads the whole file, so it costs about as much as reading it once
// (see DefaultCheckLimit); writes go on meanwhile.
func (db *DB) Check() error {
	err := db.view(checkTx)
	if err != nil && !errors.Is(err, ErrClosed) {
		return fmt.Errorf("%s: %w", db.path, err)
	}
	return err
}

// view runs fn in a read transaction. A panic or memory fault in it (a
// damaged page) is an error wrapping ErrCorrupt, and puts the DB in its
// failed state.
func (db *DB) view(fn func(tx *bolt.Tx) error) error {
	if db.closed.Load() {
		return ErrClosed
	}
	if err := db.Err(); err != nil {
		return err
	}
	var panicked bool
	err := guard("read", func() error {
		panicked = true
		err := db.bolt.View(fn)
		panicked = false
		return err
	})
	if panicked {
		err = fmt.Errorf("%s: %w", db.path, err)
		db.fail(err)
		return err
	}
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
	if err := db.Err(); err != nil {
		return err
	}
	return db.w.submit(ctx, fn)
}

// validKey reports whether k can be a bbolt key.
func validKey(k string) bool {
	return k != "" && len(k) <= bolt.MaxKeySize
}
