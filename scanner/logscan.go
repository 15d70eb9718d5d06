package scanner

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"exscan/scanner/finding"
	"exscan/scanner/logcheck"
	"exscan/scanner/logs"
)

// MinCoverageDays is how far back logs must reach for a clean result to
// mean something: Exchange keeps about 30 days of HttpProxy logs by
// default, and the 2021 campaigns ran for weeks before disclosure.
const MinCoverageDays = 30

const SkipNotALog = "not-a-log"

// ScanLogs runs the log checks on every log file under the targets;
// requests to the webshells in shells (what ScanFiles returned; nil for
// none) become findings that name them.
func (e *Engine) ScanLogs(ctx context.Context, targets []Target, shells *WebshellIndex) {
	checks := e.LogChecks(shells)
	var pf *logcheck.Prefilter
	if !e.opts.NoLinePrefilter {
		pf = checks.c.Prefilter(nil)
	}
	paths := make(chan Target, 64)
	var wg sync.WaitGroup
	for i := 0; i < e.opts.Threads; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range paths {
				if ctxDone(ctx) {
					continue
				}
				e.scanLogFile(ctx, checks, pf, p.Path, p.WinPath)
			}
		}()
	}
	for _, t := range targets {
		e.walkLogs(ctx, t, paths)
	}
	close(paths)
	wg.Wait()
}

// walkLogs feeds every regular file under t to out, by name, walked as
// the file checks walk (links inside are counted, not followed).
func (e *Engine) walkLogs(ctx context.Context, t Target, out chan<- Target) {
	w := &walker{ctx: ctx, sorted: true,
		file: func(display, win string, _ fs.FileInfo, _ func() (*os.File, error)) {
			out <- Target{Path: display, WinPath: win}
		},
		skip: func(display, reason, detail string, _ bool) { e.skip(display, reason, detail) },
	}
	w.walk(t)
}

func (e *Engine) scanLogFile(ctx context.Context, lc *LogChecks, pf *logcheck.Prefilter, p, win string) {
	if e.opts.Progress != nil {
		if st, err := os.Stat(p); err == nil {
			defer e.opts.Progress(1, st.Size())
		}
	}
	r, err := logs.Open(p)
	if err != nil {
		if errors.Is(err, logs.ErrUnknownFormat) {
			e.skip(p, SkipNotALog, err.Error())
		} else {
			e.skipErr(p, err)
		}
		return
	}
	defer r.Close()
	e.logFiles.Add(1)
	pass := logs.Pass{
		Since:  e.opts.Since,
		Checks: recordChecks{e: e, lc: lc, pf: pf, path: p, win: win},
		Stop:   func() bool { return ctxDone(ctx) },
	}
	res, _ := pass.Run(r)
	if res.ReadErr != nil {
		e.skip(p, SkipReadError, res.ReadErr.Error())
	}
	st := res.Stats
	e.logBytes.Add(st.Bytes)
	e.logRuledOut.Add(st.Skimmed)
	e.logBeforeSince.Add(res.BeforeSince)
	// coverage by family: one event log file can hold the records of
	// several channels (a forwarded-events log, an export)
	covs := map[string]coverage{}
	for fam, cov := range res.Families {
		covs[fam] = coverage{files: 1, records: cov.Records, earliest: cov.Earliest, latest: cov.Latest}
	}
	if len(res.Families) == 0 {
		covs[string(res.Format)] = coverage{files: 1}
	}
	e.logs.add(map[string]int64{string(res.Format): st.Records}, map[string]int64{string(res.Format): st.Malformed}, covs)
}

// recordChecks runs the engine's log checks on the records of one file
// (logs.RecordChecks), with the line prefilter pf (nil: none).
type recordChecks struct {
	e         *Engine
	lc        *LogChecks
	pf        *logcheck.Prefilter
	path, win string
}

func (x recordChecks) Filter(f logs.Format) func([]byte) (bool, uint64) { return x.pf.Keep(f) }

func (x recordChecks) Check(rec *logs.Record) error {
	x.e.checkRecordWith(x.pf.Check(x.lc.c, rec), x.lc, x.path, x.win, rec)
	return nil
}

