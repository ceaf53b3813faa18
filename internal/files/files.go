// Package files stores the files attached to documents: content-addressed
// by SHA-256, so the same bytes are kept once and a file's name in the
// store is also the proof of its content. Store is the small interface the
// command layer uses (Put, Open, Stat); Disk keeps objects under a
// directory, and an S3-style store can implement the same interface later.
//
// Uploads are spooled to a temporary file first (Spool), bounded in size,
// and their type is decided from their bytes (Sniff), never from the name
// or the client's Content-Type: only PDF, DOCX, ODT and UTF-8 plain text
// are accepted. Nothing reaches the store before it has passed both.
package files

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Object is stored content: its SHA-256 (lowercase hex) and size.
type Object struct {
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
}

// Store keeps content by its SHA-256. Implementations must be safe for
// concurrent use.
type Store interface {
	// Put stores everything r yields and returns its hash and size.
	// Storing content that is already there is not an error.
	Put(ctx context.Context, r io.Reader) (Object, error)
	// Open returns the content with hash sum, for reading and seeking
	// (ranged downloads). It returns an error matching fs.ErrNotExist
	// when there is none.
	Open(ctx context.Context, sum string) (io.ReadSeekCloser, error)
	// Stat reports whether content with hash sum is stored, and its size.
	Stat(ctx context.Context, sum string) (Object, error)
}

// ErrBadHash is returned for a hash that is not 64 lowercase hex digits.
var ErrBadHash = errors.New("files: not a SHA-256 hex digest")

// ValidHash reports whether sum is 64 lowercase hex digits.
func ValidHash(sum string) bool {
	if len(sum) != 64 {
		return false
	}
	for i := 0; i < len(sum); i++ {
		c := sum[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// Disk is a Store in a directory: each object at ROOT/ab/cd/abcd…, written
// to a temporary file, synced and renamed into place, so a reader never
// sees half an object.
type Disk struct {
	root string
}

// NewDisk returns a Store under root; directories are created on first use.
func NewDisk(root string) *Disk { return &Disk{root: root} }

// Root is the directory objects are kept in.
func (d *Disk) Root() string { return d.root }

func (d *Disk) path(sum string) string {
	return filepath.Join(d.root, sum[:2], sum[2:4], sum)
}

// TempDir is where Disk writes objects before renaming them into place;
// Spool may use it too, so that the rename stays on one file system.
func (d *Disk) TempDir() (string, error) {
	dir := filepath.Join(d.root, "tmp")
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", err
	}
	return dir, nil
}

// Put implements Store.
func (d *Disk) Put(ctx context.Context, r io.Reader) (Object, error) {
	dir, err := d.TempDir()
	if err != nil {
		return Object{}, err
	}
	tmp, err := os.CreateTemp(dir, "put-*")
	if err != nil {
		return Object{}, err
	}
	defer os.Remove(tmp.Name()) // a no-op after the rename
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), ctxReader{ctx, r})
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return Object{}, err
	}
	obj := Object{SHA256: hex.EncodeToString(h.Sum(nil)), Size: n}
	final := d.path(obj.SHA256)
	if _, err := os.Stat(final); err == nil {
		return obj, nil
	}
	if err := os.MkdirAll(filepath.Dir(final), 0o750); err != nil {
		return Object{}, err
	}
	if err := os.Rename(tmp.Name(), final); err != nil {
		return Object{}, err
	}
	return obj, nil
}

// Open implements Store.
func (d *Disk) Open(ctx context.Context, sum string) (io.ReadSeekCloser, error) {
	if !ValidHash(sum) {
		return nil, ErrBadHash
	}
	return os.Open(d.path(sum))
}

// Stat implements Store.
func (d *Disk) Stat(ctx context.Context, sum string) (Object, error) {
	if !ValidHash(sum) {
		return Object{}, ErrBadHash
	}
	fi, err := os.Stat(d.path(sum))
	if err != nil {
		return Object{}, err
	}
	return Object{SHA256: sum, Size: fi.Size()}, nil
}

// ctxReader stops a long copy when its context ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// ErrTooLarge is returned by Spool when the content is over its limit.
var ErrTooLarge = errors.New("files: larger than the limit")

// Upload is content spooled to a temporary file: its size and SHA-256 are
// known, and it can be read at any offset (Sniff needs that for ZIP
// containers). Close removes the file.
type Upload struct {
	f      *os.File
	Size   int64
	SHA256 string
}

// Spool copies r into a temporary file in dir ("" for the system's), at
// most max bytes; more than that is ErrTooLarge and nothing is kept.
func Spool(ctx context.Context, r io.Reader, max int64, dir string) (*Upload, error) {
	f, err := os.CreateTemp(dir, "upload-*")
	if err != nil {
		return nil, err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), io.LimitReader(ctxReader{ctx, r}, max+1))
	if err == nil && n > max {
		err = ErrTooLarge
	}
	if err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, err
	}
	return &Upload{f: f, Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

// ReadAt reads the spooled content at an offset.
func (u *Upload) ReadAt(p []byte, off int64) (int, error) { return u.f.ReadAt(p, off) }

// Reader returns a reader of the whole content from its start.
func (u *Upload) Reader() io.Reader { return io.NewSectionReader(u.f, 0, u.Size) }

// Close removes the temporary file.
func (u *Upload) Close() error {
	err := u.f.Close()
	if rerr := os.Remove(u.f.Name()); err == nil && !errors.Is(rerr, fs.ErrNotExist) {
		err = rerr
	}
	return err
}

// CleanName makes a client's file name safe to keep and to send back in a
// Content-Disposition header: the last path element, without control
// characters, at most 120 characters, with the extension of kind (added
// when missing or different).
func CleanName(name string, kind Kind) string {
	name = strings.ReplaceAll(name, "\\", "/")
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '"' || (r >= 0x80 && r < 0xa0) || r == '\u2028' || r == '\u2029' {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(strings.Trim(name, "."))
	ext := filepath.Ext(name)
	stem := strings.TrimSuffix(name, ext)
	if !strings.EqualFold(ext, kind.Ext) {
		stem = name
	}
	if stem == "" {
		stem = "document"
	}
	if r := []rune(stem); len(r) > 110 {
		stem = string(r[:110])
	}
	return fmt.Sprintf("%s%s", stem, kind.Ext)
}
