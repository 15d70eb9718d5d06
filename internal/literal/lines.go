package literal

import (
	"bytes"
	"encoding/binary"
	"slices"
	"strings"
)

// LineSet finds which of a set of literals occur in a byte string,
// ASCII case-insensitively and reading '+' as a space (IIS writes spaces
// as '+'). It is the line prefilter's engine, so it runs over every byte
// of every log line, but looks at only some positions:
//
// Every needle is indexed by the stride 4-byte grams at offsets o..o+stride-1
// (o picked so that the grams are unlikely in log text), where the stride
// is 4 when every needle has at least 7 bytes, 2 when at least 5, else 1.
// Any occurrence of a needle then puts one of its grams at a position
// divisible by the stride, so the scan hashes (case-folded) only those
// grams and tests one bit each in a 64 Ki-bit table that fits the L1
// cache. Only where a bit is set are the needles of that gram compared.
//
// File needles ("/name.aspx" and the other page extensions) are indexed
// by their extension, then looked up whole from the '/' before it:
// hundreds of webshell names share ".aspx".
//
// A needle shorter than 4 bytes cannot be indexed: the set then reports a
// hit for every input (see Exact). A byte outside ASCII anywhere is a hit
// too (Unicode case folding can turn such text into ASCII letters).
type LineSet struct {
	bits   [1 << gramBits / 64]uint64
	start  []uint32 // gram hash -> refs[start[h]:start[h+1]]
	refs   []gramRef
	stride int
	files  map[string][]int32 // file needle -> ids
	exact  bool               // false: some needle is too short to index; everything is a hit
	n      int
	hasAny bool
}

const (
	gramBits = 16
	minGram  = 4
	// fileTrigger marks the index entries of file extensions.
	fileTrigger = -2
	// maxFileNeedle bounds the look back from an extension to its '/'.
	maxFileNeedle = 128
)

// MinLineNeedle is the shortest needle a LineSet indexes; a shorter one
// makes every input a hit.
const MinLineNeedle = minGram

// IsPageNeedle reports whether n is a file needle ("/name.aspx" and the
// other page extensions), indexed by its extension whatever its length.
func IsPageNeedle(n string) bool {
	_, ok := fileExt(LineFoldString(n))
	return ok
}

// Exact is false when some needle is too short to index, so that every
// input is a hit.
func (s *LineSet) Exact() bool { return s.exact }

// fileExts are the extensions of file needles: page types webshells use.
var fileExts = []string{".aspx", ".ashx", ".asmx", ".ascx", ".asax"}

type gramRef struct {
	off    int    // where the gram sits in the needle
	id     int32  // needle id (its index in the constructor's list); -1: a hit alone decides; fileTrigger
	needle []byte // folded (LineFold)
}

func gramHash(k uint32) uint32 {
	return (k * 0x9E3779B1) >> (32 - gramBits)
}

// foldGram folds the ASCII letters of four bytes to lower case. Other
// bytes with bit 5 clear change too; that only adds candidates, which the
// exact comparison then rejects. '+' and ' ' differ here: needles register
// their grams with either (see variants).
func foldGram(k uint32) uint32 { return k | 0x20202020 }

// LineFold is the folding of log-line searches: ASCII lower case
// (LowerByte), and '+' read as ' '.
func LineFold(c byte) byte {
	if c == '+' {
		return ' '
	}
	return LowerByte(c)
}

// LineFoldString folds every byte of s with LineFold.
func LineFoldString(s string) string {
	b := []byte(s)
	for i, c := range b {
		b[i] = LineFold(c)
	}
	return string(b)
}

// variants returns w and its copies with any mix of '+' and ' ' where w
// has a space (w folded, so it has no '+').
func variants(w string) []string {
	out := []string{w}
	for i := 0; i < len(w); i++ {
		if w[i] != ' ' {
			continue
		}
		for _, v := range out {
			out = append(out, v[:i]+"+"+v[i+1:])
		}
	}
	return out
}

