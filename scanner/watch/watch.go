// Package watch follows live IIS and Exchange log folders and web folders
// and reports each new hit once, as soon as it is seen. It survives log
// rotation, truncation and replacement, folders that are deleted and
// created again, restarts and crashes.
//
// How it works:
//
//   - Folders are watched with fsnotify, one watch per folder (watches are
//     not recursive): new files and folders, removals and renames. Folders
//     created later get their own watches. fsnotify is only a hint: every
//     followed log file's size is also polled (Config.Poll, default 1 s;
//     files unchanged for an hour less often), the log folders are listed
//     again every 10 s and the web folders every 5 minutes, and an event
//     overflow rescans everything. On Windows, IIS and Exchange keep their
//     logs open and the folder entry's size is updated late, so sizes are
//     read through a handle.
//   - A log file is read through the log reader (logs.Resume) from its
//     checkpoint up to the end of its last complete line; a partial last
//     line waits for its newline. The checkpoint holds the offset, the
//     line number and the header lines in force there (IIS #Fields, the
//     Exchange CSV header and directives), so appended lines are parsed by
//     field names with the file's own line numbers, in every format and
//     encoding `exscan logs` reads (UTF-16 too). A Windows event log
//     (.evtx) is followed by chunk and record id: new records in its
//     current chunk and new chunks are read once each. Each read is one
//     logs.Pass, as in `exscan scan`: the checks' line prefilter,
//     Config.Since and the coverage counts.
//   - A file is identified by device and inode (volume serial and file
//     index on Windows) and a fingerprint of its first 4 KiB, not by name:
//     a file renamed inside the watched folders keeps its offset; a file
//     that shrinks, whose first bytes change, or that is replaced by
//     another file under the same name is read again from the start.
//     gzip files are read once, whole, when they stop changing.
//   - Files that exist at the first start are a baseline: logs are
//     followed from their end (their header is read from the top when they
//     grow), web files are not scanned. With FromStart, logs are read whole
//     and web files are scanned. Files that appear later, or while exscan
//     was stopped, are read from the start.
//   - A new or changed web file is checked (Checker.CheckFile) once its
//     size, modification time and identity stayed the same for
//     Config.Debounce; a file whose content hash did not change is not
//     checked again, and one that keeps changing is checked at most every
//     10 s, then less often (up to every 10 minutes) while it goes on.
//   - Findings go through Sink, which drops any whose fingerprint was
//     already reported (kept in the state file) and writes the others at
//     once. The state (see state.go) is saved at most every
//     Config.SaveEvery when it changed, right after any round that
//     reported a finding, and on exit, always after the output was synced,
//     so a saved offset never runs ahead of the findings written.
package watch

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fsnotify/fsnotify"
	"github.com/rs/zerolog"

	"exscan/scanner/finding"
	"exscan/scanner/logs"
)

// Checker runs exscan's checks. Findings must reach the watcher's Sink.
// CheckFile is called from one goroutine and CheckRecord from another, at
// the same time.
type Checker interface {
	// CheckFile runs the file checks on one file; win is its Windows path
	// on the scanned host, or "".
	CheckFile(path, win string)
	// CheckRecord runs the log checks on one record of the log at path;
	// win is the log's Windows path on the scanned host, or "".
	CheckRecord(path, win string, rec *logs.Record) bool
}

// FilteredChecker is a Checker whose log checks come with a line
// prefilter: the watcher reads logs through RecordChecks instead of
// CheckRecord, so lines no check can match are not split into fields.
type FilteredChecker interface {
	Checker
	RecordChecks(path, win string) logs.RecordChecks
}

// WebshellMemory is a Checker that ties log requests to the webshells it
// found on disk. The watcher keeps that list in its state, so requests to
// a webshell found before a restart are still tied to it after.
type WebshellMemory interface {
	Webshells() []Webshell
	RestoreWebshells([]Webshell)
}

// Webshell is a webshell found on disk: its path as read and its path on
// the scanned host (or "").
type Webshell struct {
	File string `json:"file"`
	Win  string `json:"win,omitempty"`
}

// Kind says how the files under a root are checked.
type Kind int

const (
	// Auto decides per file: a file named like a log (.log, .txt, .csv,
	// .gz) whose content the log readers recognise is followed as a log;
	// every other file gets the file checks.
	Auto Kind = iota
	// Logs follows every file as a log (files that are not logs are
	// counted and skipped).
	Logs
	// Files runs the file checks on every new or changed file.
	Files
)

