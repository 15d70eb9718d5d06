// Package evtxtest writes small .evtx files for tests: one chunk of
// records, each record an <Event> whose <System> holds the given values
// as plain BinXML elements (no templates), the shape the EVTX reader
// renders like the templated records Windows writes.
package evtxtest

import (
	"encoding/binary"
	"time"
	"unicode/utf16"
)

// Record is one event: System values and the time written.
type Record struct {
	Channel, Provider, EventID, Computer string
	Time                                 time.Time
}

const (
	chunkSize   = 0x10000
	chunkHeader = 0x200
	recordHead  = 24
)

// File returns an .evtx file of one chunk holding the records, numbered
// from 1 in their order. It panics if they do not fit in one chunk.
func File(recs ...Record) []byte {
	return write(len(recs), func(i, base int) []byte { return event(base, recs[i]) }, func(i int) time.Time { return recs[i].Time })
}

// Bodies returns an .evtx file of one chunk whose records have the given
// BinXML bodies (written as they are) and a fixed time.
func Bodies(bodies ...[]byte) []byte {
	t := time.Date(2021, 2, 18, 0, 0, 0, 0, time.UTC)
	return write(len(bodies), func(i, _ int) []byte { return bodies[i] }, func(int) time.Time { return t })
}

// write makes a file of n records; body gives record i's BinXML for its
// chunk offset.
func write(n int, body func(i, base int) []byte, when func(i int) time.Time) []byte {
	file := make([]byte, 4096+chunkSize)
	copy(file, "ElfFile\x00")
	binary.LittleEndian.PutUint64(file[24:], uint64(n+1)) // next record id
	binary.LittleEndian.PutUint32(file[32:], 128)         // header size
	binary.LittleEndian.PutUint16(file[36:], 1)           // minor version
	binary.LittleEndian.PutUint16(file[38:], 3)           // major version
	binary.LittleEndian.PutUint16(file[40:], 4096)        // header block size
	binary.LittleEndian.PutUint16(file[42:], 1)           // chunks
	c := file[4096:]
	copy(c, "ElfChnk\x00")
	binary.LittleEndian.PutUint64(c[8:], 1)          // first record number
	binary.LittleEndian.PutUint64(c[16:], uint64(n)) // last record number
	binary.LittleEndian.PutUint64(c[24:], 1)         // first record id
	binary.LittleEndian.PutUint64(c[32:], uint64(n)) // last record id
	binary.LittleEndian.PutUint32(c[40:], 128)
	off, last := chunkHeader, chunkHeader
	for i := range n {
		body := body(i, off+recordHead)
		size := recordHead + len(body) + 4
		size += (8 - size%8) % 8
		if off+size > chunkSize {
			panic("evtxtest: records do not fit in one chunk")
		}
		rec := c[off : off+size]
		copy(rec, "\x2a\x2a\x00\x00")
		binary.LittleEndian.PutUint32(rec[4:], uint32(size))
		binary.LittleEndian.PutUint64(rec[8:], uint64(i+1))
		binary.LittleEndian.PutUint64(rec[16:], uint64(when(i).UnixNano()/100+116444736000000000))
		copy(rec[recordHead:], body)
		binary.LittleEndian.PutUint32(rec[size-4:], uint32(size))
		last = off
		off += size
	}
	binary.LittleEndian.PutUint32(c[44:], uint32(last)) // last record offset
	binary.LittleEndian.PutUint32(c[48:], uint32(off))  // free space offset
	return file
}

// RecordOffsets returns the chunk offsets of the records of a File (the
// record chain walked by size), for tests that damage one.
func RecordOffsets(file []byte) []int {
	c := file[4096:]
	free := int(binary.LittleEndian.Uint32(c[48:]))
	var out []int
	for off := chunkHeader; off < free; off += int(binary.LittleEndian.Uint32(c[off+4:])) {
		out = append(out, off)
	}
	return out
}

// binxml writes BinXML at a known chunk offset (names are written inline,
// where their offset field points).
type binxml struct {
	base int
	b    []byte
}

func (x *binxml) u8(v byte)    { x.b = append(x.b, v) }
func (x *binxml) u16(v uint16) { x.b = binary.LittleEndian.AppendUint16(x.b, v) }
func (x *binxml) u32(v uint32) { x.b = binary.LittleEndian.AppendUint32(x.b, v) }

func (x *binxml) str(s string) {
	u := utf16.Encode([]rune(s))
	x.u16(uint16(len(u)))
	for _, c := range u {
		x.u16(c)
	}
}

func (x *binxml) name(s string) {
	x.u32(uint32(x.base + len(x.b) + 4)) // the name follows
	x.u32(0)                             // next name
	x.u16(0)                             // hash
	x.str(s)
	x.u16(0)
}

func (x *binxml) text(s string) {
	x.u8(0x05) // value text
	x.u8(0x01) // string
	x.str(s)
}

// elem writes <name attr="val">text</name> (attr and text optional).
func (x *binxml) elem(name, attr, val, text string) {
	if attr != "" {
		x.u8(0x41)
	} else {
		x.u8(0x01)
	}
	x.u16(0xffff) // dependency id
	x.u32(0)      // data size (not read)
	x.name(name)
	if attr != "" {
		x.u32(0) // attribute list size (not read)
		x.u8(0x06)
		x.name(attr)
		x.text(val)
	}
	x.u8(0x02) // close start element
	if text != "" {
		x.text(text)
	}
}

func (x *binxml) end() { x.u8(0x04) }

func event(base int, r Record) []byte {
	x := &binxml{base: base}
	x.b = append(x.b, 0x0f, 0x01, 0x01, 0x00) // fragment header
	x.elem("Event", "", "", "")
	x.elem("System", "", "", "")
	x.elem("Provider", "Name", r.Provider, "")
	x.end()
	for _, e := range [][2]string{{"EventID", r.EventID}, {"Channel", r.Channel}, {"Computer", r.Computer}} {
		x.elem(e[0], "", "", e[1])
		x.end()
	}
	x.end() // System
	x.end() // Event
	x.u8(0x00)
	return x.b
}
