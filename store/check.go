package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"runtime/debug"

	bolt "go.etcd.io/bbolt"
)

// ErrCorrupt is returned when the database file is damaged: truncated, a
// meta page or a page it points to that does not check, a consistency
// problem found by bbolt's Tx.Check, or a bbolt panic (or memory fault) while
// reading or writing a page. The wrapping error says what was found. A
// damaged file is not repaired; restore it from a backup (see the README).
var ErrCorrupt = errors.New("database file is damaged")

// The on-disk layout bbolt writes (go.etcd.io/bbolt/internal/common), in
// the machine's byte order: a page header of 16 bytes (id uint64, flags
// uint16, count uint16, overflow uint32), and in pages 0 and 1 a meta after
// it: magic, version, pageSize, flags (uint32 each), root bucket (root page
// uint64, sequence uint64), freelist page, page count (the high-water mark)
// and txid (uint64 each), then a FNV-64a checksum of the 56 bytes before it.
const (
	pageHeaderSize = 16
	metaSize       = 64
	metaSumLen     = 56
	boltMagic      = 0xED0CDAED
	boltVersion    = 2
	noFreelist     = ^uint64(0)

	branchPageFlag   = 0x01
	leafPageFlag     = 0x02
	freelistPageFlag = 0x10
)

// meta is a decoded meta page.
type meta struct {
	pageSize uint32
	root     uint64
	freelist uint64
	pgid     uint64 // pages in use: the file must hold pgid*pageSize bytes
	txid     uint64
}

// decodeMeta decodes the meta of the page in b (at least pageHeaderSize +
// metaSize bytes) and checks its magic, version and checksum.
func decodeMeta(b []byte) (meta, error) {
	if len(b) < pageHeaderSize+metaSize {
		return meta{}, errors.New("short meta page")
	}
	m := b[pageHeaderSize : pageHeaderSize+metaSize]
	e := binary.NativeEndian
	if e.Uint32(m[0:]) != boltMagic {
		return meta{}, errors.New("no bbolt magic number")
	}
	if v := e.Uint32(m[4:]); v != boltVersion {
		return meta{}, fmt.Errorf("bbolt file version %d, want %d", v, boltVersion)
	}
	h := fnv.New64a()
	_, _ = h.Write(m[:metaSumLen])
	if h.Sum64() != e.Uint64(m[metaSumLen:]) {
		return meta{}, errors.New("meta checksum mismatch")
	}
	return meta{
		pageSize: e.Uint32(m[8:]),
		root:     e.Uint64(m[16:]),
		freelist: e.Uint64(m[32:]),
		pgid:     e.Uint64(m[40:]),
		txid:     e.Uint64(m[48:]),
	}, nil
}

// validateFile checks, before bbolt maps the file, that path is a regular
// file whose meta pages check and that holds every page they count, and
// that the root and freelist pages they point to are of the right type and
// inside the file. bbolt maps the file into memory and trusts it: a page
// past the end of a truncated file is a SIGBUS, which no recover catches.
// exists is false, with a nil error, when there is no file or it is empty
// (Open creates the database).
func validateFile(path string) (exists bool, err error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	defer func() { _ = f.Close() }()
	fi, err := f.Stat()
	if err != nil {
		return false, err
	}
	if !fi.Mode().IsRegular() {
		return false, fmt.Errorf("%w: not a regular file (%s)", ErrCorrupt, fi.Mode().Type())
	}
	size := fi.Size()
	if size == 0 {
		return false, nil
	}
	m, err := newestMeta(f, size)
	if err != nil {
		return true, err
	}
	ps := uint64(m.pageSize)
	if m.pgid < 2 || m.pgid > uint64(size)/ps {
		return true, fmt.Errorf("%w: truncated: the file is %d bytes, its meta page (txid %d) counts %d pages of %d bytes",
			ErrCorrupt, size, m.txid, m.pgid, ps)
	}
	if err := checkPage(f, m, m.root, "root bucket", branchPageFlag|leafPageFlag); err != nil {
		return true, err
	}
	if m.freelist != noFreelist {
		if err := checkPage(f, m, m.freelist, "freelist", freelistPageFlag); err != nil {
			return true, err
		}
	}
	return true, nil
}

