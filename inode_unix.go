//go:build unix

package depeche

import (
	"io/fs"
	"syscall"
)

// inode returns the file's inode number: a file replaced by a rename (a model written atomically) has
// another one, even with the same size and time.
func inode(fi fs.FileInfo) uint64 {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return uint64(st.Ino)
	}
	return 0
}
