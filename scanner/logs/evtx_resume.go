package logs

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"io"
)

// Following a Windows event log that grows: new records are written into
// the current chunk, then into new chunks. A Checkpoint of an event log
// is the file offset of the chunk of the last record read and that
// record's identifier; Resume reads that chunk again (it may have more
// records now) and the chunks after it, and returns only the records
// with a larger identifier.

// evtxHeaderBlock is the file header block before the first chunk.
const evtxHeaderBlock = 4096

// evtxTail reads an event log from a checkpoint on.
type evtxTail struct {
	s     *evtxSource
	base  int64  // file offset where s starts
	after uint64 // identifier of the last record returned
	cur   int64  // chunk offset of the last record returned
	at    int64  // chunk offset of the records pending
	reads int    // chunks read
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
	base := cp.Offset
	if base < evtxHeaderBlock {
		base = 0
	}
	sec := io.NewSectionReader(src, base, max(limit-base, 0))
	es := newEVTXSource(rd, countingReader{r: sec, n: &rd.stats.BytesIn}).(*evtxSource)
	es.started = base > 0
	rd.records = &evtxTail{s: es, base: base, after: cp.Record, cur: cp.Offset}
	return rd, nil
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
// event log at or after cp: its file header and the header of the chunk
// cp names. (Windows updates a live log's size and time late.)
func EVTXMark(src io.ReaderAt, cp Checkpoint) uint32 {
	var b [256]byte
	src.ReadAt(b[:128], 0)
	if cp.Offset >= evtxHeaderBlock {
		src.ReadAt(b[128:], cp.Offset)
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
	if end := t.base + s.offset; end > evtxHeaderBlock {
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
