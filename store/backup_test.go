package store

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestDB_Backup(t *testing.T) {
	t.Run("Writer", func(t *testing.T) {
		db, _ := MustOpen(t)
		mustLog(t, db, Query{User: "U1", Text: "konvoy 1.6"})
		if _, err := db.Subscribe("C1", "U1"); err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		n, err := db.Backup(&buf)
		if err != nil {
			t.Fatal(err)
		}
		if n != int64(buf.Len()) || n == 0 {
			t.Fatalf("Backup returned %d, wrote %d bytes", n, buf.Len())
		}
		// Writes after the backup started are not in it.
		mustLog(t, db, Query{User: "U1", Text: "later"})

		path := filepath.Join(t.TempDir(), "copy.db")
		if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		cp := MustOpenWith(t, path, Options{NoSync: true})
		qs, err := cp.History("U1", 0)
		if err != nil || len(qs) != 1 || qs[0].Text != "konvoy 1.6" {
			t.Errorf("History of copy = %+v, %v", qs, err)
		}
		if chs, err := cp.Subscriptions(); err != nil || len(chs) != 1 {
			t.Errorf("Subscriptions of copy = %v, %v", chs, err)
		}
	})

	t.Run("WhileWriting", func(t *testing.T) {
		db, _ := MustOpen(t)
		stop := make(chan struct{})
		done := make(chan struct{})
		go func() {
			defer close(done)
			for {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := db.LogQuery(t.Context(), Query{Text: "busy"}); err != nil {
					t.Error(err)
					return
				}
			}
		}()
		var buf bytes.Buffer
		_, err := db.Backup(&buf)
		close(stop)
		<-done
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), "copy.db")
		if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		cp, err := OpenReadOnly(path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer cp.Close()
		if err := cp.Check(); err != nil {
			t.Errorf("Check of copy: %v", err)
		}
	})
}

func TestBackupFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "bot.db")
	out := filepath.Join(dir, "backup.db")
	db := MustOpenWith(t, path, Options{NoSync: true})
	mustLog(t, db, Query{User: "U1", Text: "konvoy 1.6"})

	t.Run("ErrLockedWhileOpen", func(t *testing.T) {
		err := BackupFile(path, out, Options{Timeout: 100 * time.Millisecond})
		if !errors.Is(err, ErrLocked) {
			t.Fatalf("err = %v, want ErrLocked", err)
		}
		if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("failed backup left %s", out)
		}
	})

	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	t.Run("Copies", func(t *testing.T) {
		// An older file at out is replaced.
		if err := os.WriteFile(out, []byte("old"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := BackupFile(path, out, Options{}); err != nil {
			t.Fatal(err)
		}
		cp, err := OpenReadOnly(out, Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer cp.Close()
		if qs, err := cp.History("U1", 0); err != nil || len(qs) != 1 {
			t.Errorf("History of copy = %+v, %v", qs, err)
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 2 {
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			t.Errorf("directory holds %q, want only the database and the backup", names)
		}
	})

	t.Run("RefusesItself", func(t *testing.T) {
		if err := BackupFile(path, path, Options{}); err == nil {
			t.Fatal("backup over the database itself accepted")
		}
	})

	t.Run("MissingDatabase", func(t *testing.T) {
		err := BackupFile(filepath.Join(dir, "missing.db"), filepath.Join(dir, "x.db"), Options{})
		if !errors.Is(err, os.ErrNotExist) {
			t.Errorf("err = %v, want ErrNotExist", err)
		}
	})
}
