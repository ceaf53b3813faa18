package server

import "syscall"

// RaiseOpenFiles raises the process's open-file limit to its hard limit:
// every live stream holds a descriptor. It returns the limits now in
// force.
func RaiseOpenFiles() (soft, hard uint64, err error) {
	var l syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
		return 0, 0, err
	}
	if l.Cur < l.Max {
		want := l
		want.Cur = l.Max
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &want); err != nil {
			return l.Cur, l.Max, err
		}
		l = want
	}
	return l.Cur, l.Max, nil
}

// OpenFilesLimit returns the open-file limits in force.
func OpenFilesLimit() (soft, hard uint64) {
	var l syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l) != nil {
		return 0, 0
	}
	return l.Cur, l.Max
}
