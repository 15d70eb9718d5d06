package watch

import (
	"os"
	"syscall"
)

// openShared opens path read-only, without updating its access time when
// the kernel allows it (O_NOATIME needs the file's owner or CAP_FOWNER).
// The writer keeps writing, renaming and deleting the file as it likes.
func openShared(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NOATIME|syscall.O_NOFOLLOW, 0)
	if err == nil {
		return f, nil
	}
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NOFOLLOW, 0)
}
