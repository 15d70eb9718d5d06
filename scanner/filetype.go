package scanner

import "bytes"

// magic is a small table of leading-byte signatures that gives the YARA
// external `filetype` (Loki's meaning: a type name, or UNKNOWN) and lets
// the file checks spot binary headers in front of script pages.
var magic = []struct {
	sig  []byte
	name string
}{
	{[]byte("MZ"), "EXE"},
	{[]byte("MDMP"), "MDMP"},
	{[]byte("!BDN"), "PST"},
	{[]byte("PK\x03\x04"), "ZIP"},
	{[]byte("PK\x05\x06"), "ZIP"},
	{[]byte("Rar!\x1a\x07"), "RAR"},
	{[]byte("7z\xbc\xaf\x27\x1c"), "7ZIP"},
	{[]byte("\x1f\x8b\x08"), "GZIP"},
	{[]byte("%PDF"), "PDF"},
	{[]byte("MSCF"), "CAB"},
	{[]byte("\x7fELF"), "ELF"},
	{[]byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), "OLE"},
	{[]byte("regf"), "REGISTRY"},
	{[]byte("ElfFile"), "EVTX"},
	{[]byte("\x30\x82"), "DER"},
}

// FileType names the type of data by its first bytes.
func FileType(data []byte) string {
	for _, m := range magic {
		if bytes.HasPrefix(data, m.sig) {
			return m.name
		}
	}
	return "UNKNOWN"
}
