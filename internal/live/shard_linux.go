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
		var err error
		if k > 0 {
			err = raw.Write(w.call)
		}
		// Only the iovecs used: clearing all IOV_MAX of them cost more
		// than the write's own work in user space.
		clear(w.iov[:k])
		runtime.KeepAlive(bufs)
		if err != nil {
			return total, err
		}
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

// closeWatch finds the connections whose peers closed them with one
// epoll instance per shard, instead of a read on every connection: each
// connection is registered for EPOLLRDHUP (the peer's FIN; a reset or an
// error is always reported), one-shot, under its subscriber's token, and
// the shard asks, without waiting, which ones were reported. Closing a connection
// removes it from the instance; a token is never reused, so a report
// about a connection already dropped matches nothing.
type closeWatch struct {
	epfd   int // -1: no epoll; the shard probes each connection instead
	events [256]syscall.EpollEvent
}

func newCloseWatch() *closeWatch {
	fd, err := syscall.EpollCreate1(syscall.EPOLL_CLOEXEC)
	if err != nil {
		return &closeWatch{epfd: -1}
	}
	return &closeWatch{epfd: fd}
}

// epollOneShot is EPOLLONESHOT (1 << 30), which package syscall lacks.
const epollOneShot = 1 << 30

// add registers raw under token; false when it cannot be watched.
func (w *closeWatch) add(raw syscall.RawConn, token uint64) bool {
	if w.epfd < 0 || raw == nil {
		return false
	}
	// The event's data (Fd and Pad) carries the token, not the
	// descriptor.
	// One-shot: a connection is reported once (it is dropped then), so
	// that closed() ends however many stay registered meanwhile.
	ev := syscall.EpollEvent{Events: syscall.EPOLLRDHUP | epollOneShot, Fd: int32(uint32(token)), Pad: int32(uint32(token >> 32))}
	var cerr error
	if err := raw.Control(func(fd uintptr) {
		cerr = syscall.EpollCtl(w.epfd, syscall.EPOLL_CTL_ADD, int(fd), &ev)
	}); err != nil {
		return false
	}
	return cerr == nil
}

// closed calls f with the token of every connection reported closed by
// its peer since the last call; each connection is reported once.
func (w *closeWatch) closed(f func(token uint64)) {
	if w.epfd < 0 {
		return
	}
	for {
		n, err := syscall.EpollWait(w.epfd, w.events[:], 0)
		if err == syscall.EINTR {
			continue
		}
		if err != nil || n <= 0 {
			return
		}
		for i := range w.events[:n] {
			ev := &w.events[i]
			f(uint64(uint32(ev.Fd)) | uint64(uint32(ev.Pad))<<32)
		}
		if n < len(w.events) {
			return
		}
	}
}

func (w *closeWatch) close() {
	if w.epfd >= 0 {
		_ = syscall.Close(w.epfd)
		w.epfd = -1
	}
}
