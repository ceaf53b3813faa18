package plenary

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"sync"
	"time"
)

var idMu sync.Mutex
var lastMS int64
var seqInMS uint16

// NewID returns a new identifier: 32 lowercase hex digits (16 bytes) that
// sort by creation time. The first 6 bytes are the Unix time in
// milliseconds, the next 2 count the ids this process made in that
// millisecond, and the last 8 are random: the layout of a UUIDv7 without
// its version and variant bits. IDs are made in Go so that both databases
// store the same text.
func NewID() string {
	idMu.Lock()
	ms := time.Now().UnixMilli()
	if ms <= lastMS {
		ms = lastMS
		seqInMS++
		if seqInMS == 0 {
			ms++
		}
	} else {
		seqInMS = 0
	}
	lastMS = ms
	seq := seqInMS
	idMu.Unlock()

	var b [16]byte
	binary.BigEndian.PutUint64(b[0:8], uint64(ms)<<16|uint64(seq))
	_, _ = rand.Read(b[8:])
	return hex.EncodeToString(b[:])
}

// Now returns the current time in UTC, truncated to milliseconds: the
// precision both databases keep.
func Now() time.Time { return time.Now().UTC().Truncate(time.Millisecond) }