func (k Kind) String() string {
	switch k {
	case Logs:
		return "logs"
	case Files:
		return "files"
	}
	return "auto"
}

// Root is a folder to watch.
type Root struct {
	Path    string
	WinPath string // the folder's Windows path on the scanned host, or ""
	Kind    Kind
}

// Output is where new hits go.
type Output struct {
	// Write writes one finding and flushes it.
	Write func(f *finding.Finding) error
	// Sync makes what was written durable; called before the state is saved.
	Sync func() error
	// Path is the output file, if it is one. With JSON output, findings
	// written after the last state save are read back from it on start.
	Path string
}

// Config configures a Watcher. Zero durations take the defaults.
type Config struct {
	Roots       []Root
	State       string    // state file; "" keeps no state
	FromStart   bool      // read existing logs whole and scan existing web files at the first start
	Since       time.Time // log records before this are not checked
	MaxFileSize int64     // web files larger than this are not hashed (the checks count them as skipped)
	Out         Output
	Log         zerolog.Logger
	Poll        time.Duration // size poll of log files (default 1 s)
	Debounce    time.Duration // a web file is checked once unchanged this long (default 1 s)
	Heartbeat   time.Duration // heartbeat log line interval (default 60 s; negative: none)
	SaveEvery   time.Duration // state save interval when changed (default 5 s)
	MaxHits     int           // fingerprints kept in the state (default 100,000)
	HitTTL      time.Duration // and for how long (default 30 days)
	// PollOnly uses no file system events: folders are listed again every
	// 10 s and log sizes polled, for shares (SMB, NFS) that send none.
	PollOnly bool

	// Test knobs.
	rescanLogs  time.Duration // relist log folders (default 10 s)
	rescanFiles time.Duration // relist web folders (default 5 min)
	coldAfter   time.Duration // a log file unchanged this long moves to FILE.files (default 1 h)
	coldEvery   time.Duration // FILE.files is written at most this often (default 1 min)
	chunk       int           // longest log line read (default 4 MiB)
	round       int           // bytes read from one file before the others get a turn (default 64 MiB)
	recheck     time.Duration // a web file is checked again at the soonest after this (default 10 s), doubling while it keeps changing
	coalesce    time.Duration // delay between a write event and reading (default 50 ms)
	grace       time.Duration // how long a vanished log's offset waits for a rename (default 30 s)
	inject      chan error    // errors delivered as if from fsnotify
}

const (
	fpMax    = 4 << 10  // fingerprint: the first 4 KiB
	chunkMax = 4 << 20  // longest log line
	roundMax = 64 << 20 // bytes read per file per round before others get a turn
)

// Stats are the watcher's counters.
type Stats struct {
	LogFiles  int   // log files followed
	WebFiles  int   // web files known
	Folders   int   // folders watched
	Lines     int64 // complete log lines read
	Records   int64 // log records checked
	Bytes     int64 // log bytes read
	Reported  int64 // findings written
	Deduped   int64 // findings dropped as already reported
	Checked   int64 // web files checked
	Errors    int64 // read and watch errors (each logged)
	Rescans   int64 // full rescans after an event overflow
	Truncated int64 // log files read again from the start (truncated or replaced)
}

// Watcher follows the roots. Make it with New, give its Sink to the engine,
// then Run it.
type Watcher struct {
	cfg Config
	log zerolog.Logger
	chk Checker
	ctx context.Context

	exclude    []string // exscan's own files
	fsw        *fsnotify.Watcher
	roots      []*root
	dirs       map[string]*dirWatch
	watchLimit bool

	logs map[string]*logFile
	byID map[fileID]*logFile // includes vanished files during the grace time
	gone []*logFile
	hot  map[*logFile]bool
	// files with more to read than one round reads
	backlogged map[*logFile]bool

	web     map[string]*webFile
	pending map[string]*webFile
	jobs    chan webJob
	results chan webResult
	stopJob atomic.Bool

	// loaded state, consumed as files are found
	savedRoots    map[string]bool
	savedLogs     map[string]logState
	savedByID     map[fileID]string
	savedHeaders  [][]string
	savedOut      *outputPos
	savedFiles    map[string]webState
	savedWebRoots map[string]bool
	savedShells   []Webshell

	dirty, webDirty         bool
	coldDirty               bool // a quiet log listed in FILE.files went away
	lastSave, lastCold      time.Time
	nextLogScan, nextWebScn time.Time

	counts LogCounts // written by Run's goroutine

	// written by the sink (two goroutines)
	mu        sync.Mutex
	hits      map[string]int64
	hitOrder  []string
	hitHead   int
	newHits   bool
	writeErr  error
	reported  atomic.Int64
	deduped   atomic.Int64
	checked   atomic.Int64
	errs      atomic.Int64
	lines     atomic.Int64
	records   atomic.Int64
	bytesRead atomic.Int64
	rescans   atomic.Int64
	truncs    atomic.Int64
}

