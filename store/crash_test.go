package store

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"
)

// helperEnv names the database the helper process writes to; TestCrash sets it.
const helperEnv = "SUPPORTBOT_STORE_CRASH_DB"

// TestHelperProcess is the child of TestCrash, not a test: it logs queries
// from several goroutines as fast as it can, with fsync on, and prints
// "seq N TEXT" for each one as soon as LogQuery has returned, until it is
// killed.
func TestHelperProcess(t *testing.T) {
	path := os.Getenv(helperEnv)
	if path == "" {
		return
	}
	db, err := Open(path, Options{Timeout: 5 * time.Second})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	var mu sync.Mutex
	for w := range 8 {
		go func() {
			for i := 0; ; i++ {
				text := fmt.Sprintf("w%d-i%d", w, i)
				seq, err := db.LogQuery(context.Background(), Query{User: fmt.Sprintf("U%d", w), Source: "cli", Text: text})
				if err != nil {
					fmt.Fprintln(os.Stderr, err)
					os.Exit(2)
				}
				mu.Lock()
				// One write(2) per line, so a kill cannot split a line.
				fmt.Fprintf(os.Stdout, "seq %d %s\n", seq, text)
				mu.Unlock()
			}
		}()
	}
	// Run until killed. Should the parent go away instead, the next print
	// to the broken pipe ends this process with SIGPIPE.
	select {}
}

// TestCrash kills a process that is logging queries, three times over the
// same file, and checks each time that the file is sound and holds every
// query whose LogQuery returned.
func TestCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills writer processes")
	}
	path := filepath.Join(t.TempDir(), "crash.db")
	acked := map[uint64]string{}
	for round := range 3 {
		n := killHelper(t, path, 2000, acked)
		stored := verifyAcked(t, path, acked)
		t.Logf("round %d: SIGKILL after 2000 acknowledged queries, %d acknowledged in all this round; %d stored in all, %d acknowledged",
			round, n, stored, len(acked))
	}
}

// killHelper runs TestHelperProcess on path, SIGKILLs it once it has
// acknowledged killAfter queries, and adds everything it acknowledged to
// acked. It returns how many it acknowledged.
func killHelper(t *testing.T, path string, killAfter int, acked map[uint64]string) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), helperEnv+"="+path)
	cmd.WaitDelay = 5 * time.Second
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	n := 0
	killed := false
	sc := bufio.NewScanner(stdout)
	// Read until EOF: lines written before the kill are still in the pipe.
	for sc.Scan() {
		var seq uint64
		var text string
		if _, err := fmt.Sscanf(sc.Text(), "seq %d %s", &seq, &text); err != nil {
			continue // testing's own output
		}
		if _, dup := acked[seq]; dup {
			t.Errorf("seq %d acknowledged twice", seq)
		}
		acked[seq] = text
		n++
		if n == killAfter && !killed {
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			killed = true
		}
	}
	waitErr := cmd.Wait()
	if !killed {
		t.Fatalf("helper stopped after %d queries: %v\n%s", n, waitErr, stderr.String())
	}
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("helper ended with %v, want killed by SIGKILL\n%s", waitErr, stderr.String())
	}
	return n
}

// verifyAcked opens path, checks it and that it holds every acknowledged
// query, and that the log continues after its last record. It returns the
// number of records stored.
func verifyAcked(t *testing.T, path string, acked map[uint64]string) int {
	t.Helper()
	db, err := Open(path, Options{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatalf("Open after crash: %v", err)
	}
	defer db.Close()
	if err := db.Check(); err != nil {
		t.Fatalf("Check after crash: %v", err)
	}
	qs, err := db.Queries(QueryFilter{})
	if err != nil {
		t.Fatal(err)
	}
	stored := make(map[uint64]string, len(qs))
	var last uint64
	for _, q := range qs {
		stored[q.Seq] = q.Text
		last = max(last, q.Seq)
	}
	missing := 0
	for seq, text := range acked {
		got, ok := stored[seq]
		switch {
		case !ok:
			missing++
			if missing <= 10 {
				t.Errorf("acknowledged seq %d (%s) is missing", seq, text)
			}
		case got != text:
			t.Errorf("seq %d holds %q, acknowledged as %q", seq, got, text)
		}
	}
	if missing > 0 {
		t.Fatalf("%d of %d acknowledged queries missing", missing, len(acked))
	}
	// Sequence numbers go on after the last committed record.
	seq, err := db.LogQuery(t.Context(), Query{Text: "after-crash"})
	if err != nil {
		t.Fatal(err)
	}
	if seq != last+1 {
		t.Errorf("seq after crash = %d, want %d", seq, last+1)
	}
	acked[seq] = "after-crash"
	return len(qs) + 1
}
