// Package logs reads IIS and Exchange logs as streams of records, with the
// format detected from the content.
//
// Open (or NewReader) looks at the first 64 KiB: gzip is decompressed,
// UTF-16 is transcoded and a UTF-8 BOM dropped, then the text decides the
// format:
//
//   - "#Log-type", "#Software: Microsoft Exchange Server", a comma-separated
//     "#Fields" or a bare CSV header whose first column is a time column
//     (DateTime, TimeStamp, date-time): an Exchange CSV log. #Log-type names
//     it (HttpProxy Logs, ECP Server Log, Rps Http/Cmdlet Logs, anything else
//     is FormatExchange), else the header's column names, else the path.
//   - W3C directives: "#Software: Microsoft HTTP API" is FormatHTTPErr,
//     Internet Information Services (or IIS field names) FormatIIS, any
//     other writer FormatW3C.
//   - No directives: lines that fit the IIS default field set, or the IIS
//     native comma format, are FormatIIS; rows cut from their header that
//     fit the built-in HttpProxy or ECP Server header are read with it.
//   - Text that mentions the OAB generator, or an unrecognised text file in
//     an OABGeneratorLog folder, is FormatOAB.
//
// Anything else is refused with ErrUnknownFormat. Lines that are not
// records are counted in Stats, never dropped silently.
package logs

import "time"

// Format is a log format exscan can read.
type Format string

const (
	FormatIIS       Format = "iis"       // IIS W3C extended (u_exYYMMDD.log)
	FormatHTTPErr   Format = "httperr"   // HTTP.sys HTTPERR logs (W3C-like)
	FormatHttpProxy Format = "httpproxy" // Exchange HttpProxy CSV logs
	FormatECP       Format = "ecp"       // Exchange ECP Server CSV log
	FormatRPS       Format = "rps"       // Exchange CmdletInfra RPS Http/Cmdlet CSV logs
	FormatExchange  Format = "exchange"  // any other Exchange CSV diagnostic log
	FormatOAB       Format = "oab"       // OAB generator free text log
	FormatW3C       Format = "w3c"       // other W3C extended logs (e.g. Windows Firewall)
	FormatUnknown   Format = "unknown"
)

// Record is one log record. Fields are looked up by name: IIS records use
// the W3C/Sigma names (cs-method, cs-uri-stem, cs-uri-query, c-ip,
// cs(User-Agent) also as c-useragent, sc-status, ...); Exchange CSV records
// use the log's own header names (DateTime, AnchorMailbox, UrlStem, ...);
// ECP Server records also expose each EventData "S:KEY=value" part as
// "S:KEY"; OAB records have a single field "Message".
//
// A Record and its strings are only valid until the reader's next call to
// Next unless copied with Clone.
type Record struct {
	Format Format
	Spec   *FormatSpec // the format's spec (nil for FormatUnknown)
	Family string      // log family for coverage, e.g. "iis/W3SVC1", "httpproxy/Owa", "ecp", "oab"
	Line   int         // 1-based physical line number in the (decompressed) file
	Time   time.Time   // zero when the record has no parseable time
	Raw    []byte      // the raw line without line terminator

	Names  []string // field names, in order
	Values []string // field values, same length as Names

	// Skimmed records were not split into fields: a filter set with
	// Reader.SetFilter ruled their line out. Names and Values are empty.
	Skimmed bool
	// Hint is what the filter returned for the line (NoHint when it did
	// not see it); see Reader.SetFilter.
	Hint uint64
}

// Get returns the value of the named field (exact name first, then
// ASCII case-insensitive).
func (r *Record) Get(name string) (string, bool) {
	// one pass: an exact match anywhere wins over an earlier
	// case-insensitive one
	folded := -1
	for i, n := range r.Names {
		if len(n) != len(name) {
			continue
		}
		if n == name {
			return r.Values[i], true
		}
		if folded < 0 && equalFold(n, name) {
			folded = i
		}
	}
	if folded >= 0 {
		return r.Values[folded], true
	}
	return "", false
}

func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// Clone returns a copy of the record that stays valid after Next.
func (r *Record) Clone() *Record {
	c := *r
	c.Raw = append([]byte(nil), r.Raw...)
	c.Names = append([]string(nil), r.Names...)
	c.Values = make([]string, len(r.Values))
	for i, v := range r.Values {
		c.Values[i] = string(append([]byte(nil), v...))
	}
	return &c
}
