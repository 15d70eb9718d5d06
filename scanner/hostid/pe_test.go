package hostid

import (
	"bytes"
	"encoding/binary"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf16"
)

var writeDemo = flag.Bool("write-demo", false, "rewrite the demo host's fake ExSetup.exe")

// minimalPE builds a PE32 file by hand: DOS header, PE header, one .rsrc
// section with a resource tree RT_VERSION/1/0x409 and a VS_VERSIONINFO
// block that holds only VS_FIXEDFILEINFO. No code: nothing can run it.
func minimalPE(ver [4]uint16) []byte {
	le := binary.LittleEndian
	const (
		peOff    = 0x40
		optSize  = 224
		rawOff   = 0x200
		rva      = 0x1000
		dataOff  = 0x58 // VS_VERSIONINFO in the section
		fixedLen = 52
	)
	// VS_VERSIONINFO
	var vi bytes.Buffer
	key := utf16.Encode([]rune("VS_VERSION_INFO\x00"))
	hdr := make([]byte, 6)
	vi.Write(hdr)
	for _, c := range key {
		binary.Write(&vi, le, c)
	}
	for vi.Len()%4 != 0 {
		vi.WriteByte(0)
	}
	fixed := make([]byte, fixedLen)
	le.PutUint32(fixed[0:], 0xFEEF04BD)
	le.PutUint32(fixed[4:], 0x00010000)
	le.PutUint32(fixed[8:], uint32(ver[0])<<16|uint32(ver[1]))
	le.PutUint32(fixed[12:], uint32(ver[2])<<16|uint32(ver[3]))
	le.PutUint32(fixed[16:], uint32(ver[0])<<16|uint32(ver[1]))
	le.PutUint32(fixed[20:], uint32(ver[2])<<16|uint32(ver[3]))
	vi.Write(fixed)
	v := vi.Bytes()
	le.PutUint16(v[0:], uint16(len(v)))
	le.PutUint16(v[2:], fixedLen)

	// .rsrc: three directory levels, one data entry, the data.
	sec := make([]byte, dataOff+len(v))
	dir := func(at int, id, to uint32) {
		le.PutUint16(sec[at+14:], 1) // one id entry
		le.PutUint32(sec[at+16:], id)
		le.PutUint32(sec[at+20:], to)
	}
	dir(0x00, 16, 0x80000000|0x18)
	dir(0x18, 1, 0x80000000|0x30)
	dir(0x30, 0x409, 0x48)
	le.PutUint32(sec[0x48:], rva+dataOff)
	le.PutUint32(sec[0x4c:], uint32(len(v)))
	copy(sec[dataOff:], v)
	for len(sec)%0x200 != 0 {
		sec = append(sec, 0)
	}

	f := make([]byte, rawOff)
	copy(f, "MZ")
	le.PutUint32(f[0x3c:], peOff)
	copy(f[peOff:], "PE\x00\x00")
	coff := f[peOff+4:]
	le.PutUint16(coff[0:], 0x14c) // i386
	le.PutUint16(coff[2:], 1)     // sections
	le.PutUint16(coff[16:], optSize)
	le.PutUint16(coff[18:], 0x0102) // executable, 32-bit
	opt := f[peOff+24:]
	le.PutUint16(opt[0:], 0x10b)          // PE32
	le.PutUint32(opt[28:], 0x400000)      // image base
	le.PutUint32(opt[32:], 0x1000)        // section alignment
	le.PutUint32(opt[36:], 0x200)         // file alignment
	le.PutUint16(opt[40:], 4)             // OS version
	le.PutUint16(opt[48:], 4)             // subsystem version
	le.PutUint32(opt[56:], 0x2000)        // size of image
	le.PutUint32(opt[60:], rawOff)        // size of headers
	le.PutUint16(opt[68:], 3)             // console subsystem
	le.PutUint32(opt[92:], 16)            // data directories
	le.PutUint32(opt[96+2*8:], rva)       // resource directory
	le.PutUint32(opt[96+2*8+4:], dataOff) // its size
	sh := f[peOff+24+optSize:]
	copy(sh, ".rsrc")
	le.PutUint32(sh[8:], uint32(len(sec)))  // virtual size
	le.PutUint32(sh[12:], rva)              // virtual address
	le.PutUint32(sh[16:], uint32(len(sec))) // raw size
	le.PutUint32(sh[20:], rawOff)           // raw pointer
	le.PutUint32(sh[36:], 0x40000040)       // initialised data, readable
	return append(f, sec...)
}

func TestFileVersion(t *testing.T) {
	for _, want := range [][4]uint16{{15, 1, 2106, 13}, {15, 2, 1118, 7}, {65535, 0, 1, 65535}} {
		got, err := FileVersion(bytes.NewReader(minimalPE(want)))
		if err != nil || got != want {
			t.Errorf("FileVersion = %v, %v; want %v", got, err, want)
		}
	}
}

// TestFileVersionDamaged: every cut of the file, and files whose resource
// tree points outside the section, give an error, never a panic or a
// wrong version.
func TestFileVersionDamaged(t *testing.T) {
	good := minimalPE([4]uint16{15, 1, 2106, 13})
	for n := 0; n < len(good); n++ {
		if v, err := FileVersion(bytes.NewReader(good[:n])); err == nil && v != [4]uint16{15, 1, 2106, 13} {
			t.Fatalf("cut at %d: version %v", n, v)
		}
	}
	for _, at := range []int{0x200 + 0x14, 0x200 + 0x2c, 0x200 + 0x44, 0x200 + 0x48, 0x200 + 0x4c} {
		b := bytes.Clone(good)
		binary.LittleEndian.PutUint32(b[at:], 0x7ffffff0)
		if v, err := FileVersion(bytes.NewReader(b)); err == nil {
			t.Errorf("pointer at %#x broken: version %v, no error", at, v)
		}
	}
	b := bytes.Clone(good)
	binary.LittleEndian.PutUint32(b[0x200+0x10:], 6) // RT_ICON, not RT_VERSION
	if _, err := FileVersion(bytes.NewReader(b)); !errors.Is(err, ErrNoVersion) {
		t.Errorf("no RT_VERSION: %v", err)
	}
	if _, err := FileVersion(bytes.NewReader([]byte("<%@ Page Language=\"C#\" %>"))); err == nil {
		t.Error("a text file read as PE")
	}
}

// TestDemoExSetup: the demo host's V15\Bin\ExSetup.exe is this builder's
// output for Exchange 2016 CU19 (15.1.2176.2), the build the demo host's
// HttpProxy logs were written by (rewrite with -write-demo).
func TestDemoExSetup(t *testing.T) {
	p := filepath.Join("..", "..", "testdata", "demo", "C", "Program Files", "Microsoft", "Exchange Server", "V15", "Bin", "ExSetup.exe")
	want := minimalPE([4]uint16{15, 1, 2176, 2})
	if *writeDemo {
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(p)
	if err != nil || !bytes.Equal(got, want) {
		t.Errorf("%s differs from the builder's output (%v); rerun with -write-demo", p, err)
	}
}

// FuzzFileVersion: a PE file on a compromised host is attacker data; no
// input may panic the version reader or make it read outside the file.
func FuzzFileVersion(f *testing.F) {
	f.Add(minimalPE([4]uint16{15, 1, 2106, 13}))
	f.Add([]byte("MZ"))
	f.Fuzz(func(t *testing.T, b []byte) {
		FileVersion(bytes.NewReader(b))
	})
}
