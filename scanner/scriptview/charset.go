package scriptview

import (
	"bytes"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// Chinese pages (the "da ma" kits and their UI) are mostly saved in GBK
// (GB2312, code page 936), not UTF-8. The view turns them into UTF-8 so a
// rule can name a UI string once, and so a double-byte character whose
// second byte is '\\' or '|' cannot bend the parsing of a literal.

// hintLen is how much of the start of a file is searched for a code page
// or charset declaration.
const hintLen = 8 << 10

// gbkHints and otherHints are declarations of the page's code page:
// <%@ CodePage=936 %>, Session.CodePage = 936, charset=gb2312 ...
var (
	gbkHints   = []string{"codepage=936", "codepage=\"936", "charset=gb2312", "charset=gbk", "charset=gb18030", "charset=\"gb2312", "charset=\"gbk", "charset=\"gb18030"}
	otherHints = []string{"charset=big5", "charset=shift_jis", "charset=euc-", "charset=iso-8859", "charset=windows-125", "codepage=125", "codepage=950", "codepage=932", "codepage=949", "charset=\"big5", "charset=\"shift_jis", "charset=\"iso-8859", "charset=\"windows-125", "charset=ks_c"}
)

// minPairs is how many GB2312-range byte pairs a file without a
// declaration needs before it is read as GBK.
const minPairs = 4

// FromGBK returns b decoded from GBK to UTF-8 when b is not UTF-8 and is
// GBK text: declared so (a GB2312/GBK/GB18030 charset or code page 936 in
// its first 8 KiB), or, with no declaration of another code page, when
// nearly all its bytes above 0x7f pair up as GB2312 characters (both
// bytes 0xa1..0xfe; Latin-1 accents followed by ASCII letters do not).
// Otherwise b is returned as it is. The result is at most 1.5 times as
// long as b.
func FromGBK(b []byte) []byte {
	if utf8.Valid(b) {
		return b
	}
	gbk, other := declared(b)
	if !gbk && (other || !looksGB2312(b)) {
		return b
	}
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(b)
	if err != nil || len(out) > len(b)*3/2 {
		return b
	}
	return out
}

// declared says whether the first hintLen bytes of b declare a GBK code
// page, and whether they declare another one.
func declared(b []byte) (gbk, other bool) {
	head := b[:min(len(b), hintLen)]
	// Lower case without spaces, so "CodePage = 936" and "charset= GB2312"
	// match.
	low := make([]byte, 0, len(head))
	for _, c := range head {
		if c == ' ' || c == '\t' {
			continue
		}
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		low = append(low, c)
	}
	has := func(hints []string) bool {
		for _, h := range hints {
			if bytes.Contains(low, []byte(h)) {
				return true
			}
		}
		return false
	}
	return has(gbkHints), has(otherHints)
}

// looksGB2312 says whether at least 95% of the bytes above 0x7f (and at
// least minPairs pairs) form GB2312 pairs.
func looksGB2312(b []byte) bool {
	pairs, other := 0, 0
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c < 0x80 {
			continue
		}
		if c >= 0xa1 && c <= 0xfe && i+1 < len(b) && b[i+1] >= 0xa1 && b[i+1] <= 0xfe {
			pairs++
			i++
			continue
		}
		if c >= 0x81 && c <= 0xfe && i+1 < len(b) && b[i+1] >= 0x40 && b[i+1] != 0x7f && b[i+1] != 0xff {
			// A GBK pair outside GB2312: allowed, but counts against.
			i++
		}
		other++
	}
	return pairs >= minPairs && other*20 <= pairs
}
