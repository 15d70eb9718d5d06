package scanner

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
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

type coverage struct {
	files, records   int64
	earliest, latest time.Time
}

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

func (e *Engine) walkLogs(ctx context.Context, t Target, out chan<- Target) {
	// A link the user named is followed; links inside are not.
	root := t.Path
	if real, err := filepath.EvalSymlinks(root); err == nil {
		root = real
	}
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if root != t.Path {
			if rel, rerr := filepath.Rel(root, p); rerr == nil {
				p = filepath.Join(t.Path, rel)
			}
		}
		if ctxDone(ctx) {
			return filepath.SkipAll
		}
		if err != nil {
			e.skipErr(p, err)
			return nil
		}
		switch {
		case d.IsDir():
			return nil
		case d.Type()&fs.ModeSymlink != 0:
			e.skip(p, SkipSymlink, "")
		case !d.Type().IsRegular():
			e.skip(p, SkipNotRegular, d.Type().String())
		default:
			win := ""
			if t.WinPath != "" {
				if rel, err := filepath.Rel(t.Path, p); err == nil && rel != "." {
					win = strings.TrimSuffix(t.WinPath, `\`) + `\` + strings.ReplaceAll(filepath.ToSlash(rel), "/", `\`)
				}
			}
			out <- Target{Path: p, WinPath: win}
		}
		return nil
	})
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
	r.SetFilter(pf.Keep(r.Format()))
	e.logFiles.Add(1)
	// coverage by family: one event log file can hold the records of
	// several channels (a forwarded-events log, an export)
	covs := map[string]*coverage{}
	var format logs.Format = r.Format()
	n := 0
	var beforeSince int64
	for {
		if n++; n&4095 == 0 && ctxDone(ctx) {
			break
		}
		rec, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			e.skip(p, SkipReadError, err.Error())
			break
		}
		fam := rec.Family
		if fam == "" {
			fam = string(format)
		}
		cov := covs[fam]
		if cov == nil {
			cov = &coverage{files: 1}
			covs[fam] = cov
		}
		if !e.opts.Since.IsZero() && !rec.Time.IsZero() && rec.Time.Before(e.opts.Since) {
			// Out of scope: not checked, and not counted as coverage.
			beforeSince++
			continue
		}
		cov.records++
		if !rec.Time.IsZero() {
			if cov.earliest.IsZero() || rec.Time.Before(cov.earliest) {
				cov.earliest = rec.Time
			}
			if rec.Time.After(cov.latest) {
				cov.latest = rec.Time
			}
		}
		if !rec.Skimmed {
			e.checkRecordWith(pf.Check(lc.c, rec), lc, p, win, rec)
		}
	}
	st := r.Stats()
	e.logBytes.Add(st.Bytes)
	e.logRuledOut.Add(st.Skimmed)
	e.logBeforeSince.Add(beforeSince)
	e.mu.Lock()
	e.logRecords[string(format)] += st.Records
	if st.Malformed > 0 {
		e.malformed[string(format)] += st.Malformed
	}
	if len(covs) == 0 {
		covs[string(format)] = &coverage{files: 1}
	}
	for fam, cov := range covs {
		e.addCoverageLocked(fam, *cov)
	}
	e.mu.Unlock()
}

// addCoverageLocked adds what was read of one log family (each folder,
// iis/W3SVC1 or httpproxy/Owa, has its own retention). Callers hold mu.
func (e *Engine) addCoverageLocked(fam string, cov coverage) {
	c2 := e.coverage[fam]
	if c2 == nil {
		c2 = &coverage{}
		e.coverage[fam] = c2
	}
	c2.files += cov.files
	c2.records += cov.records
	if !cov.earliest.IsZero() && (c2.earliest.IsZero() || cov.earliest.Before(c2.earliest)) {
		c2.earliest = cov.earliest
	}
	if cov.latest.After(c2.latest) {
		c2.latest = cov.latest
	}
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
	e.mu.Lock()
	defer e.mu.Unlock()
	for f, n := range records {
		e.logRecords[f] += n
	}
	for f, n := range malformed {
		if n > 0 {
			e.malformed[f] += n
		}
	}
	for fam, c := range families {
		e.addCoverageLocked(fam, coverage{files: c.Files, records: c.Records, earliest: c.Earliest, latest: c.Latest})
	}
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

func (e *Engine) coverageLocked() []finding.Coverage {
	var out []finding.Coverage
	for fam, c := range e.coverage {
		cv := finding.Coverage{Family: fam, Files: c.files, Records: c.records}
		if !c.earliest.IsZero() {
			cv.Earliest = c.earliest.UTC().Format(time.RFC3339)
			cv.Latest = c.latest.UTC().Format(time.RFC3339)
			cv.Days = float64(int(c.latest.Sub(c.earliest).Hours()/24*10)) / 10
		}
		cv.TooShort = cv.Days < MinCoverageDays
		out = append(out, cv)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Family < out[j].Family })
	return out
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
