//go:build windows

package evidence

import (
	"os"
	"syscall"
	"time"

	"exscan/internal/sysfile"
)

// openReadOnly opens p with every share mode, so a log in use is copied.
func openReadOnly(p string) (*os.File, error) { return sysfile.OpenShared(p) }

// fileTimes reads the creation and last access times.
func fileTimes(_ *os.File, info os.FileInfo) times {
	var t times
	if d, ok := info.Sys().(*syscall.Win32FileAttributeData); ok {
		t.btime = time.Unix(0, d.CreationTime.Nanoseconds())
		t.atime = time.Unix(0, d.LastAccessTime.Nanoseconds())
	}
	return t
}
