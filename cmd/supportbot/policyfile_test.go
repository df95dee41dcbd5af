package main

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// bigFile makes a sparse file of size bytes at path: no disk is used.
func bigFile(t *testing.T, path string, size int64) {
	t.Helper()
	if err := os.WriteFile(path, []byte("as_of: 2021-06-01\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(path, size); err != nil {
		t.Fatal(err)
	}
}

func mkfifo(t *testing.T, path string) {
	t.Helper()
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Fatalf("mkfifo: %v", err)
	}
}

// within runs fn and fails the test if it does not return within reloadWait:
// a read that blocks on a FIFO would hang here.
func within(t *testing.T, what string, fn func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); fn() }()
	select {
	case <-done:
	case <-time.After(reloadWait):
		t.Fatalf("%s did not return: blocked on the file?", what)
	}
}

func TestReadPolicyFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.yaml")
	if err := os.WriteFile(good, []byte(konvoyPolicy("1.8", "1.7", "1.6")), 0o600); err != nil {
		t.Fatal(err)
	}
	atLimit, big := filepath.Join(dir, "limit.yaml"), filepath.Join(dir, "big.yaml")
	bigFile(t, atLimit, maxPolicyBytes)
	bigFile(t, big, 50<<20)
	fifo := filepath.Join(dir, "fifo.yaml")
	mkfifo(t, fifo)
	link, fifoLink := filepath.Join(dir, "link.yaml"), filepath.Join(dir, "fifo-link.yaml")
	if err := os.Symlink("good.yaml", link); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("fifo.yaml", fifoLink); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name, path string
		want       string // "" for success
		refused    bool   // errors.Is(err, errPolicyFile)
	}{
		{"regular", good, "", false},
		{"symlink to a regular file", link, "", false},
		{"exactly the limit", atLimit, "", false},
		{"50 MB", big, "52428800 bytes, over the 4 MiB limit", true},
		{"FIFO", fifo, "not a regular file (a named pipe (FIFO))", true},
		{"symlink to a FIFO", fifoLink, "a named pipe", true},
		{"directory", dir, "not a regular file (a directory)", true},
		{"device", os.DevNull, "not a regular file (a character device)", true},
		{"missing", filepath.Join(dir, "none.yaml"), "no such file", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var data []byte
			var err error
			within(t, "readPolicyFile", func() { data, err = readPolicyFile(tc.path) })
			if tc.want == "" {
				if err != nil || len(data) == 0 {
					t.Fatalf("readPolicyFile = %d bytes, %v", len(data), err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.path) {
				t.Fatalf("readPolicyFile = %v, want an error naming the file and saying %q", err, tc.want)
			}
			if errors.Is(err, errPolicyFile) != tc.refused {
				t.Errorf("errors.Is(%v, errPolicyFile) = %v, want %v", err, !tc.refused, tc.refused)
			}
			if tc.name == "missing" && !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("missing file: %v, want fs.ErrNotExist", err)
			}
		})
	}
}

// TestPolicyWatcher_RefusedFiles: a 50 MB file and a FIFO in place of the
// policy are refused on poll and on SIGHUP, without reading them, and the
// last good policy stays; the watcher still stops when asked.
func TestPolicyWatcher_RefusedFiles(t *testing.T) {
	e := newWatcherEnv(t, filepath.Join(t.TempDir(), "policy.yaml"), konvoyPolicy("1.8", "1.7", "1.6"))

	bigFile(t, e.path, 50<<20)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	within(t, "poll of a 50 MB file", e.w.poll)
	within(t, "SIGHUP with a 50 MB file", e.w.hup)
	runtime.ReadMemStats(&after)
	if got := after.TotalAlloc - before.TotalAlloc; got > 1<<20 {
		t.Errorf("a refused 50 MB file allocated %d bytes: it was read", got)
	}
	if got := e.latest(); got != "1.8" {
		t.Errorf("Konvoy %s in force after a 50 MB file, want the last good 1.8", got)
	}
	recs := e.logs.records("policy reload failed; the last good policy stays in force")
	if len(recs) != 2 { // the poll and the SIGHUP, each logged
		t.Fatalf("%d failure logs, want 2: %v", len(recs), recs)
	}
	if msg, _ := recs[0]["err"].(string); !strings.Contains(msg, "over the 4 MiB limit") {
		t.Errorf("failure log = %v", recs[0])
	}

	if err := os.Remove(e.path); err != nil {
		t.Fatal(err)
	}
	mkfifo(t, e.path)
	within(t, "poll of a FIFO", e.w.poll)
	within(t, "SIGHUP with a FIFO", e.w.hup)
	if got := e.latest(); got != "1.8" {
		t.Errorf("Konvoy %s in force after a FIFO, want the last good 1.8", got)
	}
	recs = e.logs.records("policy reload failed; the last good policy stays in force")
	if msg, _ := recs[len(recs)-1]["err"].(string); !strings.Contains(msg, "named pipe") {
		t.Errorf("failure log = %v", recs[len(recs)-1])
	}
	if n := e.reloads("failed"); n != 4 {
		t.Errorf("%v failed reloads counted, want 4", n)
	}

	// The watcher's run loop, polling the FIFO, stops when its context does
	// (as on SIGTERM).
	tick := make(chan time.Time)
	within(t, "the watcher polling a FIFO, then stopped", func() {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { e.w.run(ctx, nil, tick); close(done) }()
		tick <- time.Time{}
		tick <- time.Time{} // taken only once the first poll returned
		cancel()
		<-done
	})

	// A good file again is loaded.
	if err := os.Remove(e.path); err != nil {
		t.Fatal(err)
	}
	e.write(konvoyPolicy("1.9", "1.8", "1.7"))
	e.w.poll()
	if got := e.latest(); got != "1.9" {
		t.Errorf("Konvoy %s in force after a good file, want 1.9", got)
	}
}

