package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

func TestOpen(t *testing.T) {
	t.Run("CreatesFile", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "new.db")
		MustOpenWith(t, path, Options{NoSync: true})
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if perm := fi.Mode().Perm(); perm != 0o600 {
			t.Errorf("mode = %v, want 0600", perm)
		}
	})

	// flock(2) locks belong to the open file description, so two Opens in
	// one process conflict just as two processes do.
	t.Run("ErrLocked", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "locked.db")
		MustOpenWith(t, path, Options{NoSync: true})
		start := time.Now()
		db, err := Open(path, Options{Timeout: 100 * time.Millisecond})
		if err == nil {
			db.Close()
			t.Fatal("second Open succeeded")
		}
		if !errors.Is(err, ErrLocked) {
			t.Fatalf("err = %v, want ErrLocked", err)
		}
		if !strings.Contains(err.Error(), path) {
			t.Errorf("err = %q, want it to name %s", err, path)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("took %s to fail", d)
		}
	})

	t.Run("ReadOnlyErrLocked", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "locked.db")
		MustOpenWith(t, path, Options{NoSync: true})
		db, err := OpenReadOnly(path, Options{Timeout: 100 * time.Millisecond})
		if err == nil {
			db.Close()
			t.Fatal("OpenReadOnly succeeded while a writer holds the file")
		}
		if !errors.Is(err, ErrLocked) {
			t.Fatalf("err = %v, want ErrLocked", err)
		}
	})

	t.Run("DefaultTimeout", func(t *testing.T) {
		if testing.Short() {
			t.Skip("waits for the one-second default")
		}
		path := filepath.Join(t.TempDir(), "locked.db")
		MustOpenWith(t, path, Options{NoSync: true})
		start := time.Now()
		_, err := Open(path, Options{})
		if !errors.Is(err, ErrLocked) {
			t.Fatalf("err = %v, want ErrLocked", err)
		}
		if d := time.Since(start); d < DefaultTimeout/2 || d > 3*DefaultTimeout {
			t.Errorf("failed after %s, want about %s", d, DefaultTimeout)
		}
	})

	t.Run("ReadOnlyAfterClose", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "ro.db")
		db := MustOpenWith(t, path, Options{NoSync: true})
		mustLog(t, db, Query{Text: "konvoy 1.6"})
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		// Two readers share the lock.
		ro1, err := OpenReadOnly(path, Options{Timeout: 100 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		defer ro1.Close()
		ro2, err := OpenReadOnly(path, Options{Timeout: 100 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		defer ro2.Close()
		qs, err := ro2.Queries(QueryFilter{})
		if err != nil || len(qs) != 1 || qs[0].Text != "konvoy 1.6" {
			t.Fatalf("Queries = %+v, %v", qs, err)
		}
		if _, err := ro1.LogQuery(t.Context(), Query{}); !errors.Is(err, ErrReadOnly) {
			t.Errorf("LogQuery err = %v, want ErrReadOnly", err)
		}
		if _, err := ro1.MarkEvent("Ev1", time.Hour); !errors.Is(err, ErrReadOnly) {
			t.Errorf("MarkEvent err = %v, want ErrReadOnly", err)
		}
		if err := ro1.Check(); err != nil {
			t.Errorf("Check: %v", err)
		}
	})

	t.Run("ReadOnlyMissingFile", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "missing.db")
		_, err := OpenReadOnly(path, Options{})
		if !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("err = %v, want ErrNotExist", err)
		}
		if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("OpenReadOnly created %s", path)
		}
	})

	t.Run("NotADatabase", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "junk.db")
		if err := os.WriteFile(path, []byte(strings.Repeat("not bolt ", 1000)), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := Open(path, Options{})
		if err == nil || !strings.Contains(err.Error(), path) {
			t.Fatalf("err = %v, want an error naming %s", err, path)
		}
	})
}

