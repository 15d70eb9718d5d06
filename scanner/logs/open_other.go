//go:build !linux && !windows

package logs

import "os"

// openReadOnly opens path read-only.
func openReadOnly(path string) (*os.File, error) {
	return os.Open(path)
}
