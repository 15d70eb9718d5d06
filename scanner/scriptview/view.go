// Package scriptview derives the normalised view of a server script page
// (classic ASP, ASP.NET, handler and code-behind sources) that the
// capability YARA rules run on, beside the raw bytes.
//
// The view undoes the cheap disguises webshells use so one rule sees
// through all of them:
//
//   - UTF-16 (with or without a byte-order mark) and UTF-8 BOMs become
//     plain UTF-8;
//   - Script Encoder blocks (VBScript.Encode, JScript.Encode: #@~^...^#~@)
//     are decoded (encoded.go);
//   - GBK (GB2312, code page 936) text, declared or recognised, becomes
//     UTF-8 (charset.go);
//   - comments are removed: <%-- --%> everywhere; // and /* */ in C# and
//     JScript; ' and REM in VBScript (only inside server code, so an
//     apostrophe in page text never hides what follows it);
//   - Chr(101), ChrW(&H65), ChrB(...) and String.fromCharCode(101,118)
//     with constant arguments become string literals;
//   - adjacent string literals joined with + or & (VBScript line
//     continuations and comments between them included) become one;
//   - inside string literals, \uXXXX, \xXX, %uXXXX and &#NN; / &#xHH;
//     escapes are decoded;
//   - in server code, whitespace is dropped except between two words; in
//     page text every whitespace run becomes one space.
//
// Every literal comes out double-quoted. The view is deterministic,
// linear in the input and bounded: at most MaxInput bytes of the file are
// read and the view is at most 1.5 times as long as that (UTF-16 text
// outside ASCII grows when it becomes UTF-8; every other step shrinks or
// keeps the length).
package scriptview

