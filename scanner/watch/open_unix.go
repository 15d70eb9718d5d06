//go:build !windows && !linux

package watch

import (
	"os"
	"syscall"
)

// openShared opens path read-only, not following a final symbolic link.
func openShared(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NOFOLLOW, 0)
}
