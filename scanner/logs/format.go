package logs

import (
	"io"
	"slices"
	"strings"
	"time"
)

// FormatSpec is everything exscan knows about one log format: how it is
// detected and parsed, which coverage family its files count under,
// whether lines can be skimmed, which Sigma logsources its records serve,
// and where the fields of the standard record view are. Adding a format
// is adding a spec here (and its parser) in this package: the checks,
// the Sigma mapping, webshell correlation and the reports read records
// through the spec.
type FormatSpec struct {
	Name Format

	// Skimmable: a line filter (Reader.SetFilter) can rule lines of this
	// format out before they are split into fields.
	Skimmable bool

	// Web: records are web requests; the request fields of the standard
	// view (StdStem, StdMethod, ...) are filled.
	Web bool

	// PlusIsSpace: the log writes spaces in values as '+' (W3C logs).
	PlusIsSpace bool

	// Extensions are the file name extensions logs of the format have
	// (lower case, with the dot); see LogFileName.
	Extensions []string

	// Columns names, per standard field, the log's own columns that hold
	// it, first present wins.
	Columns map[StdField][]string

	// Serves reports whether a Sigma rule with this logsource applies to
	// records of the format. only, when not nil, narrows it to the records
	// it accepts (an event-log rule for one channel or event id).
	Serves func(product, service, category string) (ok bool, only func(*Record) bool)

	// SigmaAliases adds Sigma's names for the record's fields where the
	// format's own names differ (native is the log's name, for evidence).
	SigmaAliases func(rec *Record, add func(name, val, native string))

	// family names the coverage family of a file (path, #Log-type).
	family func(path, logType string) string

	// Text formats are read line by line; binary ones are sniffed from the
	// first bytes and read by their own record source.
	lines   func(rd *Reader, d detection) lineParser
	sniff   func(head []byte) bool
	records func(rd *Reader, src io.Reader) recordSource
}

// lineParser turns one line of a text format into the Reader's record.
type lineParser interface {
	parse(line []byte) bool
}

// timeSkimmer is a lineParser that can confirm a plain line's shape and
// read its time without splitting it (see SetFilter).
type timeSkimmer interface {
	skimTime(line []byte) (time.Time, bool)
}

// recordSource reads the records of a binary format.
type recordSource interface {
	next() (*Record, error)
}

// StdField names a field of the standard record view.
type StdField int

const (
	StdStem      StdField = iota // URL path
	StdQuery                     // URL query
	StdURI                       // path?query in one column (when the log has no stem column)
	StdMethod                    // HTTP method
	StdStatus                    // HTTP status
	StdClientIP                  // client address
	StdForwarded                 // X-Forwarded-For style client lists
	StdUserAgent                 // user agent
	StdReferer                   // referer
	StdCookie                    // cookie
	StdHost                      // HTTP Host header
	StdUser                      // authenticated user
	StdComputer                  // the machine that wrote the record
	StdChannel                   // event-log channel
	StdEventID                   // event id
	StdPath                      // process and file fields that can name a file on disk (event logs)
)

// Formats returns the registered formats in a fixed order.
func Formats() []*FormatSpec { return registry }

// Spec returns the spec of a format, nil for FormatUnknown or an unknown name.
func Spec(f Format) *FormatSpec {
	for _, s := range registry {
		if s.Name == f {
			return s
		}
	}
	return nil
}

// Std returns the value of a standard field of the record and the log's
// own name for it; ok is false when the format has no such column or the
// record lacks it.
func (r *Record) Std(f StdField) (value, native string, ok bool) {
	spec := r.FormatSpec()
	if spec == nil {
		return "", "", false
	}
	for _, n := range spec.Columns[f] {
		if v, found := r.Get(n); found {
			return v, n, true
		}
	}
	return "", "", false
}

// StdNames returns the log's column names of a standard field for the
// record's format.
func (r *Record) StdNames(f StdField) []string {
	if spec := r.FormatSpec(); spec != nil {
		return spec.Columns[f]
	}
	return nil
}

// FormatSpec returns the record's format spec: Spec, or for a record
// built by hand with only Format set, the registry's.
func (r *Record) FormatSpec() *FormatSpec {
	if r.Spec != nil {
		return r.Spec
	}
	return Spec(r.Format)
}

// URL returns the request path and query of a web record: the stem and
// query columns ("-" and a leading '?' dropped from the query), or a
// single path?query column split at '?'.
func (r *Record) URL() (stem, query string, ok bool) {
	if v, _, found := r.Std(StdStem); found {
		q, _, _ := r.Std(StdQuery)
		if q == "-" {
			q = ""
		}
		return v, strings.TrimPrefix(q, "?"), true
	}
	if v, _, found := r.Std(StdURI); found {
		stem, query, _ = strings.Cut(v, "?")
		return stem, query, true
	}
	return "", "", false
}

var (
	w3cColumns = map[StdField][]string{
		StdStem: {"cs-uri-stem"}, StdQuery: {"cs-uri-query"}, StdURI: {"cs-uri"},
		StdMethod: {"cs-method"}, StdStatus: {"sc-status"}, StdClientIP: {"c-ip"},
		StdForwarded: {"X-Forwarded-For", "cs(X-Forwarded-For)"},
		StdUserAgent: {"cs(User-Agent)", "c-useragent"},
		StdReferer:   {"cs(Referer)"}, StdCookie: {"cs(Cookie)"}, StdHost: {"cs(Host)"},
		StdUser: {"cs-username"}, StdComputer: {"s-computername"},
	}
	exchangeColumns = map[StdField][]string{
		StdStem: {"UrlStem"}, StdQuery: {"UrlQuery"},
		StdMethod: {"Method"}, StdStatus: {"HttpStatus"}, StdClientIP: {"ClientIpAddress"},
		StdForwarded: {"X-Forwarded-For", "cs(X-Forwarded-For)"},
		StdUserAgent: {"UserAgent"}, StdHost: {"UrlHost"},
		StdUser: {"AuthenticatedUser"}, StdComputer: {"ServerHostName"},
	}
)

