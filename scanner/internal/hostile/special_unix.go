//go:build unix

package hostile

import (
	"net"
	"path/filepath"
	"syscall"
)

// specialFiles makes a FIFO, a listening socket and (with CAP_MKNOD) a
// character device under dir, and counts them as skips.
func specialFiles(dir string, ex *Expect) error {
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo"), 0o644); err == nil {
		ex.Skips["not-regular-file"]++
	}
	if l, err := net.Listen("unix", filepath.Join(dir, "sock")); err == nil {
		ex.Closers = append(ex.Closers, func() { l.Close() })
		ex.Skips["not-regular-file"]++
	}
	// A character device (needs CAP_MKNOD: skipped quietly without it).
	if err := syscall.Mknod(filepath.Join(dir, "null-dev"), syscall.S_IFCHR|0o600, int(mkdev(1, 3))); err == nil {
		ex.Skips["not-regular-file"]++
	}
	return nil
}

func mkdev(major, minor uint32) uint64 {
	return uint64(major)<<8 | uint64(minor)
}
