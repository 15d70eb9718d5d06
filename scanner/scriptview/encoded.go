package scriptview

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
)

// Script Encoder blocks (VBScript.Encode / JScript.Encode, the format
// screnc.exe writes and asp.dll and WSH run): the code between
//
//	#@~^LLLLLL== <encoded text> CCCCCC==^#~@
//
// where LLLLLL and CCCCCC are a 32-bit little-endian length and checksum
// in base64. Each printable ASCII character (and tab) of the code is
// substituted by one of three tables; which table depends on the
// character's position in the block through a fixed pattern of 64. The
// characters the encoded text may not hold are written as two-character
// escapes (@& newline, @# carriage return, @* '>', @! '<', @$ '@').
// Other control characters and non-ASCII bytes are kept as they are and
// do not move the position. The checksum is the sum of the decoded ASCII
// characters. A double-byte character (the page's code page, GBK on
// Chinese servers) is kept whole: its second byte may be ASCII and is
// not decoded. Whether the bytes above 0x7f start double-byte characters
// is not written in the block, so both readings are tried and the one
// whose checksum matches is kept.

const (
	encStart = "#@~^"
	encEnd   = "^#~@"
	// encHeader is the start marker and the base64 length ("XXXXXX==").
	encHeader = len(encStart) + 8
	// encTrailer is the base64 checksum before the end marker.
	encTrailer = 8
)

// encPattern says, for a character's position in the block modulo 64,
// which of the three substitutions (columns of encDecode) encoded it.
var encPattern = [64]uint8{
	0, 1, 2, 0, 1, 2, 1, 2, 2, 1, 2, 1, 0, 2, 1, 2,
	0, 2, 1, 2, 0, 0, 1, 2, 2, 1, 0, 2, 1, 2, 2, 1,
	0, 0, 2, 1, 2, 1, 2, 0, 2, 0, 0, 1, 2, 0, 2, 1,
	0, 2, 1, 2, 0, 0, 1, 2, 2, 0, 0, 1, 2, 0, 2, 1,
}

