package report

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Attacker-controlled text (log fields, matched strings, file names) is
// data. These functions make it inert for each medium.

// Terminal makes s safe to print on a terminal: control characters (C0,
// DEL, C1, including ESC that starts escape sequences), bidirectional
// overrides and invalid UTF-8 are shown as visible \xNN / \u{NNNN} escapes.
// Backslashes are kept as they are: Windows paths stay readable.
func Terminal(s string) string {
	if isPlain(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		esc, size := escapeRune(s, i)
		if esc != "" {
			b.WriteString(esc)
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// escapeRune looks at the rune at s[i] and returns its visible escape
// ("" when it can be shown as it is) and its size. Terminal and the HTML
// report share it, so they escape the same characters.
func escapeRune(s string, i int) (string, int) {
	r, size := utf8.DecodeRuneInString(s[i:])
	switch {
	case r == utf8.RuneError && size <= 1:
		return fmt.Sprintf(`\x%02x`, s[i]), 1
	case r == '\t':
		return `\t`, size
	case r == '\n':
		return `\n`, size
	case r == '\r':
		return `\r`, size
	case r < 0x20 || r == 0x7f:
		return fmt.Sprintf(`\x%02x`, r), size
	case r >= 0x80 && r < 0xa0, isBidi(r), r == '\u2028', r == '\u2029', r == '\ufeff':
		return fmt.Sprintf(`\u{%04x}`, r), size
	}
	return "", size
}

func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

func isBidi(r rune) bool {
	return (r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069') || r == '\u200e' || r == '\u200f' || r == '\u061c'
}

// ValidUTF8 keeps valid text as it is and writes each invalid byte as the
// visible escape \xNN, so JSON encoders keep the information instead of
// replacing it with U+FFFD. A literal backslash before 'x' is doubled to
// keep the escape unambiguous only when the string needed escaping.
func ValidUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size <= 1 {
			fmt.Fprintf(&b, `\x%02x`, s[i])
			i++
			continue
		}
		if r == '\\' {
			b.WriteString(`\\`)
		} else {
			b.WriteRune(r)
		}
		i += size
	}
	return b.String()
}

// CSVCell neutralises a cell that a spreadsheet would read as a formula
// (leading = + - @, tab or carriage return) by prefixing a single quote,
// and escapes control characters and invalid UTF-8 as Terminal does.
func CSVCell(s string) string {
	// Control characters (terminal escapes, newlines) are shown as escapes
	// too: a report is often looked at with cat before a spreadsheet.
	s = Terminal(s)
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r', '\n':
		return "'" + s
	}
	// Leading white space before a formula character is also read as a
	// formula by some spreadsheets.
	t := strings.TrimLeftFunc(s, unicode.IsSpace)
	if t != "" && strings.ContainsRune("=+-@", rune(t[0])) {
		return "'" + s
	}
	return s
}
