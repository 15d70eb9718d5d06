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