// newestMeta returns the valid meta page with the higher txid, as bbolt
// picks it. The second meta page is found at the first one's page size or,
// if the first is damaged, at the usual page sizes.
func newestMeta(r io.ReaderAt, size int64) (meta, error) {
	buf := make([]byte, pageHeaderSize+metaSize)
	read := func(off int64) (meta, error) {
		if off+int64(len(buf)) > size {
			return meta{}, errors.New("past the end of the file")
		}
		if _, err := r.ReadAt(buf, off); err != nil {
			return meta{}, err
		}
		return decodeMeta(buf)
	}
	m0, err0 := read(0)
	var m1 meta
	err1 := errors.New("not found")
	offsets := []int64{4096, 8192, 16384, 32768, 65536, int64(os.Getpagesize())}
	if err0 == nil {
		offsets = []int64{int64(m0.pageSize)}
	}
	for _, off := range offsets {
		if m1, err1 = read(off); err1 == nil {
			break
		}
	}
	switch {
	case err0 != nil && err1 != nil:
		return meta{}, fmt.Errorf("%w: not a bbolt database, or both meta pages damaged (page 0: %w; page 1: %w)", ErrCorrupt, err0, err1)
	case err0 != nil:
		m0 = m1
	case err1 == nil && m1.txid > m0.txid:
		m0 = m1
	}
	if ps := m0.pageSize; ps < 512 || ps > 1<<20 || ps&(ps-1) != 0 {
		return meta{}, fmt.Errorf("%w: meta page size %d", ErrCorrupt, ps)
	}
	return m0, nil
}

// checkPage checks that page id (with its overflow pages) lies below the
// high-water mark and has one of the flags in want.
func checkPage(r io.ReaderAt, m meta, id uint64, what string, want uint16) error {
	if id < 2 || id >= m.pgid {
		return fmt.Errorf("%w: %s page %d is outside the %d pages in use", ErrCorrupt, what, id, m.pgid)
	}
	var h [pageHeaderSize]byte
	if _, err := r.ReadAt(h[:], int64(id)*int64(m.pageSize)); err != nil {
		return fmt.Errorf("%w: %s page %d: %w", ErrCorrupt, what, id, err)
	}
	e := binary.NativeEndian
	flags, overflow := e.Uint16(h[8:]), uint64(e.Uint32(h[12:]))
	if e.Uint64(h[0:]) != id || flags&want == 0 {
		return fmt.Errorf("%w: %s page %d: header says page %d, flags %#x", ErrCorrupt, what, id, e.Uint64(h[0:]), flags)
	}
	if id+overflow >= m.pgid {
		return fmt.Errorf("%w: %s page %d runs %d pages past the %d in use", ErrCorrupt, what, id, overflow, m.pgid)
	}
	return nil
}

// guard runs fn, turning a panic (bbolt panics on a page it cannot make
// sense of) or a memory fault into an error wrapping ErrCorrupt. The fault
// is caught only in this goroutine, and only a fault on a mapped page that
// the file does not back (SIGBUS) or outside the map: validateFile keeps
// the pages bbolt reads inside the file.
func guard(what string, fn func() error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %s: %v", ErrCorrupt, what, r)
		}
	}()
	return fn()
}

// walk reads every key of every bucket, nested ones too, touching every
// branch and leaf page reachable from the root. It runs in the caller's
// goroutine, under guard, before Tx.Check, which reads the same pages in a
// goroutine of its own where a fault could not be recovered.
func walk(tx *bolt.Tx) error {
	var visit func(b *bolt.Bucket) error
	visit = func(b *bolt.Bucket) error {
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if v == nil {
				if child := b.Bucket(k); child != nil {
					if err := visit(child); err != nil {
						return err
					}
				}
			}
		}
		return nil
	}
	return tx.ForEach(func(_ []byte, b *bolt.Bucket) error { return visit(b) })
}

// checkTx runs walk, then bbolt's Tx.Check, and returns the first problem
// found with the number of others, wrapping ErrCorrupt. It reads the whole
// file: its cost grows with the file's size (see DB.Check).
func checkTx(tx *bolt.Tx) error {
	if err := guard("reading every page", func() error { return walk(tx) }); err != nil {
		return err
	}
	var first error
	n := 0
	for err := range tx.Check() {
		if first == nil {
			first = err
		}
		n++
	}
	switch {
	case n > 1:
		return fmt.Errorf("%w: %w (and %d more problems)", ErrCorrupt, first, n-1)
	case first != nil:
		return fmt.Errorf("%w: %w", ErrCorrupt, first)
	}
	return nil
}
