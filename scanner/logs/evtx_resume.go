package logs

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"io"
)

// Following a Windows event log that grows: new records are written into
// the current chunk, then into new chunks; a full log wraps around and
// overwrites its oldest chunks. A Checkpoint of an event log is the file
// offset of the chunk of the last record read and that record's
// identifier; Resume reads that chunk again (it may have more records
// now) and the chunks whose header names later records, in the order
// they were written (after it in the file, then from the first chunk on),
// and returns only the records with a larger identifier.

// evtxHeaderBlock is the file header block before the first chunk.
const evtxHeaderBlock = 4096

// evtxTail reads an event log from a checkpoint on.
type evtxTail struct {
	s     *evtxSource
	after uint64 // identifier of the last record returned
	cur   int64  // chunk offset of the last record returned
	at    int64  // chunk offset of the records pending
	reads int    // chunks read

	chunks []int64 // resumed: the offsets of the chunks read, in order
}

func resumeEVTX(src io.ReaderAt, size int64, name string, cp Checkpoint, o ResumeOptions) (*Reader, error) {
	limit := size
	if o.Tail {
		limit = evtxWholeChunks(size)
	}
	if cp.Record > 0 && evtxRestarted(src, cp) {
		cp = Checkpoint{} // cleared: its records start again at 1
	}
	rd := &Reader{name: name, format: FormatEVTX, spec: evtxSpec, family: evtxSpec.family(name, "")}
	rd.sc = newLineScanner(bytes.NewReader(nil), &rd.stats, 1)
	t := &evtxTail{after: cp.Record, cur: cp.Offset}
	var in io.Reader
	if cp.Offset < evtxHeaderBlock {
		in = io.NewSectionReader(src, 0, limit)
	} else {
		t.chunks = evtxChunksAfter(src, limit, cp)
		parts := make([]io.Reader, len(t.chunks))
		for i, at := range t.chunks {
			parts[i] = io.NewSectionReader(src, at, evtxChunkSize)
		}
		in = io.MultiReader(parts...)
	}
	t.s = newEVTXSource(rd, countingReader{r: in, n: &rd.stats.BytesIn}).(*evtxSource)
	t.s.started = t.chunks != nil
	rd.records = t
	return rd, nil
}

// evtxChunksAfter returns the whole chunks below limit that may hold
// records after cp's, in the order they were written: cp's own chunk,
// those after it in the file, then (a full log that wrapped around) those
// from the first chunk on; each (but cp's) only if its header names a
// record after cp's.
func evtxChunksAfter(src io.ReaderAt, limit int64, cp Checkpoint) []int64 {
	var out []int64
	if cp.Offset+evtxChunkSize <= limit {
		out = append(out, cp.Offset)
	}
	var h [40]byte
	for _, span := range [][2]int64{{cp.Offset + evtxChunkSize, limit}, {evtxHeaderBlock, cp.Offset}} {
		for at := span[0]; at+evtxChunkSize <= span[1]; at += evtxChunkSize {
			if n, _ := src.ReadAt(h[:], at); n < len(h) || !bytes.HasPrefix(h[:], []byte(evtxChunkMagic)) {
				continue
			}
			if binary.LittleEndian.Uint64(h[24:]) > cp.Record || binary.LittleEndian.Uint64(h[32:]) > cp.Record {
				out = append(out, at)
			}
		}
	}
	return out
}

// evtxRestarted reports whether the log's records start again below the
// checkpoint's (the log was cleared in place): both the file header's
// next record identifier and the checkpoint chunk's last one are not
// past it.
func evtxRestarted(src io.ReaderAt, cp Checkpoint) bool {
	var fh, ch [40]byte
	if n, _ := src.ReadAt(fh[:], 0); n < len(fh) {
		return false
	}
	if n, _ := src.ReadAt(ch[:], cp.Offset); n < len(ch) || !bytes.HasPrefix(ch[:], []byte(evtxChunkMagic)) {
		return false
	}
	return binary.LittleEndian.Uint64(fh[24:]) <= cp.Record && binary.LittleEndian.Uint64(ch[32:]) < cp.Record
}

// EVTXMark returns a value that changes when records are written to an
// event log after cp: its file header, the header of the chunk cp names
// and of the chunk after it (the first one after the last). Windows
// updates a live log's size and time late, and a full log keeps its size.
func EVTXMark(src io.ReaderAt, cp Checkpoint) uint32 {
	var b [384]byte
	src.ReadAt(b[:128], 0)
	if cp.Offset >= evtxHeaderBlock {
		src.ReadAt(b[128:256], cp.Offset)
		if n, _ := src.ReadAt(b[256:], cp.Offset+evtxChunkSize); n == 0 {
			src.ReadAt(b[256:], evtxHeaderBlock)
		}
	}
	return crc32.ChecksumIEEE(b[:])
}

// evtxWholeChunks is the end of the last whole chunk of a file of size
// bytes (0 while the header block is incomplete).
func evtxWholeChunks(size int64) int64 {
	if size < evtxHeaderBlock {
		return 0
	}
	return evtxHeaderBlock + (size-evtxHeaderBlock)/evtxChunkSize*evtxChunkSize
}

func (t *evtxTail) next() (*Record, error) {
	for {
		p, err := t.s.nextPending(t.chunkRead)
		if err != nil {
			return nil, err
		}
		if id := p.r.Header.RecordID; id > t.after {
			t.after, t.cur = id, t.at
			return t.s.record(p), nil
		}
	}
}

// chunkRead notes the offset of the chunk just read. The chunk read again
// for the records added since the last read was counted then: its counts
// are not repeated.
func (t *evtxTail) chunkRead(before Stats) {
	s := t.s
	switch end := s.offset; {
	case t.chunks != nil:
		if t.reads < len(t.chunks) {
			t.at = t.chunks[t.reads]
		}
	case end > evtxHeaderBlock:
		t.at = evtxHeaderBlock + (end-evtxHeaderBlock-1)/evtxChunkSize*evtxChunkSize
	}
	if t.reads == 0 && t.after > 0 {
		st := &s.rd.stats
		st.Chunks, st.DamagedChunks, st.Malformed = before.Chunks, before.DamagedChunks, before.Malformed
	}
	t.reads++
}

func (t *evtxTail) checkpoint() Checkpoint {
	return Checkpoint{Offset: t.cur, Record: t.after}
}

// EVTXEnd returns the checkpoint at the end of an event log: its last
// chunk and the last record identifier its header names, to follow the
// log from there on. ok is false when src is not an event log or has no
// chunk yet.
func EVTXEnd(src io.ReaderAt, size int64) (cp Checkpoint, ok bool) {
	var hdr [40]byte
	if n, _ := src.ReadAt(hdr[:8], 0); n < 8 || !bytes.Equal(hdr[:8], []byte(evtxFileMagic)) {
		return Checkpoint{}, false
	}
	for at := evtxWholeChunks(size) - evtxChunkSize; at >= evtxHeaderBlock; at -= evtxChunkSize {
		if n, _ := src.ReadAt(hdr[:], at); n < len(hdr) || !bytes.HasPrefix(hdr[:], []byte(evtxChunkMagic)) {
			continue
		}
		// the chunk header's last event record identifier
		return Checkpoint{Offset: at, Record: binary.LittleEndian.Uint64(hdr[32:])}, true
	}
	return Checkpoint{}, true
}

// IsEVTX reports whether head starts like a Windows event log.
func IsEVTX(head []byte) bool { return bytes.HasPrefix(head, []byte(evtxFileMagic)) }