// RecordChecks returns the log checks lc for the records of the log at
// path (win: its Windows path on the scanned host, or ""), with the line
// prefilter built from lc's checks and the webshells in its index (none
// with Options.NoLinePrefilter). A reader that follows logs while the
// file checks run (watch) asks again for each read: the prefilter is
// rebuilt when a webshell was added to the index since.
func (e *Engine) RecordChecks(lc *LogChecks, path, win string) logs.RecordChecks {
	var pf *logcheck.Prefilter
	if !e.opts.NoLinePrefilter {
		pf = e.filters.get(lc, lc.shells.Len())
	}
	return recordChecks{e: e, lc: lc, pf: pf, path: path, win: win}
}

// lineFilters caches the prefilter of one LogChecks for a number of
// webshells in its index (the index only grows).
type lineFilters struct {
	mu     sync.Mutex
	lc     *LogChecks
	shells int
	pf     *logcheck.Prefilter
}

func (l *lineFilters) get(lc *LogChecks, shells int) *logcheck.Prefilter {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.pf == nil || l.lc != lc || l.shells != shells {
		l.lc, l.shells, l.pf = lc, shells, lc.c.Prefilter(nil)
	}
	return l.pf
}

// LogFamily is what was read of one log family: files, records in scope
// (not before --since) and the earliest and latest record times.
type LogFamily struct {
	Files, Records   int64
	Earliest, Latest time.Time
}

// AddLogCounts adds log records read outside ScanLogs (watch reads its
// logs itself) to the summary's log_records and log_malformed (by format)
// and log_coverage (by family).
func (e *Engine) AddLogCounts(records, malformed map[string]int64, families map[string]LogFamily) {
	covs := map[string]coverage{}
	for fam, c := range families {
		covs[fam] = coverage{files: c.Files, records: c.Records, earliest: c.Earliest, latest: c.Latest}
	}
	e.logs.add(records, malformed, covs)
}

// CheckRecord runs the log checks on one record of the log file at path
// and emits a finding when anything matched. Requests to webshells found on
// disk become critical findings that name the file. It reports whether a
// finding was emitted.
func (e *Engine) CheckRecord(lc *LogChecks, path string, rec *logs.Record) bool {
	return e.checkRecord(lc, path, "", rec)
}

// CheckRecordAt is CheckRecord for a log whose Windows path on the scanned
// host is known (win), so the finding carries it.
func (e *Engine) CheckRecordAt(lc *LogChecks, path, win string, rec *logs.Record) bool {
	return e.checkRecord(lc, path, win, rec)
}

func (e *Engine) checkRecord(lc *LogChecks, path, win string, rec *logs.Record) bool {
	return e.checkRecordWith(lc.c.Check(rec), lc, path, win, rec)
}

// checkRecordWith is checkRecord with the checks' reasons already known.
func (e *Engine) checkRecordWith(reasons []finding.Reason, lc *LogChecks, path, win string, rec *logs.Record) bool {
	if !slices.ContainsFunc(reasons, func(r finding.Reason) bool {
		return r.Rule == ruleWebshellAccess || r.Rule == ruleWebshellRefused
	}) {
		lc.shells.keepRecent(lc, path, win, rec)
	}
	if len(reasons) == 0 {
		return false
	}
	f := lc.c.Finding(path, rec, reasons)
	if win != "" {
		// The fingerprint names the host's path, not where the image is
		// mounted: recomputed by emit.
		f.HostPath, f.Fingerprint = win, ""
	}
	for _, r := range reasons {
		if r.Rule == ruleWebshellAccess || r.Rule == ruleWebshellRefused || r.Rule == ruleWebshellEvent {
			if ws := lc.shells.lookup(r.Evidence); ws != nil && !contains(f.Related, ws.file) {
				f.Related = append(f.Related, ws.file)
			}
		}
	}
	e.emit(f)
	return true
}

// LogChecks are the log checks of a log phase: the per-record checker
// built from the engine's rules (Sigma, indicators) and the correlation
// with the webshells of one index.
type LogChecks struct {
	c      *logcheck.Checker
	shells *WebshellIndex
}

// LogChecks builds the log checks for records read with the webshells in
// shells known (nil: none).
func (e *Engine) LogChecks(shells *WebshellIndex) *LogChecks {
	if shells == nil {
		shells = NewWebshellIndex(0)
	}
	return &LogChecks{c: logcheck.New(e.opts.Sigma, e.opts.IOCs, webshellCheck{shells}), shells: shells}
}

// webshellCheck ties log records to the webshells the file checks found:
// a request for one (critical when answered), or an event-log process or
// file event that names one.
type webshellCheck struct{ x *WebshellIndex }