// NewLineSet indexes two lists: needles whose hits are recorded by id
// (the index in grouped) for the caller to combine, and needles a hit of
// which alone decides.
func NewLineSet(grouped, alone []string) *LineSet {
	s := &LineSet{exact: true, stride: 4}
	type entry struct {
		n  string
		id int32
	}
	var entries []entry
	triggers := map[string]bool{}
	add := func(n string, id int32) {
		n = LineFoldString(n)
		s.hasAny = true
		if ext, ok := fileExt(n); ok {
			if s.files == nil {
				s.files = map[string][]int32{}
			}
			if !triggers[ext] {
				triggers[ext] = true
				entries = append(entries, entry{ext, fileTrigger})
			}
			if !slices.Contains(s.files[n], id) {
				s.files[n] = append(s.files[n], id)
			}
			return
		}
		if len(n) < minGram {
			s.exact = false
			return
		}
		entries = append(entries, entry{n, id})
	}
	for i, n := range grouped {
		add(n, int32(i))
	}
	seen := map[string]bool{}
	for _, n := range alone {
		if !seen[n] {
			seen[n] = true
			add(n, -1)
		}
	}
	s.n = len(grouped) + len(seen)
	for _, e := range entries {
		s.stride = min(s.stride, len(e.n)-minGram+1)
	}
	if s.stride == 3 {
		s.stride = 2
	}
	type item struct {
		h   uint32
		ref gramRef
	}
	var items []item
	for _, e := range entries {
		o := bestWindow(e.n, minGram+s.stride-1)
		for q := o; q < o+s.stride; q++ {
			for _, g := range variants(e.n[q : q+minGram]) {
				k := foldGram(binary.LittleEndian.Uint32([]byte(g)))
				items = append(items, item{gramHash(k), gramRef{q, e.id, []byte(e.n)}})
			}
		}
	}
	slices.SortStableFunc(items, func(a, b item) int { return int(a.h) - int(b.h) })
	s.start = make([]uint32, 1<<gramBits+1)
	for _, it := range items {
		s.bits[it.h/64] |= 1 << (it.h % 64)
		s.refs = append(s.refs, it.ref)
		s.start[it.h+1]++
	}
	for i := 1; i < len(s.start); i++ {
		s.start[i] += s.start[i-1]
	}
	return s
}

// fileExt returns the extension of a file needle: "/", a name without
// '/', and one of fileExts.
func fileExt(n string) (string, bool) {
	if len(n) < 4 || n[0] != '/' || len(n) > maxFileNeedle || strings.IndexByte(n[1:], '/') >= 0 || strings.IndexByte(n, ' ') >= 0 {
		return "", false
	}
	for _, e := range fileExts {
		if strings.HasSuffix(n, e) && len(n) > len(e)+1 {
			return e, true
		}
	}
	return "", false
}

// byteWeight estimates how common a byte is in IIS and Exchange log lines,
// in occurrences per thousand bytes, upper and lower case together. The
// figures are rounded from the byte counts of a few hundred real IIS and
// HttpProxy logs; '=' and '&' are raised to what OWA query strings have.
// Bytes not listed are rarer than one in ten thousand.
func byteWeight(c byte) int { return int(byteFreq[LineFold(c)]) + 1 }

var byteFreq = func() (t [256]uint8) {
	for _, p := range []struct {
		chars string
		w     uint8
	}{
		{" ", 106}, {"t", 48}, {"i", 46}, {"0", 44}, {".l", 42}, {"/", 40},
		{"1oe", 38}, {"a", 37}, {"6", 34}, {":n", 32}, {"p", 28}, {"s", 27}, {"3", 25},
		{"2h", 23}, {"-5", 22}, {"w", 20}, {"47k", 16}, {"cm", 15}, {"8", 14}, {"d", 13},
		{"r", 12}, {"=&", 10}, {"g", 9}, {"()", 8}, {"x9", 7}, {"f", 6}, {"b;", 5}, {"z,", 4},
		{"u", 3}, {"#yv%", 1},
	} {
		for i := 0; i < len(p.chars); i++ {
			t[p.chars[i]] = p.w
		}
	}
	return t
}()