type root struct {
	Root
	abs         string
	restored    bool // the state knew this root: files not in it are new
	webRestored bool
	missing     bool
}

type dirWatch struct {
	root    *root
	watched bool
}

// New makes a watcher and loads its state. Errors are about the state
// file: unreadable or not an exscan watch state.
func New(cfg Config) (*Watcher, error) {
	def := func(d *time.Duration, v time.Duration) {
		if *d == 0 {
			*d = v
		}
	}
	def(&cfg.Poll, time.Second)
	def(&cfg.Debounce, time.Second)
	def(&cfg.Heartbeat, 60*time.Second)
	def(&cfg.SaveEvery, 5*time.Second)
	def(&cfg.HitTTL, 30*24*time.Hour)
	def(&cfg.rescanLogs, 10*time.Second)
	def(&cfg.rescanFiles, 5*time.Minute)
	def(&cfg.coldAfter, time.Hour)
	def(&cfg.coldEvery, time.Minute)
	def(&cfg.recheck, 10*time.Second)
	def(&cfg.coalesce, 50*time.Millisecond)
	def(&cfg.grace, 30*time.Second)
	if cfg.chunk <= 0 {
		cfg.chunk = chunkMax
	}
	if cfg.round <= 0 {
		cfg.round = roundMax
	}
	if cfg.MaxHits <= 0 {
		cfg.MaxHits = 100_000
	}
	if cfg.MaxFileSize <= 0 {
		cfg.MaxFileSize = 64 << 20
	}
	if cfg.Out.Write == nil {
		return nil, errors.New("watch: no output")
	}
	w := &Watcher{
		cfg: cfg, log: cfg.Log,
		dirs: map[string]*dirWatch{}, logs: map[string]*logFile{}, byID: map[fileID]*logFile{},
		hot: map[*logFile]bool{}, backlogged: map[*logFile]bool{}, web: map[string]*webFile{}, pending: map[string]*webFile{},
		savedRoots: map[string]bool{}, savedLogs: map[string]logState{}, savedByID: map[fileID]string{},
		savedFiles: map[string]webState{}, savedWebRoots: map[string]bool{},
		hits:   map[string]int64{},
		counts: LogCounts{Records: map[string]int64{}, Malformed: map[string]int64{}, Families: map[string]FamilyCount{}},
	}
	// Deeper roots first: a folder belongs to the most specific root given.
	for _, r := range cfg.Roots {
		abs, err := filepath.Abs(r.Path)
		if err != nil {
			abs = filepath.Clean(r.Path)
		}
		r.Path = abs
		w.roots = append(w.roots, &root{Root: r, abs: abs})
	}
	sort.SliceStable(w.roots, func(i, j int) bool {
		return strings.Count(w.roots[i].abs, string(filepath.Separator)) > strings.Count(w.roots[j].abs, string(filepath.Separator))
	})
	for _, p := range []string{cfg.State, cfg.Out.Path} {
		if p != "" {
			abs, _ := filepath.Abs(p)
			w.exclude = append(w.exclude, abs)
		}
	}
	if cfg.State != "" {
		// Temporary files left by a crash in the middle of a save.
		abs, _ := filepath.Abs(cfg.State)
		if old, _ := filepath.Glob(filepath.Join(filepath.Dir(abs), "."+filepath.Base(abs)+"*.tmp*")); len(old) > 0 {
			for _, p := range old {
				os.Remove(p)
			}
		}
	}
	if err := w.loadState(); err != nil {
		return nil, err
	}
	return w, nil
}

