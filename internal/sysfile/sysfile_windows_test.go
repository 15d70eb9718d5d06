//go:build windows

package sysfile

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unsafe"

	"golang.org/x/sys/windows"

	"exscan/internal/testdir"
)

// fileAllAccess is FILE_ALL_ACCESS: what GENERIC_ALL means for a file.
const fileAllAccess = windows.STANDARD_RIGHTS_REQUIRED | windows.SYNCHRONIZE | 0x1ff

// The DACL exscan puts on its files: one entry, the current user, full
// access, nothing inherited or passed down; set as protected.
func TestWinOwnerOnlyACL(t *testing.T) {
	acl, err := ownerOnlyACL()
	if err != nil {
		t.Fatal(err)
	}
	me, _ := currentUser()
	if acl.AceCount != 1 {
		t.Fatalf("%d entries, want 1", acl.AceCount)
	}
	var ace *windows.ACCESS_ALLOWED_ACE
	if err := windows.GetAce(acl, 0, &ace); err != nil {
		t.Fatal(err)
	}
	sid := (*windows.SID)(unsafe.Pointer(&ace.SidStart))
	if ace.Header.AceType != windows.ACCESS_ALLOWED_ACE_TYPE || !sid.Equals(me) {
		t.Errorf("entry type %d for %s, want allow for %s", ace.Header.AceType, sid, me)
	}
	if ace.Mask&fileAllAccess != fileAllAccess && ace.Mask&windows.GENERIC_ALL == 0 {
		t.Errorf("access %#x, want full", ace.Mask)
	}
	if ace.Header.AceFlags&(windows.OBJECT_INHERIT_ACE|windows.CONTAINER_INHERIT_ACE|windows.INHERITED_ACE) != 0 {
		t.Errorf("entry flags %#x: inherited or passed down", ace.Header.AceFlags)
	}
	if restrictInfo&windows.PROTECTED_DACL_SECURITY_INFORMATION == 0 {
		t.Error("the DACL is not set as protected: the folder's entries would still apply")
	}
}