// encDecode maps an encoded character to the plain character under each
// of the three substitutions. Only tab and 0x20..0x7f other than '<',
// '>' and '@' are substituted (encodable); each column is a permutation
// of those 94 characters.
var encDecode = [128][3]byte{
	'\t': {0x57, 0x6e, 0x7b},
	0x20: {0x2e, 0x2d, 0x32}, 0x21: {0x47, 0x75, 0x30}, 0x22: {0x7a, 0x52, 0x21}, 0x23: {0x56, 0x60, 0x29},
	0x24: {0x42, 0x71, 0x5b}, 0x25: {0x6a, 0x5e, 0x38}, 0x26: {0x2f, 0x49, 0x33}, 0x27: {0x26, 0x5c, 0x3d},
	0x28: {0x49, 0x62, 0x58}, 0x29: {0x41, 0x7d, 0x3a}, 0x2a: {0x34, 0x29, 0x35}, 0x2b: {0x32, 0x36, 0x65},
	0x2c: {0x5b, 0x20, 0x39}, 0x2d: {0x76, 0x7c, 0x5c}, 0x2e: {0x72, 0x7a, 0x56}, 0x2f: {0x43, 0x7f, 0x73},
	0x30: {0x38, 0x6b, 0x66}, 0x31: {0x39, 0x63, 0x4e}, 0x32: {0x70, 0x33, 0x45}, 0x33: {0x45, 0x2b, 0x6b},
	0x34: {0x68, 0x68, 0x62}, 0x35: {0x71, 0x51, 0x59}, 0x36: {0x4f, 0x66, 0x78}, 0x37: {0x09, 0x76, 0x5e},
	0x38: {0x62, 0x31, 0x7d}, 0x39: {0x44, 0x64, 0x4a}, 0x3a: {0x23, 0x54, 0x6d}, 0x3b: {0x75, 0x43, 0x71},
	0x3d: {0x7e, 0x3a, 0x60}, 0x3f: {0x5e, 0x7e, 0x53},
	0x41: {0x77, 0x45, 0x42}, 0x42: {0x4a, 0x2c, 0x27}, 0x43: {0x61, 0x2a, 0x48}, 0x44: {0x5d, 0x74, 0x72},
	0x45: {0x22, 0x27, 0x75}, 0x46: {0x4b, 0x37, 0x31}, 0x47: {0x6f, 0x44, 0x37}, 0x48: {0x4e, 0x79, 0x4d},
	0x49: {0x3b, 0x59, 0x52}, 0x4a: {0x4c, 0x2f, 0x22}, 0x4b: {0x50, 0x6f, 0x54}, 0x4c: {0x67, 0x26, 0x6a},
	0x4d: {0x2a, 0x72, 0x47}, 0x4e: {0x7d, 0x6a, 0x64}, 0x4f: {0x74, 0x39, 0x2d}, 0x50: {0x54, 0x7b, 0x20},
	0x51: {0x2b, 0x3f, 0x7f}, 0x52: {0x2d, 0x38, 0x2e}, 0x53: {0x2c, 0x77, 0x4c}, 0x54: {0x30, 0x67, 0x5d},
	0x55: {0x6e, 0x53, 0x7e}, 0x56: {0x6b, 0x47, 0x6c}, 0x57: {0x66, 0x34, 0x6f}, 0x58: {0x35, 0x78, 0x79},
	0x59: {0x25, 0x5d, 0x74}, 0x5a: {0x21, 0x30, 0x43}, 0x5b: {0x64, 0x23, 0x26}, 0x5c: {0x4d, 0x5a, 0x76},
	0x5d: {0x52, 0x5b, 0x25}, 0x5e: {0x63, 0x6c, 0x24}, 0x5f: {0x3f, 0x48, 0x2b}, 0x60: {0x7b, 0x55, 0x28},
	0x61: {0x78, 0x70, 0x23}, 0x62: {0x29, 0x69, 0x41}, 0x63: {0x28, 0x2e, 0x34}, 0x64: {0x73, 0x4c, 0x09},
	0x65: {0x59, 0x21, 0x2a}, 0x66: {0x33, 0x24, 0x44}, 0x67: {0x7f, 0x4e, 0x3f}, 0x68: {0x6d, 0x50, 0x77},
	0x69: {0x55, 0x09, 0x3b}, 0x6a: {0x53, 0x56, 0x55}, 0x6b: {0x7c, 0x73, 0x69}, 0x6c: {0x3a, 0x35, 0x61},
	0x6d: {0x5f, 0x61, 0x63}, 0x6e: {0x65, 0x4b, 0x50}, 0x6f: {0x46, 0x58, 0x67}, 0x70: {0x58, 0x3b, 0x51},
	0x71: {0x31, 0x57, 0x49}, 0x72: {0x69, 0x22, 0x4f}, 0x73: {0x6c, 0x6d, 0x46}, 0x74: {0x5a, 0x4d, 0x68},
	0x75: {0x48, 0x25, 0x7c}, 0x76: {0x27, 0x28, 0x36}, 0x77: {0x5c, 0x46, 0x70}, 0x78: {0x3d, 0x4a, 0x6e},
	0x79: {0x24, 0x32, 0x7a}, 0x7a: {0x79, 0x41, 0x2f}, 0x7b: {0x37, 0x3d, 0x5f}, 0x7c: {0x60, 0x5f, 0x4b},
	0x7d: {0x51, 0x4f, 0x5a}, 0x7e: {0x20, 0x42, 0x2c}, 0x7f: {0x36, 0x65, 0x57},
}

// encodable says whether the Script Encoder substitutes c.
func encodable(c byte) bool {
	return c == '\t' || c >= 0x20 && c < 0x80 && c != '<' && c != '>' && c != '@'
}