func (w *Watcher) loadState() error {
	if w.cfg.State == "" {
		return nil
	}
	// Quiet log files first: the entries of FILE are newer and win.
	var fst filesState
	ok, err := loadJSON(w.cfg.State+".files", &fst)
	if err != nil {
		return err
	}
	if ok && fst.Version == stateVersion {
		for _, r := range fst.Roots {
			w.savedWebRoots[r] = true
		}
		for _, f := range fst.Files {
			w.savedFiles[f.Path] = f
		}
		for _, l := range fst.Logs {
			l.cold = true
			w.savedLogs[l.Path] = l
			if id := parseID(l.ID); !id.zero() {
				w.savedByID[id] = l.Path
			}
		}
		for _, r := range w.roots {
			r.webRestored = w.savedWebRoots[r.abs]
		}
	}

	var s stateFile
	ok, err = loadJSON(w.cfg.State, &s)
	if err != nil {
		return err
	}
	if ok {
		if s.Version != stateVersion {
			return fmt.Errorf("%s: state version %d, this exscan writes version %d", w.cfg.State, s.Version, stateVersion)
		}
		for _, r := range s.Roots {
			w.savedRoots[r] = true
		}
		for _, l := range s.Logs {
			w.savedLogs[l.Path] = l
			if id := parseID(l.ID); !id.zero() {
				w.savedByID[id] = l.Path
			}
		}
		w.savedHeaders = s.Headers
		w.savedShells = s.Webshells
		w.savedOut = s.Output
		now := time.Now().Unix()
		for _, h := range s.Hits {
			if h.FP != "" && now-h.T <= int64(w.cfg.HitTTL/time.Second) {
				w.addHit(h.FP, h.T)
			}
		}
		for _, r := range w.roots {
			r.restored = w.savedRoots[r.abs]
		}
		// Findings written after the last save: read them back.
		if fps, err := recoverOutput(w.cfg.Out.Path, s.Output); err != nil {
			w.log.Warn().Msgf("watch: could not read back the findings written since the last state save from %s: %v", w.cfg.Out.Path, err)
		} else if len(fps) > 0 {
			for _, fp := range fps {
				if _, ok := w.hits[fp]; !ok {
					w.addHit(fp, now)
				}
			}
			w.log.Info().Msgf("watch: %d finding(s) written after the last state save are known as reported", len(fps))
		}
		w.log.Info().Msgf("watch: state loaded from %s (saved %s): %d log file(s), %d reported hit(s)", w.cfg.State, s.Saved, len(s.Logs), len(s.Hits))
	}
	return nil
}

// Sink is the engine's sink: it drops findings already reported and writes
// the others.
func (w *Watcher) Sink(f finding.Finding) {
	if f.HostPath == "" {
		// The host's own path of a file under a root given with one.
		if r := w.rootFor(f.Path); r != nil {
			f.HostPath = winPath(r, f.Path)
		}
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if f.Fingerprint != "" {
		if _, ok := w.hits[f.Fingerprint]; ok {
			w.deduped.Add(1)
			return
		}
	}
	if w.writeErr != nil {
		return
	}
	if err := w.cfg.Out.Write(&f); err != nil {
		w.writeErr = err
		return
	}
	w.reported.Add(1)
	if f.Fingerprint != "" {
		w.addHit(f.Fingerprint, time.Now().Unix())
	}
	w.newHits = true
}

// addHit remembers a reported fingerprint; the oldest go beyond MaxHits.
// Callers hold mu (or own the watcher exclusively).
func (w *Watcher) addHit(fp string, t int64) {
	w.hits[fp] = t
	w.hitOrder = append(w.hitOrder, fp)
	for len(w.hitOrder)-w.hitHead > w.cfg.MaxHits {
		delete(w.hits, w.hitOrder[w.hitHead])
		w.hitOrder[w.hitHead] = ""
		w.hitHead++
	}
	w.compactHits()
}

func (w *Watcher) compactHits() {
	if w.hitHead > 1024 && w.hitHead > len(w.hitOrder)/2 {
		w.hitOrder = append([]string(nil), w.hitOrder[w.hitHead:]...)
		w.hitHead = 0
	}
}

func (w *Watcher) takeWriteErr() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.writeErr
}

// Stats returns the counters so far. Safe to call from any goroutine only
// after Run returned; during Run, the counts of files are approximate.
func (w *Watcher) Stats() Stats {
	return Stats{
		LogFiles: len(w.logs), WebFiles: len(w.web), Folders: len(w.dirs),
		Lines: w.lines.Load(), Records: w.records.Load(), Bytes: w.bytesRead.Load(),
		Reported: w.reported.Load(), Deduped: w.deduped.Load(), Checked: w.checked.Load(),
		Errors: w.errs.Load(), Rescans: w.rescans.Load(), Truncated: w.truncs.Load(),
	}
}

