package logs

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Reading a file that grows: Checkpoint tells where a Reader stands
// between two records, and Resume makes a Reader that goes on from there
// in the same file, later, with the same line numbers, the same header in
// force (#Fields, the CSV header, #Date) and the format detected from the
// file's start as Open would. `exscan watch` follows logs this way.

// ErrNotResumable is wrapped by the error Resume returns for gzip input.
var ErrNotResumable = errors.New("compressed logs are read whole, not resumed")

// Checkpoint is where a Reader stands between two records. The zero
// Checkpoint is the start of a file.
type Checkpoint struct {
	// Text logs: the source byte offset after the last line read (after
	// its line terminator), the physical lines before it and the header
	// lines in force there. Skip: the offset is inside a line longer than
	// the line cap, whose rest is skipped.
	Offset int64
	Line   int64
	Header []string
	Skip   bool
	// Blind: only Offset is known (a file followed from its end); Resume
	// reads the lines before it for Line and Header.
	Blind bool

	// Windows event logs: Offset is the chunk of the last record read and
	// Record its record identifier; records up to it are not read again.
	Record uint64
}

// ResumeOptions tune Resume.
type ResumeOptions struct {
	// Tail: read up to the end of the last complete line (the last whole
	// chunk of an event log) only; what follows waits for a later Resume.
	Tail bool
	// MaxLine: lines longer than this are skipped, counted in
	// Stats.CutLines (0: the reader's 4 MiB cap).
	MaxLine int
}

// headerLine is a header line in force and its key: the directive name
// ("#fields") or "csv" for a bare CSV header line.
type headerLine struct{ key, line string }

const (
	maxHeaderLines = 32
	maxHeaderBytes = 256 << 10
)

// noteHeader keeps a line the parser took as a directive or header: the
// latest line of each key, the most recently changed last, so that
// replaying them in order restores the parser's state.
func (r *Reader) noteHeader(line []byte) {
	if len(line) == 0 || len(line) > maxHeaderBytes {
		return
	}
	key := "csv"
	if line[0] == '#' {
		k, _, _ := strings.Cut(string(line[1:]), ":")
		key = "#" + strings.ToLower(strings.TrimSpace(k))
	}
	total := len(line)
	for i, h := range r.header {
		if h.key == key {
			if h.line == string(line) {
				return
			}
			r.header = append(r.header[:i], r.header[i+1:]...)
			break
		}
	}
	for _, h := range r.header {
		total += len(h.line)
	}
	if len(r.header) >= maxHeaderLines || total > maxHeaderBytes {
		return
	}
	r.header = append(r.header, headerLine{key: key, line: string(line)})
}

// Checkpoint returns where the reader stands: after the last record Next
// returned (for text, after the last line read). It is meaningful for
// uncompressed input only.
func (r *Reader) Checkpoint() Checkpoint {
	if t, ok := r.records.(*evtxTail); ok {
		return t.checkpoint()
	}
	cp := Checkpoint{Offset: r.sc.offset(), Line: r.sc.nl, Skip: r.sc.skipping}
	for _, h := range r.header {
		cp.Header = append(cp.Header, h.line)
	}
	return cp
}

// consumed returns the source bytes read up to the reader's position.
func (r *Reader) consumed() int64 {
	if t, ok := r.records.(*evtxTail); ok {
		return t.s.offset
	}
	return r.sc.offset()
}

// Resume reads the log src (size bytes, named name as for NewReader) on
// from cp. The format is detected from the file's start, as Open does.
// Gzip input gives an error wrapping ErrNotResumable, content that is not
// a log one wrapping ErrUnknownFormat.
func Resume(src io.ReaderAt, size int64, name string, cp Checkpoint, o ResumeOptions) (*Reader, error) {
	enc, err := sniffEncoding(src, size, name)
	if err != nil {
		return nil, err
	}
	switch {
	case enc.compressed:
		return nil, fmt.Errorf("%s: %w", name, ErrNotResumable)
	case enc.spec == evtxSpec:
		return resumeEVTX(src, size, name, cp, o)
	}
	limit := size
	from := max(cp.Offset, int64(enc.bom))
	if o.Tail {
		limit = enc.lastLineEnd(src, from, size)
	}
	// The buffer is sized for detection and what is appended, not for
	// the whole file: a followed file is resumed at every poll.
	head := hinted{io.NewSectionReader(src, 0, limit), int(min(limit, 2*detectWindow))}
	rd, err := NewReader(head, name)
	if err != nil {
		return nil, err
	}
	if rd.records != nil || rd.compressed {
		// the start of the file changed kind since it was sniffed
		rd.Close()
		return nil, fmt.Errorf("%s: %w", name, ErrNotResumable)
	}
	rd.maxLine = o.MaxLine
	if cp.Blind {
		rd.reposition(src, int64(enc.bom), limit, Checkpoint{})
		rd.skipTo(cp.Offset)
	} else {
		rd.reposition(src, from, limit, cp)
	}
	return rd, nil
}

