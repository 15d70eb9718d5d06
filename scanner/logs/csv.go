package logs

import (
	"iter"
	"strconv"
	"strings"
	"unsafe"
)

// Exchange CSV diagnostic logs (HttpProxy, ECP Server, RPS, EWS, message
// tracking, ...): a bare CSV header line, '#' comment lines (#Software,
// #Version, #Log-type, #Date, #Fields), then RFC 4180-style rows. Values
// are always looked up by header name: older builds log fewer columns.

// httpProxyFields is the HttpProxy log header of Exchange 2016 CU23 (74
// columns). It names the values of rows met before any header line (a
// file cut at the start); rows of other widths need the file's own header.
var httpProxyFields = strings.Split("DateTime,RequestId,MajorVersion,MinorVersion,BuildVersion,RevisionVersion,ClientRequestId,Protocol,UrlHost,UrlStem,ProtocolAction,AuthenticationType,IsAuthenticated,AuthenticatedUser,Organization,AnchorMailbox,UserAgent,ClientIpAddress,ServerHostName,HttpStatus,BackEndStatus,ErrorCode,Method,ProxyAction,TargetServer,TargetServerVersion,RoutingType,RoutingHint,BackEndCookie,ServerLocatorHost,ServerLocatorLatency,RequestBytes,ResponseBytes,TargetOutstandingRequests,AuthModulePerfContext,HttpPipelineLatency,CalculateTargetBackEndLatency,GlsLatencyBreakup,TotalGlsLatency,AccountForestLatencyBreakup,TotalAccountForestLatency,ResourceForestLatencyBreakup,TotalResourceForestLatency,ADLatency,SharedCacheLatencyBreakup,TotalSharedCacheLatency,ActivityContextLifeTime,ModuleToHandlerSwitchingLatency,ClientReqStreamLatency,BackendReqInitLatency,BackendReqStreamLatency,BackendProcessingLatency,BackendRespInitLatency,BackendRespStreamLatency,ClientRespStreamLatency,KerberosAuthHeaderLatency,HandlerCompletionLatency,RequestHandlerLatency,HandlerToModuleSwitchingLatency,ProxyTime,CoreLatency,RoutingLatency,HttpProxyOverhead,TotalRequestTime,RouteRefresherLatency,UrlQuery,BackEndGenericInfo,GenericInfo,GenericErrors,EdgeTraceId,DatabaseGuid,UserADObjectGuid,PartitionEndpointLookupLatency,RoutingStatus", ",")

// ecpServerFields is the ECP Server log header.
var ecpServerFields = []string{"TimeStamp", "ServerName", "EventId", "EventData"}

const maxContinuationLines = 1000

type csvParser struct {
	rd      *Reader
	format  Format
	header  []string
	timeIdx int
	protoIdx,
	eventIdx int
	vals               []string
	names              []string
	extra              []string // cached names for values past the header: "_<index>"
	scratch            []byte
	days               dayCache
	famPath            bool              // the family came from the path's protocol folder
	famMap             map[string]string // Protocol value -> family
	lastProto, lastFam string
}

func newCSVParser(rd *Reader, d detection) *csvParser {
	return &csvParser{
		rd:      rd,
		format:  d.format,
		timeIdx: -1, protoIdx: -1, eventIdx: -1,
		vals:    make([]string, 0, 96),
		famPath: d.format == FormatHttpProxy && dirAfter(d.path, "HttpProxy") != "",
	}
}

// setHeader takes a new header from text (a bare header line or the value
// of #Fields). Names are copied: they outlive the line buffer.
func (p *csvParser) setHeader(text string) {
	var names []string
	names, _, _ = splitCSV(names, text, nil)
	for i, n := range names {
		names[i] = strings.TrimSpace(n)
	}
	if len(names) == len(p.header) {
		same := true
		for i := range names {
			if names[i] != p.header[i] {
				same = false
				break
			}
		}
		if same {
			return
		}
	}
	owned := make([]string, len(names))
	for i, n := range names {
		owned[i] = strings.Clone(n)
	}
	p.useHeader(owned)
	p.rd.stats.HeaderChanges++
}

func (p *csvParser) useHeader(names []string) {
	p.header = names
	p.timeIdx, p.protoIdx, p.eventIdx = -1, -1, -1
	for i, n := range names {
		switch {
		case p.timeIdx < 0 && isTimeName(n):
			p.timeIdx = i
		case p.protoIdx < 0 && strings.EqualFold(n, "Protocol"):
			p.protoIdx = i
		case p.eventIdx < 0 && strings.EqualFold(n, "EventData"):
			p.eventIdx = i
		}
	}
}

func isTimeName(n string) bool {
	for _, t := range csvTimeNames {
		if strings.EqualFold(n, t) {
			return true
		}
	}
	return false
}

