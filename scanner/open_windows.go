//go:build windows

package scanner

import (
	"os"

	"exscan/internal/sysfile"
)

// openReadOnly opens a file for reading with every share mode, so a log
// or page that IIS or Exchange holds open is read while it is in use.
func openReadOnly(p string) (*os.File, error) { return sysfile.OpenShared(p) }

func fileKey(info os.FileInfo) string { return "" }

// openInRoot opens name in the folder r read-only (os.Root shares read,
// write and delete on Windows).
func openInRoot(r *os.Root, name string) (*os.File, error) { return r.Open(name) }
