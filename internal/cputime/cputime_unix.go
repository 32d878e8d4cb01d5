//go:build unix

package cputime

import "syscall"

// Now is the process's user and system CPU time so far, in nanoseconds.
func Now() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