import (
	"bytes"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// MaxInput is how much of a file the view is built from.
const MaxInput = 1 << 20

// lookahead bounds how far a literal chain looks past one literal for the
// next (comments and whitespace between pieces), so the view stays linear.
const lookahead = 256

// Lang is the server language of a code block.
type Lang int

const (
	LangVB Lang = iota // VBScript, VB.NET
	LangC              // C#, JScript, JavaScript
)

// scriptExt are the extensions whose files are server code or pages.
var scriptExt = map[string]bool{
	".asp": true, ".aspx": true, ".ashx": true, ".asmx": true, ".asax": true, ".asa": true,
	".ascx": true, ".master": true, ".cshtml": true, ".vbhtml": true, ".svc": true,
	".cs": true, ".vb": true, ".cer": true, ".cdx": true, ".soap": true, ".rem": true,
}

// codeExt are extensions whose whole file is code (no page markup).
var codeExt = map[string]bool{".cs": true, ".vb": true}

// neverScript are extensions of files that are not server code even when
// they hold "<%" (client script, styles, data, images).
var neverScript = map[string]bool{
	".js": true, ".css": true, ".json": true, ".xml": true, ".htm": true, ".html": true,
	".png": true, ".gif": true, ".jpg": true, ".jpeg": true, ".ico": true, ".woff": true,
	".woff2": true, ".svg": true, ".dll": true, ".exe": true, ".pdb": true, ".map": true,
	".zip": true, ".7z": true, ".rar": true, ".gz": true, ".pdf": true, ".log": true,
	".resx": true, ".xsd": true, ".wsdl": true, ".config": true, ".md": true,
}

// sniffLen is how much of a file of another extension is searched for
// server-code markers.
const sniffLen = 64 << 10

// IsScript says whether the file (name, contents) gets a view: a script
// page or source by extension, or a file of another (or no) known
// extension whose start holds server-code markers ("<%", runat=server,
// or a C# handler), as in samples saved with a .txt suffix.
func IsScript(name string, data []byte) bool {
	ext := strings.ToLower(extOf(name))
	if scriptExt[ext] {
		return true
	}
	if neverScript[ext] || len(data) == 0 {
		return false
	}
	head := data
	if len(head) > sniffLen {
		head = head[:sniffLen]
	}
	if len(head) >= 2 && (head[0] == 0xff && head[1] == 0xfe || head[0] == 0xfe && head[1] == 0xff) {
		return true // UTF-16 text: decode and look
	}
	if bytes.IndexByte(head[:min(len(head), 512)], 0) >= 0 {
		return false // binary
	}
	return bytes.Contains(head, []byte("<%")) || containsFold(head, "runat") || containsFold(head, "using system")
}

func extOf(name string) string {
	i := strings.LastIndexAny(name, `./\`)
	if i < 0 || name[i] != '.' {
		return ""
	}
	return name[i:]
}

// View returns the normalised view of data, a file called name.
func View(name string, data []byte) []byte { return AppendView(nil, name, data) }

// AppendView appends the normalised view of data, a file called name, to
// dst (which may be a reused buffer's dst[:0]) and returns it.
func AppendView(dst []byte, name string, data []byte) []byte {
	if len(data) > MaxInput {
		data = data[:MaxInput]
	}
	text := FromGBK(DecodeEncoded(ToUTF8(data)))
	ext := strings.ToLower(extOf(name))
	n := &normaliser{src: text, out: dst}
	n.lang = pageLang(text, ext)
	if codeExt[ext] || !scriptExt[ext] && !bytes.Contains(text, []byte("<%")) && !containsFold(text, "runat") {
		n.code(endNone)
	} else {
		n.page()
	}
	return n.out
}

// ToUTF8 decodes UTF-16 (by byte-order mark, or by the zero bytes of
// ASCII text without one) to UTF-8 and drops a UTF-8 byte-order mark.
// Other bytes are kept as they are.
func ToUTF8(b []byte) []byte {
	switch {
	case bytes.HasPrefix(b, []byte{0xef, 0xbb, 0xbf}):
		return b[3:]
	case bytes.HasPrefix(b, []byte{0xff, 0xfe}):
		return utf16To8(b[2:], false)
	case bytes.HasPrefix(b, []byte{0xfe, 0xff}):
		return utf16To8(b[2:], true)
	}
	if len(b) >= 8 {
		// ASCII text as UTF-16 without a mark: every other byte is zero.
		n := min(len(b), 256) &^ 1
		zeroOdd, zeroEven := 0, 0
		for i := 0; i < n; i += 2 {
			if b[i] == 0 {
				zeroEven++
			}
			if b[i+1] == 0 {
				zeroOdd++
			}
		}
		switch {
		case zeroOdd*10 >= n/2*9 && zeroEven == 0:
			return utf16To8(b, false)
		case zeroEven*10 >= n/2*9 && zeroOdd == 0:
			return utf16To8(b, true)
		}
	}
	return b
}

func utf16To8(b []byte, bigEndian bool) []byte {
	u := make([]uint16, len(b)/2)
	for i := range u {
		if bigEndian {
			u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		} else {
			u[i] = uint16(b[2*i]) | uint16(b[2*i+1])<<8
		}
	}
	out := make([]byte, 0, len(u))
	for _, r := range utf16.Decode(u) {
		out = utf8.AppendRune(out, r)
	}
	return out
}

// pageLang is the page's default server language: the first
// language="..." attribute, else VBScript for classic ASP and C# for the
// rest.
func pageLang(text []byte, ext string) Lang {
	head := text
	if len(head) > 8<<10 {
		head = head[:8<<10]
	}
	if l, ok := langAttr(head); ok {
		return l
	}
	switch ext {
	case ".asp", ".asa", ".vb", ".cer", ".cdx":
		return LangVB
	case "":
		if bytes.Contains(head, []byte("<%")) && !containsFold(head, "<%@ page") && !containsFold(head, "<%@page") {
			return LangVB
		}
	case ".txt":
		if !containsFold(head, "<%@ page") && !containsFold(head, "<%@page") && !containsFold(head, "webhandler") {
			return LangVB
		}
	}
	return LangC
}

// langAttr finds language="x" in b.
func langAttr(b []byte) (Lang, bool) {
	i := indexFold(b, "language")
	if i < 0 {
		return 0, false
	}
	rest := b[i+len("language"):]
	j := 0
	for j < len(rest) && (rest[j] == ' ' || rest[j] == '\t' || rest[j] == '=' || rest[j] == '"' || rest[j] == '\'') {
		j++
	}
	rest = rest[j:]
	switch {
	case hasPrefixFold(rest, "vb"):
		return LangVB, true
	case hasPrefixFold(rest, "c#"), hasPrefixFold(rest, "cs"), hasPrefixFold(rest, "js"), hasPrefixFold(rest, "jscript"), hasPrefixFold(rest, "javascript"):
		return LangC, true
	}
	return 0, false
}

// Where a code block ends.
const (
	endNone    = iota // whole file
	endPercent        // %>
	endScript         // </script>
)

type normaliser struct {
	src  []byte
	pos  int
	out  []byte
	lang Lang
	// stmt: at the start of a VBScript statement (for REM).
	stmt bool
	lit  []byte // scratch for literal values
	val  []byte
}

func (n *normaliser) at(s string) bool { return bytes.HasPrefix(n.src[n.pos:], []byte(s)) }

func (n *normaliser) atFold(s string) bool { return hasPrefixFold(n.src[n.pos:], s) }

// page copies page markup, collapsing whitespace, until server code starts.
func (n *normaliser) page() {
	for n.pos < len(n.src) {
		c := n.src[n.pos]
		switch {
		case c == '<' && n.at("<%--"):
			if i := bytes.Index(n.src[n.pos+4:], []byte("--%>")); i >= 0 {
				n.pos += 4 + i + 4
			} else {
				n.pos = len(n.src)
			}
			n.space()
		case c == '<' && n.at("<%"):
			n.out = append(n.out, "<%"...)
			n.pos += 2
			n.code(endPercent)
		case c == '<' && n.atFold("<script") && n.serverScript():
			n.code(endScript)
		case isSpace(c):
			n.skipSpace()
			n.space()
		default:
			// Copy the run of page text up to the next tag or space.
			j := n.pos + 1
			for j < len(n.src) && n.src[j] != '<' && !isSpace(n.src[j]) {
				j++
			}
			n.out = append(n.out, n.src[n.pos:j]...)
			n.pos = j
		}
	}
}

// serverScript copies a <script ...> tag and says whether it runs on the
// server; it sets the block's language from the tag.
func (n *normaliser) serverScript() bool {
	end := bytes.IndexByte(n.src[n.pos:], '>')
	if end < 0 {
		n.out = append(n.out, n.src[n.pos:]...)
		n.pos = len(n.src)
		return false
	}
	tag := n.src[n.pos : n.pos+end+1]
	n.out = append(n.out, tag...)
	n.pos += end + 1
	if !containsFold(tag, "runat") || !containsFold(tag, "server") {
		return false
	}
	if l, ok := langAttr(tag); ok {
		n.lang = l
	}
	return true
}

// space appends one space unless the output already ends in one.
func (n *normaliser) space() {
	if len(n.out) > 0 && n.out[len(n.out)-1] != ' ' {
		n.out = append(n.out, ' ')
	}
}

func (n *normaliser) skipSpace() {
	for n.pos < len(n.src) && isSpace(n.src[n.pos]) {
		n.pos++
	}
}

// code normalises server code until its end marker.
func (n *normaliser) code(end int) {
	n.stmt = true
	for n.pos < len(n.src) {
		c := n.src[n.pos]
		switch {
		case end == endPercent && c == '%' && n.at("%>"):
			n.out = append(n.out, "%>"...)
			n.pos += 2
			return
		case end == endScript && c == '<' && n.atFold("</script"):
			return
		case isSpace(c):
			nl := false
			for n.pos < len(n.src) && isSpace(n.src[n.pos]) {
				nl = nl || n.src[n.pos] == '\n'
				n.pos++
			}
			if nl {
				n.stmt = true
			}
			if n.pos < len(n.src) && isWord(n.src[n.pos]) && len(n.out) > 0 && isWord(n.out[len(n.out)-1]) {
				n.out = append(n.out, ' ')
			}
		case (c == '\'' || c == '/' || c == '<') && n.comment(end):
			// skipped
		case (c == '"' || c == '\'' || c == '@' || c|0x20 == 'c' || c|0x20 == 's') && n.chain(end):
			n.stmt = false
		case isWord(c):
			start := n.pos
			for n.pos < len(n.src) && isWord(n.src[n.pos]) {
				n.pos++
			}
			word := n.src[start:n.pos]
			if n.lang == LangVB && n.stmt && len(word) == 3 && strings.EqualFold(string(word), "rem") && (n.pos >= len(n.src) || isSpace(n.src[n.pos])) {
				n.skipLine(end)
				continue
			}
			n.out = append(n.out, word...)
			n.stmt = false
		default:
			if c == ':' && n.lang == LangVB || c == ';' || c == '{' || c == '}' {
				n.stmt = true
			} else {
				n.stmt = false
			}
			n.out = append(n.out, c)
			n.pos++
		}
	}
}

// comment skips a comment at the current position and says whether there
// was one.
func (n *normaliser) comment(end int) bool {
	if n.at("<%--") {
		if i := bytes.Index(n.src[n.pos+4:], []byte("--%>")); i >= 0 {
			n.pos += 4 + i + 4
		} else {
			n.pos = len(n.src)
		}
		return true
	}
	if n.lang == LangVB {
		if n.src[n.pos] == '\'' {
			n.skipLine(end)
			return true
		}
		return false
	}
	switch {
	case n.at("//"):
		n.skipLine(end)
		return true
	case n.at("/*"):
		if i := bytes.Index(n.src[n.pos+2:], []byte("*/")); i >= 0 {
			n.pos += 2 + i + 2
		} else {
			n.pos = len(n.src)
		}
		if len(n.out) > 0 && isWord(n.out[len(n.out)-1]) && n.pos < len(n.src) && isWord(n.src[n.pos]) {
			n.out = append(n.out, ' ')
		}
		return true
	}
	return false
}

// skipLine skips to the end of the line, or to %> when the block ends
// there (a line comment does not hide the end of an ASP block).
func (n *normaliser) skipLine(end int) {
	for n.pos < len(n.src) && n.src[n.pos] != '\n' {
		if end == endPercent && n.at("%>") {
			return
		}
		n.pos++
	}
	n.stmt = true
}

// chain reads a literal and every literal joined to it with + or &, and
// writes them as one double-quoted literal. It returns false, and moves
// nothing, when no literal starts here.
func (n *normaliser) chain(end int) bool {
	buf := n.lit[:0]
	if !n.literal(&buf) {
		return false
	}
	for {
		save := n.pos
		n.skipTrivia(end)
		if n.pos < len(n.src) && (n.src[n.pos] == '+' || n.src[n.pos] == '&' && !n.atHexAmp()) {
			n.pos++
			n.skipTrivia(end)
			if n.literal(&buf) {
				continue
			}
		}
		n.pos = save
		break
	}
	n.out = append(n.out, '"')
	n.out = append(n.out, buf...)
	n.out = append(n.out, '"')
	n.lit = buf
	return true
}

// atHexAmp: &H10 and &O17 are VBScript numbers, not concatenation.
func (n *normaliser) atHexAmp() bool {
	return n.pos+1 < len(n.src) && (n.src[n.pos+1]|0x20 == 'h' || n.src[n.pos+1]|0x20 == 'o') && n.pos+2 < len(n.src) && isHex(n.src[n.pos+2])
}

// skipTrivia skips whitespace, comments and VBScript line continuations,
// at most lookahead bytes.
func (n *normaliser) skipTrivia(end int) {
	limit := min(len(n.src), n.pos+lookahead)
	for n.pos < limit {
		c := n.src[n.pos]
		switch {
		case isSpace(c):
			n.pos++
		case n.lang == LangVB && c == '_' && n.pos+1 < len(n.src) && (n.src[n.pos+1] == '\r' || n.src[n.pos+1] == '\n'):
			n.pos++
		case n.lang == LangC && n.at("/*"):
			i := bytes.Index(n.src[n.pos+2:limit], []byte("*/"))
			if i < 0 {
				return
			}
			n.pos += 2 + i + 2
		default:
			return
		}
	}
}

// literal appends the value of the string literal or constant character
// call at the current position to buf and moves past it; it returns
// false (and moves nothing) when there is none.
func (n *normaliser) literal(buf *[]byte) bool {
	if n.pos >= len(n.src) {
		return false
	}
	c := n.src[n.pos]
	switch {
	case c == '"':
		return n.quoted(buf, '"', n.lang == LangC)
	case c == '\'' && n.lang == LangC:
		return n.quoted(buf, '\'', true)
	case c == '@' && n.lang == LangC && n.at(`@"`):
		n.pos++
		return n.quoted(buf, '"', false)
	case c|0x20 == 'c':
		return n.chrCall(buf)
	case c|0x20 == 's':
		return n.fromCharCode(buf)
	}
	return false
}

// quoted reads a quoted literal: with escapes, backslash escapes (C#,
// JScript); without, a doubled quote is a quote (VBScript, C# @"...").
// A literal that does not end on its line is not a literal.
func (n *normaliser) quoted(buf *[]byte, q byte, escapes bool) bool {
	start := n.pos
	i := n.pos + 1
	val := n.val[:0]
	defer func() { n.val = val[:0] }()
	for i < len(n.src) {
		c := n.src[i]
		switch {
		case c == q && !escapes && i+1 < len(n.src) && n.src[i+1] == q:
			val = append(val, q)
			i += 2
			continue
		case c == q:
			*buf = append(*buf, decodeEscapes(val, escapes)...)
			n.pos = i + 1
			return true
		case c == '\\' && escapes && i+1 < len(n.src):
			val = append(val, c, n.src[i+1])
			i += 2
			continue
		case c == '\n' && (escapes || q == '"' && n.lang == LangVB):
			n.pos = start
			return false
		}
		val = append(val, c)
		i++
	}
	n.pos = start
	return false
}

// chrCall folds Chr(n), ChrW(n), ChrB(n) (decimal, &H hex or &O octal).
func (n *normaliser) chrCall(buf *[]byte) bool {
	if n.pos > 0 && isWord(n.src[n.pos-1]) {
		return false
	}
	i := n.pos
	if !hasPrefixFold(n.src[i:], "chr") {
		return false
	}
	i += 3
	if i < len(n.src) && (n.src[i]|0x20 == 'w' || n.src[i]|0x20 == 'b') {
		i++
	}
	i = skipSp(n.src, i)
	if i >= len(n.src) || n.src[i] != '(' {
		return false
	}
	i = skipSp(n.src, i+1)
	v, j, ok := number(n.src, i)
	if !ok {
		return false
	}
	j = skipSp(n.src, j)
	if j >= len(n.src) || n.src[j] != ')' || v <= 0 || v > utf8.MaxRune {
		return false
	}
	*buf = utf8.AppendRune(*buf, rune(v))
	n.pos = j + 1
	return true
}

// fromCharCode folds String.fromCharCode(n, n, ...).
func (n *normaliser) fromCharCode(buf *[]byte) bool {
	if n.pos > 0 && isWord(n.src[n.pos-1]) || !hasPrefixFold(n.src[n.pos:], "string.fromcharcode") {
		return false
	}
	i := skipSp(n.src, n.pos+len("string.fromcharcode"))
	if i >= len(n.src) || n.src[i] != '(' {
		return false
	}
	var val []byte
	i++
	for {
		i = skipSp(n.src, i)
		v, j, ok := number(n.src, i)
		if !ok || v <= 0 || v > utf8.MaxRune {
			return false
		}
		val = utf8.AppendRune(val, rune(v))
		i = skipSp(n.src, j)
		if i < len(n.src) && n.src[i] == ',' {
			i++
			continue
		}
		if i < len(n.src) && n.src[i] == ')' {
			break
		}
		return false
	}
	*buf = append(*buf, val...)
	n.pos = i + 1
	return true
}

// number reads a decimal, &Hhex, &Ooctal or 0xhex constant.
func number(b []byte, i int) (v int64, next int, ok bool) {
	base := int64(10)
	switch {
	case i+1 < len(b) && b[i] == '&' && b[i+1]|0x20 == 'h':
		base, i = 16, i+2
	case i+1 < len(b) && b[i] == '&' && b[i+1]|0x20 == 'o':
		base, i = 8, i+2
	case i+1 < len(b) && b[i] == '0' && b[i+1]|0x20 == 'x':
		base, i = 16, i+2
	}
	start := i
	for i < len(b) && i-start < 8 {
		d := digit(b[i])
		if d < 0 || int64(d) >= base {
			break
		}
		v = v*base + int64(d)
		i++
	}
	if i == start {
		return 0, i, false
	}
	return v, i, true
}

func digit(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c|0x20 >= 'a' && c|0x20 <= 'f':
		return int(c|0x20-'a') + 10
	}
	return -1
}

