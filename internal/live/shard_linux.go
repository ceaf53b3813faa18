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

// writevNow writes bufs with writev on the non-blocking socket, without
// waiting for it to become writable: it returns what the socket took.
func writevNow(raw syscall.RawConn, bufs net.Buffers) (int, error) {
	total := 0
	var iov [iovMax]syscall.Iovec
	for len(bufs) > 0 {
		k, want := 0, 0
		for _, b := range bufs {
			if k == iovMax {
				break
			}
			if len(b) == 0 {
				continue
			}
			iov[k].Base = &b[0]
			iov[k].SetLen(len(b))
			want += len(b)
			k++
		}
		var n uintptr
		var errno syscall.Errno
		if k > 0 {
			if err := raw.Write(func(fd uintptr) bool {
				n, _, errno = syscall.Syscall(syscall.SYS_WRITEV, fd, uintptr(unsafe.Pointer(&iov[0])), uintptr(k))
				return true
			}); err != nil {
				return total, err
			}
		}
		runtime.KeepAlive(bufs)
		switch {
		case errno == syscall.EAGAIN || errno == syscall.EINTR:
			return total, nil
		case errno != 0:
			return total, errno
		}
		total += int(n)
		if int(n) < want {
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
