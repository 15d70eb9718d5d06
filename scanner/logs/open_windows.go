//go:build windows

package logs

import (
	"os"

	"exscan/internal/sysfile"
)

// openReadOnly opens path read-only with every share mode: IIS and
// Exchange keep today's log open for writing and rotate it while exscan
// reads it.
func openReadOnly(path string) (*os.File, error) {
	return sysfile.OpenShared(path)
}