// hinted is a reader whose Len is a size hint for the reader's buffer.
type hinted struct {
	io.Reader
	n int
}

func (h hinted) Len() int { return h.n }

// sniffEncoding reads the first bytes of src for what decoding the
// reader sets up: gzip, a binary format, UTF-16, a BOM.
func sniffEncoding(src io.ReaderAt, size int64, name string) (*Reader, error) {
	head := make([]byte, min(size, 512))
	if n, err := src.ReadAt(head, 0); n < len(head) {
		if err == nil {
			err = io.ErrUnexpectedEOF
		}
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	rd := &Reader{name: name}
	rd.sc = newLineScanner(bytes.NewReader(head), &rd.stats, int64(len(head)))
	if err := rd.setupDecoding(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	for _, c := range rd.closers {
		c.Close()
	}
	rd.closers = nil
	return rd, nil
}

// lastLineEnd returns the offset after the last line terminator in
// src[from:size] (UTF-16 code units aligned to the text start), from
// when there is none. A last line longer than the reader's cap is not
// waited for: size, so that the reader cuts it.
func (enc *Reader) lastLineEnd(src io.ReaderAt, from, size int64) int64 {
	unit, bom := int64(1), int64(enc.bom)
	if enc.utf16 {
		unit = 2
		size -= (size - bom) % 2
	}
	buf := make([]byte, 64<<10)
	for end := size; end > from; {
		start := max(from, end-int64(len(buf)))
		start += (start - bom) % unit
		b := buf[:end-start]
		if n, _ := src.ReadAt(b, start); n < len(b) {
			return from
		}
		for i := len(b) - int(unit); i >= 0; i -= int(unit) {
			if b[i] == '\n' && (unit == 1 || b[i+1] == 0) && !enc.bigEndian ||
				enc.bigEndian && b[i] == 0 && b[i+1] == '\n' {
				return start + int64(i) + unit
			}
		}
		if size-start > int64(maxLineSize)*unit {
			return size
		}
		end = start
	}
	return from
}

// reposition points the reader, whose format is detected, at src[from:limit]
// with the line count and header state of cp.
func (rd *Reader) reposition(src io.ReaderAt, from, limit int64, cp Checkpoint) {
	s := rd.sc
	var in io.Reader = countingReader{r: io.NewSectionReader(src, from, max(limit-from, 0)), n: &rd.stats.BytesIn}
	if rd.utf16 {
		in = &utf16Reader{src: in, be: rd.bigEndian, in: make([]byte, 64<<10)}
	}
	s.src = in
	s.start, s.r, s.w, s.mark, s.off = 0, 0, 0, 0, from
	s.eof, s.err = false, nil
	s.nl, s.lineNo = cp.Line, cp.Line
	s.skipping = cp.Skip && from == cp.Offset
	rd.header = nil
	if rd.lines != nil {
		for _, h := range cp.Header {
			rd.lines.parse([]byte(h))
			rd.noteHeader([]byte(h))
		}
	}
	rd.stats = Stats{}
	rd.startNL = cp.Line
	rd.err = nil
}

// skipTo reads the lines that start before offset to for the line count
// and the header in force at to, without returning their records.
func (rd *Reader) skipTo(to int64) {
	s := rd.sc
	for s.offset() < to {
		line, err := s.next()
		if err != nil {
			break
		}
		if len(line) == 0 || rd.lines == nil {
			continue
		}
		switch line[0] {
		case '#', 'D', 'd', 'T', 't', '"':
			dirs := rd.stats.Directives
			rd.lines.parse(line)
			if rd.stats.Directives != dirs {
				rd.noteHeader(line)
			}
		}
	}
	rd.stats = Stats{}
	rd.startNL = s.nl
}

// TextEnd returns the offset after the last complete line of the text
// log src (size bytes): where to follow it from. It is size for
// compressed and binary logs.
func TextEnd(src io.ReaderAt, size int64) int64 {
	enc, err := sniffEncoding(src, size, "")
	if err != nil || enc.compressed || enc.spec != nil {
		return size
	}
	return enc.lastLineEnd(src, int64(enc.bom), size)
}