// bestWindow picks the offset of the needle's least common window of size
// bytes, scoring each 4-byte gram in it by the product of its byte
// weights; the last one on ties, since needles often share prefixes.
func bestWindow(n string, size int) int {
	const g = minGram
	best, bw := 0, int64(1)<<62
	for o := 0; o+size <= len(n); o++ {
		var w int64
		for q := o; q+g <= o+size; q++ {
			p := int64(1)
			for j := q; j < q+g; j++ {
				p *= int64(byteWeight(n[j]))
			}
			w += p
		}
		if w <= bw {
			best, bw = o, w
		}
	}
	return best
}

// Scan looks for every needle in b: it sets the bit of each grouped
// needle found in found (one bit per id), and returns true as soon as an
// alone needle is found, or b has a byte outside ASCII (or always, when
// the set is not exact).
func (s *LineSet) Scan(b []byte, found []uint64) bool {
	if !s.exact {
		return true
	}
	if !s.hasAny {
		return hasHighByte(b)
	}
	var high uint64
	i := 0
	for {
		var h uint64
		var at int
		at, i, h = s.next(b, i)
		high |= h
		if at < 0 {
			break
		}
		if s.verifyBlock(b, at, found) {
			return true
		}
	}
	// the tail: i is the first position no block covered
	for j := i; j < len(b); j++ {
		high |= uint64(b[j])
	}
	if high&0x8080808080808080 != 0 {
		return true
	}
	bits := &s.bits
	for ; i+minGram <= len(b); i += s.stride {
		h := gramHash(foldGram(binary.LittleEndian.Uint32(b[i:])))
		if bits[h/64]>>(h%64)&1 != 0 && s.verify(s.refs[s.start[h]:s.start[h+1]], b, i, found) {
			return true
		}
	}
	return false
}

// next looks at the 8-byte blocks of b from i (a multiple of 8) for one
// with a gram at a multiple of the stride whose bit is set. It returns
// that block's start (or -1), the next block to look at, and the OR of
// the bytes it read, for the non-ASCII test. It calls nothing, so its
// loops keep their values in registers.
func (s *LineSet) next(b []byte, i int) (at, from int, high uint64) {
	bits := &s.bits
	switch s.stride {
	case 4:
		for ; i+8 <= len(b); i += 8 {
			raw := binary.LittleEndian.Uint64(b[i:])
			high |= raw
			x := raw | 0x2020202020202020
			h0, h1 := gramHash(uint32(x)), gramHash(uint32(x>>32))
			if (bits[h0/64]>>(h0%64)|bits[h1/64]>>(h1%64))&1 != 0 {
				return i, i + 8, high
			}
		}
	case 2:
		for ; i+10 <= len(b); i += 8 {
			raw := binary.LittleEndian.Uint64(b[i:])
			high |= raw
			x := raw | 0x2020202020202020
			y := binary.LittleEndian.Uint64(b[i+2:]) | 0x2020202020202020
			h0, h1 := gramHash(uint32(x)), gramHash(uint32(x>>32))
			h2, h3 := gramHash(uint32(y)), gramHash(uint32(y>>32))
			if (bits[h0/64]>>(h0%64)|bits[h1/64]>>(h1%64)|bits[h2/64]>>(h2%64)|bits[h3/64]>>(h3%64))&1 != 0 {
				return i, i + 8, high
			}
		}
	default:
		for ; i+12 <= len(b); i += 8 {
			raw := binary.LittleEndian.Uint64(b[i:])
			high |= raw
			x := raw | 0x2020202020202020
			y := binary.LittleEndian.Uint64(b[i+4:]) | 0x2020202020202020
			var hit uint64
			for k := 0; k < 4; k++ {
				h0, h1 := gramHash(uint32(x>>(8*k))), gramHash(uint32(y>>(8*k)))
				hit |= bits[h0/64]>>(h0%64) | bits[h1/64]>>(h1%64)
			}
			if hit&1 != 0 {
				return i, i + 8, high
			}
		}
	}
	return -1, i, high
}