// Run watches until ctx is done, then finishes the web file being checked,
// saves the state and returns. It returns an error when the output cannot
// be written or the state cannot be saved at the end; errors on single
// files are logged and counted.
func (w *Watcher) Run(ctx context.Context, chk Checker) error {
	w.chk = chk
	w.ctx = ctx
	if m, ok := chk.(WebshellMemory); ok && len(w.savedShells) > 0 {
		m.RestoreWebshells(w.savedShells)
		w.log.Info().Msgf("watch: %d webshell(s) found by earlier runs: requests to them are tied to them", len(w.savedShells))
	}
	if fc, ok := chk.(FilteredChecker); ok {
		fc.RecordChecks("", "") // the line prefilter is built now, not at the first line read
	}
	var evC <-chan fsnotify.Event
	var errC <-chan error = w.cfg.inject
	if !w.cfg.PollOnly {
		fsw, err := fsnotify.NewBufferedWatcher(1024)
		if err != nil {
			return fmt.Errorf("watch: %v", err)
		}
		w.fsw = fsw
		defer fsw.Close()
		evC, errC = fsw.Events, fsw.Errors
		if w.cfg.inject != nil {
			errC = mergeErrs(fsw.Errors, w.cfg.inject)
		}
	}

	w.jobs = make(chan webJob, 64)
	w.results = make(chan webResult, 65)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(w.results)
		w.worker()
	}()
	runErr := w.startup()

	tick := time.NewTicker(w.cfg.Poll)
	defer tick.Stop()
	var hb <-chan time.Time
	if w.cfg.Heartbeat > 0 {
		t := time.NewTicker(w.cfg.Heartbeat)
		defer t.Stop()
		hb = t.C
	}
	soon := time.NewTimer(time.Hour)
	soon.Stop()
	armed := false
	kick := make(chan struct{}, 1)

	for runErr == nil && ctx.Err() == nil {
		select {
		case <-ctx.Done():
		case ev, ok := <-evC:
			if !ok {
				evC = nil
				continue
			}
			w.onEvent(ev, time.Now())
			if len(w.hot) > 0 && !armed {
				soon.Reset(w.cfg.coalesce)
				armed = true
			}
		case err, ok := <-errC:
			if !ok {
				errC = nil
				continue
			}
			w.onError(err, time.Now())
		case res, ok := <-w.results:
			if ok {
				w.applyResult(res)
			}
		case <-soon.C:
			armed = false
			w.pollHot(time.Now())
		case <-kick:
			w.pollHot(time.Now())
		case now := <-tick.C:
			w.round(now)
		case <-hb:
			w.heartbeat()
		}
		if w.backlog() {
			select {
			case kick <- struct{}{}:
			default:
			}
		}
		if runErr == nil {
			runErr = w.takeWriteErr()
		}
		// A round that reported findings saves the state soon, so that
		// a restart without the output file to read back from (text or
		// CSV output) repeats as little as possible.
		if runErr == nil && w.newHitsSince() && time.Since(w.lastSave) >= w.cfg.Poll {
			runErr = w.save(false)
		}
	}

	// Stop: no new web checks; let the one running finish and record it.
	w.stopJob.Store(true)
	close(w.jobs)
	for res := range w.results {
		w.applyResult(res)
	}
	wg.Wait()
	return w.finish(runErr)
}

// startup takes the baseline (or resumes the state) of every root and
// saves the state a first time.
func (w *Watcher) startup() error {
	now := time.Now()
	for _, r := range w.roots {
		if w.stopping() {
			break
		}
		st, err := os.Stat(r.abs)
		if err != nil || !st.IsDir() {
			w.log.Warn().Msgf("watch: %s is missing; it is watched for when it appears", r.abs)
			r.missing = true
			continue
		}
		w.addTree(r.abs, r, now, true)
	}
	w.savedLogs, w.savedByID, w.savedFiles = nil, nil, nil
	w.dirty = true
	w.nextLogScan = now.Add(w.cfg.rescanLogs)
	w.nextWebScn = now.Add(w.cfg.rescanFiles)
	w.webDirty = true // the first save writes both files
	err := w.save(true)
	if err == nil {
		err = w.takeWriteErr()
	}
	st := w.Stats()
	w.log.Info().Msgf("watch: following %d log file(s) and %d web file(s) in %d folder(s)", st.LogFiles, st.WebFiles, st.Folders)
	return err
}

