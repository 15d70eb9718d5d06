package logs

import (
	"bytes"
	"encoding/binary"
	"strings"
)

// detection is what the first bytes of a stream say about it.
type detection struct {
	format   Format
	empty    bool   // no content at all (blank lines only)
	software string // #Software value
	logType  string // #Log-type value (Exchange CSV logs)
	path     string
}

// Time column names of Exchange CSV logs, compared case-insensitively.
var csvTimeNames = []string{"DateTime", "TimeStamp", "date-time", "Time-Stamp"}

// detect decides the format from the start of the decoded text. eof says
// whether win holds the whole input. path only breaks ties.
func detect(win []byte, eof bool, path string) detection {
	d := detection{path: path}
	if !eof {
		// Ignore a cut last line.
		if i := bytes.LastIndexByte(win, '\n'); i >= 0 {
			win = win[:i+1]
		}
	}
	h := readHeader(win)
	d.software, d.logType = h.software, h.logType
	switch {
	case !h.hasText:
		d.empty = true
		d.format = FormatUnknown
	case !h.cleanHeader && !isText(win):
		d.format = FormatUnknown
	default:
		d.format = h.format(win, path)
	}
	return d
}

// header is what the first lines of a stream say: its W3C/Exchange
// directives and its first line that is not one.
type header struct {
	software  string // #Software value
	logType   string // #Log-type value (Exchange CSV logs)
	fields    string // #Fields value
	firstData []byte // first non-directive line
	hasText   bool
	// a #Software, #Fields or #Log-type directive came before any line
	// that is not text: the header decides the format even when binary
	// junk (a damaged cluster of a disk image) follows
	cleanHeader bool
}

// readHeader reads the directives and the first data line from the first
// 200 lines of win (NULs trimmed, blank lines skipped).
func readHeader(win []byte) header {
	var h header
	sawBinary := false // a line that is not text was seen
	rest := win
	for n := 0; len(rest) > 0 && n < 200; n++ {
		var line []byte
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			line, rest = rest[:i], rest[i+1:]
		} else {
			line, rest = rest, nil
		}
		line = bytes.Trim(line, "\x00")
		line = trimSpace(line)
		if len(line) == 0 {
			continue
		}
		h.hasText = true
		sawBinary = sawBinary || !isText(line)
		if line[0] == '#' {
			k, v := directive(line)
			if !sawBinary && (strings.EqualFold(k, "Software") || strings.EqualFold(k, "Fields") || strings.EqualFold(k, "Log-type")) && v != "" {
				h.cleanHeader = true
			}
			switch {
			case strings.EqualFold(k, "Software") && h.software == "":
				h.software = v
			case strings.EqualFold(k, "Log-type") && h.logType == "":
				h.logType = v
			case strings.EqualFold(k, "Fields") && h.fields == "":
				h.fields = v
			}
			continue
		}
		if h.firstData == nil {
			h.firstData = line
		}
	}
	return h
}

// format decides the format of a stream with text in it from its header;
// win and path break ties (OAB generator logs).
func (h *header) format(win []byte, path string) Format {
	oabPath := hasDir(path, "OABGeneratorLog")
	oab := func() bool { return oabPath || hasOABMarker(win) }
	fields := h.fields

	// Exchange CSV logs: #Log-type, Exchange software, a comma-separated
	// #Fields, or a bare header line naming a time column first.
	csvHeader := ""
	if h.firstData != nil && isCSVHeader(h.firstData) {
		csvHeader = string(h.firstData)
	}
	if h.logType != "" || containsFold(h.software, "Exchange") ||
		strings.Contains(fields, ",") || (fields == "" && csvHeader != "") {
		header := fields
		if header == "" || csvHeader != "" {
			header = csvHeader
		}
		f := exchangeFormat(h.logType, header, path)
		if f == FormatExchange && oab() {
			f = FormatOAB
		}
		return f
	}

	// W3C extended logs.
	if h.software != "" || fields != "" {
		switch {
		case containsFold(h.software, "HTTP API") || hasField(fields, "s-reason"):
			return FormatHTTPErr
		case containsFold(h.software, "Internet Information Services") ||
			(h.software == "" && (hasField(fields, "cs-uri-stem") || hasField(fields, "cs-method"))):
			return FormatIIS
		case fields != "":
			return FormatW3C
		case oab():
			return FormatOAB
		}
		return FormatUnknown
	}

	// No directives: headerless IIS lines, Exchange CSV rows cut from
	// their header (named by the built-in headers), or OAB free text.
	if h.firstData != nil {
		if f := headerlessCSV(h.firstData, path); f != FormatUnknown {
			return f
		}
		if _, ok := defaultLayoutFor(h.firstData); ok {
			return FormatIIS
		}
		if isNativeIIS(h.firstData) {
			return FormatIIS
		}
	}
	if oab() {
		return FormatOAB
	}
	return FormatUnknown
}

// directive splits "#Key: value".
func directive(line []byte) (key, value string) {
	s := string(line[1:])
	i := strings.IndexByte(s, ':')
	if i < 0 {
		return strings.TrimSpace(s), ""
	}
	return strings.TrimSpace(s[:i]), strings.TrimSpace(s[i+1:])
}

func hasField(fields, name string) bool {
	for _, f := range strings.Fields(fields) {
		if strings.EqualFold(f, name) {
			return true
		}
	}
	return false
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}

