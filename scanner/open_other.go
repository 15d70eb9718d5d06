//go:build !linux && !windows

package scanner

import "os"

// openReadOnly opens a file for reading only.
func openReadOnly(p string) (*os.File, error) { return os.Open(p) }

func fileKey(info os.FileInfo) string { return "" }

func openInRoot(r *os.Root, name string) (*os.File, error) { return r.Open(name) }