func TestOpen_Schema(t *testing.T) {
	// writeRaw creates a bbolt file at path as an older or newer build might.
	writeRaw := func(t *testing.T, path string, fn func(tx *bolt.Tx) error) {
		t.Helper()
		bdb, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		if err := bdb.Update(fn); err != nil {
			t.Fatal(err)
		}
		if err := bdb.Close(); err != nil {
			t.Fatal(err)
		}
	}
	setVersion := func(v uint64) func(tx *bolt.Tx) error {
		return func(tx *bolt.Tx) error {
			b, err := tx.CreateBucketIfNotExists(bucketMeta)
			if err != nil {
				return err
			}
			return b.Put(keySchema, binary.BigEndian.AppendUint64(nil, v))
		}
	}
	version := func(t *testing.T, db *DB) uint64 {
		t.Helper()
		var v uint64
		err := db.view(func(tx *bolt.Tx) error {
			var err error
			v, err = schemaVersion(tx)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return v
	}

	t.Run("New", func(t *testing.T) {
		db, _ := MustOpen(t)
		if v := version(t, db); v != SchemaVersion {
			t.Errorf("version = %d, want %d", v, SchemaVersion)
		}
	})

	t.Run("TooNew", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "new.db")
		writeRaw(t, path, setVersion(SchemaVersion+1))
		for name, open := range map[string]func(string, Options) (*DB, error){"Open": Open, "OpenReadOnly": OpenReadOnly} {
			_, err := open(path, Options{})
			if !errors.Is(err, ErrSchemaTooNew) {
				t.Fatalf("%s: err = %v, want ErrSchemaTooNew", name, err)
			}
			for _, want := range []string{path, fmt.Sprintf("version %d", SchemaVersion+1), fmt.Sprintf("up to %d", SchemaVersion)} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("%s: err = %q, want it to contain %q", name, err, want)
				}
			}
		}
		// The refusal must not have touched the file.
		db, err := OpenReadOnly(path, Options{})
		if err == nil {
			db.Close()
		}
		writeRaw(t, path, func(tx *bolt.Tx) error {
			if v, _ := schemaVersion(tx); v != SchemaVersion+1 {
				t.Errorf("version after refusal = %d", v)
			}
			if tx.Bucket(bucketQueries) != nil {
				t.Error("refused file got a queries bucket")
			}
			return nil
		})
	})

	t.Run("MigratesFileWithoutMeta", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "old.db")
		writeRaw(t, path, func(tx *bolt.Tx) error {
			_, err := tx.CreateBucket([]byte("subscriptions"))
			if err != nil {
				return err
			}
			return tx.Bucket([]byte("subscriptions")).Put([]byte("C1"), []byte(`{"by":"U1"}`))
		})

		// Read-only reads what there is and does not migrate.
		ro, err := OpenReadOnly(path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if v := version(t, ro); v != 0 {
			t.Errorf("read-only version = %d, want 0", v)
		}
		if qs, err := ro.Queries(QueryFilter{}); err != nil || len(qs) != 0 {
			t.Errorf("Queries on unmigrated file = %v, %v", qs, err)
		}
		if _, ok, err := ro.ReleaseState(); err != nil || ok {
			t.Errorf("ReleaseState on unmigrated file = %v, %v", ok, err)
		}
		ro.Close()

		db := MustOpenWith(t, path, Options{NoSync: true})
		if v := version(t, db); v != SchemaVersion {
			t.Errorf("version = %d, want %d", v, SchemaVersion)
		}
		chs, err := db.Subscriptions()
		if err != nil || len(chs) != 1 || chs[0] != "C1" {
			t.Errorf("Subscriptions after migration = %v, %v; want the old data kept", chs, err)
		}
		mustLog(t, db, Query{Text: "konvoy"})
	})

	t.Run("MigratesVersionOne", func(t *testing.T) {
		// Schema 1 had no outbox bucket.
		path := filepath.Join(t.TempDir(), "v1.db")
		writeRaw(t, path, func(tx *bolt.Tx) error {
			for _, name := range [][]byte{bucketMeta, bucketQueries, bucketEvents, bucketReminders, bucketSubscriptions, bucketReleases} {
				if _, err := tx.CreateBucket(name); err != nil {
					return err
				}
			}
			if err := tx.Bucket(bucketSubscriptions).Put([]byte("C1"), []byte(`{"by":"U1"}`)); err != nil {
				return err
			}
			return tx.Bucket(bucketMeta).Put(keySchema, binary.BigEndian.AppendUint64(nil, 1))
		})
		ro, err := OpenReadOnly(path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if p, err := ro.ListPending(); err != nil || len(p) != 0 {
			t.Errorf("ListPending on a schema 1 file = %v, %v", p, err)
		}
		ro.Close()
		db := MustOpenWith(t, path, Options{NoSync: true})
		if v := version(t, db); v != SchemaVersion {
			t.Errorf("version = %d, want %d", v, SchemaVersion)
		}
		if err := db.PutPending(Pending{EventID: "Ev1", Channel: "C1"}); err != nil {
			t.Errorf("outbox after migration: %v", err)
		}
		if chs, _ := db.Subscriptions(); len(chs) != 1 {
			t.Errorf("old data lost in migration: %v", chs)
		}
	})

	t.Run("MigratesVersionZero", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "zero.db")
		writeRaw(t, path, setVersion(0))
		db := MustOpenWith(t, path, Options{NoSync: true})
		if v := version(t, db); v != SchemaVersion {
			t.Errorf("version = %d, want %d", v, SchemaVersion)
		}
	})

	t.Run("MalformedVersion", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "bad.db")
		writeRaw(t, path, func(tx *bolt.Tx) error {
			b, err := tx.CreateBucket(bucketMeta)
			if err != nil {
				return err
			}
			return b.Put(keySchema, []byte("1"))
		})
		if _, err := Open(path, Options{}); err == nil || !strings.Contains(err.Error(), "malformed") {
			t.Fatalf("err = %v, want a malformed version error", err)
		}
	})
}