// Logsource helpers for Serves.

func servesNothing(string, string, string) (bool, func(*Record) bool) { return false, nil }

// servesIIS: IIS/HTTPERR/W3C records serve product iis, windows or no
// product webserver rules.
func servesIIS(prod, _, cat string) (bool, func(*Record) bool) {
	return prod == "iis" || (cat == "webserver" && (prod == "" || prod == "windows")), nil
}

func newW3C(rd *Reader, d detection) lineParser  { return newW3CParser(rd, d) }
func newCSV(rd *Reader, d detection) lineParser  { return newCSVParser(rd, d) }
func newText(rd *Reader, _ detection) lineParser { return newTextParser(rd) }

func fixedFamily(name string) func(string, string) string {
	return func(string, string) string { return name }
}

var registry = []*FormatSpec{
	{
		Name: FormatIIS, Skimmable: true, Web: true, PlusIsSpace: true, Columns: w3cColumns, Extensions: textExts,
		Serves: servesIIS, lines: newW3C,
		family: func(path, _ string) string {
			if s := siteDir(path); s != "" {
				return "iis/" + s
			}
			return "iis"
		},
	},
	{
		Name: FormatHTTPErr, Skimmable: true, Web: true, PlusIsSpace: true, Columns: w3cColumns, Extensions: textExts,
		Serves: servesIIS, lines: newW3C, family: fixedFamily("httperr"),
	},
	{
		Name: FormatW3C, Skimmable: true, Web: true, PlusIsSpace: true, Columns: w3cColumns, Extensions: textExts,
		Serves: servesIIS, lines: newW3C, family: fixedFamily("w3c"),
	},
	{
		Name: FormatHttpProxy, Skimmable: true, Web: true, Columns: exchangeColumns, Extensions: csvExts,
		Serves: func(prod, svc, cat string) (bool, func(*Record) bool) {
			return (prod == "" && cat == "webserver") || (prod == "exchange" && (svc == "httpproxy" || svc == "")), nil
		},
		lines: newCSV,
		family: func(path, _ string) string {
			if p := dirAfter(path, "HttpProxy"); p != "" {
				return "httpproxy/" + p
			}
			return "httpproxy"
		},
	},
	{
		Name: FormatECP, Web: true, Columns: exchangeColumns, Extensions: csvExts,
		Serves: func(prod, svc, cat string) (bool, func(*Record) bool) {
			return prod == "exchange" && (svc == "ecp" || (svc == "" && cat != "webserver")), nil
		},
		lines: newCSV, family: fixedFamily("ecp"),
	},
	{
		Name: FormatRPS, Skimmable: true, Web: true, Columns: exchangeColumns, Extensions: csvExts,
		Serves: func(prod, svc, cat string) (bool, func(*Record) bool) {
			return (prod == "" && cat == "webserver") ||
				(prod == "windows" && cat != "webserver" && svc == "msexchange-management") ||
				(prod == "exchange" && (svc == "rps" || svc == "cmdletinfra" || svc == "")), nil
		},
		lines: newCSV, family: fixedFamily("rps"),
	},
	{
		Name: FormatExchange, Skimmable: true, Web: true, Columns: exchangeColumns, Extensions: csvExts,
		Serves: func(prod, svc, cat string) (bool, func(*Record) bool) {
			return prod == "exchange" && svc == "" && cat != "webserver", nil
		},
		lines: newCSV,
		family: func(_, logType string) string {
			if logType != "" {
				return "exchange/" + logType
			}
			return "exchange"
		},
	},
	{
		Name: FormatOAB, Extensions: textExts,
		Serves: func(prod, svc, cat string) (bool, func(*Record) bool) {
			return prod == "exchange" && (svc == "oab" || svc == "oabgenerator" || (svc == "" && cat != "webserver")), nil
		},
		lines: newText, family: fixedFamily("oab"),
	},
	evtxSpec,
}

var (
	textExts = []string{".log", ".txt"}
	csvExts  = []string{".log", ".csv"}
)

// LogFileName reports whether a file's name is one logs have: an
// extension of a format (.log, .csv, .txt, .evtx), also compressed
// (.gz) or with a rotation number after it (u_ex210303.log.1).
func LogFileName(path string) bool {
	name := strings.ToLower(path)
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	ext := func(n string) string {
		if i := strings.LastIndexByte(n, '.'); i >= 0 {
			return n[i:]
		}
		return ""
	}
	if e := ext(name); len(e) > 1 && strings.Trim(e[1:], "0123456789") == "" {
		name = strings.TrimSuffix(name, e)
	}
	e := ext(name)
	if e == ".gz" {
		return true
	}
	for _, s := range registry {
		if slices.Contains(s.Extensions, e) {
			return true
		}
	}
	return false
}

// sniffBinary returns the binary format whose signature starts head.
func sniffBinary(head []byte) *FormatSpec {
	for _, s := range registry {
		if s.sniff != nil && s.sniff(head) {
			return s
		}
	}
	return nil
}

// familyFor names the log family of a file for coverage reporting.
func familyFor(f Format, path, logType string) string {
	if s := Spec(f); s != nil && s.family != nil {
		return s.family(path, logType)
	}
	return string(f)
}
