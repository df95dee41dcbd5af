package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"

	"github.com/d2iq/supportbot/policy"
)

// maxPolicyBytes is the largest policy file that start and reload accept.
// The real policies are tens of KiB; parsing costs several times the file's
// size in memory, so a limit keeps a mistaken file from taking the process
// past its memory limit.
const maxPolicyBytes = 4 << 20

// errPolicyFile is wrapped by the errors of a policy file that is refused
// before it is read: too large, or not a regular file.
var errPolicyFile = errors.New("refused policy file")

// loadPolicyFile reads the policy file at path with readPolicyFile and
// validates it. Start (loadPolicy) and reload use it.
func loadPolicyFile(path string) (*policy.Model, error) {
	data, err := readPolicyFile(path)
	if err != nil {
		return nil, err
	}
	return policy.Parse(path, data)
}

// readPolicyFile reads the policy file at path, following symbolic links
// (a Kubernetes ConfigMap volume is one). It refuses, without reading, a
// file over maxPolicyBytes and anything but a regular file: a FIFO, a
// device, a socket, a directory. It never blocks on a FIFO: the file is
// looked at before it is opened, opened non-blocking, and looked at again
// through the open file in case it was swapped in between.
func readPolicyFile(path string) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("policy %s: %w", path, err)
	}
	if err := policyFileOK(path, fi); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, fmt.Errorf("policy %s: %w", path, err)
	}
	defer func() { _ = f.Close() }() // opened read-only
	if fi, err = f.Stat(); err != nil {
		return nil, fmt.Errorf("policy %s: %w", path, err)
	}
	if err := policyFileOK(path, fi); err != nil {
		return nil, err
	}
	// The file may grow between the Stat and the read: read one byte more
	// than the limit to see it.
	data, err := io.ReadAll(io.LimitReader(f, maxPolicyBytes+1))
	if err != nil {
		return nil, fmt.Errorf("policy %s: %w", path, err)
	}
	if len(data) > maxPolicyBytes {
		return nil, fmt.Errorf("policy %s: %w: over the %d MiB limit", path, errPolicyFile, maxPolicyBytes>>20)
	}
	return data, nil
}

// policyFileOK refuses a file that is not regular or is too large.
func policyFileOK(path string, fi fs.FileInfo) error {
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("policy %s: %w: not a regular file (%s)", path, errPolicyFile, fileKind(fi.Mode()))
	}
	if fi.Size() > maxPolicyBytes {
		return fmt.Errorf("policy %s: %w: %d bytes, over the %d MiB limit", path, errPolicyFile, fi.Size(), maxPolicyBytes>>20)
	}
	return nil
}

// fileKind names a file mode's type for an operator.
func fileKind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	default:
		return m.Type().String()
	}
}
