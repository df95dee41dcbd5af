package main

import (
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/d2iq/supportbot/store"
	bolt "go.etcd.io/bbolt"
)

// newDBFile writes a database of 400 questions and returns its path, its
// page size and the root page of the query log.
func newDBFile(t *testing.T) (path string, pageSize int, root uint64) {
	t.Helper()
	path = filepath.Join(t.TempDir(), "supportbot.db")
	db, err := store.Open(path, store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 400 {
		if _, err := db.LogQuery(t.Context(), store.Query{User: fmt.Sprintf("U%04d", i), Source: "cli", Text: strings.Repeat("konvoy 1.6 ", 8)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = b.Close() }()
	pageSize = b.Info().PageSize
	if err := b.View(func(tx *bolt.Tx) error {
		root = uint64(tx.Bucket([]byte("queries")).RootPage())
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if root < 2 {
		t.Fatalf("query log root page %d: want a page of its own", root)
	}
	return path, pageSize, root
}

func TestCLI_DBCheck(t *testing.T) {
	truncate := func(t *testing.T, path string, _ int, _ uint64) {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Truncate(path, fi.Size()/2); err != nil {
			t.Fatal(err)
		}
	}
	badPage := func(t *testing.T, path string, pageSize int, root uint64) {
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = f.Close() }()
		if _, err := f.WriteAt(binary.NativeEndian.AppendUint16(nil, 0), int64(root)*int64(pageSize)+8); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name   string
		damage func(t *testing.T, path string, pageSize int, root uint64)
		want   string
	}{
		{"Truncated", truncate, "truncated"},
		{"DamagedPage", badPage, "database file is damaged"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path, ps, root := newDBFile(t)
			if code, out, errOut := runCLI(t, nil, "db", "check", "--db", path); code != 0 || !strings.Contains(out, "no damage found") {
				t.Fatalf("db check of a clean file = %d %q %q", code, out, errOut)
			}
			tc.damage(t, path, ps, root)

			code, out, errOut := runCLI(t, nil, "db", "check", "--db", path)
			if code != 1 || out != "" || !strings.Contains(errOut, tc.want) || !strings.Contains(errOut, "restore the last good backup") {
				t.Errorf("db check = %d, stdout %q, stderr %q; want 1 and %q with the restore hint", code, out, errOut, tc.want)
			}
			// stats and backup give an error, never a SIGBUS or a panic
			// (either would kill this test process).
			for _, args := range [][]string{{"stats", "--db", path}, {"backup", "--db", path, filepath.Join(t.TempDir(), "copy.db")}} {
				if code, _, errOut := runCLI(t, nil, args...); code != 1 || !strings.Contains(errOut, "damaged") {
					t.Errorf("%s of a damaged file = %d %q; want 1 and a message", args[0], code, errOut)
				}
			}
			// The bot refuses to start on it, before it connects anywhere.
			for k, v := range map[string]string{
				"SLACK_APP_TOKEN": "xapp-1-A1-test", "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_API_URL": "http://127.0.0.1:1/api/",
				"SUPPORTBOT_DB_PATH": path, "SUPPORTBOT_HTTP_ADDR": "", "SUPPORTBOT_POLICY_FILE": "",
			} {
				t.Setenv(k, v)
			}
			if code, _, errOut := runCLI(t, nil, "run"); code != 1 || !strings.Contains(errOut, "damaged") || !strings.Contains(errOut, path) {
				t.Errorf("run on a damaged file = %d %q; want 1 and a message naming the file", code, errOut)
			}
		})
	}

	t.Run("Usage", func(t *testing.T) {
		for _, args := range [][]string{{"db"}, {"db", "fix"}, {"db", "check"}, {"db", "check", "--db", "x", "extra"}, {"db", "check", "--nope"}} {
			if code, _, errOut := runCLI(t, nil, args...); code != 2 || !strings.Contains(errOut, "usage: supportbot db check --db PATH") {
				t.Errorf("%q = %d %q, want 2 and the usage", args, code, errOut)
			}
		}
	})
	t.Run("NotChecked", func(t *testing.T) {
		missing := filepath.Join(t.TempDir(), "none.db")
		if code, _, errOut := runCLI(t, nil, "db", "check", "--db", missing); code != 3 || !strings.Contains(errOut, "not checked") {
			t.Errorf("db check of a missing file = %d %q, want 3", code, errOut)
		}
		path, _, _ := newDBFile(t)
		db, err := store.Open(path, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = db.Close() }()
		if code, _, errOut := runCLI(t, nil, "db", "check", "--db", path); code != 3 || !strings.Contains(errOut, "locked") {
			t.Errorf("db check while the bot holds the file = %d %q, want 3 and locked", code, errOut)
		}
	})
}
