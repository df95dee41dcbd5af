package store

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	bolt "go.etcd.io/bbolt"
)

// Backup writes a consistent copy of the whole database file to w, taken in
// one read transaction, and returns the number of bytes written. Writes go on
// meanwhile; the copy holds what was committed when Backup started. The copy
// is itself a database that Open and OpenReadOnly accept.
func (db *DB) Backup(w io.Writer) (int64, error) {
	var n int64
	err := db.view(func(tx *bolt.Tx) error {
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	if err != nil {
		return n, fmt.Errorf("backup %s: %w", db.path, err)
	}
	return n, nil
}

// BackupFile copies the database at dbPath to the file out, opening it with
// OpenReadOnly: while a bot holds the database it fails with ErrLocked (use
// DB.Backup in that process instead). The copy is written to a temporary file
// next to out, fsynced and renamed over out, so out is never left half
// written. out must not be dbPath. A damaged file (DB.Check fails) is not
// copied: the error wraps ErrCorrupt.
func BackupFile(dbPath, out string, opts Options) error {
	db, err := OpenReadOnly(dbPath, opts)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer func() { _ = db.Close() }() // read-only: closing releases the lock, nothing to flush
	// A copy of a damaged file would be restored one day as a good one.
	if err := db.Check(); err != nil {
		return fmt.Errorf("backup: refusing to copy a damaged database: %w", err)
	}
	if same, err := sameFile(dbPath, out); err != nil {
		return fmt.Errorf("backup to %s: %w", out, err)
	} else if same {
		return fmt.Errorf("backup to %s: is the database itself", out)
	}
	return writeFileAtomic(out, func(w io.Writer) error {
		_, err := db.Backup(w)
		return err
	})
}

// sameFile reports whether the paths name one existing file.
func sameFile(a, b string) (bool, error) {
	fa, err := os.Stat(a)
	if err != nil {
		return false, err
	}
	fb, err := os.Stat(b)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return os.SameFile(fa, fb), nil
}

// writeFileAtomic writes path with write's output through a temporary file
// in the same directory, so a reader or a crash sees the old file or the
// complete new one.
func writeFileAtomic(path string, write func(io.Writer) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(f.Name())
		}
	}()
	if err := write(f); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	// Make the rename itself durable.
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
	return nil
}
