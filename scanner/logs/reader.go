package logs

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
)

// ErrUnknownFormat is wrapped by the error NewReader and Open return for
// input that is not a log format exscan reads.
var ErrUnknownFormat = errors.New("not a recognised log format")

// Stats counts what a Reader has seen so far. Every line that does not
// become a record is counted somewhere here.
type Stats struct {
	BytesIn       int64 // bytes read from the source (the compressed size for gzip)
	Bytes         int64 // bytes of text read (after decompression and transcoding)
	Lines         int64 // physical lines read
	Records       int64 // records returned by Next
	Skimmed       int64 // of those, records skimmed (see SetFilter)
	Directives    int64 // '#' directive lines and CSV header lines
	Blank         int64 // empty lines
	Malformed     int64 // data lines skipped: wrong number of fields, no usable header, garbage
	Ragged        int64 // CSV rows kept although their value count differs from the header's
	BadTime       int64 // records kept with a zero Time because their timestamp did not parse
	LongLines     int64 // physical lines longer than 1 MiB
	CutLines      int64 // lines longer than the 4 MiB line cap: cut, the rest skipped
	SkippedBytes  int64 // bytes skipped from cut lines
	NULBytes      int64 // NUL bytes dropped (a NUL run ends a line piece)
	HeaderChanges int64 // field layouts taken from the input (#Fields or CSV header)
	Truncated     bool  // the last line had no line terminator (it was still parsed); a cut .evtx chunk

	// Windows event logs
	Chunks        int64 // 64 KiB chunks read
	DamagedChunks int64 // chunks with a bad signature or a broken record chain
	Unrendered    int64 // records whose structure could not be rendered: only their text is kept (field "Strings")
	Dirty         bool  // the file header says the log was not closed cleanly
}

// Reader reads log records from one file or stream. It is not safe for
// concurrent use.
type Reader struct {
	name       string
	format     Format
	family     string
	sc         *lineScanner
	stats      Stats
	rec        Record
	closers    []io.Closer
	compressed bool
	utf16      bool
	bigEndian  bool // UTF-16 byte order
	bom        int  // bytes of byte order mark before the text
	err        error

	header  []headerLine // header lines in force (see Checkpoint)
	startNL int64        // lines before where the reader started (Resume)
	maxLine int          // lines longer than this are skipped (Resume)

	keep func([]byte) (bool, uint64) // see SetFilter
	hint uint64                      // the filter's hint for the line being parsed

	spec    *FormatSpec
	lines   lineParser   // text formats
	skimmer timeSkimmer  // lines, when it can skim
	records recordSource // binary formats
}

// Open opens a log file read-only and detects its format from its content.
// It returns an error wrapping ErrUnknownFormat (and closes the file) when
// the content is not a log format exscan reads. An empty file gives a
// Reader with FormatUnknown and no records.
func Open(path string) (*Reader, error) {
	f, err := openReadOnly(path)
	if err != nil {
		return nil, err
	}
	r, err := NewReader(f, path)
	if err != nil {
		f.Close()
		return nil, err
	}
	r.closers = append(r.closers, f)
	return r, nil
}

// NewReader reads a log from r. name is the file path (or any label); its
// folders name the log family (W3SVC1, HttpProxy\Owa) and it breaks ties
// when the content alone is not conclusive, but never overrides the
// content. Gzip input is decompressed, UTF-16 (with a BOM or plainly ASCII
// text) is transcoded, and a UTF-8 BOM is dropped.
func NewReader(r io.Reader, name string) (*Reader, error) {
	return newReader(r, name, "")
}

// detectWindow is how much of a file format detection reads.
const detectWindow = 64 << 10

