package hostid

import (
	"debug/pe"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// ErrNoVersion says a PE file has no version resource exscan can read.
var ErrNoVersion = errors.New("no version resource")

const (
	rtVersion       = 16         // RT_VERSION
	fixedSignature  = 0xFEEF04BD // VS_FIXEDFILEINFO.dwSignature
	maxResourceSize = 16 << 20   // a version resource sits in .rsrc; larger sections are not read
	dirEntrySize    = 8
	dirHeaderSize   = 16
	subdirFlag      = 0x80000000
)

// FileVersion reads the file version (VS_FIXEDFILEINFO dwFileVersionMS/LS)
// of a PE file's version resource: resource directory, RT_VERSION, its
// first name and language, then the VS_VERSIONINFO block.
func FileVersion(r io.ReaderAt) ([4]uint16, error) {
	var v [4]uint16
	f, err := pe.NewFile(r)
	if err != nil {
		return v, err
	}
	var dir pe.DataDirectory
	switch oh := f.OptionalHeader.(type) {
	case *pe.OptionalHeader32:
		if oh.NumberOfRvaAndSizes > pe.IMAGE_DIRECTORY_ENTRY_RESOURCE {
			dir = oh.DataDirectory[pe.IMAGE_DIRECTORY_ENTRY_RESOURCE]
		}
	case *pe.OptionalHeader64:
		if oh.NumberOfRvaAndSizes > pe.IMAGE_DIRECTORY_ENTRY_RESOURCE {
			dir = oh.DataDirectory[pe.IMAGE_DIRECTORY_ENTRY_RESOURCE]
		}
	}
	if dir.VirtualAddress == 0 || dir.Size == 0 {
		return v, ErrNoVersion
	}
	sec, rsrc, err := sectionAt(f, dir.VirtualAddress)
	if err != nil {
		return v, err
	}
	base := dir.VirtualAddress - sec.VirtualAddress // the resource directory's offset in the section
	// Three levels: type, name, language. Take RT_VERSION, then the first
	// entry of each level below it.
	off, err := dirEntry(rsrc, base, base, rtVersion, true)
	if err != nil {
		return v, err
	}
	if off, err = dirEntry(rsrc, base, off, -1, true); err != nil {
		return v, err
	}
	if off, err = dirEntry(rsrc, base, off, -1, false); err != nil {
		return v, err
	}
	// IMAGE_RESOURCE_DATA_ENTRY: data RVA, size.
	if uint64(off)+8 > uint64(len(rsrc)) {
		return v, fmt.Errorf("%w: data entry outside the section", ErrNoVersion)
	}
	rva, size := le32(rsrc[off:]), le32(rsrc[off+4:])
	dsec, ddata, err := sectionAt(f, rva)
	if err != nil {
		return v, err
	}
	start := uint64(rva - dsec.VirtualAddress)
	if start+uint64(size) > uint64(len(ddata)) {
		return v, fmt.Errorf("%w: version data outside its section", ErrNoVersion)
	}
	return fixedFileVersion(ddata[start : start+uint64(size)])
}

// sectionAt returns the section holding rva and its bytes.
func sectionAt(f *pe.File, rva uint32) (*pe.Section, []byte, error) {
	for _, s := range f.Sections {
		if rva >= s.VirtualAddress && rva < s.VirtualAddress+max(s.VirtualSize, s.Size) {
			if s.Size > maxResourceSize {
				return nil, nil, fmt.Errorf("%w: section %s is %d bytes", ErrNoVersion, s.Name, s.Size)
			}
			b, err := s.Data()
			if err != nil {
				return nil, nil, err
			}
			return s, b, nil
		}
	}
	return nil, nil, fmt.Errorf("%w: no section holds RVA %#x", ErrNoVersion, rva)
}

// dirEntry reads the IMAGE_RESOURCE_DIRECTORY at off and returns the
// offset its entry with the given id points to (id -1: the first entry);
// sub says whether that must be a subdirectory.
func dirEntry(b []byte, base, off uint32, id int, sub bool) (uint32, error) {
	if uint64(off)+dirHeaderSize > uint64(len(b)) {
		return 0, fmt.Errorf("%w: resource directory outside the section", ErrNoVersion)
	}
	n := uint64(le16(b[off+12:])) + uint64(le16(b[off+14:])) // named + id entries
	for i := uint64(0); i < n; i++ {
		e := uint64(off) + dirHeaderSize + i*dirEntrySize
		if e+dirEntrySize > uint64(len(b)) {
			break
		}
		name, to := le32(b[e:]), le32(b[e+4:])
		if id >= 0 && (name&subdirFlag != 0 || int(name) != id) {
			continue
		}
		if (to&subdirFlag != 0) != sub {
			return 0, fmt.Errorf("%w: unexpected resource tree shape", ErrNoVersion)
		}
		return base + to&^subdirFlag, nil
	}
	return 0, ErrNoVersion
}

// fixedFileVersion reads VS_VERSIONINFO: wLength, wValueLength, wType,
// the key "VS_VERSION_INFO" in UTF-16 with its NUL, padding to 32 bits,
// then VS_FIXEDFILEINFO.
func fixedFileVersion(b []byte) ([4]uint16, error) {
	var v [4]uint16
	const key = "VS_VERSION_INFO"
	at := 6
	for i := 0; i <= len(key); i++ {
		want := uint16(0)
		if i < len(key) {
			want = uint16(key[i])
		}
		if at+2 > len(b) || le16(b[at:]) != want {
			return v, fmt.Errorf("%w: no VS_VERSION_INFO block", ErrNoVersion)
		}
		at += 2
	}
	at = (at + 3) &^ 3
	if at+16 > len(b) || le16(b[2:]) < 52 || le32(b[at:]) != fixedSignature {
		return v, fmt.Errorf("%w: no VS_FIXEDFILEINFO", ErrNoVersion)
	}
	ms, ls := le32(b[at+8:]), le32(b[at+12:])
	return [4]uint16{uint16(ms >> 16), uint16(ms), uint16(ls >> 16), uint16(ls)}, nil
}

func le16(b []byte) uint16 { return binary.LittleEndian.Uint16(b) }
func le32(b []byte) uint32 { return binary.LittleEndian.Uint32(b) }
