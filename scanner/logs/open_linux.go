package logs

import (
	"os"
	"syscall"
)

// openReadOnly opens path read-only, without updating its access time when
// the kernel allows it (O_NOATIME needs the file's owner or CAP_FOWNER).
func openReadOnly(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NOATIME, 0)
	if err == nil {
		return f, nil
	}
	return os.Open(path)
}