// verifyBlock checks the grams of the block at i whose bits are set.
func (s *LineSet) verifyBlock(b []byte, i int, found []uint64) bool {
	bits := &s.bits
	for k := 0; k < 8; k += s.stride {
		h := gramHash(foldGram(binary.LittleEndian.Uint32(b[i+k:])))
		if bits[h/64]>>(h%64)&1 != 0 && s.verify(s.refs[s.start[h]:s.start[h+1]], b, i+k, found) {
			return true
		}
	}
	return false
}

// verify records the needles of refs that occur with their gram at
// position i of b, and reports whether one of them is an alone needle.
func (s *LineSet) verify(refs []gramRef, b []byte, i int, found []uint64) bool {
	for _, r := range refs {
		p := i - r.off
		if p < 0 || p+len(r.needle) > len(b) || !hasLineFoldPrefix(b[p:], r.needle) {
			continue
		}
		if r.id == fileTrigger {
			if s.fileAt(b, p+len(r.needle), found) {
				return true
			}
			continue
		}
		if r.id < 0 {
			return true
		}
		found[r.id/64] |= 1 << (r.id % 64)
	}
	return false
}

// fileAt looks up the file needle that would end at end (just after an
// extension), from the nearest '/' before it: a file needle has no other
// '/', so if one occurs there, it starts at that '/'.
func (s *LineSet) fileAt(b []byte, end int, found []uint64) bool {
	var buf [maxFileNeedle]byte
	start := max(end-maxFileNeedle, 0)
	p := bytes.LastIndexByte(b[start:end], '/')
	if p < 0 {
		return false
	}
	key := buf[:0]
	for _, c := range b[start+p : end] {
		key = append(key, LineFold(c))
	}
	for _, id := range s.files[string(key)] {
		if id < 0 {
			return true
		}
		found[id/64] |= 1 << (id % 64)
	}
	return false
}

// hasLineFoldPrefix: b starts with the folded needle n (see LineFold).
func hasLineFoldPrefix(b, n []byte) bool {
	for i, c := range n {
		if LineFold(b[i]) != c {
			return false
		}
	}
	return true
}

// hasHighByte reports whether b has a byte outside ASCII, eight bytes at
// a time.
func hasHighByte(b []byte) bool {
	var acc uint64
	i := 0
	for ; i+8 <= len(b); i += 8 {
		acc |= binary.LittleEndian.Uint64(b[i:])
	}
	for ; i < len(b); i++ {
		acc |= uint64(b[i])
	}
	return acc&0x8080808080808080 != 0
}

// LineNeedle is a folded needle looked for directly: it jumps with
// bytes.IndexByte between the places where its least common byte occurs,
// in each of the forms that fold to it.
type LineNeedle struct {
	n     []byte
	a     int    // offset of the anchor byte
	forms []byte // the bytes that fold to n[a]
}

func NewLineNeedle(n string) LineNeedle {
	l := LineNeedle{n: []byte(n)}
	for i := 1; i < len(n); i++ {
		if byteWeight(n[i]) < byteWeight(n[l.a]) {
			l.a = i
		}
	}
	for c := 0; c < 256; c++ {
		if len(n) > 0 && LineFold(byte(c)) == n[l.a] {
			l.forms = append(l.forms, byte(c))
		}
	}
	return l
}

// In reports whether b holds the needle (see LineFold).
func (l *LineNeedle) In(b []byte) bool {
	if len(l.n) == 0 {
		return true
	}
	if len(b) < len(l.n) {
		return false
	}
	for _, c := range l.forms {
		for from := l.a; from < len(b); {
			j := bytes.IndexByte(b[from:], c)
			if j < 0 {
				break
			}
			p := from + j - l.a
			if p+len(l.n) <= len(b) && hasLineFoldPrefix(b[p:], l.n) {
				return true
			}
			from += j + 1
		}
	}
	return false
}
