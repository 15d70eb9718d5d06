package logs

import (
	"bytes"
	"strings"
	"time"
	"unsafe"
)

// Skimming: a caller that can tell from a raw line alone that its record
// cannot matter (no literal any check looks for occurs in it) sets a
// filter with SetFilter. Lines the filter rules out, and whose shape the
// reader can confirm without splitting them into fields, come back from
// Next as skimmed records: Line, Raw, Time, Format and Family are set,
// Names and Values are empty, and Skimmed is true. They are counted in
// Stats.Records (and Stats.Skimmed) like any record. Lines whose shape is
// not plain (directives, headerless or native IIS lines, a field count
// that differs from the header's, quoted CSV values that are not simple,
// a time that does not parse, a per-row log family) are parsed as usual,
// so the malformed, ragged and bad-time counts stay what they would be
// without a filter.

// SetFilter sets the function that decides, from a raw data line, whether
// its record must be parsed (true) or may be skimmed (false). For a kept
// line it may also return a hint, which the record carries (Record.Hint)
// to whoever checks it. nil (the default) parses every line.
func (r *Reader) SetFilter(keep func(line []byte) (bool, uint64)) { r.keep = keep }

// NoHint is the Hint of records whose line the filter did not see.
const NoHint = ^uint64(0)

// skim returns the skimmed record for line, or nil when line must be
// parsed.
func (r *Reader) skim(line []byte) *Record {
	var (
		t  = zeroTime
		ok bool
	)
	if r.skimmer != nil {
		t, ok = r.skimmer.skimTime(line)
	}
	if !ok {
		return nil
	}
	if keep, hint := r.keep(line); keep {
		r.hint = hint
		return nil
	}
	rec := r.begin(line)
	rec.Time = t
	rec.Names, rec.Values = nil, nil
	rec.Skimmed = true
	r.stats.Skimmed++
	return rec
}

// skimTime checks that line is a plain data line of the current layout
// (the field count right, date and time the first two fields) and returns
// its time.
func (p *w3cParser) skimTime(line []byte) (t time.Time, ok bool) {
	l := p.cur
	if l == nil || l.native || l.date != 0 || l.clock != 1 || len(line) < 20 || line[0] == '#' {
		return zeroTime, false
	}
	if c := line[len(line)-1]; c == ' ' || c == '\t' {
		return zeroTime, false
	}
	if bytes.Count(line, sp) != l.nTok-1 {
		return zeroTime, false
	}
	if line[10] != ' ' {
		return zeroTime, false
	}
	end := bytes.IndexByte(line[11:], ' ')
	if end < 0 {
		return zeroTime, false
	}
	date := unsafe.String(&line[0], 10)
	clock := unsafe.String(&line[11], end)
	return p.days.dateTime(date, clock)
}

var sp = []byte{' '}

// skimTime checks that line is a plain data row of the current header
// (time in the first column, the value count right, quotes only around
// whole values and closed on the line) and returns its time.
func (p *csvParser) skimTime(line []byte) (t time.Time, ok bool) {
	if p.header == nil || p.timeIdx != 0 || p.format == FormatECP || len(line) < 20 || line[0] == '#' {
		return zeroTime, false
	}
	if p.format == FormatHttpProxy && !p.famPath && p.protoIdx >= 0 {
		return zeroTime, false // the family comes from each row's Protocol
	}
	n, ok := plainCSVCommas(line)
	if !ok || n != len(p.header)-1 {
		return zeroTime, false
	}
	i := bytes.IndexByte(line, ',')
	if i < 0 {
		return zeroTime, false
	}
	first := strings.TrimSpace(unsafe.String(&line[0], i))
	return p.days.iso(first)
}

// plainCSVCommas counts the separating commas of a row whose quoted
// values (if any) start at a value start, end before a separator or the
// line end, and close on the line; ok is false for any other row.
func plainCSVCommas(line []byte) (int, bool) {
	q := bytes.IndexByte(line, '"')
	if q < 0 {
		return bytes.Count(line, comma), true
	}
	n := 0
	for q >= 0 {
		if q > 0 && line[q-1] != ',' {
			return 0, false
		}
		n += bytes.Count(line[:q], comma)
		// the closing quote: a '"' not followed by another '"'
		j := q + 1
		for {
			k := bytes.IndexByte(line[j:], '"')
			if k < 0 {
				return 0, false // open at the line end: a continued row
			}
			j += k
			if j+1 < len(line) && line[j+1] == '"' {
				j += 2
				continue
			}
			break
		}
		line = line[j+1:]
		if len(line) > 0 && line[0] != ',' {
			return 0, false
		}
		q = bytes.IndexByte(line, '"')
	}
	return n + bytes.Count(line, comma), true
}

var comma = []byte{','}
