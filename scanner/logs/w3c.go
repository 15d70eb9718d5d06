package logs

import (
	"strings"
	"time"
	"unsafe"
)

// W3C extended logs (IIS, HTTPERR, other Microsoft W3C writers): '#'
// directives, space-separated values named by the latest #Fields, '-' for
// an empty value, spaces inside values written as '+'.

// DefaultIISFields is the field set IIS 8.5 and later log by default. It
// is used for data lines that come before any #Fields directive.
const DefaultIISFields = "date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken"

// defaultIIS7Fields is the IIS 7.x default (no cs(Referer)).
const defaultIIS7Fields = "date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) sc-status sc-substatus sc-win32-status time-taken"

// nativeIISFields names the fixed columns of the legacy IIS native
// (comma-separated) log format by their W3C equivalents.
const nativeIISFields = "c-ip cs-username date time s-sitename s-computername s-ip time-taken cs-bytes sc-bytes sc-status sc-win32-status cs-method cs-uri-stem cs-uri-query"

// DecodeIISUserAgent turns the '+' that IIS writes for spaces in
// cs(User-Agent) (and the other cs(...) header fields) back into spaces.
// The mapping is lossy: a literal '+' in the header reads as a space too.
func DecodeIISUserAgent(s string) string {
	return strings.ReplaceAll(s, "+", " ")
}

// Derived value sources (negative w3cLayout.src entries).
const (
	srcCURI     = -1 // cs-uri-stem + "?" + cs-uri-query
	srcURIPath  = -2 // path part of cs-uri (HTTPERR)
	srcURIQuery = -3 // query part of cs-uri (HTTPERR)
)

// w3cLayout maps the tokens of a data line to record fields.
type w3cLayout struct {
	names  []string
	src    []int // token index per name, or a derived source
	nTok   int
	date   int // token index of date, -1 if absent
	clock  int // token index of time, -1 if absent
	stem   int
	query  int
	uri    int
	native bool
}

// Sigma webserver names for W3C fields.
var w3cAliases = []struct {
	from string
	to   []string
}{
	{"cs(User-Agent)", []string{"c-useragent", "cs-user-agent"}},
	{"cs(Referer)", []string{"cs-referer", "cs-referrer"}},
	{"cs(Host)", []string{"cs-host"}},
	{"cs(Cookie)", []string{"cs-cookie"}},
}

func newLayout(fields []string, native bool) *w3cLayout {
	l := &w3cLayout{nTok: len(fields), date: -1, clock: -1, stem: -1, query: -1, uri: -1, native: native}
	has := func(name string) bool {
		for _, n := range l.names {
			if strings.EqualFold(n, name) {
				return true
			}
		}
		return false
	}
	for i, f := range fields {
		l.names = append(l.names, f)
		l.src = append(l.src, i)
		switch {
		case strings.EqualFold(f, "date") && l.date < 0:
			l.date = i
		case strings.EqualFold(f, "time") && l.clock < 0:
			l.clock = i
		case strings.EqualFold(f, "cs-uri-stem") && l.stem < 0:
			l.stem = i
		case strings.EqualFold(f, "cs-uri-query") && l.query < 0:
			l.query = i
		case strings.EqualFold(f, "cs-uri") && l.uri < 0:
			l.uri = i
		}
	}
	for _, a := range w3cAliases {
		for i, f := range fields {
			if !strings.EqualFold(f, a.from) {
				continue
			}
			for _, to := range a.to {
				if !has(to) {
					l.names = append(l.names, to)
					l.src = append(l.src, i)
				}
			}
			break
		}
	}
	if l.stem < 0 && l.uri >= 0 { // HTTPERR: split cs-uri
		l.names = append(l.names, "cs-uri-stem", "cs-uri-query")
		l.src = append(l.src, srcURIPath, srcURIQuery)
	}
	if !has("c-uri") {
		switch {
		case l.stem >= 0:
			l.names = append(l.names, "c-uri")
			l.src = append(l.src, srcCURI)
		case l.uri >= 0:
			l.names = append(l.names, "c-uri")
			l.src = append(l.src, l.uri)
		}
	}
	return l
}

var (
	layoutDefault  = newLayout(strings.Fields(DefaultIISFields), false)
	layoutDefault7 = newLayout(strings.Fields(defaultIIS7Fields), false)
	layoutNative   = newLayout(strings.Fields(nativeIISFields), true)
)

// defaultLayoutFor returns the IIS default layout that a headerless line
// fits: 15 (or, IIS 7, 14) space-separated values starting with a date
// and a time.
func defaultLayoutFor(line []byte) (*w3cLayout, bool) {
	line = trimSpace(line)
	n := 1
	for _, c := range line {
		if c == ' ' {
			n++
		}
	}
	var l *w3cLayout
	switch n {
	case layoutDefault.nTok:
		l = layoutDefault
	case layoutDefault7.nTok:
		l = layoutDefault7
	default:
		return nil, false
	}
	if len(line) == 0 {
		return nil, false
	}
	s := unsafe.String(&line[0], len(line))
	d, rest, _ := strings.Cut(s, " ")
	t, _, _ := strings.Cut(rest, " ")
	if _, _, _, ok := parseYMD(d); !ok {
		return nil, false
	}
	if _, ok := parseHMS(t); !ok {
		return nil, false
	}
	return l, true
}

