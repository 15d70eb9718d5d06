// Package scanner is exscan's engine: options in, findings out through a
// sink, streamed as they happen. It walks targets, runs the file checks and
// the log checks with a bounded worker pool, and never writes to what it
// scans. It never formats output: that is the report package's job.
package scanner

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"exscan/iocs"
	"exscan/rules"
	"exscan/scanner/finding"
)

// Version is exscan's version, set at build time with -ldflags.
var Version = "0.1.0-dev"

// Options configure a scan.
type Options struct {
	Threads     int           // worker pool size; 0 means all cores
	MaxFileSize int64         // files larger than this are skipped (counted); 0 means 64 MiB
	ScanTimeout time.Duration // per-file YARA timeout; 0 means 60 s
	Since       time.Time     // log records before this are not checked (files are always checked)
	FollowLinks bool          // follow symbolic links (loop-safe)
	Verbose     bool          // list every skipped item in the summary
	MaxIO       float64       // read throttle in MB/s; 0 means unlimited

	// AllDigests computes MD5 and SHA-1 of every file (for indicator
	// lists that have only those); otherwise only SHA-256 is computed for
	// every file and the other two for files with a finding.
	AllDigests bool

	// NoLinePrefilter parses and checks every log line; by default lines
	// that hold no literal any log check looks for are only counted (see
	// logcheck.Prefilter). For tests and comparisons.
	NoLinePrefilter bool

	// YARAEveryFile hands every file to libyara, also those whose size
	// and first bytes already rule out every rule (tests compare both).
	YARAEveryFile bool

	// Progress, when set, is told of each file done and its bytes.
	Progress func(items, bytes int64)

	// RecentRequests keeps the last this many log requests for script
	// pages (.aspx, .ashx, ...), so that a webshell found on disk after
	// its requests were read (watch: a shell dropped and used within the
	// same second) still makes them critical findings that name it.
	RecentRequests int

	YARA  *rules.YARASet
	Sigma *rules.SigmaSet
	IOCs  *iocs.Set

	// ExchangeInstall is the Windows path of the Exchange install on the
	// scanned host, used to rebase path indicators.
	ExchangeInstall string
}

// Sink receives findings. The engine calls it from one goroutine at a time.
type Sink func(f finding.Finding)

// Target is one file or folder to scan, with its Windows path on the
// scanned host when known (scan --root), so that path indicators and
// location scoring see the host's own paths.
type Target struct {
	Path    string
	WinPath string
}

// Engine runs checks and keeps the counts for the summary.
type Engine struct {
	opts    Options
	sinkMu  sync.Mutex
	sink    Sink
	started time.Time

	filesSeen, filesScanned, bytes  atomic.Int64
	yaraRuledOut, yaraRuledOutBytes atomic.Int64
	logRuledOut, logBeforeSince     atomic.Int64
	logFiles, logBytes              atomic.Int64

	skips    skipList       // items not (fully) checked
	logs     logTally       // log records, malformed records and coverage
	warnings warnList       // the engine's own warnings
	shells   *WebshellIndex // the webshells the file checks found
	throttle *throttle      // --max-io, shared by the workers
	filters  lineFilters    // line prefilters of RecordChecks, rebuilt as webshells are found
}

// New makes an engine.
func New(opts Options, sink Sink) *Engine {
	if opts.Threads <= 0 {
		opts.Threads = runtime.NumCPU()
	}
	if opts.MaxFileSize <= 0 {
		opts.MaxFileSize = 64 << 20
	}
	if opts.ScanTimeout <= 0 {
		opts.ScanTimeout = 60 * time.Second
	}
	e := &Engine{
		opts: opts, sink: sink, started: time.Now(),
		skips:  skipList{verbose: opts.Verbose},
		shells: NewWebshellIndex(opts.RecentRequests),
	}
	if opts.MaxIO > 0 {
		e.throttle = newThrottle(opts.MaxIO * 1e6)
	}
	if opts.IOCs != nil && opts.ExchangeInstall != "" {
		opts.IOCs.SetVars(map[string]string{"ExchangeInstallPath": opts.ExchangeInstall})
	}
	return e
}

// Webshells is the index the file checks record the webshells they find
// in (ScanFiles returns it too), for the log checks to take.
func (e *Engine) Webshells() *WebshellIndex { return e.shells }

// OwnRules are the rule ids of the engine's own checks: the file
// heuristics and the correlation of log records with webshells found on
// disk (indicator findings are "exscan.ioc." and the kind).
func OwnRules() []string {
	return []string{reasonStagedArchive.Rule, reasonLsassDump.Rule, reasonExportedPage.Rule, reasonMinidump.Rule,
		reasonUnexpectedPage.Rule, ruleWebshellAccess, ruleWebshellRefused, ruleWebshellEvent}
}

// Options returns the engine's effective options.
func (e *Engine) Options() Options { return e.opts }

func (e *Engine) emit(f finding.Finding) {
	f.Finalize()
	e.sinkMu.Lock()
	defer e.sinkMu.Unlock()
	if e.sink != nil {
		e.sink(f)
	}
}

// skip counts an item that was not (fully) checked.
func (e *Engine) skip(path, reason, detail string) { e.skips.add(path, reason, detail) }

// Warn adds a warning to the summary.
func (e *Engine) Warn(msg string) { e.warnings.add(msg) }

// Summary returns the engine's counts so far: what was read and checked,
// what was skipped and the log coverage. Findings are counted where they
// end, by the application's pipeline (after the ignore list), which also
// adds the host, the webshell access table and the verdict.
func (e *Engine) Summary() *finding.Summary {
	skipped, items := e.skips.snapshot()
	records, malformed, cov := e.logs.snapshot()
	s := &finding.Summary{
		Type:         "summary",
		Version:      Version,
		Started:      e.started.UTC().Format(time.RFC3339),
		Duration:     time.Since(e.started).Seconds(),
		FilesSeen:    e.filesSeen.Load(),
		FilesScanned: e.filesScanned.Load(),
		Bytes:        e.bytes.Load(),
		Skipped:      skipped,
		YARARuledOut: finding.FileCount{Files: e.yaraRuledOut.Load(), Bytes: e.yaraRuledOutBytes.Load()},
		LogRuledOut:  e.logRuledOut.Load(),
		BeforeSince:  e.logBeforeSince.Load(),
		SkippedItems: items,
		LogFiles:     e.logFiles.Load(),
		LogBytes:     e.logBytes.Load(),
		LogRecords:   records,
		Malformed:    malformed,
		Warnings:     e.warnings.snapshot(),
		Coverage:     cov,
	}
	if s.Coverage == nil {
		s.Coverage = []finding.Coverage{}
	}
	if !e.opts.Since.IsZero() {
		s.Since = e.opts.Since.UTC().Format(time.RFC3339)
	}
	s.Rules = finding.RuleCounts{YARA: e.opts.YARA.Len(), Sigma: e.opts.Sigma.Len()}
	if e.opts.IOCs != nil {
		s.Rules.IOCs = e.opts.IOCs.Len()
	}
	return s
}

func copyCounts(m map[string]int64) map[string]int64 {
	out := make(map[string]int64, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// ctxDone reports whether the scan was cancelled.
func ctxDone(ctx context.Context) bool {
	select {
	case <-ctx.Done():
		return true
	default:
		return false
	}
}
