package rules

// URL decoding of request URIs and raw lines (decoded-uri).

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// urlDecode appends one pass of %xx / %uXXXX decoding of src to dst;
// invalid escapes stay as they are. A "+" at or after offset plusFrom
// (when >= 0) becomes a space.
func urlDecode(dst, src []byte, plusFrom int) []byte {
	for i := 0; i < len(src); {
		// copy the run up to the next byte that may need decoding
		j := i
		for j < len(src) && src[j] != '%' && (src[j] != '+' || plusFrom < 0 || j < plusFrom) {
			j++
		}
		dst = append(dst, src[i:j]...)
		if j == len(src) {
			break
		}
		i = j
		c := src[i]
		if c == '+' {
			dst = append(dst, ' ')
			i++
			continue
		}
		if i+2 < len(src) {
			if h, ok := unhex(src[i+1]); ok {
				if l, ok := unhex(src[i+2]); ok {
					dst = append(dst, h<<4|l)
					i += 3
					continue
				}
			}
		}
		if i+5 < len(src) && (src[i+1] == 'u' || src[i+1] == 'U') {
			var r rune
			ok := true
			for k := 2; k <= 5; k++ {
				d, good := unhex(src[i+k])
				if !good {
					ok = false
					break
				}
				r = r<<4 | rune(d)
			}
			if ok {
				dst = utf8.AppendRune(dst, r)
				i += 6
				continue
			}
		}
		dst = append(dst, c)
		i++
	}
	return dst
}

// decodeURI decodes the whole URI twice (%25xx -> %xx -> x); "+" in the
// query (after the stem's stemLen bytes) reads as a space.
func decodeURI(full string, stemLen int) string {
	if strings.IndexByte(full, '%') < 0 && strings.IndexByte(full[stemLen:], '+') < 0 {
		return full
	}
	var tmp []byte
	return string(decodeURIInto(nil, []byte(full), stemLen, &tmp))
}

// decodeURIInto appends the decoded form of full to dst, using *tmp as
// scratch for the first pass.
func decodeURIInto(dst, full []byte, stemLen int, tmp *[]byte) []byte {
	if bytes.IndexByte(full, '%') < 0 && bytes.IndexByte(full[stemLen:], '+') < 0 {
		return append(dst, full...)
	}
	*tmp = urlDecode((*tmp)[:0], full, stemLen)
	if bytes.IndexByte(*tmp, '%') < 0 {
		return append(dst, *tmp...)
	}
	return urlDecode(dst, *tmp, -1)
}
