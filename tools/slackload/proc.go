package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// clockTicks is USER_HZ, the unit of utime and stime in /proc/PID/stat. It
// is 100 on every Linux architecture Go supports.
const clockTicks = 100

// sampleEvery is how often a running bot's /proc files are read.
const sampleEvery = 50 * time.Millisecond

// procSample is what /proc says about a process at one moment.
type procSample struct {
	PeakRSSKiB int64 // VmHWM
	CPUTicks   int64 // utime + stime
}

// readProc reads /proc/PID/status (VmHWM) and /proc/PID/stat (utime, stime).
func readProc(pid int) (procSample, error) {
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return procSample{}, err
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return procSample{}, err
	}
	var s procSample
	if s.PeakRSSKiB, err = parseStatusKiB(status, "VmHWM"); err != nil {
		return procSample{}, err
	}
	if s.CPUTicks, err = parseStatCPU(stat); err != nil {
		return procSample{}, err
	}
	return s, nil
}

// parseStatusKiB returns the value of a "Name:   1234 kB" line of
// /proc/PID/status.
func parseStatusKiB(status []byte, name string) (int64, error) {
	sc := bufio.NewScanner(bytes.NewReader(status))
	for sc.Scan() {
		key, val, ok := strings.Cut(sc.Text(), ":")
		if !ok || key != name {
			continue
		}
		f := strings.Fields(val)
		if len(f) != 2 || f[1] != "kB" {
			return 0, fmt.Errorf("/proc status %s: unexpected %q", name, val)
		}
		return strconv.ParseInt(f[0], 10, 64)
	}
	return 0, fmt.Errorf("/proc status: no %s", name)
}

// parseStatCPU returns utime + stime (fields 14 and 15) of /proc/PID/stat.
// The command name (field 2) may hold spaces and parentheses, so fields are
// counted from the last ')'.
func parseStatCPU(stat []byte) (int64, error) {
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, errors.New("/proc stat: no command name")
	}
	f := strings.Fields(string(stat[i+1:]))
	// f[0] is field 3 (state), so field n is f[n-3].
	if len(f) < 13 {
		return 0, fmt.Errorf("/proc stat: %d fields", len(f)+2)
	}
	utime, err := strconv.ParseInt(f[11], 10, 64)
	if err != nil {
		return 0, fmt.Errorf("/proc stat utime: %w", err)
	}
	stime, err := strconv.ParseInt(f[12], 10, 64)
	if err != nil {
		return 0, fmt.Errorf("/proc stat stime: %w", err)
	}
	return utime + stime, nil
}

// botProc runs the bot under test as a child process, restarts it after a
// kill, and keeps its peak RSS and CPU time across restarts.
type botProc struct {
	path string
	args []string
	env  []string
	out  io.Writer // stdout and stderr of every child

	mu       sync.Mutex
	cur      *child
	peakKiB  int64
	cpuTicks int64 // of the children that have ended
	starts   int
	exitErrs []string // unexpected exits
}

// child is one process of the bot.
type child struct {
	cmd    *exec.Cmd
	exited chan struct{}
	err    error // of Wait, once exited is closed

	mu      sync.Mutex
	last    procSample
	stopped bool // stopped on purpose: its exit is expected
}

func (c *child) sample() {
	s, err := readProc(c.cmd.Process.Pid)
	if err != nil {
		return // gone, or going
	}
	c.mu.Lock()
	c.last = s
	c.mu.Unlock()
}

func (c *child) lastSample() procSample {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.last
}

// start starts a new child; the previous one must have ended.
func (p *botProc) start() error {
	cmd := exec.Command(p.path, p.args...)
	cmd.Env = p.env
	cmd.Stdout = p.out
	cmd.Stderr = p.out
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting %s: %w", p.path, err)
	}
	c := &child{cmd: cmd, exited: make(chan struct{})}
	go func() {
		c.err = cmd.Wait()
		close(c.exited)
		c.mu.Lock()
		stopped := c.stopped
		c.mu.Unlock()
		if !stopped {
			p.mu.Lock()
			p.exitErrs = append(p.exitErrs, fmt.Sprintf("bot exited by itself: %v", c.err))
			p.mu.Unlock()
		}
	}()
	go func() {
		t := time.NewTicker(sampleEvery)
		defer t.Stop()
		for {
			c.sample()
			select {
			case <-c.exited:
				return
			case <-t.C:
			}
		}
	}()
	p.mu.Lock()
	p.cur = c
	p.starts++
	p.mu.Unlock()
	return nil
}

// kill sends SIGKILL to the running child and waits for it to end.
func (p *botProc) kill() { _ = p.end(syscall.SIGKILL, 0) }

// stop sends SIGTERM and waits up to grace for the child to drain and exit,
// then kills it. It reports whether the child exited cleanly in time.
func (p *botProc) stop(grace time.Duration) error {
	return p.end(syscall.SIGTERM, grace)
}

func (p *botProc) end(sig syscall.Signal, grace time.Duration) error {
	p.mu.Lock()
	c := p.cur
	p.cur = nil
	p.mu.Unlock()
	if c == nil {
		return nil
	}
	// The last look at the process before the signal: its peak and CPU
	// time over the run, not counting the shutdown.
	c.sample()
	c.mu.Lock()
	c.stopped = true
	c.mu.Unlock()
	s := c.lastSample()
	p.mu.Lock()
	p.peakKiB = max(p.peakKiB, s.PeakRSSKiB)
	p.cpuTicks += s.CPUTicks
	p.mu.Unlock()

	select {
	case <-c.exited:
		if c.err == nil {
			return errors.New("bot had already exited")
		}
		return fmt.Errorf("bot had already exited: %w", c.err)
	default:
	}
	_ = c.cmd.Process.Signal(sig)
	if sig == syscall.SIGKILL {
		<-c.exited
		return nil
	}
	t := time.NewTimer(grace)
	defer t.Stop()
	select {
	case <-c.exited:
		return c.err
	case <-t.C:
		_ = c.cmd.Process.Kill()
		<-c.exited
		return fmt.Errorf("bot did not exit within %s of SIGTERM", grace)
	}
}

// procStats are the bot's resource use over a run.
type procStats struct {
	PeakRSSMiB float64  `json:"peak_rss_mib"`
	CPUSeconds float64  `json:"cpu_s"`
	Starts     int      `json:"starts"`
	ExitErrors []string `json:"exit_errors,omitempty"`
}

func (p *botProc) stats() procStats {
	p.mu.Lock()
	defer p.mu.Unlock()
	return procStats{
		PeakRSSMiB: float64(p.peakKiB*10/1024) / 10,
		CPUSeconds: float64(p.cpuTicks) / clockTicks,
		Starts:     p.starts,
		ExitErrors: p.exitErrs,
	}
}