// newReader is NewReader with an optional forced format (for tests and fuzzing).
func newReader(r io.Reader, name string, force Format) (*Reader, error) {
	rd := &Reader{name: name}
	rd.sc = newLineScanner(countingReader{r: r, n: &rd.stats.BytesIn}, &rd.stats, sizeOf(r))
	if err := rd.setupDecoding(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if rd.spec != nil && (force == "" || force == rd.spec.Name) {
		// a binary format, sniffed by setupDecoding
		rd.format = rd.spec.Name
		rd.family = rd.spec.family(name, "")
		s := rd.sc
		rest := io.MultiReader(bytes.NewReader(append([]byte(nil), s.buf[s.r:s.w]...)), s.src)
		if s.err != nil {
			rest = io.MultiReader(rest, errReader{s.err})
		}
		s.start, s.r, s.w, s.eof = 0, 0, 0, true
		rd.records = rd.spec.records(rd, rest)
		return rd, nil
	}
	rd.spec = nil
	// The first 64 KiB decide the format; looking further costs a pass
	// over the first buffer of every file and changes nothing.
	win, eof := rd.sc.buf[rd.sc.r:rd.sc.w], rd.sc.eof
	if len(win) > detectWindow {
		win, eof = win[:detectWindow], false
	}
	d := detect(win, eof, name)
	if force != "" {
		d.format = force
	}
	rd.format = d.format
	if spec := Spec(d.format); spec != nil && spec.lines != nil {
		rd.spec = spec
		rd.lines = spec.lines(rd, d)
		rd.skimmer, _ = rd.lines.(timeSkimmer)
	} else if !d.empty {
		return nil, fmt.Errorf("%s: %w", name, ErrUnknownFormat)
	} else {
		rd.format = FormatUnknown
	}
	rd.family = familyFor(d.format, name, d.logType)
	return rd, nil
}

// Format returns the detected format.
func (r *Reader) Format() Format { return r.format }

// Name returns the name the Reader was opened with.
func (r *Reader) Name() string { return r.name }

// Family returns the log family of the file as a whole, e.g. "iis/W3SVC1"
// or "httpproxy/Owa". Records may carry a more precise one (HttpProxy
// records without a protocol folder take it from their Protocol field).
func (r *Reader) Family() string { return r.family }

// Compressed reports whether the input was gzip-compressed.
func (r *Reader) Compressed() bool { return r.compressed }

// Stats returns the counters so far.
func (r *Reader) Stats() Stats {
	st := r.stats
	st.Lines = r.sc.nl - r.startNL
	if st.Truncated {
		st.Lines++
	}
	return st
}

// Close closes the file opened by Open and releases decoders. It is safe
// to call more than once.
func (r *Reader) Close() error {
	var first error
	for i := len(r.closers) - 1; i >= 0; i-- {
		if err := r.closers[i].Close(); err != nil && first == nil {
			first = err
		}
	}
	r.closers = nil
	if r.err == nil {
		r.err = os.ErrClosed
	}
	return first
}

// Next returns the next record, or io.EOF at the end of the input. Other
// errors (a damaged gzip stream, a read error) come after the records read
// before the damage, and wrap the cause; ErrCorrupt marks damaged
// compressed input. The Record and its strings are reused by the next call:
// use Clone to keep one.
func (r *Reader) Next() (*Record, error) {
	if r.err != nil {
		return nil, r.err
	}
	if r.records != nil {
		rec, err := r.records.next()
		if err != nil {
			if err != io.EOF {
				err = fmt.Errorf("%s: %w", r.name, err)
			}
			r.err = err
			return nil, err
		}
		r.stats.Records++
		return rec, nil
	}
	for {
		line, err := r.sc.next()
		if err != nil {
			if err != io.EOF {
				err = fmt.Errorf("%s: %w", r.name, err)
			}
			r.err = err
			return nil, err
		}
		r.hint = NoHint
		if r.maxLine > 0 && len(line) > r.maxLine {
			r.stats.LongLines++
			r.stats.CutLines++
			r.stats.SkippedBytes += int64(len(line))
			continue
		}
		if r.keep != nil {
			if rec := r.skim(line); rec != nil {
				r.stats.Records++
				return rec, nil
			}
		}
		var ok bool
		if r.lines != nil {
			dirs := r.stats.Directives
			ok = r.lines.parse(line)
			if r.stats.Directives != dirs {
				r.noteHeader(line)
			}
		} else {
			if len(trimSpace(line)) == 0 {
				r.stats.Blank++
				continue
			}
			r.stats.Malformed++
		}
		if ok {
			r.stats.Records++
			return &r.rec, nil
		}
	}
}

// begin prepares the shared record for a parsed line.
func (r *Reader) begin(line []byte) *Record {
	rec := &r.rec
	rec.Format = r.format
	rec.Spec = r.spec
	rec.Family = r.family
	rec.Line = int(r.sc.lineNo)
	rec.Raw = line
	rec.Time = zeroTime
	rec.Skimmed = false
	rec.Hint = r.hint
	return rec
}

func trimSpace(b []byte) []byte {
	i, j := 0, len(b)
	for i < j && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r') {
		i++
	}
	for j > i && (b[j-1] == ' ' || b[j-1] == '\t' || b[j-1] == '\r') {
		j--
	}
	return b[i:j]
}

// sizeOf returns the size of r when it is cheap to know (files, in-memory
// readers), else 0.
func sizeOf(r io.Reader) int64 {
	switch v := r.(type) {
	case interface{ Len() int }:
		return int64(v.Len())
	case interface{ Size() int64 }:
		return v.Size()
	case interface{ Stat() (os.FileInfo, error) }:
		if fi, err := v.Stat(); err == nil && fi.Mode().IsRegular() {
			return fi.Size()
		}
	}
	return 0
}
