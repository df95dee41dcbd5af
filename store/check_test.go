package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// damagedFile is a real database of n queries, closed, and what a test needs
// to damage it: its page size and the root page of the queries bucket.
type damagedFile struct {
	path     string
	pageSize int
	root     uint64 // root page of the queries bucket (not inline)
	pages    uint64 // the high-water mark
}

func newFile(t *testing.T, n int) damagedFile {
	t.Helper()
	path := filepath.Join(t.TempDir(), "supportbot.db")
	db, err := Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		mustLog(t, db, Query{User: fmt.Sprintf("U%05d", i), Source: "slash", Text: strings.Repeat("konvoy 1.6 ", 8)})
	}
	f := damagedFile{path: path, pageSize: db.bolt.Info().PageSize}
	if err := db.bolt.View(func(tx *bolt.Tx) error {
		f.root = uint64(tx.Bucket(bucketQueries).RootPage())
		f.pages = uint64(tx.Size()) / uint64(f.pageSize)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if f.root != 5 {
		t.Fatalf("queries bucket's root is page %d, the tests expect 5", f.root)
	}
	return f
}

// writeAt overwrites the file at off with b.
func writeAt(t *testing.T, path string, off int64, b []byte) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	if _, err := f.WriteAt(b, off); err != nil {
		t.Fatal(err)
	}
}

// pageFlags overwrites the flags of page id's header.
func (f damagedFile) pageFlags(t *testing.T, id uint64, flags uint16) {
	t.Helper()
	writeAt(t, f.path, int64(id)*int64(f.pageSize)+8, binary.NativeEndian.AppendUint16(nil, flags))
}

// wantCorrupt fails unless err wraps ErrCorrupt, names the file and
// contains every one of want.
func wantCorrupt(t *testing.T, what string, err error, path string, want ...string) {
	t.Helper()
	if !errors.Is(err, ErrCorrupt) {
		t.Fatalf("%s: %v, want ErrCorrupt", what, err)
	}
	if !strings.Contains(err.Error(), path) {
		t.Errorf("%s: %q does not name %s", what, err, path)
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("%s: %q does not say %q", what, err, w)
		}
	}
}

func TestOpen_DamagedFile(t *testing.T) {
	for _, tc := range []struct {
		name   string
		damage func(t *testing.T, f damagedFile)
		want   []string // in the error of Open
		// roOpens: OpenReadOnly opens the file (the damage is past the
		// cheap checks) and a read of the damaged part fails instead.
		roOpens bool
	}{
		{"TruncatedToHalf", func(t *testing.T, f damagedFile) {
			if err := os.Truncate(f.path, int64(f.pages/2)*int64(f.pageSize)); err != nil {
				t.Fatal(err)
			}
		}, []string{"truncated"}, false},
		{"TruncatedMidPage", func(t *testing.T, f damagedFile) {
			if err := os.Truncate(f.path, int64(f.pages-1)*int64(f.pageSize)+100); err != nil {
				t.Fatal(err)
			}
		}, []string{"truncated"}, false},
		{"TruncatedToMeta", func(t *testing.T, f damagedFile) {
			if err := os.Truncate(f.path, 100); err != nil {
				t.Fatal(err)
			}
		}, []string{"truncated"}, false},
		{"BothMetasGarbage", func(t *testing.T, f damagedFile) {
			writeAt(t, f.path, 16, []byte("not a meta page at all"))
			writeAt(t, f.path, int64(f.pageSize)+16, []byte("nor this one"))
		}, []string{"both meta pages"}, false},
		{"NotADatabase", func(t *testing.T, f damagedFile) {
			if err := os.WriteFile(f.path, []byte(strings.Repeat("hello ", 5000)), 0o600); err != nil {
				t.Fatal(err)
			}
		}, []string{"not a bbolt database"}, false},
		{"FreelistPage", func(t *testing.T, f damagedFile) {
			// bbolt itself panics here at start: "invalid freelist page".
			m := readMeta(t, f)
			f.pageFlags(t, m.freelist, leafPageFlag)
		}, []string{"freelist page"}, false},
		{"RootPageOfBucket", func(t *testing.T, f damagedFile) {
			// Starts, reports ready, panics at the first write without the check.
			f.pageFlags(t, f.root, 0)
		}, []string{"reading every page", "page 5"}, true},
		{"BranchReadAsLeaf", func(t *testing.T, f damagedFile) {
			// The root of 400 queries is a branch; read as a leaf, its
			// elements give keys and values at garbage offsets, some far
			// outside the page and the map.
			f.pageFlags(t, f.root, leafPageFlag)
		}, nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFile(t, 400)
			tc.damage(t, f)

			db, err := Open(f.path, Options{})
			if err == nil {
				_ = db.Close()
				t.Fatal("Open accepted a damaged file")
			}
			wantCorrupt(t, "Open", err, f.path, tc.want...)

			ro, err := OpenReadOnly(f.path, Options{})
			if !tc.roOpens {
				if err == nil {
					_ = ro.Close()
					t.Fatal("OpenReadOnly accepted a damaged file")
				}
				wantCorrupt(t, "OpenReadOnly", err, f.path)
				return
			}
			if err != nil {
				t.Fatalf("OpenReadOnly: %v", err)
			}
			defer func() { _ = ro.Close() }()
			// The stats command reads every query: an error (a record that
			// does not decode, or a bbolt panic turned into ErrCorrupt),
			// never a panic or a fault.
			_, err = ro.Stats(QueryFilter{})
			if err == nil {
				t.Error("Stats of a damaged bucket succeeded")
			}
			if errors.Is(err, ErrCorrupt) && ro.Err() == nil {
				t.Error("Err() = nil after a read panicked on a damaged page")
			}
			wantCorrupt(t, "Check", ro.Check(), f.path)
			if err := BackupFile(f.path, filepath.Join(t.TempDir(), "copy.db"), Options{}); !errors.Is(err, ErrCorrupt) {
				t.Errorf("BackupFile of a damaged file: %v, want ErrCorrupt", err)
			}
		})
	}
}