func (w webshellCheck) Needs(logs.Format) logcheck.Needs {
	return logcheck.Needs{Any: w.x.needles()}
}

func (w webshellCheck) Check(rec *logs.Record) []finding.Reason {
	if ws, answered := w.x.request(rec); ws != nil {
		return []finding.Reason{webshellAccessReason(ws, answered)}
	}
	if ws := w.x.event(rec); ws != nil {
		return []finding.Reason{webshellEventReason(ws)}
	}
	return nil
}

// pathBoundary reports whether u occurs in v as a whole path tail: not
// followed by more of a file name.
func pathBoundary(v, u string) bool {
	for i := strings.Index(v, u); i >= 0; {
		end := i + len(u)
		if end == len(v) || strings.ContainsRune(` "'>|;&,`+"\t", rune(v[end])) {
			return true
		}
		j := strings.Index(v[i+1:], u)
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return false
}

// noteWebshell records a webshell found on disk in the engine's index, so
// requests to its URL in the logs can be tied to it. Requests for it read
// before it was found (kept by Options.RecentRequests) are checked again
// now.
func (e *Engine) noteWebshell(native, win string) {
	again, _ := e.shells.add(native, win)
	for _, r := range again {
		e.checkRecordWith(r.c.c.Check(r.rec), r.c, r.path, r.win, r.rec)
	}
}

// Webshell is a webshell found on disk that log requests are tied to: its
// path as read and its path on the scanned host (or "").
type Webshell struct {
	File string `json:"file"`
	Win  string `json:"win,omitempty"`
}

// RestoreWebshells makes the engine know webshells found by an earlier run
// (watch keeps them in its state), as if found on disk now.
func (e *Engine) RestoreWebshells(ws []Webshell) {
	for _, w := range ws {
		host := w.Win
		if host == "" {
			host = w.File
		}
		e.noteWebshell(w.File, host)
	}
}

func contains(l []string, s string) bool {
	for _, v := range l {
		if v == s {
			return true
		}
	}
	return false
}

// Rule ids of the webshell correlation.
const (
	ruleWebshellAccess  = "exscan.log.webshell-file-access"
	ruleWebshellRefused = "exscan.log.webshell-file-access-refused"
	ruleWebshellEvent   = "exscan.log.webshell-file-event"
)

// webshellEventReason: an event-log record (a process started with it on
// its command line, a file written) names a webshell found on disk.
func webshellEventReason(ws *webshellFile) finding.Reason {
	name := ws.win
	if name == "" {
		name = ws.file
	}
	return finding.Reason{
		Rule:        ruleWebshellEvent,
		Title:       "Event log names a webshell found on disk: " + name,
		Severity:    finding.Critical,
		Source:      finding.SourceHeuristic,
		Author:      "exscan",
		Description: "A process or file event in the Windows event log names a file that the file checks flagged as a webshell: the process that wrote it or ran with it is part of the webshell's story.",
		Campaigns:   []string{"webshell-generic"},
		Attack:      []string{"T1505.003"},
		Evidence:    []finding.Evidence{{Name: "webshell", Value: name}, {Name: "url", Value: ws.url}},
	}
}

func webshellAccessReason(ws *webshellFile, answered bool) finding.Reason {
	name := ws.win
	if name == "" {
		name = ws.file
	}
	if !answered {
		return finding.Reason{
			Rule:        ruleWebshellRefused,
			Title:       "Refused request to a webshell found on disk: " + name,
			Severity:    finding.Medium,
			Source:      finding.SourceHeuristic,
			Author:      "exscan",
			Description: "This request named a file that the file checks flagged as a webshell, but the server refused it (status 400 or above): probing, or a webshell that was not reachable then.",
			Campaigns:   []string{"webshell-generic"},
			Attack:      []string{"T1505.003"},
			Evidence:    []finding.Evidence{{Name: "webshell", Value: name}, {Name: "url", Value: ws.url}},
		}
	}
	return finding.Reason{
		Outcome:     "success",
		Rule:        ruleWebshellAccess,
		Title:       "Request to a webshell found on disk: " + name,
		Severity:    finding.Critical,
		Source:      finding.SourceHeuristic,
		Author:      "exscan",
		Description: "This request reached a file that the file checks flagged as a webshell; the client likely operated it.",
		Campaigns:   []string{"webshell-generic"},
		Attack:      []string{"T1505.003"},
		Evidence:    []finding.Evidence{{Name: "webshell", Value: name}, {Name: "url", Value: ws.url}},
	}
}