// looksLikeRowStart reports whether b starts a new row or a directive
// ("#..." or "YYYY-MM-DD"), which ends a quoted value left open.
func looksLikeRowStart(b []byte) bool {
	if len(b) > 0 && b[0] == '#' {
		return true
	}
	if len(b) < 10 || b[4] != '-' || b[7] != '-' {
		return false
	}
	for _, i := range []int{0, 1, 2, 3, 5, 6, 8, 9} {
		if b[i] < '0' || b[i] > '9' {
			return false
		}
	}
	return true
}

// quoteState scans b and reports whether it ends inside a quoted value,
// given the state at its start.
func quoteState(b []byte, inQuote, atStart bool) (bool, bool) {
	for i := 0; i < len(b); i++ {
		c := b[i]
		if inQuote {
			if c == '"' {
				if i+1 < len(b) && b[i+1] == '"' {
					i++
				} else {
					inQuote, atStart = false, false
				}
			}
			continue
		}
		switch {
		case c == ',':
			atStart = true
		case c == '"' && atStart:
			inQuote = true
		default:
			atStart = false
		}
	}
	return inQuote, atStart
}

func (p *csvParser) parse(line []byte) bool {
	rd := p.rd
	if len(trimSpace(line)) == 0 {
		rd.stats.Blank++
		return false
	}
	if line[0] == '#' {
		rd.stats.Directives++
		k, v := directive(line)
		if strings.EqualFold(k, "Fields") {
			p.setHeader(v)
		}
		return false
	}
	s := unsafe.String(&line[0], len(line))
	vals, sb, open := splitCSV(p.vals[:0], s, p.scratch[:0])
	if open {
		line = p.continueRow(line)
		s = unsafe.String(&line[0], len(line))
		vals, sb, _ = splitCSV(vals[:0], s, sb[:0])
	}
	p.vals, p.scratch = vals, sb
	if len(vals) > 1 && isTimeName(strings.TrimSpace(vals[0])) {
		// A bare header line: the first line of a file, or of another
		// file concatenated to it. Repeats of the same header change nothing.
		rd.stats.Directives++
		p.setHeader(s)
		return false
	}
	if p.header == nil {
		switch {
		case p.format == FormatHttpProxy && len(vals) == len(httpProxyFields):
			p.useHeader(httpProxyFields)
		case p.format == FormatECP && len(vals) == len(ecpServerFields):
			p.useHeader(ecpServerFields)
		default:
			rd.stats.Malformed++
			return false
		}
	}
	rec := rd.begin(line)
	if p.timeIdx >= 0 && p.timeIdx < len(vals) {
		if t, ok := p.days.iso(strings.TrimSpace(vals[p.timeIdx])); ok {
			rec.Time = t
		} else if len(vals) != len(p.header) {
			rd.stats.Malformed++ // a short or long row without a time: garbage
			return false
		} else {
			rd.stats.BadTime++
		}
	}
	h := p.header
	names := h
	switch {
	case len(vals) < len(h):
		names = h[:len(vals)]
		rd.stats.Ragged++
	case len(vals) > len(h):
		names = append(p.names[:0], h...)
		for i := len(h); i < len(vals); i++ {
			names = append(names, p.extraName(i))
		}
		p.names = names
		rd.stats.Ragged++
	}
	if p.format == FormatECP && p.eventIdx >= 0 && p.eventIdx < len(vals) {
		if len(names) == len(h) || len(names) < len(h) {
			names = append(p.names[:0], names...)
		}
		ev := vals[p.eventIdx]
		for rest := eventDataStart(ev); rest != ""; {
			var k, v string
			k, v, rest = splitPart(rest)
			names = append(names, k)
			vals = append(vals, v)
		}
		p.names, p.vals = names, vals
	}
	rec.Names, rec.Values = names, vals
	if p.format == FormatHttpProxy && !p.famPath && p.protoIdx >= 0 && p.protoIdx < len(vals) {
		rec.Family = p.protoFamily(vals[p.protoIdx])
	}
	return true
}

// continueRow extends a row whose last quoted value runs past the line
// end with the following physical lines, until the quote closes, a line
// looks like a new row, or the limits are reached. It returns the row.
func (p *csvParser) continueRow(line []byte) []byte {
	sc := p.rd.sc
	inQ, atStart := quoteState(line, false, true)
	for n := 0; inQ && n < maxContinuationLines && sc.canExtend(); n++ {
		if looksLikeRowStart(sc.peek(10)) {
			break
		}
		prev := sc.lineEnd - sc.start
		line = sc.extend()
		inQ, atStart = quoteState(line[prev:], inQ, atStart)
	}
	return sc.cur()
}

func (p *csvParser) extraName(i int) string {
	for len(p.extra) <= i {
		p.extra = append(p.extra, "_"+strconv.Itoa(len(p.extra)))
	}
	return p.extra[i]
}