// isCSVHeader reports whether line is a bare Exchange CSV header: a
// comma-separated list of names whose first is a time column.
func isCSVHeader(line []byte) bool {
	i := bytes.IndexByte(line, ',')
	if i <= 0 {
		return false
	}
	first := strings.TrimSpace(string(line[:i]))
	for _, n := range csvTimeNames {
		if strings.EqualFold(first, n) {
			return true
		}
	}
	return false
}

// exchangeFormat picks the Exchange log format from the #Log-type, then
// from the header's names, then from the path.
func exchangeFormat(logType, header, path string) Format {
	lt := strings.ToLower(logType)
	switch {
	case strings.Contains(lt, "httpproxy"):
		return FormatHttpProxy
	case strings.Contains(lt, "ecp server"):
		return FormatECP
	case strings.HasPrefix(lt, "rps"):
		return FormatRPS
	case strings.Contains(lt, "oab"):
		return FormatOAB
	case lt != "":
		return FormatExchange
	}
	names := map[string]bool{}
	for _, n := range strings.Split(header, ",") {
		names[strings.ToLower(strings.TrimSpace(n))] = true
	}
	switch {
	case names["eventdata"] && names["eventid"]:
		return FormatECP
	case names["routinghint"] || names["backendcookie"] || names["proxyaction"] || names["anchormailbox"]:
		return FormatHttpProxy
	case names["commandname"] || names["shellid"] || names["cmdlet"]:
		return FormatRPS
	}
	switch {
	case hasDir(path, "HttpProxy"):
		return FormatHttpProxy
	case hasDir(path, "CmdletInfra") || strings.HasPrefix(strings.ToLower(baseName(path)), "rps_"):
		return FormatRPS
	case hasDirPair(path, "ECP", "Server"):
		return FormatECP
	}
	return FormatExchange
}

var oabMarkers = [][]byte{
	[]byte("OABGenerator"), []byte("OABGENERATOR"), []byte("oabgenerator"),
	[]byte("Download failed and temporary file"), []byte("download failed and temporary file"),
	[]byte("Offline Address Book"), []byte("offline address book"),
}

// hasOABMarker reports whether the text mentions the OAB generator.
func hasOABMarker(win []byte) bool {
	for _, m := range oabMarkers {
		if bytes.Contains(win, m) {
			return true
		}
	}
	return false
}

// isText reports whether b looks like text: few control bytes besides
// tab, CR, LF and NUL padding.
func isText(b []byte) bool {
	ctl, n := 0, 0
	for len(b) > 0 {
		if len(b) >= 8 {
			// eight bytes at a time when none is below 0x20
			if x := binary.LittleEndian.Uint64(b); (x-0x2020202020202020)&^x&0x8080808080808080 == 0 {
				n += 8
				b = b[8:]
				continue
			}
		}
		k := min(8, len(b))
		for _, c := range b[:k] {
			if c == 0 {
				continue
			}
			n++
			if c < 0x20 && c != '\t' && c != '\r' && c != '\n' && c != 0x0c {
				ctl++
			}
		}
		b = b[k:]
	}
	return ctl*20 <= n // at most 5%
}

// pathParts splits a path on both kinds of separator.
func pathParts(path string) []string {
	return strings.FieldsFunc(path, func(r rune) bool { return r == '/' || r == '\\' })
}

func baseName(path string) string {
	p := pathParts(path)
	if len(p) == 0 {
		return ""
	}
	return p[len(p)-1]
}

// hasDir reports whether a folder (not the file name) of path is named dir.
func hasDir(path, dir string) bool {
	p := pathParts(path)
	for i := 0; i+1 < len(p); i++ {
		if strings.EqualFold(p[i], dir) {
			return true
		}
	}
	return false
}

// hasDirPair reports whether path has folder a directly followed by folder b.
func hasDirPair(path, a, b string) bool {
	p := pathParts(path)
	for i := 0; i+2 < len(p); i++ {
		if strings.EqualFold(p[i], a) && strings.EqualFold(p[i+1], b) {
			return true
		}
	}
	return false
}

// dirAfter returns the folder that follows folder dir in path (not the
// file name), or "".
func dirAfter(path, dir string) string {
	p := pathParts(path)
	for i := 0; i+2 < len(p); i++ {
		if strings.EqualFold(p[i], dir) {
			return p[i+1]
		}
	}
	return ""
}

// siteDir returns a W3SVC<n> or FTPSVC<n> folder name from path, upper-cased.
func siteDir(path string) string {
	p := pathParts(path)
	for i := len(p) - 2; i >= 0; i-- {
		for _, pre := range []string{"W3SVC", "FTPSVC", "SMTPSVC"} {
			s := p[i]
			if len(s) > len(pre) && strings.EqualFold(s[:len(pre)], pre) && allDigits(s[len(pre):]) {
				return pre + s[len(pre):]
			}
		}
	}
	return ""
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// headerlessCSV recognises Exchange CSV rows without a header that the
// built-in headers can name: HttpProxy rows of the 74-column layout, and
// ECP Server rows (4 columns, an "ECP." event id or an ECP\Server folder).
func headerlessCSV(line []byte, path string) Format {
	if len(line) < 20 || !looksLikeRowStart(line) || line[10] != 'T' {
		return FormatUnknown
	}
	vals, _, _ := splitCSV(nil, string(line), nil)
	switch {
	case len(vals) == len(httpProxyFields):
		return FormatHttpProxy
	case len(vals) == len(ecpServerFields) && (strings.HasPrefix(vals[2], "ECP.") || hasDirPair(path, "ECP", "Server")):
		return FormatECP
	}
	return FormatUnknown
}
