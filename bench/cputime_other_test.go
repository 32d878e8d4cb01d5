//go:build !unix

package bench

// cpuTime is 0 where getrusage is not available: the cpu-ns/op metric then reads 0.
func cpuTime() int64 { return 0 }
