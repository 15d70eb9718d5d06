package evtxtest

// The stages of a Windows event log that grows, built from the chunks of
// a real one: records added to the current chunk, new chunks, a chunk
// half written.

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"os"
)

const (
	headerBlock = 4096
	chunkMagic  = "ElfChnk\x00"
	recordMagic = "\x2a\x2a\x00\x00"
)

// Log is a real event log cut into chunks.
type Log struct {
	data   []byte
	Chunks int // whole chunks in the file
}

// Load reads an event log.
func Load(path string) (*Log, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(data) < headerBlock || !bytes.HasPrefix(data, []byte("ElfFile\x00")) {
		return nil, fmt.Errorf("%s: not an event log", path)
	}
	l := &Log{data: data, Chunks: (len(data) - headerBlock) / chunkSize}
	for l.Chunks > 0 && !bytes.HasPrefix(l.Chunk(l.Chunks-1), []byte(chunkMagic)) {
		l.Chunks--
	}
	return l, nil
}

// Chunk returns chunk i as the file holds it.
func (l *Log) Chunk(i int) []byte {
	at := headerBlock + i*chunkSize
	return l.data[at : at+chunkSize]
}

// FirstRecords returns chunk i as it is while only its first k records
// are written: the free space offset and last record numbers name the
// k-th, the space after it is zero.
func (l *Log) FirstRecords(i, k int) ([]byte, error) {
	c := append([]byte(nil), l.Chunk(i)...)
	off, last := chunkHeader, chunkHeader
	for n := 0; n < k; n++ {
		size := int(binary.LittleEndian.Uint32(c[off+4:]))
		if string(c[off:off+4]) != recordMagic || size < 28 || off+size > chunkSize {
			return nil, fmt.Errorf("chunk %d has fewer than %d records", i, k)
		}
		last = off
		off += size
	}
	first := binary.LittleEndian.Uint64(c[8:])
	firstID := binary.LittleEndian.Uint64(c[24:])
	binary.LittleEndian.PutUint64(c[16:], first+uint64(k)-1)
	binary.LittleEndian.PutUint64(c[32:], firstID+uint64(k)-1)
	binary.LittleEndian.PutUint32(c[44:], uint32(last))
	binary.LittleEndian.PutUint32(c[48:], uint32(off))
	clear(c[off:])
	return c, nil
}

// File returns the header block naming the chunks given (count, last
// chunk, next record id, checksum), then the chunks.
func (l *Log) File(chunks ...[]byte) []byte {
	hdr := append([]byte(nil), l.data[:headerBlock]...)
	var next uint64
	for _, c := range chunks {
		if bytes.HasPrefix(c, []byte(chunkMagic)) && len(c) == chunkSize {
			next = binary.LittleEndian.Uint64(c[32:]) + 1
		}
	}
	binary.LittleEndian.PutUint64(hdr[8:], 0)
	binary.LittleEndian.PutUint64(hdr[16:], uint64(len(chunks)-1))
	binary.LittleEndian.PutUint64(hdr[24:], next)
	binary.LittleEndian.PutUint16(hdr[42:], uint16(len(chunks)))
	binary.LittleEndian.PutUint32(hdr[124:], crc32.ChecksumIEEE(hdr[:120]))
	out := hdr
	for _, c := range chunks {
		out = append(out, c...)
	}
	return out
}

// Stages returns the files of the log growing to its first n chunks
// (n >= 3): the first chunk with 3 records, with 10, whole; two chunks;
// two and a half (the third being written); then n whole chunks.
func (l *Log) Stages(n int) ([][]byte, error) {
	if n < 3 || n > l.Chunks {
		return nil, fmt.Errorf("%d chunks asked, the log has %d (3 needed)", n, l.Chunks)
	}
	c0, c1, c2 := l.Chunk(0), l.Chunk(1), l.Chunk(2)
	p3, err := l.FirstRecords(0, 3)
	if err != nil {
		return nil, err
	}
	p10, err := l.FirstRecords(0, 10)
	if err != nil {
		return nil, err
	}
	out := [][]byte{l.File(p3), l.File(p10), l.File(c0), l.File(c0, c1), l.File(c0, c1, c2[:chunkSize/2])}
	all := [][]byte{c0, c1, c2}
	for i := 3; i < n; i++ {
		all = append(all, l.Chunk(i))
	}
	return append(out, l.File(all...)), nil
}
