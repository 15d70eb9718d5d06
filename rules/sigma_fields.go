package rules

// Field mapping: the Sigma view of a log record (native columns plus
// Sigma's webserver names) that rules are evaluated against.

import (
	"net/netip"
	"strconv"
	"strings"
	"unsafe"

	"exscan/internal/literal"
	"exscan/scanner/finding"
	"exscan/scanner/logs"
)

// kv is a derived field; native names the log's own column when the
// field is only another name for it (evidence uses the log's name), or is
// uriNative for a field built from the request's path and query.
type kv struct{ name, val, native string }

// uriNative marks the fields built from a request's path and query (the
// whole URI, decoded-uri): their evidence is the log's own request
// columns.
const uriNative = "\x00uri"

// sigmaEvent is a record seen through Sigma's field names.
type sigmaEvent struct {
	rec      *logs.Record
	extra    []kv // derived fields; several entries with one name are alternatives
	low      string
	lowOK    bool
	joined   string
	joinedOK bool
}

// uriParts returns the request path and query of a record that has a
// URL (logs.Record.URL: IIS/HTTPERR/W3C cs-uri-stem and cs-uri-query or
// cs-uri split at "?", Exchange CSV UrlStem and UrlQuery without its
// leading "?").
func uriParts(rec *logs.Record) (stem, query string, ok bool) {
	return rec.URL()
}

// appendURI appends stem?query (the stem alone without a query).
func appendURI(dst []byte, stem, query string) []byte {
	dst = append(dst, stem...)
	if query != "" {
		if query[0] != '?' {
			dst = append(dst, '?')
		}
		dst = append(dst, query...)
	}
	return dst
}

func newSigmaEvent(rec *logs.Record) *sigmaEvent {
	return newSigmaEventInto(&sigmaEvent{extra: make([]kv, 0, 24)}, rec)
}

// newSigmaEventInto resets ev (keeping its buffer of derived fields) and
// fills it for rec.
func newSigmaEventInto(ev *sigmaEvent, rec *logs.Record) *sigmaEvent {
	clear(ev.extra)
	*ev = sigmaEvent{rec: rec, extra: ev.extra[:0]}
	alias := func(name, val, native string) {
		ev.extra = append(ev.extra, kv{name, val, native})
	}
	addUA := func(ua string, plus bool, native string) {
		alt := ""
		if plus && strings.IndexByte(ua, '+') >= 0 {
			alt = strings.ReplaceAll(ua, "+", " ")
		}
		for _, n := range []string{"c-useragent", "cs-user-agent", "cs(User-Agent)"} {
			alias(n, ua, native)
			if alt != "" {
				alias(n, alt, native)
			}
		}
	}
	stem, query, hasURL := uriParts(rec)
	spec := rec.FormatSpec()
	// Sigma's webserver names from the standard view: W3C logs name most
	// columns the Sigma way already; Exchange CSV logs get them when the
	// record is a request
	if spec != nil && spec.Web && (hasURL || spec.PlusIsSpace) {
		if ua, native, ok := rec.Std(logs.StdUserAgent); ok {
			addUA(ua, spec.PlusIsSpace, native)
		}
		for _, p := range webAliases {
			if v, native, ok := rec.Std(p.f); ok && native != p.name {
				alias(p.name, v, native)
			}
		}
	}
	if spec != nil && spec.SigmaAliases != nil {
		spec.SigmaAliases(rec, alias)
	}
	if hasURL {
		full := string(appendURI(nil, stem, query))
		stemName := "cs-uri-stem"
		if _, native, ok := rec.Std(logs.StdStem); ok {
			stemName = native
		}
		alias("cs-uri-stem", stem, stemName)
		alias("c-uri-stem", stem, stemName)
		alias("cs-uri-query", full, uriNative)
		alias("c-uri", full, uriNative)
		alias("cs-uri", full, uriNative)
		alias("c-uri-query", strings.TrimPrefix(query, "?"), uriNative)
		alias("decoded-uri", decodeURI(full, len(stem)), uriNative)
	}
	return ev
}

// webAliases are Sigma's webserver field names filled from the standard
// view (the user agent has its own handling).
var webAliases = []struct {
	name string
	f    logs.StdField
}{
	{"cs-method", logs.StdMethod}, {"sc-status", logs.StdStatus}, {"c-ip", logs.StdClientIP},
	{"cs-username", logs.StdUser}, {"s-computername", logs.StdComputer},
	{"cs-referer", logs.StdReferer}, {"cs-cookie", logs.StdCookie}, {"cs-host", logs.StdHost},
}

// get returns the field's value(s): derived names first, then the record.
func (ev *sigmaEvent) get(name string) []string {
	return ev.getInto(nil, name)
}

// getInto appends the field's value(s) to dst (nil when the field is
// absent), so hot paths can pass a stack buffer.
func (ev *sigmaEvent) getInto(dst []string, name string) []string {
	n := len(dst)
	for _, e := range ev.extra {
		if e.name == name {
			dst = append(dst, e.val)
		}
	}
	if len(dst) == n {
		for _, e := range ev.extra {
			if strings.EqualFold(e.name, name) {
				dst = append(dst, e.val)
			}
		}
	}
	if len(dst) > n {
		return dst
	}
	if v, ok := ev.rec.Get(name); ok {
		return append(dst, v)
	}
	return nil
}

