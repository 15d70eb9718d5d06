package logs

import (
	"bytes"
	"io"
)

const (
	bufSize      = 1 << 20 // initial read buffer
	longLineSize = 1 << 20 // lines longer than this are counted as long
	maxLineSize  = 4 << 20 // line buffer cap: the rest of a longer line is skipped
	sniffSize    = 64 << 10
)

// lineScanner splits a byte stream into lines inside one reusable buffer.
// A returned line stays valid until the next call. Memory is bounded by
// max: a longer line is returned cut at max bytes and the rest of it is
// skipped. A run of NUL bytes (left by a crash in preallocated log space)
// ends a line piece the way a newline does, without counting a new line.
type lineScanner struct {
	src   io.Reader
	buf   []byte
	start int // start of the current line
	r     int // next unread byte
	w     int // end of buffered data
	eof   bool
	err   error // source error, returned after the buffered data
	max   int

	nl       int64 // newlines consumed
	lineNo   int64 // 1-based physical line where the current line starts
	lineEnd  int   // end of the current line (without terminator)
	term     bool  // the current line ended with a newline
	skipping bool  // skip to the next newline before the next line

	// Source offsets (see Reader.Checkpoint): off is the source offset of
	// buf[mark]; cost gives the source bytes of decoded bytes (nil: one
	// each).
	off  int64
	mark int
	cost func([]byte) int64

	st *Stats
}

// account moves mark to p, adding the source bytes of buf[mark:p] to off.
func (s *lineScanner) account(p int) {
	if p > s.mark {
		if s.cost != nil {
			s.off += s.cost(s.buf[s.mark:p])
		} else {
			s.off += int64(p - s.mark)
		}
	}
	s.mark = p
}

// offset returns the source offset of the next unread byte.
func (s *lineScanner) offset() int64 {
	s.account(s.r)
	return s.off
}

// discard drops the whole buffer (everything in it is consumed).
func (s *lineScanner) discard() {
	s.account(s.w)
	s.start, s.r, s.w, s.mark = 0, 0, 0, 0
}

// newLineScanner makes a scanner whose buffer fits sizeHint (the input
// size when known, else 0) up to bufSize.
func newLineScanner(src io.Reader, st *Stats, sizeHint int64) *lineScanner {
	n := bufSize
	if sizeHint > 0 && sizeHint < bufSize-1 {
		n = max(int(sizeHint)+1, 4096)
	}
	return &lineScanner{src: src, buf: make([]byte, n), max: maxLineSize, st: st}
}

// growTo enlarges the buffer to n bytes (for decoded streams whose size
// the hint does not tell).
func (s *lineScanner) growTo(n int) {
	if len(s.buf) < n {
		nb := make([]byte, n)
		copy(nb, s.buf[:s.w])
		s.buf = nb
	}
}

// fill reads once into the free tail of the buffer.
func (s *lineScanner) fill() {
	if s.eof {
		return
	}
	for tries := 0; ; tries++ {
		n, err := s.src.Read(s.buf[s.w:])
		s.w += n
		s.st.Bytes += int64(n)
		if err != nil {
			s.eof = true
			if err != io.EOF {
				s.err = err
			}
			return
		}
		if n > 0 {
			return
		}
		if tries > 100 {
			s.eof, s.err = true, io.ErrNoProgress
			return
		}
	}
}

// fillTo reads until at least n bytes are buffered or the source ends.
func (s *lineScanner) fillTo(n int) {
	if n > len(s.buf) {
		n = len(s.buf)
	}
	for s.w < n && !s.eof {
		s.fill()
	}
}

// compact moves the current line to the front of the buffer. It grows
// the buffer (up to max) when the line already fills it, or when the
// buffer was sized for a small input that turned out to be longer. It
// reports false when the line has reached max and cannot grow.
func (s *lineScanner) compact() bool {
	if s.start == 0 && len(s.buf) >= s.max {
		return false
	}
	nb := s.buf
	if s.start == 0 || len(s.buf) < bufSize {
		nb = make([]byte, min(2*len(s.buf), s.max))
	}
	s.account(s.start)
	copy(nb, s.buf[s.start:s.w])
	s.buf = nb
	s.mark = 0
	s.r -= s.start
	s.w -= s.start
	s.lineEnd -= s.start
	s.start = 0
	return true
}

// done reports the end of input: the source error if any, else io.EOF.
func (s *lineScanner) done() error {
	if s.err != nil {
		return s.err
	}
	return io.EOF
}