// keepsACLs says whether files here keep the DACL set on them: Windows
// does; wine 8 maps a DACL to Unix mode bits and reads back its own.
func keepsACLs(t *testing.T, dir string) bool {
	p := filepath.Join(dir, "probe")
	if err := os.WriteFile(p, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Restrict(p); err != nil {
		t.Fatal(err)
	}
	protected, sids, _ := dacl(t, p)
	return protected || len(sids) == 1
}

// dacl reads the DACL of name: whether it is protected from inheritance,
// and the SID and access mask of each entry.
func dacl(t *testing.T, name string) (protected bool, sids []string, masks []windows.ACCESS_MASK) {
	t.Helper()
	sd, err := windows.GetNamedSecurityInfo(name, windows.SE_FILE_OBJECT, windows.DACL_SECURITY_INFORMATION)
	if err != nil {
		t.Fatalf("reading the ACL of %s: %v", name, err)
	}
	ctl, _, err := sd.Control()
	if err != nil {
		t.Fatal(err)
	}
	acl, _, err := sd.DACL()
	if err != nil {
		t.Fatal(err)
	}
	if acl == nil {
		t.Fatalf("%s has no DACL: everyone has full access", name)
	}
	for i := uint32(0); i < uint32(acl.AceCount); i++ {
		var ace *windows.ACCESS_ALLOWED_ACE
		if err := windows.GetAce(acl, i, &ace); err != nil {
			t.Fatal(err)
		}
		if ace.Header.AceType != windows.ACCESS_ALLOWED_ACE_TYPE {
			sids = append(sids, "non-allow entry")
			masks = append(masks, ace.Mask)
			continue
		}
		sid := (*windows.SID)(unsafe.Pointer(&ace.SidStart))
		sids = append(sids, sid.String())
		masks = append(masks, ace.Mask)
	}
	return ctl&windows.SE_DACL_PROTECTED != 0, sids, masks
}

func TestWinCreateOwnerOnlySetsAProtectedOwnerACL(t *testing.T) {
	dir := testdir.Temp(t)
	if !keepsACLs(t, dir) {
		t.Skip("this system does not keep the ACLs set on files (wine): TestWinOwnerOnlyACL checks the ACL exscan sets")
	}
	me, err := currentUser()
	if err != nil {
		t.Fatal(err)
	}
	// A folder that lets Everyone read, passed down to new files: the
	// report must not get that entry.
	everyone, _ := windows.StringToSid("S-1-1-0")
	open, err := windows.ACLFromEntries([]windows.EXPLICIT_ACCESS{{
		AccessPermissions: windows.GENERIC_READ, AccessMode: windows.GRANT_ACCESS,
		Inheritance: windows.SUB_CONTAINERS_AND_OBJECTS_INHERIT,
		Trustee:     windows.TRUSTEE{TrusteeForm: windows.TRUSTEE_IS_SID, TrusteeType: windows.TRUSTEE_IS_WELL_KNOWN_GROUP, TrusteeValue: windows.TrusteeValueFromSID(everyone)},
	}, {
		AccessPermissions: windows.GENERIC_ALL, AccessMode: windows.GRANT_ACCESS,
		Inheritance: windows.SUB_CONTAINERS_AND_OBJECTS_INHERIT,
		Trustee:     windows.TRUSTEE{TrusteeForm: windows.TRUSTEE_IS_SID, TrusteeType: windows.TRUSTEE_IS_USER, TrusteeValue: windows.TrusteeValueFromSID(me)},
	}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := windows.SetNamedSecurityInfo(dir, windows.SE_FILE_OBJECT, windows.DACL_SECURITY_INFORMATION, nil, nil, open, nil); err != nil {
		t.Fatalf("setting up the folder's ACL: %v", err)
	}
	for _, name := range []string{"new.jsonl", "existing.jsonl"} {
		p := filepath.Join(dir, name)
		if name == "existing.jsonl" {
			if err := os.WriteFile(p, []byte("old report"), 0o644); err != nil {
				t.Fatal(err)
			}
			if _, sids, _ := dacl(t, p); !strings.Contains(strings.Join(sids, " "), "S-1-1-0") {
				t.Fatalf("the folder's Everyone entry was not passed down (%v): the test proves nothing", sids)
			}
		}
		f, err := CreateOwnerOnly(p, os.O_WRONLY|os.O_CREATE|os.O_TRUNC)
		if err != nil {
			t.Fatal(err)
		}
		f.WriteString("report")
		f.Close()
		protected, sids, masks := dacl(t, p)
		if !protected {
			t.Errorf("%s: DACL not protected: the folder's entries still apply", name)
		}
		if len(sids) != 1 || sids[0] != me.String() {
			t.Errorf("%s: DACL entries %v, want only the current user %s", name, sids, me)
		} else if masks[0]&fileAllAccess != fileAllAccess && masks[0]&windows.GENERIC_ALL == 0 {
			t.Errorf("%s: the owner's access is %#x, want full access", name, masks[0])
		}
		if b, err := os.ReadFile(p); err != nil || string(b) != "report" {
			t.Errorf("%s: the owner cannot read it back: %q %v", name, b, err)
		}
	}
}

func TestWinRestrictFileOnATempFile(t *testing.T) {
	dir := testdir.Temp(t)
	if !keepsACLs(t, dir) {
		t.Skip("this system does not keep the ACLs set on files (wine): TestWinOwnerOnlyACL checks the ACL exscan sets")
	}
	f, err := os.CreateTemp(dir, "state*")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := RestrictFile(f); err != nil {
		t.Fatal(err)
	}
	me, _ := currentUser()
	if protected, sids, _ := dacl(t, f.Name()); !protected || len(sids) != 1 || sids[0] != me.String() {
		t.Errorf("protected=%v entries=%v, want protected, only %s", protected, sids, me)
	}
}

// A log that IIS holds open for writing and deleting (as it does with
// today's log) is read, stays writable by IIS while open, and can be
// renamed away at rotation while exscan has it open; os.Open would
// block the rename.
func TestWinOpenSharedReadsALogInUse(t *testing.T) {
	dir := testdir.Temp(t)
	p := filepath.Join(dir, "u_ex250101.log")
	name, _ := windows.UTF16PtrFromString(p)
	w, err := windows.CreateFile(name, windows.GENERIC_WRITE, windows.FILE_SHARE_READ|windows.FILE_SHARE_WRITE|windows.FILE_SHARE_DELETE,
		nil, windows.CREATE_ALWAYS, windows.FILE_ATTRIBUTE_NORMAL, 0)
	if err != nil {
		t.Fatal(err)
	}
	writer := os.NewFile(uintptr(w), p)
	defer writer.Close()
	writer.WriteString("#Fields: date time\r\n")

	r, err := OpenShared(p)
	if err != nil {
		t.Fatalf("opening a log in use: %v", err)
	}
	defer r.Close()
	if _, err := writer.WriteString("2025-01-01 00:00:01\r\n"); err != nil {
		t.Fatalf("the writer cannot write while exscan reads: %v", err)
	}
	b, err := io.ReadAll(r)
	if err != nil || string(b) != "#Fields: date time\r\n2025-01-01 00:00:01\r\n" {
		t.Fatalf("read %q, %v", b, err)
	}
	if err := os.Rename(p, p+".1"); err != nil {
		t.Fatalf("rotation (rename) blocked while exscan has the log open: %v", err)
	}
}

// A file held open without read sharing gives an error that says why.
func TestWinOpenSharedSaysWhenAFileIsLocked(t *testing.T) {
	p := filepath.Join(testdir.Temp(t), "locked.edb")
	name, _ := windows.UTF16PtrFromString(p)
	h, err := windows.CreateFile(name, windows.GENERIC_WRITE, 0, nil, windows.CREATE_ALWAYS, windows.FILE_ATTRIBUTE_NORMAL, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer windows.CloseHandle(h)
	f, err := OpenShared(p)
	if err == nil {
		f.Close()
		t.Fatal("opened a file held without sharing")
	}
	if !strings.Contains(err.Error(), "another process holds the file open") || !strings.Contains(err.Error(), p) {
		t.Errorf("error %q does not say the file is in use, or which", err)
	}
}

// A file deeper than MAX_PATH (260) is opened through LongPath.
func TestWinOpenSharedLongPath(t *testing.T) {
	dir := testdir.Temp(t)
	deep := dir
	for len(deep) < 400 {
		deep = filepath.Join(deep, strings.Repeat("d", 60))
	}
	if err := os.MkdirAll(deep, 0o755); err != nil { // os adds \\?\ itself
		t.Fatal(err)
	}
	p := filepath.Join(deep, "deep.aspx")
	if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := OpenShared(p)
	if err != nil {
		t.Fatalf("opening a %d-character path: %v", len(p), err)
	}
	f.Close()
	out := filepath.Join(deep, "report.jsonl")
	g, err := CreateOwnerOnly(out, os.O_WRONLY|os.O_CREATE)
	if err != nil {
		t.Fatalf("an owner-only report at a %d-character path: %v", len(out), err)
	}
	g.Close()
}
