//go:build windows

package sysfile

import (
	"fmt"
	"io/fs"
	"os"

	"golang.org/x/sys/windows"
)

const shareAll = windows.FILE_SHARE_READ | windows.FILE_SHARE_WRITE | windows.FILE_SHARE_DELETE

// OpenShared opens name read-only with every share mode, so that the
// process writing it (IIS, Exchange) can keep appending, and can rename
// or delete it at rotation, while exscan reads it. os.Open leaves out
// FILE_SHARE_DELETE. A file another process holds without sharing read
// access gives an error that says so.
func OpenShared(name string) (*os.File, error) {
	p, err := windows.UTF16PtrFromString(LongPath(name))
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	h, err := windows.CreateFile(p, windows.GENERIC_READ, shareAll, nil, windows.OPEN_EXISTING,
		windows.FILE_ATTRIBUTE_NORMAL|windows.FILE_FLAG_BACKUP_SEMANTICS, 0)
	if err != nil {
		if err == windows.ERROR_SHARING_VIOLATION || err == windows.ERROR_LOCK_VIOLATION {
			err = fmt.Errorf("%w (another process holds the file open without sharing read access)", err)
		}
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	return os.NewFile(uintptr(h), name), nil
}

// RestrictFile makes the file f, opened by name, owner-only (Restrict).
func RestrictFile(f *os.File) error { return Restrict(f.Name()) }

func restrictOpened(f *os.File) error {
	if st, err := f.Stat(); err == nil && !st.Mode().IsRegular() {
		return nil // NUL, CON, a pipe: no ACL to set
	}
	return Restrict(f.Name())
}

// Restrict replaces name's DACL with one entry: full access for the user
// exscan runs as. The DACL is protected, so entries the folder passes
// down (Users: read) do not apply.
func Restrict(name string) error {
	acl, err := ownerOnlyACL()
	if err == nil {
		err = windows.SetNamedSecurityInfo(LongPath(name), windows.SE_FILE_OBJECT, restrictInfo, nil, nil, acl, nil)
	}
	if err != nil {
		return fmt.Errorf("%s: making it owner-only: %w", name, err)
	}
	return nil
}

// restrictInfo: the DACL is set, and protected from inheritance.
const restrictInfo = windows.DACL_SECURITY_INFORMATION | windows.PROTECTED_DACL_SECURITY_INFORMATION

// ownerOnlyACL is a DACL with one entry: full access for the current user.
func ownerOnlyACL() (*windows.ACL, error) {
	sid, err := currentUser()
	if err != nil {
		return nil, err
	}
	return windows.ACLFromEntries([]windows.EXPLICIT_ACCESS{{
		AccessPermissions: windows.GENERIC_ALL,
		AccessMode:        windows.SET_ACCESS,
		Inheritance:       windows.NO_INHERITANCE,
		Trustee: windows.TRUSTEE{
			TrusteeForm:  windows.TRUSTEE_IS_SID,
			TrusteeType:  windows.TRUSTEE_IS_USER,
			TrusteeValue: windows.TrusteeValueFromSID(sid),
		},
	}}, nil)
}

// currentUser is the SID of the user of the process token.
func currentUser() (*windows.SID, error) {
	u, err := windows.GetCurrentProcessToken().GetTokenUser()
	if err != nil {
		return nil, err
	}
	return u.User.Sid.Copy()
}
