//go:build !linux

package live

import (
	"errors"
	"net"
	"syscall"
)

type writer struct{}

func newWriter() *writer { return &writer{} }

func (*writer) writevNow(syscall.RawConn, net.Buffers) (int, error) {
	return 0, errors.New("live: no writev here")
}

func probeClosed(syscall.RawConn) bool { return false }

// closeWatch watches nothing here: the heartbeat finds closed peers.
type closeWatch struct{}

func newCloseWatch() *closeWatch                     { return &closeWatch{} }
func (*closeWatch) add(syscall.RawConn, uint64) bool { return false }
func (*closeWatch) closed(func(uint64))              {}
func (*closeWatch) close()                           {}
