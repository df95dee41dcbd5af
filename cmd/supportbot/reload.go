package main

import (
	"context"
	"crypto/sha256"
	"log/slog"
	"os"
	"time"

	"github.com/d2iq/supportbot/bot"
	"github.com/d2iq/supportbot/policy"
)

// policyPollInterval is how often the policy file is looked at for changes.
const policyPollInterval = 2 * time.Second

// policyWatcher reloads SUPPORTBOT_POLICY_FILE on SIGHUP and when its
// content changes on disk. A file that fails validation is rejected with an
// error log that names the file, the line and the field, and the last good
// policy stays in force; a good one replaces the policy at once, for every
// answer from then on. So does a file over maxPolicyBytes or one that is not
// a regular file (a FIFO, a device, a directory), which is not read at all.
//
// Changes are found by polling rather than by file system events, which
// need no dependency and also see a Kubernetes ConfigMap update (an atomic
// swap of a symlinked directory, which replaces the file without writing
// to it). The file is small, so every poll reads and hashes it: its
// modification time and size alone would miss an edit that keeps the size
// within the file system's timestamp granularity.
//
// Use it from one goroutine: run, or poll and hup in tests.
type policyWatcher struct {
	path     string
	policies *policyHolder
	log      *slog.Logger
	metrics  *bot.Metrics          // optional
	onReload func(m *policy.Model) // called after a successful reload; optional

	sum     [sha256.Size]byte // content last loaded or rejected
	readErr string            // last error reading the file, logged once
}

// prime records the file's current content as seen, so that only later
// changes reload it. Call it before the policy is first loaded: a change in
// between then reloads once more instead of going unnoticed.
func (w *policyWatcher) prime() {
	if w.path == "" {
		return
	}
	if data, err := readPolicyFile(w.path); err == nil {
		w.sum = sha256.Sum256(data)
	}
}

// run reloads on every SIGHUP from hup and polls on every tick, until ctx
// ends. Either channel may be nil.
func (w *policyWatcher) run(ctx context.Context, hup <-chan os.Signal, tick <-chan time.Time) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
			w.hup()
		case <-tick:
			w.poll()
		}
	}
}

// hup reloads the file whether or not it changed: the operator asked.
func (w *policyWatcher) hup() {
	if w.path == "" {
		w.log.Warn("SIGHUP: no SUPPORTBOT_POLICY_FILE is set, so the embedded policy stays; nothing to reload")
		return
	}
	w.load("SIGHUP", true)
}

// poll reloads the file if its content changed since it was last loaded or
// rejected.
func (w *policyWatcher) poll() {
	if w.path == "" {
		return
	}
	w.load("file changed", false)
}

// load reads the file and, when forced or changed, validates it and puts it
// in force. It reports whether the policy was replaced. A file that is too
// large or not a regular file (readPolicyFile) is refused like one that
// cannot be read: it is not read, and never blocks the watcher.
func (w *policyWatcher) load(trigger string, force bool) bool {
	data, err := readPolicyFile(w.path)
	if err != nil {
		// A poll every 2 seconds would repeat this error; log it when it is
		// new, or when the operator asked with SIGHUP.
		if force || err.Error() != w.readErr {
			w.log.Error("policy reload failed; the last good policy stays in force", "file", w.path, "trigger", trigger, "err", err)
			w.metrics.PolicyReload(false)
		}
		w.readErr = err.Error()
		return false
	}
	w.readErr = ""
	sum := sha256.Sum256(data)
	if !force && sum == w.sum {
		return false
	}
	w.sum = sum
	m, err := policy.Parse(w.path, data)
	if err != nil {
		// err names the file, the line and the field of every problem.
		w.log.Error("policy reload rejected; the last good policy stays in force", "file", w.path, "trigger", trigger, "err", err)
		w.metrics.PolicyReload(false)
		return false
	}
	w.policies.p.Store(m)
	w.metrics.PolicyReload(true)
	w.log.Info("policy reloaded", "file", w.path, "trigger", trigger, "as_of", m.AsOf.Format(time.DateOnly))
	if w.onReload != nil {
		w.onReload(m)
	}
	return true
}
