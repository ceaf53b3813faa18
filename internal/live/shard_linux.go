package live

import (
	"errors"
	"net"
	"runtime"
	"syscall"
	"unsafe"
)

// iovMax is the most buffers one writev takes (IOV_MAX).
const iovMax = 1024

// writer is a shard's scratch for writev: its iovecs and the call on the
// file descriptor, made once so that a write allocates nothing.
type writer struct {
	iov   [iovMax]syscall.Iovec
	k     int
	n     uintptr
	errno syscall.Errno
	call  func(fd uintptr) bool
}

func newWriter() *writer {
	w := &writer{}
	w.call = w.writev
	return w
}

func (w *writer) writev(fd uintptr) bool {
	w.n, _, w.errno = syscall.Syscall(syscall.SYS_WRITEV, fd, uintptr(unsafe.Pointer(&w.iov[0])), uintptr(w.k))
	return true
}

// writevNow writes bufs with writev on the non-blocking socket, without
// waiting for it to become writable: it returns what the socket took.
func (w *writer) writevNow(raw syscall.RawConn, bufs net.Buffers) (int, error) {
	total := 0
	defer clear(w.iov[:])
	for len(bufs) > 0 {
		k, want := 0, 0
		for _, b := range bufs {
			if k == iovMax {
				break
			}
			if len(b) == 0 {
				continue
			}
			w.iov[k].Base = &b[0]
			w.iov[k].SetLen(len(b))
			want += len(b)
			k++
		}
		w.k, w.n, w.errno = k, 0, 0
		if k > 0 {
			if err := raw.Write(w.call); err != nil {
				return total, err
			}
		}
		runtime.KeepAlive(bufs)
		switch {
		case w.errno == syscall.EAGAIN || w.errno == syscall.EINTR:
			return total, nil
		case w.errno != 0:
			return total, w.errno
		}
		total += int(w.n)
		if int(w.n) < want || k == 0 {
			return total, nil
		}
		// Past the k buffers written.
		for k > 0 && len(bufs) > 0 {
			if len(bufs[0]) > 0 {
				k--
			}
			bufs = bufs[1:]
		}
	}
	return total, nil
}

// probeClosed reads without waiting: end of stream or an error other
// than "nothing to read" means the peer is gone.
func probeClosed(raw syscall.RawConn) bool {
	var buf [512]byte
	closed := false
	err := raw.Read(func(fd uintptr) bool {
		for {
			n, err := syscall.Read(int(fd), buf[:])
			switch {
			case n > 0:
				if n < len(buf) {
					return true
				}
				continue // the client sent something: discard it
			case n == 0 && err == nil:
				closed = true
			case err != nil && !errors.Is(err, syscall.EAGAIN) && !errors.Is(err, syscall.EINTR):
				closed = true
			}
			return true
		}
	})
	return closed || err != nil
}
