package search

import (
	"syscall"
	"unsafe"
)

// hugePage is the size of a transparent huge page on the machines depeche runs on (x86-64, arm64 with
// 4 KB base pages).
const hugePage = 2 << 20

// hugeAlloc returns n zeroed bytes outside the Go heap, in memory the kernel may back with transparent
// huge pages, and the function that gives them back. On the virtual machines measured (bench/RESULTS.md),
// a process's first touch of each 4 KB page costs tens of microseconds: a cold `similar` over a million
// dispatches touched ~11,000 pages, most of its time, half of them the accumulators and the weighed
// postings; in 2 MB pages those are a few dozen. The memory must hold no Go pointers (the collector does
// not scan it). When the mapping fails, it is an ordinary heap slice.
func hugeAlloc(n int) ([]byte, func()) { return hugeMap(n, false) }

// hugeScratch is hugeAlloc for memory that is read before it is written (the accumulators), faulted in
// writable at once. A read of untouched anonymous memory maps the shared zero page, and the write after
// it faults again, copies, and flushes the TLB of every core the process has run on (an inter-processor
// interrupt each, dear on a virtual machine: 7 % of a cold `similar` at 100k went to it); a huge zero page
// is even split into 4 KB pages by that write. Memory that is written first (pread into it, copies) has
// no such cost and is not populated: populating would zero what the write then overwrites.
func hugeScratch(n int) ([]byte, func()) { return hugeMap(n, true) }

// madvPopulateWrite is MADV_POPULATE_WRITE (Linux 5.14), which package syscall does not name; older
// kernels refuse it, and the pages are then faulted in as they are touched.
const madvPopulateWrite = 23

func hugeMap(n int, populate bool) ([]byte, func()) {
	if n <= 0 {
		return nil, func() {}
	}
	size := (n + hugePage - 1) &^ (hugePage - 1)
	m, err := syscall.Mmap(-1, 0, size+hugePage, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		return make([]byte, n), func() {}
	}
	a := uintptr(unsafe.Pointer(unsafe.SliceData(m)))
	off := int((a+hugePage-1)&^(hugePage-1) - a)
	b := m[off : off+size : off+size]
	// advice only: where transparent huge pages are off, the pages are ordinary ones
	_ = syscall.Madvise(b, syscall.MADV_HUGEPAGE)
	if populate {
		_ = syscall.Madvise(b[:(n+4095)&^4095], madvPopulateWrite)
	}
	return b[:n:n], func() { syscall.Munmap(m) }
}
