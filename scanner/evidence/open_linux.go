//go:build linux

package evidence

import (
	"os"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// openReadOnly opens a file for reading without updating its access time
// where the kernel allows it (O_NOATIME needs the file's owner or
// CAP_FOWNER; without it, a plain read-only open). O_NONBLOCK keeps a FIFO
// planted under a flagged name from hanging the collection.
func openReadOnly(p string) (*os.File, error) {
	f, err := os.OpenFile(p, os.O_RDONLY|syscall.O_NOATIME|syscall.O_NONBLOCK, 0)
	if err == nil {
		return f, nil
	}
	return os.OpenFile(p, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}

// fileTimes reads the inode change, access and (where the file system
// keeps it) birth times. f may be nil.
func fileTimes(f *os.File, info os.FileInfo) times {
	var t times
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		t.ctime = time.Unix(st.Ctim.Sec, st.Ctim.Nsec)
		t.atime = time.Unix(st.Atim.Sec, st.Atim.Nsec)
	}
	if f != nil {
		var sx unix.Statx_t
		if err := unix.Statx(int(f.Fd()), "", unix.AT_EMPTY_PATH|unix.AT_STATX_DONT_SYNC, unix.STATX_BTIME, &sx); err == nil && sx.Mask&unix.STATX_BTIME != 0 {
			t.btime = time.Unix(sx.Btime.Sec, int64(sx.Btime.Nsec))
		}
	}
	return t
}