func (p *csvParser) protoFamily(proto string) string {
	if proto == "" {
		return p.rd.family
	}
	if proto == p.lastProto {
		return p.lastFam
	}
	if f, ok := p.famMap[proto]; ok {
		p.lastProto, p.lastFam = f[len("httpproxy/"):], f
		return f
	}
	if len(p.famMap) >= 64 {
		return p.rd.family
	}
	if p.famMap == nil {
		p.famMap = map[string]string{}
	}
	f := "httpproxy/" + proto
	p.famMap[strings.Clone(proto)] = f
	return f
}

// splitCSV appends the comma-separated values of s to dst. Quoted values
// with doubled quotes are unescaped into sb (returned for reuse); other
// values are substrings of s. Text after a closing quote is kept as part
// of the value. open reports that s ended inside a quoted value.
func splitCSV(dst []string, s string, sb []byte) (vals []string, buf []byte, open bool) {
	for {
		if len(s) > 0 && s[0] == ',' { // empty value: common in wide logs
			dst = append(dst, "")
			s = s[1:]
			continue
		}
		if len(s) == 0 || s[0] != '"' {
			i := strings.IndexByte(s, ',')
			if i < 0 {
				return append(dst, s), sb, false
			}
			dst = append(dst, s[:i])
			s = s[i+1:]
			continue
		}
		s = s[1:]
		if j := strings.IndexByte(s, '"'); j >= 0 && (j+1 == len(s) || s[j+1] == ',') {
			dst = append(dst, s[:j])
			if j+1 == len(s) {
				return dst, sb, false
			}
			s = s[j+2:]
			continue
		}
		st := len(sb)
		open = true
		for {
			j := strings.IndexByte(s, '"')
			if j < 0 {
				sb = append(sb, s...)
				s = ""
				break
			}
			sb = append(sb, s[:j]...)
			s = s[j+1:]
			if len(s) > 0 && s[0] == '"' {
				sb = append(sb, '"')
				s = s[1:]
				continue
			}
			open = false
			break
		}
		last := open
		if !open {
			if k := strings.IndexByte(s, ','); k >= 0 {
				sb = append(sb, s[:k]...)
				s = s[k+1:]
			} else {
				sb = append(sb, s...)
				last = true
			}
		}
		v := ""
		if len(sb) > st {
			v = unsafe.String(&sb[st], len(sb)-st)
		}
		dst = append(dst, v)
		if last {
			return dst, sb, open
		}
	}
}

// EventData: "S:TIME=...;S:SID=...;S:CMD=...;S:URL=..." (ECP Server log).
// A part ends at a ';' that is followed by another key, so values may
// contain ';', '=' and quotes (a script payload in S:CMD does).

func isKeyChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '_' || c == '.' || c == '-' || c == '[' || c == ']'
}

// keyLen returns the length of the EventData key ("S:CMD",
// "I32:ADS.C[DC1]") that starts s and is followed by '=', or 0.
func keyLen(s string) int {
	i := 0
	for i < len(s) && i < 8 && (s[i] >= 'a' && s[i] <= 'z' || s[i] >= 'A' && s[i] <= 'Z' || i > 0 && s[i] >= '0' && s[i] <= '9') {
		i++
	}
	if i == 0 || i >= len(s) || s[i] != ':' {
		return 0
	}
	i++
	st := i
	for i < len(s) && i-st < 128 && isKeyChar(s[i]) {
		i++
	}
	if i == st || i >= len(s) || s[i] != '=' {
		return 0
	}
	return i
}

// eventDataStart skips leading text that is not a key.
func eventDataStart(s string) string {
	for i := 0; i < len(s); {
		if keyLen(s[i:]) > 0 {
			return s[i:]
		}
		j := strings.IndexByte(s[i:], ';')
		if j < 0 {
			return ""
		}
		i += j + 1
	}
	return ""
}

// splitPart splits the key=value part at the start of s (which starts
// with a key) from the rest.
func splitPart(s string) (key, val, rest string) {
	k := keyLen(s)
	key, val = s[:k], s[k+1:]
	for off := 0; ; {
		j := strings.IndexByte(val[off:], ';')
		if j < 0 {
			break
		}
		j += off
		if keyLen(val[j+1:]) > 0 {
			return key, val[:j], val[j+1:]
		}
		off = j + 1
	}
	if strings.HasSuffix(val, ";") {
		val = val[:len(val)-1]
	}
	return key, val, ""
}

// EventDataParts yields the key=value parts of an ECP Server log
// EventData value ("S:CMD" and its value, ...). Text before the first key
// is skipped; a value runs to the next ';' that starts another key.
func EventDataParts(s string) iter.Seq2[string, string] {
	return func(yield func(string, string) bool) {
		for rest := eventDataStart(s); rest != ""; {
			var k, v string
			k, v, rest = splitPart(rest)
			if !yield(k, v) {
				return
			}
		}
	}
}