// isNativeIIS reports whether line is in the IIS native log format:
// 15 comma-and-space separated values and a trailing comma, with an
// M/D/Y date third.
func isNativeIIS(line []byte) bool {
	s := strings.TrimRight(string(line), " \t")
	if !strings.HasSuffix(s, ",") {
		return false
	}
	parts := strings.Split(s[:len(s)-1], ",")
	if len(parts) != layoutNative.nTok {
		return false
	}
	_, ok := usDateTime(strings.TrimSpace(parts[2]), strings.TrimSpace(parts[3]))
	return ok
}

type w3cParser struct {
	rd      *Reader
	cur     *w3cLayout // from the latest #Fields; nil before any
	fields  string     // text of the latest #Fields
	dirDate string     // date of the latest #Date, for layouts without a date field
	toks    []string
	vals    []string
	scratch []byte
	days    dayCache
}

func newW3CParser(rd *Reader, _ detection) *w3cParser {
	return &w3cParser{rd: rd, toks: make([]string, 0, 32), vals: make([]string, 0, 48)}
}

func (p *w3cParser) directive(line []byte) {
	p.rd.stats.Directives++
	k, v := directive(line)
	switch {
	case strings.EqualFold(k, "Fields"):
		if v == p.fields && p.cur != nil {
			return
		}
		p.fields = v
		p.cur = newLayout(strings.Fields(v), false)
		p.rd.stats.HeaderChanges++
	case strings.EqualFold(k, "Date"):
		if len(v) >= 10 {
			if _, _, _, ok := parseYMD(v[:10]); ok {
				p.dirDate = v[:10]
			}
		}
	}
}

func (p *w3cParser) parse(line []byte) bool {
	rd := p.rd
	for len(line) > 0 && (line[len(line)-1] == ' ' || line[len(line)-1] == '\t') {
		line = line[:len(line)-1]
	}
	if len(line) == 0 {
		rd.stats.Blank++
		return false
	}
	if line[0] == '#' {
		p.directive(line)
		return false
	}
	l := p.cur
	if l == nil {
		var ok bool
		if l, ok = defaultLayoutFor(line); !ok {
			if !isNativeIIS(line) {
				rd.stats.Malformed++
				return false
			}
			l = layoutNative
		}
	}
	s := unsafe.String(&line[0], len(line))
	toks := p.toks[:0]
	if l.native {
		s = strings.TrimSuffix(s, ",")
		for {
			i := strings.IndexByte(s, ',')
			if i < 0 {
				toks = append(toks, strings.TrimSpace(s))
				break
			}
			toks = append(toks, strings.TrimSpace(s[:i]))
			s = s[i+1:]
			if len(toks) > l.nTok {
				break
			}
		}
	} else {
		// A byte loop beats IndexByte here: W3C values are short.
		st := 0
		for i := 0; i < len(s); i++ {
			if s[i] == ' ' {
				toks = append(toks, s[st:i])
				st = i + 1
				if len(toks) >= l.nTok {
					break
				}
			}
		}
		toks = append(toks, s[st:])
	}
	p.toks = toks
	if len(toks) != l.nTok {
		rd.stats.Malformed++
		return false
	}
	for i, t := range toks {
		if len(t) == 1 && t[0] == '-' {
			toks[i] = ""
		}
	}
	vals := p.vals[:0]
	for _, src := range l.src {
		var v string
		switch {
		case src >= 0:
			v = toks[src]
		case src == srcCURI:
			v = toks[l.stem]
			if l.query >= 0 && toks[l.query] != "" {
				q := toks[l.query]
				b := append(p.scratch[:0], v...)
				if q[0] != '?' {
					b = append(b, '?')
				}
				b = append(b, q...)
				p.scratch = b
				v = unsafe.String(&b[0], len(b))
			}
		case src == srcURIPath:
			v, _, _ = strings.Cut(toks[l.uri], "?")
		case src == srcURIQuery:
			_, v, _ = strings.Cut(toks[l.uri], "?")
		}
		vals = append(vals, v)
	}
	p.vals = vals
	rec := rd.begin(line)
	rec.Names = l.names
	rec.Values = vals
	p.setTime(rec, l, toks)
	return true
}

func (p *w3cParser) setTime(rec *Record, l *w3cLayout, toks []string) {
	var date, clock string
	if l.date >= 0 {
		date = toks[l.date]
	} else if l.clock >= 0 {
		date = p.dirDate
	}
	if l.clock >= 0 {
		clock = toks[l.clock]
	}
	if date == "" {
		if l.date >= 0 || l.clock >= 0 {
			p.rd.stats.BadTime++
		}
		return
	}
	var t time.Time
	var ok bool
	if l.native {
		t, ok = usDateTime(date, clock)
	} else {
		t, ok = p.days.dateTime(date, clock)
	}
	if !ok {
		p.rd.stats.BadTime++
		return
	}
	rec.Time = t
}

var zeroTime time.Time
