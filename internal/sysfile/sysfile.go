// Package sysfile opens files the way a scanner on a live server must:
// files it reads are opened so that their writers can go on writing,
// renaming and deleting them (IIS and Exchange keep today's logs open),
// and files it writes (reports, watch state, evidence) are readable by
// their owner only, on Windows through the file's ACL, where permission
// bits mean nothing.
package sysfile

import "os"

// CreateOwnerOnly opens name with the given flags (os.O_CREATE and
// friends), readable and writable by the current user only: mode 0600 for
// a file it creates on Unix; on Windows a protected DACL that grants the
// current user full access and nobody else anything (entries inherited
// from the folder are removed), set before anything is written, on a new
// file and on an existing one alike. Devices (NUL, CON) are left alone.
func CreateOwnerOnly(name string, flag int) (*os.File, error) {
	f, err := os.OpenFile(name, flag, 0o600)
	if err != nil {
		return nil, err
	}
	if err := restrictOpened(f); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}
