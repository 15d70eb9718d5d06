package logs

import (
	"strings"
	"time"
	"unsafe"
)

// OAB generator logs are read as free text: each line is a record with a
// single field "Message" holding the whole line (Microsoft's check greps
// the lines), and a time when the line starts with one.

var messageNames = []string{"Message"}

type textParser struct {
	rd   *Reader
	vals [1]string
	days dayCache
}

func newTextParser(rd *Reader) *textParser { return &textParser{rd: rd} }

func (p *textParser) parse(line []byte) bool {
	rd := p.rd
	t := trimSpace(line)
	if len(t) == 0 {
		rd.stats.Blank++
		return false
	}
	if t[0] == '#' && isDirectiveLine(t) {
		rd.stats.Directives++
		return false
	}
	if rd.sc.lineNo == 1 && isCSVHeader(t) {
		rd.stats.Directives++
		return false
	}
	s := unsafe.String(&line[0], len(line))
	rec := rd.begin(line)
	p.vals[0] = s
	rec.Names, rec.Values = messageNames, p.vals[:]
	ts := unsafe.String(&t[0], len(t))
	if len(ts) >= 10 && ts[4] == '-' && ts[7] == '-' {
		if tm, ok := p.leadingTime(ts); ok {
			rec.Time = tm
		} else {
			rd.stats.BadTime++
		}
	}
	return true
}

// leadingTime parses a timestamp at the start of s: ISO-8601
// ("2021-03-03T06:49:42.162Z", up to a ',' or space) or
// "2021-03-03 06:49:42[.fff]".
func (p *textParser) leadingTime(s string) (time.Time, bool) {
	end := strings.IndexAny(s, ", \t")
	if end < 0 {
		end = len(s)
	}
	if end == 10 && len(s) >= 19 && s[10] == ' ' { // date, space, time
		clock := s[11:]
		if e := strings.IndexAny(clock, ", \t"); e >= 0 {
			clock = clock[:e]
		}
		return p.days.dateTime(s[:10], clock)
	}
	return p.days.iso(s[:end])
}

var directiveKeys = []string{"Software", "Version", "Log-type", "Date", "Fields"}

// isDirectiveLine reports whether line is an Exchange log comment line
// such as "#Software: Microsoft Exchange Server".
func isDirectiveLine(line []byte) bool {
	i := 1
	for i < len(line) && line[i] != ':' && i < 32 {
		i++
	}
	if i >= len(line) || line[i] != ':' {
		return false
	}
	k := unsafe.String(&line[1], i-1)
	for _, d := range directiveKeys {
		if strings.EqualFold(k, d) {
			return true
		}
	}
	return false
}