// nativeName is the log's own name for a field that is an alias of one of
// its columns, else the name itself.
func (ev *sigmaEvent) nativeName(name string) string {
	for _, e := range ev.extra {
		if strings.EqualFold(e.name, name) {
			if e.native != "" {
				return e.native
			}
			return name
		}
	}
	return name
}

func (ev *sigmaEvent) lowRaw() string {
	if !ev.lowOK {
		ev.low = string(literal.AppendLower(nil, ev.rec.Raw))
		ev.lowOK = true
	}
	return ev.low
}

// keyword matches a keyword against the raw line, then against the
// record's values joined by spaces: CSV quoting hides text that event-log
// keyword rules expect (RPS cmdlet rows hold the cmdlet and its
// parameters in separate, quoted columns; the MSExchange Management event
// reads "New-MailboxExportRequest -Mailbox ...").
func (ev *sigmaEvent) keyword(v *cValue) bool {
	if v.glob != nil {
		return v.glob.match(unsafe.String(unsafe.SliceData(ev.rec.Raw), len(ev.rec.Raw)), true) ||
			v.glob.match(ev.joinedValues(), true)
	}
	return strings.Contains(ev.lowRaw(), v.lit) || literal.ContainsFold(ev.joinedValues(), v.lit)
}

func (ev *sigmaEvent) joinedValues() string {
	if !ev.joinedOK {
		ev.joined = strings.Join(ev.rec.Values, " ")
		ev.joinedOK = true
	}
	return ev.joined
}

// keywordEvidence names the record fields that hold a matched keyword.
func (ev *sigmaEvent) keywordEvidence(v *cValue, seen map[string]bool) []finding.Evidence {
	var out []finding.Evidence
	for i, n := range ev.rec.Names {
		if i >= len(ev.rec.Values) || seen[strings.ToLower(n)] {
			continue
		}
		val := ev.rec.Values[i]
		var hit bool
		if v.glob != nil {
			hit = v.glob.match(val, true)
		} else {
			hit = literal.ContainsFold(val, v.lit)
		}
		if hit {
			seen[strings.ToLower(n)] = true
			out = append(out, finding.Evidence{Name: n, Value: clip(val)})
		}
	}
	if len(out) == 0 && !seen["raw"] {
		seen["raw"] = true
		out = append(out, finding.Evidence{Name: "raw", Value: clip(string(ev.rec.Raw))})
	}
	return out
}

func (ev *sigmaEvent) matchAll(and []*cMatcher) bool {
	for _, m := range and {
		if !ev.matcher(m) {
			return false
		}
	}
	return true
}

func (ev *sigmaEvent) matcher(m *cMatcher) bool {
	var buf [4]string
	var vals []string
	present := true
	if m.field == "" {
		// keywords under modifiers ('|all'): the raw line and the joined values
		buf[0] = unsafe.String(unsafe.SliceData(ev.rec.Raw), len(ev.rec.Raw))
		buf[1] = ev.joinedValues()
		vals = buf[:2]
	} else {
		vals = ev.getInto(buf[:0], m.field)
		if vals == nil {
			present = false
		}
	}
	if m.op == opExists {
		has := present && len(vals) > 0 && vals[0] != ""
		for _, v := range m.values {
			if v.exists == has {
				return true
			}
		}
		return false
	}
	if m.all {
		for _, v := range m.values {
			if !matchValue(m, v, vals, present) {
				return false
			}
		}
		return true
	}
	for _, v := range m.values {
		if matchValue(m, v, vals, present) {
			return true
		}
	}
	return false
}

func matchValue(m *cMatcher, v *cValue, vals []string, present bool) bool {
	if v.null {
		return !present || len(vals) == 0 || vals[0] == ""
	}
	if !present {
		// a missing field equals only the empty string
		return m.op == opEq && v.glob == nil && v.lit == ""
	}
	fold := !m.cased
	for _, a := range vals {
		if matchOne(m.op, v, a, fold) {
			return true
		}
	}
	return false
}

func matchOne(op matchOp, v *cValue, a string, fold bool) bool {
	switch op {
	case opRe:
		return v.re.MatchString(a)
	case opCIDR:
		ip, err := netip.ParseAddr(strings.Trim(strings.TrimSpace(a), "[]"))
		return err == nil && v.prefix.Contains(ip.Unmap())
	case opGt, opGte, opLt, opLte:
		f, err := strconv.ParseFloat(strings.TrimSpace(a), 64)
		if err != nil {
			return false
		}
		switch op {
		case opGt:
			return f > v.num
		case opGte:
			return f >= v.num
		case opLt:
			return f < v.num
		}
		return f <= v.num
	}
	if v.glob != nil {
		return v.glob.match(a, fold)
	}
	switch op {
	case opContains:
		if fold {
			return literal.ContainsFold(a, v.lit)
		}
		return strings.Contains(a, v.lit)
	case opStarts:
		if fold {
			return literal.HasPrefixFold(a, v.lit)
		}
		return strings.HasPrefix(a, v.lit)
	case opEnds:
		if fold {
			return literal.HasSuffixFold(a, v.lit)
		}
		return strings.HasSuffix(a, v.lit)
	}
	if fold {
		return literal.EqualFold(a, v.lit)
	}
	return a == v.lit
}
