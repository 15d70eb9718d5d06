//go:build linux

package scanner

import (
	"os"
	"syscall"
)

// openReadOnly opens a file for reading without updating its access time
// where the kernel allows it (O_NOATIME needs the file's owner or
// CAP_FOWNER; without it, a plain read-only open).
func openReadOnly(p string) (*os.File, error) {
	f, err := os.OpenFile(p, os.O_RDONLY|syscall.O_NOATIME|syscall.O_NONBLOCK, 0)
	if err == nil {
		return f, nil
	}
	return os.OpenFile(p, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}

func fileKey(info os.FileInfo) string {
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		return itoa(uint64(st.Dev)) + ":" + itoa(st.Ino)
	}
	return ""
}

// openInRoot opens name in the folder r read-only, without following a
// final link, without blocking on a FIFO swapped in after the check, and
// without updating the access time where allowed.
func openInRoot(r *os.Root, name string) (*os.File, error) {
	f, err := r.OpenFile(name, os.O_RDONLY|syscall.O_NOATIME|syscall.O_NONBLOCK|syscall.O_NOFOLLOW, 0)
	if err == nil {
		return f, nil
	}
	return r.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK|syscall.O_NOFOLLOW, 0)
}
