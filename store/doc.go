// Package store keeps supportbot's state in one bbolt file: the log of
// questions asked, dedupe marks for Slack events, the reminders already sent,
// the channels subscribed to reminders and the release state last seen.
//
// It imports nothing else of supportbot's and nothing of Slack: it stores
// strings and times, and the callers give them meaning.
//
// # Basics
//
// Open opens the file for reading and writing. It takes an exclusive lock on
// the file, so a second process (or a second Open in the same process) fails
// with ErrLocked after Options.Timeout (one second by default) instead of
// waiting. OpenReadOnly, for the CLI's stats and backup commands, takes a
// shared lock, which conflicts with that exclusive lock: while the bot runs it
// also fails with ErrLocked. An in-process caller uses DB.Backup instead.
//
// Every write is durable when its method returns: it is in a committed and
// fsynced transaction (unless Options.NoSync, which only tests set).
//
// # Group commit
//
// All writes (Receive, LogQuery, MarkEvent, MarkReminderSent, Subscribe,
// Unsubscribe, SetReleaseState, Track, Untrack, the outbox and the prunes) go
// through one writer goroutine. Answered is lazy: it starts no commit of its
// own but rides in the next one, or commits within 2ms. When it is
// idle, a write starts a transaction at once; there is no batching delay like
// bolt.DB.Batch's MaxBatchDelay. While a transaction is being written and
// fsynced, newly arriving writes queue, and the next transaction takes all of
// them. So a lone question costs one commit of latency, and many concurrent
// ones share the cost of an fsync. Each caller gets its own result: if one
// write fails, the transaction is rolled back, that write is run alone to
// get its error, and the others are committed without it. A write that
// returns nil is committed; one that returns its context's error may still
// be committed. Close commits what is queued before it closes the file.
// DB.Commits counts the transactions.
//
// # Buckets and key encoding
//
// Integers are big-endian unless said otherwise; times are Unix nanoseconds.
//
//	meta            "schema" -> uint64: the schema version (SchemaVersion, 2)
//	queries         uint64 sequence -> query record (below)
//	events          event id -> uint64 expiry time of the dedupe mark
//	reminders       reminder key -> uint64 time the reminder was sent
//	subscriptions   channel id -> JSON {"by": user id, "at": RFC 3339 time}
//	releases        "state" -> JSON {product id: [released cycle, ...]}
//	outbox          event id -> JSON Pending: a reply owed for an event acked
//	                before it was answered (schema 2)
//	stacks          channel id -> JSON Stack {"items": [{"product", "version"}],
//	                "by", "at"}: what the channel tracks (created by the first
//	                Track; a file without it tracks nothing)
//
// Query log keys come from the bucket's NextSequence, 8 bytes big-endian, so
// the log is in commit order, which is time order up to the small disorder
// of concurrent callers that set Query.Time themselves. Sequence numbers are
// never reused, including after pruning. A query record is:
//
//	byte    encoding, 1
//	uint64  Time
//	varint  Latency in nanoseconds (encoding/binary, zig-zag)
//	9 x     uvarint length + bytes: Team, Channel, User, Source, Text,
//	        Intent, Verdict, Product, Version
//
// Time sits at a fixed offset so that range scans and pruning read it without
// decoding the rest. A new layout gets a new encoding byte.
//
// # Damaged files
//
// bbolt maps the file into memory and trusts what it reads: a truncated
// file is a SIGBUS (which no recover catches), and a damaged page a panic at
// open, on a read or in the middle of a commit. So before bbolt maps a file,
// Open and OpenReadOnly check that it is a regular file, that a meta page
// checks (magic, version, checksum), that the file holds every page the
// newest valid meta counts, and that its root and freelist pages are of the
// right type and in range; a file that fails is refused with an error
// wrapping ErrCorrupt that says what was found. Open then checks a file of
// up to Options.CheckLimit (DefaultCheckLimit, 1 GiB) in full before it
// opens it for writing: it reads every key of every bucket in a goroutine
// where a memory fault is a recoverable panic (runtime/debug.SetPanicOnFault),
// then runs bbolt's own Tx.Check. The check reads the file once: 0.12 s for
// 260 MiB with a warm page cache on a 2-vCPU VM. A larger file gets the
// cheap checks only, with a warning in the log. DB.Check runs the same full
// check on an open DB; `supportbot db check` runs it from the command line,
// and BackupFile runs it first, refusing to copy a damaged file.
//
// A panic or memory fault that still happens (a page damaged after the
// start, or one the check cannot see) is caught: in a read it is the read's
// error, in a group commit bbolt rolls the transaction back and every write
// of that commit gets the error. Either puts the DB in a failed state, which
// is final: DB.Err returns the error (nil while the DB works), and every
// read and write after it returns it at once. Readiness watches DB.Err. An
// ordinary commit error, such as a full disk, does not fail the DB: that
// write fails and the next may succeed. Nothing is repaired: restore from a
// backup (the README says how).
//
// # Schema
//
// Open migrates a file without a meta bucket, or with an older version, by
// creating the buckets and setting the version, and refuses a file with a
// newer version with ErrSchemaTooNew. OpenReadOnly never writes: missing
// buckets read as empty.
//
// # Retention
//
// PruneQueries deletes the oldest queries, at most 1000 per transaction so
// that LogQuery is never held up for long; PruneEvents deletes expired event
// marks. RunRetention does both on a ticker. Reminders, subscriptions and
// the release state are small and kept.
//
// # Caveats
//
// History walks the log backwards and Queries and Stats walk all of it; with
// retention the log stays small enough for that. The crash test kills the
// writing process, which checks that bbolt's commits are atomic and that
// every acknowledged write survives; it cannot cut the power, which is what
// fsync is for. The damage tests corrupt and truncate real files; after a
// panic in bbolt.Open itself (which the full check is there to prevent) the
// file's descriptor and lock are not released, since bbolt returns no handle
// to close: the process is expected to stop.
package store
