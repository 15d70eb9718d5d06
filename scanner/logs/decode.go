package logs

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"unicode/utf16"
	"unicode/utf8"
)

// ErrCorrupt is wrapped by the error returned when a compressed log is
// damaged or cut short; the records before the damage have been returned.
var ErrCorrupt = errors.New("compressed log is damaged or truncated")

type countingReader struct {
	r io.Reader
	n *int64
}

func (c countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	*c.n += int64(n)
	return n, err
}

// gzipReader wraps gzip errors so that they say what happened.
type gzipReader struct {
	z   *gzip.Reader
	out int64 // decompressed bytes so far
}

func (g *gzipReader) Read(p []byte) (int, error) {
	n, err := g.z.Read(p)
	g.out += int64(n)
	if err != nil && err != io.EOF {
		err = fmt.Errorf("%w after %d decompressed bytes: %w", ErrCorrupt, g.out, err)
	}
	return n, err
}

func (g *gzipReader) Close() error { return g.z.Close() }

// setupDecoding looks at the start of the stream and installs the layers it
// needs: gzip, then UTF-16 transcoding, then it skips a UTF-8 BOM. It
// leaves at least sniffSize bytes (or the whole input) buffered.
func (rd *Reader) setupDecoding() error {
	s := rd.sc
	s.fillTo(sniffSize)
	if s.w >= 2 && s.buf[0] == 0x1f && s.buf[1] == 0x8b {
		prefix := append([]byte(nil), s.buf[:s.w]...)
		rest := io.MultiReader(bytes.NewReader(prefix), s.src)
		if s.err != nil { // replay the source error after the prefix
			rest = io.MultiReader(rest, errReader{s.err})
		}
		z, err := gzip.NewReader(rest)
		if err != nil {
			return fmt.Errorf("%w: %w", ErrCorrupt, err)
		}
		g := &gzipReader{z: z}
		rd.closers = append(rd.closers, g)
		rd.compressed = true
		rd.resetSource(g)
	}
	if spec := sniffBinary(s.buf[:s.w]); spec != nil {
		rd.spec = spec
		return nil
	}
	switch {
	case s.w >= 3 && s.buf[0] == 0xef && s.buf[1] == 0xbb && s.buf[2] == 0xbf:
		s.r, s.start = 3, 3
		rd.bom = 3
	case s.w >= 2 && s.buf[0] == 0xff && s.buf[1] == 0xfe:
		rd.transcode(2, false)
	case s.w >= 2 && s.buf[0] == 0xfe && s.buf[1] == 0xff:
		rd.transcode(2, true)
	case looksUTF16(s.buf[:s.w], false):
		rd.transcode(0, false)
	case looksUTF16(s.buf[:s.w], true):
		rd.transcode(0, true)
	}
	return nil
}

// resetSource replaces the scanner's source and refills the buffer from it.
func (rd *Reader) resetSource(src io.Reader) {
	s := rd.sc
	s.growTo(bufSize)
	s.src = src
	s.start, s.r, s.w, s.mark, s.off = 0, 0, 0, 0, 0
	s.eof, s.err = false, nil
	rd.stats.Bytes = 0
	s.fillTo(sniffSize)
}

// transcode switches the stream to UTF-16 decoding, skipping skip bytes.
func (rd *Reader) transcode(skip int, bigEndian bool) {
	s := rd.sc
	prefix := append([]byte(nil), s.buf[skip:s.w]...)
	var rest io.Reader = io.MultiReader(bytes.NewReader(prefix), s.src)
	if s.err != nil {
		rest = io.MultiReader(rest, errReader{s.err})
	}
	rd.utf16, rd.bigEndian, rd.bom = true, bigEndian, skip
	rd.resetSource(&utf16Reader{src: rest, be: bigEndian, in: make([]byte, 64<<10)})
	s.off, s.cost = int64(skip), utf16Cost
}

// looksUTF16 reports whether b starts like BOM-less UTF-16 text: ASCII
// characters alternating with zero bytes.
func looksUTF16(b []byte, bigEndian bool) bool {
	if len(b) < 8 {
		return false
	}
	for i := 0; i+1 < 8; i += 2 {
		lo, hi := b[i], b[i+1]
		if bigEndian {
			lo, hi = hi, lo
		}
		if hi != 0 || lo == 0 || lo >= 0x80 || (lo < 0x20 && lo != '\t' && lo != '\r' && lo != '\n') {
			return false
		}
	}
	return true
}

// utf16Cost is the UTF-16 size of UTF-8 text the utf16Reader wrote: one
// unit per character, two for characters outside the BMP.
func utf16Cost(b []byte) int64 {
	n := int64(0)
	for _, c := range b {
		switch {
		case c < 0x80 || (c >= 0xc0 && c < 0xf0):
			n += 2
		case c >= 0xf0:
			n += 4
		}
	}
	return n
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// utf16Reader transcodes UTF-16 to UTF-8. Unpaired surrogates and a final
// odd byte become U+FFFD.
type utf16Reader struct {
	src    io.Reader
	be     bool
	in     []byte
	inN    int // bytes buffered in in
	out    []byte
	outBuf []byte
	err    error
}

func (u *utf16Reader) unit(i int) uint16 {
	if u.be {
		return uint16(u.in[i])<<8 | uint16(u.in[i+1])
	}
	return uint16(u.in[i+1])<<8 | uint16(u.in[i])
}

func (u *utf16Reader) Read(p []byte) (int, error) {
	for len(u.out) == 0 {
		if u.err != nil {
			return 0, u.err
		}
		n, err := u.src.Read(u.in[u.inN:])
		u.inN += n
		if err != nil {
			u.err = err
		} else if n == 0 {
			continue
		}
		u.decode(u.err != nil)
	}
	n := copy(p, u.out)
	u.out = u.out[n:]
	return n, nil
}

func (u *utf16Reader) decode(final bool) {
	out := u.outBuf[:0]
	i := 0
	for ; i+1 < u.inN; i += 2 {
		c := rune(u.unit(i))
		if c < utf8.RuneSelf {
			out = append(out, byte(c))
			continue
		}
		switch {
		case utf16.IsSurrogate(c) && c < 0xdc00: // high surrogate
			if i+3 >= u.inN {
				if !final {
					goto stop
				}
				c = utf8.RuneError
				break
			}
			c2 := rune(u.unit(i + 2))
			if r := utf16.DecodeRune(c, c2); r != utf8.RuneError {
				c = r
				i += 2
			} else {
				c = utf8.RuneError
			}
		case utf16.IsSurrogate(c):
			c = utf8.RuneError
		}
		out = utf8.AppendRune(out, c)
	}
stop:
	if final && i < u.inN { // odd trailing byte
		out = utf8.AppendRune(out, utf8.RuneError)
		i = u.inN
	}
	u.inN = copy(u.in, u.in[i:u.inN])
	u.outBuf = out
	u.out = out
}