// next returns the next line without its line terminator (LF or CRLF).
func (s *lineScanner) next() ([]byte, error) {
	if s.skipping {
		s.skipRest()
	}
	// Skip NUL runs at the start of a line.
	for {
		for s.r < s.w && s.buf[s.r] == 0 {
			s.r++
			s.st.NULBytes++
		}
		if s.r < s.w || s.eof {
			break
		}
		s.discard()
		s.fill()
	}
	if s.r >= s.w && s.eof {
		return nil, s.done()
	}
	s.start = s.r
	s.lineNo = s.nl + 1
	return s.scan(), nil
}

// canExtend reports whether the current line ended with a newline and more
// input may follow, so that extend can append the next physical line.
func (s *lineScanner) canExtend() bool {
	if !s.term || s.skipping {
		return false
	}
	if s.r < s.w {
		return true
	}
	s.peek(1)
	return s.r < s.w
}

// peek returns up to n bytes after the current line without consuming
// them. It may move the buffer: re-read the current line with cur.
func (s *lineScanner) peek(n int) []byte {
	for s.w-s.r < n && !s.eof {
		if s.w == len(s.buf) && !s.compact() {
			break
		}
		s.fill()
	}
	end := s.r + n
	if end > s.w {
		end = s.w
	}
	return s.buf[s.r:end]
}

// cur returns the current line again (after peek moved the buffer).
func (s *lineScanner) cur() []byte { return s.buf[s.start:s.lineEnd] }

// extend appends the next physical line to the current one (for quoted
// CSV values that contain a line break) and returns the combined line,
// which includes the line break between them.
func (s *lineScanner) extend() []byte {
	return s.scan()
}

// scan finds the end of the line that starts at s.start, searching from s.r.
func (s *lineScanner) scan() []byte {
	from := s.r // first byte of this physical line's part
	search := s.r
	for {
		if i := bytes.IndexByte(s.buf[search:s.w], '\n'); i >= 0 {
			end := search + i
			if j := bytes.IndexByte(s.buf[from:end], 0); j >= 0 {
				return s.cut(from + j)
			}
			s.r = end + 1
			s.nl++
			s.term = true
			if end-from > longLineSize {
				s.st.LongLines++
			}
			if end > s.start && s.buf[end-1] == '\r' {
				end--
			}
			s.lineEnd = end
			return s.buf[s.start:end]
		}
		search = s.w
		if s.eof {
			if j := bytes.IndexByte(s.buf[from:s.w], 0); j >= 0 {
				return s.cut(from + j)
			}
			s.r = s.w
			s.term = false
			s.st.Truncated = true
			if s.w-from > longLineSize {
				s.st.LongLines++
			}
			end := s.w
			if end > s.start && s.buf[end-1] == '\r' {
				end--
			}
			s.lineEnd = end
			return s.buf[s.start:end]
		}
		if s.w == len(s.buf) {
			old := s.start
			if !s.compact() {
				return s.cutLong(from)
			}
			shift := old - s.start
			from -= shift
			search -= shift
		}
		s.fill()
	}
}

// cutLong returns a line that reached the cap cut, and skips the rest.
func (s *lineScanner) cutLong(from int) []byte {
	if j := bytes.IndexByte(s.buf[from:s.w], 0); j >= 0 {
		return s.cut(from + j)
	}
	s.r = s.w
	s.term = false
	s.skipping = true
	s.st.LongLines++
	s.st.CutLines++
	s.lineEnd = s.w
	return s.buf[s.start:s.w]
}

// cut ends the current line piece at a NUL byte at position at; the NUL
// run is skipped by the next call to next.
func (s *lineScanner) cut(at int) []byte {
	s.r = at
	s.term = false
	s.lineEnd = at
	return s.buf[s.start:at]
}

// skipRest discards input up to and including the next newline.
func (s *lineScanner) skipRest() {
	s.skipping = false
	for {
		if i := bytes.IndexByte(s.buf[s.r:s.w], '\n'); i >= 0 {
			s.st.SkippedBytes += int64(i)
			s.r += i + 1
			s.nl++
			return
		}
		s.st.SkippedBytes += int64(s.w - s.r)
		s.discard()
		if s.eof {
			// still inside the line: a reader resumed later goes on
			// skipping it
			s.skipping = true
			return
		}
		s.fill()
	}
}
