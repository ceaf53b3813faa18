//go:build unix

package opinion

import (
	"syscall"
	"time"
)

// cpuTime is the process's CPU time (user and system, every thread, the
// garbage collector's included), or false where it cannot be read.
func cpuTime() (time.Duration, bool) {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0, false
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano()), true
}