// finish saves the state a last time after the run ended with runErr.
func (w *Watcher) finish(runErr error) error {
	if werr := w.takeWriteErr(); werr != nil && runErr == nil {
		runErr = fmt.Errorf("writing findings: %w", werr)
	}
	if err := w.save(true); err != nil && runErr == nil {
		runErr = err
	}
	st := w.Stats()
	w.log.Info().Msgf("watch: stopped; %d finding(s) reported, %d log line(s) read, %d web file(s) checked", st.Reported, st.Lines, st.Checked)
	return runErr
}

func mergeErrs(a, b <-chan error) <-chan error {
	out := make(chan error)
	go func() {
		for a != nil || b != nil {
			select {
			case e, ok := <-a:
				if !ok {
					a = nil
					continue
				}
				out <- e
			case e, ok := <-b:
				if !ok {
					b = nil
					continue
				}
				out <- e
			}
		}
	}()
	return out
}

func (w *Watcher) newHitsSince() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.newHits
}

// round is one poll tick.
func (w *Watcher) round(now time.Time) {
	for _, r := range w.roots {
		if r.missing {
			if st, err := os.Stat(r.abs); err == nil && st.IsDir() {
				w.log.Info().Msgf("watch: %s is back", r.abs)
				r.missing = false
				w.addTree(r.abs, r, now, false)
			}
		}
	}
	if !now.Before(w.nextLogScan) {
		w.nextLogScan = now.Add(w.cfg.rescanLogs)
		w.rescan(now, false)
	}
	if !now.Before(w.nextWebScn) {
		w.nextWebScn = now.Add(w.cfg.rescanFiles)
		w.rescan(now, true)
	}
	for _, e := range w.logs {
		if w.stopping() {
			return
		}
		if !now.Before(e.next) || e.backlog {
			w.pollLog(e, now)
		}
	}
	w.pollWeb(now)
	w.expireGone(now)
	// Save when something changed; FILE.files (and with it FILE) at most
	// every coldEvery, when it has something new. An idle watch writes
	// nothing.
	cold := now.Sub(w.lastCold) >= w.cfg.coldEvery && (w.webDirty || w.coldDirty || w.anyGoingCold(now))
	if w.dirty || cold || w.newHitsSince() {
		if now.Sub(w.lastSave) >= w.cfg.SaveEvery {
			if err := w.save(false); err != nil {
				w.setWriteErr(err)
			}
		}
	}
}

func (w *Watcher) setWriteErr(err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.writeErr == nil {
		w.writeErr = err
	}
}

func (w *Watcher) stopping() bool { return w.ctx != nil && w.ctx.Err() != nil }

func (w *Watcher) pollHot(now time.Time) {
	for e := range w.hot {
		delete(w.hot, e)
		if !e.gone && w.logs[e.path] == e {
			w.pollLog(e, now)
		}
	}
	for e := range w.backlogged {
		if w.stopping() {
			return
		}
		if e.gone || w.logs[e.path] != e {
			delete(w.backlogged, e)
			continue
		}
		w.pollLog(e, now)
	}
}

func (w *Watcher) backlog() bool { return len(w.backlogged) > 0 && !w.stopping() }

func (w *Watcher) heartbeat() {
	st := w.Stats()
	w.log.Info().
		Int("log_files", st.LogFiles).Int("web_files", st.WebFiles).Int("folders", st.Folders).
		Int64("lines", st.Lines).Int64("records", st.Records).Int64("hits", st.Reported).
		Int64("duplicates_dropped", st.Deduped).Int64("web_checked", st.Checked).Int64("errors", st.Errors).
		Msg("watch: heartbeat")
}

func (w *Watcher) onError(err error, now time.Time) {
	if errors.Is(err, fsnotify.ErrEventOverflow) {
		w.rescans.Add(1)
		w.log.Warn().Msg("watch: file system events were lost (overflow); rescanning every folder")
		w.rescan(now, false)
		w.rescan(now, true)
		return
	}
	w.errs.Add(1)
	w.log.Warn().Msgf("watch: %v", err)
}

// fileErr counts and logs an error on one file; the file is retried later.
func (w *Watcher) fileErr(path string, err error, logged *bool) {
	w.errs.Add(1)
	if logged != nil && *logged {
		w.log.Debug().Msgf("watch: %s: %v", path, err)
		return
	}
	if logged != nil {
		*logged = true
	}
	w.log.Warn().Msgf("watch: %s: %v (retrying)", path, err)
}

func notExist(err error) bool {
	return errors.Is(err, fs.ErrNotExist) || errors.Is(err, errNotRegular)
}

var errNotRegular = errors.New("not a regular file")