// encEscape is the character each @x escape stands for.
func encEscape(c byte) (byte, bool) {
	switch c {
	case '&':
		return '\n', true
	case '#':
		return '\r', true
	case '*':
		return '>', true
	case '!':
		return '<', true
	case '$':
		return '@', true
	}
	return 0, false
}

// DecodeEncoded replaces every complete Script Encoder block in b with
// its decoded code, each behind the block's start marker and length
// ("#@~^LLLLLL==" and a newline, so a rule still sees that the page was
// encoded). It returns b itself when there is no block. The result is
// never longer than b.
func DecodeEncoded(b []byte) []byte {
	i := bytes.Index(b, []byte(encStart))
	if i < 0 {
		return b
	}
	out := make([]byte, 0, len(b))
	for i >= 0 {
		start := i
		body, next, ok := encBlock(b[start:])
		if !ok {
			// Not a block: keep the marker and look further on.
			out = append(out, b[:start+len(encStart)]...)
			b = b[start+len(encStart):]
		} else {
			out = append(out, b[:start+encHeader]...)
			out = append(out, '\n')
			out = decodeBlock(out, body.text, body.sum)
			b = b[start+next:]
		}
		i = bytes.Index(b, []byte(encStart))
	}
	return append(out, b...)
}

type encBody struct {
	text []byte
	sum  uint32
}

// encBlock parses the block at the start of b: its encoded text, its
// checksum and the length of the whole block.
func encBlock(b []byte) (encBody, int, bool) {
	if len(b) < encHeader+encTrailer+len(encEnd) || !b64word(b[len(encStart):encHeader]) {
		return encBody{}, 0, false
	}
	end := bytes.Index(b[encHeader:], []byte(encEnd))
	if end < encTrailer {
		return encBody{}, 0, false
	}
	end += encHeader
	trailer := b[end-encTrailer : end]
	if !b64word(trailer) {
		return encBody{}, 0, false
	}
	return encBody{text: b[encHeader : end-encTrailer], sum: b64uint32(trailer)}, end + len(encEnd), true
}

// b64word says whether w is six base64 characters and "==".
func b64word(w []byte) bool {
	if len(w) != 8 || w[6] != '=' || w[7] != '=' {
		return false
	}
	for _, c := range w[:6] {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/') {
			return false
		}
	}
	return true
}

// b64uint32 decodes a base64 word (b64word) to its little-endian value.
func b64uint32(w []byte) uint32 {
	var v [6]byte
	if _, err := base64.StdEncoding.Decode(v[:], w); err != nil {
		return 0
	}
	return binary.LittleEndian.Uint32(v[:4])
}

// decodeBlock appends the decoded text of one block to dst: read with
// double-byte characters when that reading's checksum is sum, else with
// single bytes when that one's is, else (a damaged block) double-byte.
func decodeBlock(dst, text []byte, sum uint32) []byte {
	mark := len(dst)
	dst, got := decodeText(dst, text, true)
	if got == sum {
		return dst
	}
	end := len(dst)
	dst, got = decodeText(dst, text, false)
	if got == sum {
		n := copy(dst[mark:], dst[end:])
		return dst[:mark+n]
	}
	return dst[:end]
}

// decodeText appends the decoded text to dst and returns the checksum of
// what it decoded. With dbcs, a byte above 0x7f and the byte after it are
// one character, copied as they are.
func decodeText(dst, text []byte, dbcs bool) ([]byte, uint32) {
	var sum uint32
	pos := 0
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case c == '@' && i+1 < len(text):
			if e, ok := encEscape(text[i+1]); ok {
				c = e
				i++
			}
		case c >= 0x80:
			dst = append(dst, c)
			if dbcs && i+1 < len(text) && text[i+1] >= 0x40 && text[i+1] != 0x7f {
				i++
				dst = append(dst, text[i])
			}
			continue
		case encodable(c):
			c = encDecode[c][encPattern[pos%64]]
		}
		dst = append(dst, c)
		sum += uint32(c)
		pos++
	}
	return dst, sum
}