// decodeEscapes decodes \uXXXX, \xXX (with backslash escapes), %uXXXX,
// %XX-free text is left alone, and &#NN; / &#xHH; entities in a literal's
// value. Other backslash escapes keep their character (\" is ").
func decodeEscapes(v []byte, backslash bool) []byte {
	if bytes.IndexByte(v, '\\') < 0 && bytes.IndexByte(v, '%') < 0 && bytes.IndexByte(v, '&') < 0 {
		return v
	}
	out := make([]byte, 0, len(v))
	for i := 0; i < len(v); {
		c := v[i]
		switch {
		case backslash && c == '\\' && i+1 < len(v):
			e := v[i+1]
			switch {
			case e == 'u' && i+6 <= len(v) && allHex(v[i+2:i+6]):
				out = utf8.AppendRune(out, rune(hexVal(v[i+2:i+6])))
				i += 6
			case e == 'x' && i+4 <= len(v) && allHex(v[i+2:i+4]):
				out = utf8.AppendRune(out, rune(hexVal(v[i+2:i+4])))
				i += 4
			case e == 'n' || e == 'r' || e == 't':
				out = append(out, ' ')
				i += 2
			default:
				out = append(out, e)
				i += 2
			}
			continue
		case c == '%' && i+6 <= len(v) && v[i+1]|0x20 == 'u' && allHex(v[i+2:i+6]):
			out = utf8.AppendRune(out, rune(hexVal(v[i+2:i+6])))
			i += 6
			continue
		case c == '&' && i+3 < len(v) && v[i+1] == '#':
			if r, n := entity(v[i:]); n > 0 {
				out = utf8.AppendRune(out, r)
				i += n
				continue
			}
		}
		out = append(out, c)
		i++
	}
	return out
}

