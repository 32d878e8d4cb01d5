//go:build !linux

package search

// hugePage is the size of a transparent huge page where Linux has them.
const hugePage = 2 << 20

// hugeAlloc returns n zeroed bytes (heap memory where transparent huge pages are not had this way).
func hugeAlloc(n int) ([]byte, func()) { return make([]byte, n), func() {} }

// hugeScratch is hugeAlloc for memory read before it is written.
func hugeScratch(n int) ([]byte, func()) { return make([]byte, n), func() {} }
