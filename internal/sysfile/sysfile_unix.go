//go:build !windows

package sysfile

import "os"

// OpenShared opens name read-only.
func OpenShared(name string) (*os.File, error) { return os.Open(name) }

// RestrictFile makes the open file f owner-only (0600).
func RestrictFile(f *os.File) error { return f.Chmod(0o600) }

// restrictOpened does nothing: os.OpenFile's mode already made a new file
// 0600, and an existing one named by the user keeps its mode.
func restrictOpened(*os.File) error { return nil }