func TestDB_Close(t *testing.T) {
	t.Run("FlushesPending", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "close.db")
		db, err := Open(path, Options{NoSync: true})
		if err != nil {
			t.Fatal(err)
		}
		type result struct {
			seq uint64
			err error
		}
		results := make(chan result, 100)
		for i := range 100 {
			go func() {
				seq, err := db.LogQuery(t.Context(), Query{User: "U1", Text: "q", Latency: time.Duration(i)})
				results <- result{seq, err}
			}()
		}
		// Close while writes are queued and in flight.
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		var ok []uint64
		for range 100 {
			r := <-results
			switch {
			case r.err == nil:
				ok = append(ok, r.seq)
			case !errors.Is(r.err, ErrClosed):
				t.Errorf("LogQuery: %v, want nil or ErrClosed", r.err)
			}
		}
		ro, err := OpenReadOnly(path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer ro.Close()
		qs, err := ro.Queries(QueryFilter{})
		if err != nil {
			t.Fatal(err)
		}
		have := map[uint64]bool{}
		for _, q := range qs {
			have[q.Seq] = true
		}
		for _, seq := range ok {
			if !have[seq] {
				t.Errorf("acknowledged seq %d missing after Close", seq)
			}
		}
	})

	t.Run("ErrClosed", func(t *testing.T) {
		db, _ := MustOpen(t)
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		if err := db.Close(); err != nil {
			t.Errorf("second Close: %v", err)
		}
		if _, err := db.LogQuery(t.Context(), Query{}); !errors.Is(err, ErrClosed) {
			t.Errorf("LogQuery err = %v, want ErrClosed", err)
		}
		if _, err := db.History("U1", 1); !errors.Is(err, ErrClosed) {
			t.Errorf("History err = %v, want ErrClosed", err)
		}
		if _, err := db.Subscribe("C1", "U1"); !errors.Is(err, ErrClosed) {
			t.Errorf("Subscribe err = %v, want ErrClosed", err)
		}
		if err := db.Check(); !errors.Is(err, ErrClosed) {
			t.Errorf("Check err = %v, want ErrClosed", err)
		}
	})

	t.Run("ReleasesLock", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "relock.db")
		db, err := Open(path, Options{NoSync: true})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		MustOpenWith(t, path, Options{NoSync: true, Timeout: 100 * time.Millisecond})
	})
}

func TestDB_Check(t *testing.T) {
	db, _ := MustOpen(t)
	for i := range 500 {
		mustLog(t, db, Query{User: "U1", Text: strings.Repeat("x", i)})
	}
	if _, err := db.PruneQueries(time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	if err := db.Check(); err != nil {
		t.Fatalf("Check: %v", err)
	}
}