// TestStart_RefusedPolicyFile: at start, a policy file that is too large or
// a FIFO is refused with a clear message, at once.
func TestStart_RefusedPolicyFile(t *testing.T) {
	dir := t.TempDir()
	big, fifo := filepath.Join(dir, "big.yaml"), filepath.Join(dir, "fifo.yaml")
	bigFile(t, big, 50<<20)
	mkfifo(t, fifo)
	for _, tc := range []struct{ path, want string }{{big, "over the 4 MiB limit"}, {fifo, "named pipe"}} {
		var code int
		var errOut string
		within(t, "ask with "+tc.path, func() {
			code, _, errOut = runCLI(t, map[string]string{"SUPPORTBOT_POLICY_FILE": tc.path}, "ask", "konvoy", "1.6")
		})
		if code == 0 || !strings.Contains(errOut, tc.want) || !strings.Contains(errOut, tc.path) {
			t.Errorf("ask with %s = %d %q, want a failure saying %q", tc.path, code, errOut, tc.want)
		}
		for k, v := range map[string]string{
			"SLACK_APP_TOKEN": "xapp-1-A1-test", "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_API_URL": "http://127.0.0.1:1/api/",
			"SUPPORTBOT_DB_PATH": filepath.Join(dir, "bot.db"), "SUPPORTBOT_HTTP_ADDR": "", "SUPPORTBOT_POLICY_FILE": tc.path,
		} {
			t.Setenv(k, v)
		}
		within(t, "run with "+tc.path, func() { code, _, errOut = runCLI(t, nil, "run") })
		if code != 1 || !strings.Contains(errOut, tc.want) {
			t.Errorf("run with %s = %d %q, want 1 saying %q", tc.path, code, errOut, tc.want)
		}
	}
}

// TestRun_PolicyFIFOThenStop runs `supportbot run` with a policy file that
// is then replaced by a FIFO: the watcher refuses it (the last good policy
// stays and still answers), and the bot still stops cleanly when asked, as
// on SIGTERM. Before, the watcher blocked in the read and the stop hung.
func TestRun_PolicyFIFOThenStop(t *testing.T) {
	srv := newServer(t)
	dir := t.TempDir()
	botEnv(t, srv, filepath.Join(dir, "bot.db"))
	path := filepath.Join(dir, "policy.yaml")
	if err := os.WriteFile(path, []byte(konvoyPolicy("1.8", "1.7", "1.6")), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("SUPPORTBOT_POLICY_FILE", path)
	r := startRun(t, srv)

	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	mkfifo(t, path)
	rec, err := r.logs.waitLog(testCtx(t), "policy reload failed; the last good policy stays in force")
	if err != nil {
		t.Fatal(err)
	}
	if msg, _ := rec["err"].(string); !strings.Contains(msg, "named pipe") {
		t.Errorf("reload failure = %v, want the FIFO refused", rec)
	}
	if _, err := srv.SendEvent(mentionEvent("1700000009.000001", "konvoy 1.6")); err != nil {
		t.Fatal(err)
	}
	waitReply(t, srv, "1700000009.000001")
	if code := r.stop(t); code != 0 {
		t.Errorf("exit %d after a FIFO policy file, want 0", code)
	}
}
