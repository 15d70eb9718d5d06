package scanner

import (
	"sort"
	"strings"
	"sync"
	"time"

	"exscan/internal/exchange"
	"exscan/iocs"
	"exscan/scanner/finding"
	"exscan/scanner/logs"
)

// WebshellIndex holds the webshells the file checks found, by the URL path
// IIS serves them under, and who reached them in the logs. The file phase
// fills it (ScanFiles returns it) and the log phase reads it (ScanLogs and
// LogChecker take it), so the log checks see exactly the webshells they
// are given. Safe for concurrent use.
type WebshellIndex struct {
	mu     sync.Mutex
	byURL  map[string]*webshellFile // lower case URL path
	access map[string]*finding.WebshellAccess

	// recent keeps the last log requests for script pages (a ring of
	// Options.RecentRequests), so that a webshell found after its requests
	// were read (watch) still makes them findings.
	recent     []recentRequest
	recentNext int
	keep       int
}

type webshellFile struct {
	file string // native path
	win  string
	url  string // URL path, lower case
}

// recentRequest is a log request for a script page, kept for a webshell
// found after it was read.
type recentRequest struct {
	c         *LogChecks
	path, win string
	url       string // lower case
	rec       *logs.Record
}

// NewWebshellIndex returns an empty index that keeps the last keep
// requests for script pages (0: none).
func NewWebshellIndex(keep int) *WebshellIndex {
	return &WebshellIndex{byURL: map[string]*webshellFile{}, access: map[string]*finding.WebshellAccess{}, keep: keep}
}

// add records a webshell found on disk and returns the kept requests for
// its URL, to be checked again; false when the path maps to no URL.
func (x *WebshellIndex) add(native, win string) ([]recentRequest, bool) {
	u := exchange.URLPath(win)
	if u == "" {
		return nil, false
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	x.byURL[u] = &webshellFile{file: native, win: win, url: u}
	var again []recentRequest
	for i, r := range x.recent {
		if r.rec != nil && r.url == u {
			again = append(again, r)
			x.recent[i] = recentRequest{}
		}
	}
	return again, true
}

// keepRecent keeps a copy of a request for a script page when the index
// keeps recent requests.
func (x *WebshellIndex) keepRecent(c *LogChecks, path, win string, rec *logs.Record) {
	if x == nil || x.keep <= 0 {
		return
	}
	stem, _, _ := rec.Std(logs.StdStem)
	if stem == "" || !IsScriptPage(stem) {
		return
	}
	r := recentRequest{c: c, path: path, win: win, url: strings.ToLower(stem), rec: rec.Clone()}
	x.mu.Lock()
	defer x.mu.Unlock()
	if len(x.recent) < x.keep {
		x.recent = append(x.recent, r)
		return
	}
	x.recent[x.recentNext] = r
	x.recentNext = (x.recentNext + 1) % len(x.recent)
}

// Len is the number of webshells in the index.
func (x *WebshellIndex) Len() int {
	if x == nil {
		return 0
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	return len(x.byURL)
}

// List returns the webshells in the index, by file.
func (x *WebshellIndex) List() []Webshell {
	x.mu.Lock()
	defer x.mu.Unlock()
	out := make([]Webshell, 0, len(x.byURL))
	for _, w := range x.byURL {
		out = append(out, Webshell{File: w.file, Win: w.win})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].File < out[j].File })
	return out
}

// Access is who reached each webshell (answered requests only), by file.
func (x *WebshellIndex) Access() []finding.WebshellAccess {
	if x == nil {
		return nil
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	var out []finding.WebshellAccess
	for _, a := range x.access {
		out = append(out, *a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].File < out[j].File })
	return out
}

// needles are literals of the URL paths of the webshells, for the line
// prefilter.
func (x *WebshellIndex) needles() []string {
	x.mu.Lock()
	defer x.mu.Unlock()
	var out []string
	for u := range x.byURL {
		// shorter than 4 bytes: the prefilter keeps every line
		out = append(out, iocs.PathFragment(u))
	}
	if x.keep > 0 {
		// requests for script pages are kept for webshells found later
		for ext := range aspnetExt {
			out = append(out, ext)
		}
	}
	return out
}

// lookup returns the webshell a webshell reason's "url" evidence names.
func (x *WebshellIndex) lookup(ev []finding.Evidence) *webshellFile {
	if x == nil {
		return nil
	}
	for _, e := range ev {
		if e.Name == "url" {
			x.mu.Lock()
			defer x.mu.Unlock()
			return x.byURL[e.Value]
		}
	}
	return nil
}

// event returns the webshell that an event-log record's process or file
// fields (logs.StdPath) name, if any.
func (x *WebshellIndex) event(rec *logs.Record) *webshellFile {
	names := rec.StdNames(logs.StdPath)
	if len(names) == 0 {
		return nil
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if len(x.byURL) == 0 {
		return nil
	}
	for _, n := range names {
		v, ok := rec.Get(n)
		if !ok || v == "" {
			continue
		}
		v = exchange.NormPath(v)
		for u, ws := range x.byURL {
			if strings.Contains(v, u) && pathBoundary(v, u) {
				return ws
			}
		}
	}
	return nil
}

// request returns the webshell that rec requested, if any, and whether the
// server answered it (a status below 400, or no status logged). Answered
// requests are added to the access table.
func (x *WebshellIndex) request(rec *logs.Record) (*webshellFile, bool) {
	if x.Len() == 0 {
		return nil, false
	}
	stem, _, _ := rec.Std(logs.StdStem)
	if stem == "" {
		return nil, false
	}
	status, _, _ := rec.Std(logs.StdStatus)
	answered := status == "" || status == "-" || (len(status) == 3 && status < "400")
	x.mu.Lock()
	defer x.mu.Unlock()
	ws := x.byURL[strings.ToLower(stem)]
	if ws == nil {
		return nil, false
	}
	if !answered {
		return ws, false
	}
	a := x.access[ws.url]
	if a == nil {
		a = &finding.WebshellAccess{File: ws.win, URL: ws.url}
		if a.File == "" {
			a.File = ws.file
		}
		x.access[ws.url] = a
	}
	a.Requests++
	ip, _, _ := rec.Std(logs.StdClientIP)
	if ip != "" && len(a.Clients) < 100 && !contains(a.Clients, ip) {
		a.Clients = append(a.Clients, ip)
	}
	if !rec.Time.IsZero() {
		ts := rec.Time.UTC().Format(time.RFC3339)
		if a.First == "" || ts < a.First {
			a.First = ts
		}
		if ts > a.Last {
			a.Last = ts
		}
	}
	return ws, true
}