func readMeta(t *testing.T, f damagedFile) meta {
	t.Helper()
	r, err := os.Open(f.path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = r.Close() }()
	fi, _ := r.Stat()
	m, err := newestMeta(r, fi.Size())
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestOpen_CheckLimit(t *testing.T) {
	f := newFile(t, 400)
	db, err := Open(f.path, Options{NoSync: true})
	if err != nil {
		t.Fatalf("Open of a clean file: %v", err)
	}
	if err := db.Err(); err != nil {
		t.Errorf("Err() = %v", err)
	}
	if err := db.Check(); err != nil {
		t.Errorf("Check: %v", err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	// Above the check limit, a damaged bucket is not seen at start (the
	// cheap checks pass), but the first write that reads it fails, and the
	// DB is failed instead of the process dead.
	f.pageFlags(t, f.root, 0)
	db, err = Open(f.path, Options{NoSync: true, CheckLimit: -1})
	if err != nil {
		t.Fatalf("Open with the full check off: %v", err)
	}
	defer func() { _ = db.Close() }()
	if _, err := db.LogQuery(t.Context(), Query{User: "U1"}); err == nil {
		t.Fatal("write to a damaged bucket succeeded")
	}
	if err := db.Err(); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("Err() = %v, want ErrCorrupt", err)
	}
}

// TestDB_Err_CommitPanic damages a bucket's page under a running DB:
// the group commit that reads it panics inside bbolt. Every write waiting
// on that commit, and every one after, gets an error wrapping ErrCorrupt;
// Err reports it; reads fail the same way; Close still works.
func TestDB_Err_CommitPanic(t *testing.T) {
	f := newFile(t, 400)
	db, err := Open(f.path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Subscribe("C1", "U1"); err != nil {
		t.Fatalf("Subscribe before the damage: %v", err)
	}
	f.pageFlags(t, f.root, 0) // the file is mapped shared: the DB sees it at once

	const writers = 8
	errs := make(chan error, writers)
	var wg sync.WaitGroup
	for i := range writers {
		wg.Go(func() {
			_, err := db.LogQuery(t.Context(), Query{User: fmt.Sprintf("W%d", i)})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if !errors.Is(err, ErrCorrupt) {
			t.Errorf("write during the damage: %v, want ErrCorrupt", err)
		}
	}
	err = db.Err()
	wantCorrupt(t, "Err", err, f.path, "commit", "page 5")

	// A write that touches no damaged page fails too: the state is final.
	if _, err := db.Subscribe("C2", "U2"); !errors.Is(err, ErrCorrupt) {
		t.Errorf("write after the failure: %v, want ErrCorrupt", err)
	}
	if _, err := db.Subscriptions(); !errors.Is(err, ErrCorrupt) {
		t.Errorf("read after the failure: %v, want ErrCorrupt", err)
	}
	if err := db.Answered("nothing"); !errors.Is(err, ErrCorrupt) {
		t.Errorf("lazy write after the failure: %v, want ErrCorrupt", err)
	}
	if err := db.Close(); err != nil {
		t.Errorf("Close of a failed DB: %v", err)
	}
}

func TestValidateFile(t *testing.T) {
	dir := t.TempDir()
	if exists, err := validateFile(filepath.Join(dir, "none.db")); exists || err != nil {
		t.Errorf("missing file: %v, %v; want a new database", exists, err)
	}
	empty := filepath.Join(dir, "empty.db")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if exists, err := validateFile(empty); exists || err != nil {
		t.Errorf("empty file: %v, %v; want a new database", exists, err)
	}
	if _, err := validateFile(dir); !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("directory: %v", err)
	}
	if _, err := Open(dir, Options{}); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("Open of a directory: %v", err)
	}
}

// TestDB_Err_TruncatedUnderRunningDB truncates the file under an open DB: the
// pages past the new end are still mapped, and reading them is a SIGBUS.
// The read in a guarded goroutine gets an error instead of killing the
// process, and the DB is failed.
func TestDB_Err_TruncatedUnderRunningDB(t *testing.T) {
	f := newFile(t, 400)
	db, err := Open(f.path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = db.Close() }()
	if err := os.Truncate(f.path, 2*int64(f.pageSize)); err != nil {
		t.Fatal(err)
	}
	_, err = db.Queries(QueryFilter{})
	wantCorrupt(t, "Queries", err, f.path, "read")
	if err := db.Err(); !errors.Is(err, ErrCorrupt) {
		t.Errorf("Err() = %v, want ErrCorrupt", err)
	}
	if _, err := db.LogQuery(t.Context(), Query{User: "U1"}); !errors.Is(err, ErrCorrupt) {
		t.Errorf("write after the fault: %v, want ErrCorrupt", err)
	}
}