// entity decodes &#NN; or &#xHH; at the start of b.
func entity(b []byte) (rune, int) {
	i := 2
	base := int64(10)
	if i < len(b) && b[i]|0x20 == 'x' {
		base = 16
		i++
	}
	start := i
	var v int64
	for i < len(b) && i-start < 7 {
		d := digit(b[i])
		if d < 0 || int64(d) >= base {
			break
		}
		v = v*base + int64(d)
		i++
	}
	if i == start || i >= len(b) || b[i] != ';' || v <= 0 || v > utf8.MaxRune {
		return 0, 0
	}
	return rune(v), i + 1
}

func allHex(b []byte) bool {
	for _, c := range b {
		if !isHex(c) {
			return false
		}
	}
	return true
}

func hexVal(b []byte) int64 {
	var v int64
	for _, c := range b {
		v = v*16 + int64(digit(c))
	}
	return v
}

func isHex(c byte) bool { return digit(c) >= 0 }

func skipSp(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
		i++
	}
	return i
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'
}

func isWord(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c >= 0x80
}

func hasPrefixFold(b []byte, s string) bool {
	return len(b) >= len(s) && strings.EqualFold(string(b[:len(s)]), s)
}

// indexFold is a case-insensitive bytes.Index for an ASCII needle.
func indexFold(b []byte, s string) int {
	if len(s) == 0 {
		return 0
	}
	first := s[0] | 0x20
	for i := 0; i+len(s) <= len(b); i++ {
		if b[i]|0x20 == first && hasPrefixFold(b[i:], s) {
			return i
		}
	}
	return -1
}

func containsFold(b []byte, s string) bool { return indexFold(b, s) >= 0 }
