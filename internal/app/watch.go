package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"exscan/scanner"
	"exscan/scanner/finding"
	"exscan/scanner/logs"
	"exscan/scanner/report"
	"exscan/scanner/watch"
)

// WatchOptions are the settings only watch has.
type WatchOptions struct {
	State     string // offsets and reported hits, to resume without repeats
	FromStart bool   // at the first start, read existing logs whole and check existing web files
	Poll      time.Duration
	PollOnly  bool
	Heartbeat time.Duration // 0: none
	Debounce  time.Duration
}

// Watch follows the host's logs and web folders and reports each new hit
// once, until ctx ends.
func Watch(ctx context.Context, o *Options) (*Result, error) {
	r := newRun(o)
	format := chooseFormat(o.Format, o.Output, o.Stdout)
	if f, ok := report.Lookup(format); ok && !f.Stream {
		return nil, usage("--format %s is a whole-document format; watch streams findings: use %s", format, orList(report.Streaming()))
	}
	roots, err := r.watchRoots()
	if err != nil {
		return nil, err
	}
	if r.content, err = LoadContent(o.Content, o.Log); err != nil {
		return nil, usage("%v", err)
	}
	if r.ignore.List, err = loadIgnore(o.Ignore); err != nil {
		return nil, err
	}
	r.ignore.Now = time.Now
	o.lowerPriority()

	out, outFile, existed, err := openAppend(o.Output, o.Stdout)
	if err != nil {
		return nil, usage("--output: %v", err)
	}
	closeOut := func() error {
		if outFile != nil {
			return outFile.Close()
		}
		return nil
	}
	rw, err := report.New(format, out)
	if err != nil {
		closeOut()
		return nil, usage("%v", err)
	}
	var logPaths []string
	for _, rt := range roots {
		if rt.Kind != watch.Files {
			logPaths = append(logPaths, rt.Path)
		}
	}
	r.scanned, r.build = o.hostFacts(r.layout, logPaths)
	r.started = time.Now()
	if f, _ := report.Lookup(format); !(existed && f.Header) { // a file appended to keeps its one header
		if err := rw.Start(r.meta(true)); err != nil {
			closeOut()
			return nil, usage("writing the report: %v", err)
		}
	}

	// The watcher is the dedup stage: it hands new hits only, one at a
	// time, to the stages after it, and remembers them in its state.
	var wt *watch.Watcher
	var afterDedup Handler
	dedup := func(next Handler) Handler {
		afterDedup = next
		return func(f *finding.Finding) error {
			wt.Sink(*f)
			return nil
		}
	}
	handle := Pipeline(r.ignore.Stage(), dedup, nil, r.tally.Stage(), Write(rw))
	wc := o.watchConfig(roots, func(f *finding.Finding) error { return afterDedup(f) })
	if outFile != nil {
		wc.Out.Path = o.Output
		wc.Out.Sync = outFile.Sync
	}
	if wt, err = watch.New(wc); err != nil {
		closeOut()
		return nil, usage("--state: %v", err)
	}
	opts := o.engineOptions(r.content, r.layout)
	opts.Threads, opts.Since, opts.FollowLinks, opts.RecentRequests = 1, time.Time{}, false, 4096
	eng := scanner.New(opts, func(f finding.Finding) { handle(&f) })
	// Web files and log records are checked as they come: the log checks
	// take the index the file checks record into.
	r.shells = eng.Webshells()
	runErr := wt.Run(ctx, engineChecker{e: eng, c: eng.LogChecks(r.shells)})

	sum := r.watchSummary(wt, eng)
	res := &Result{Summary: sum, Code: ExitClean, AtOrAbove: r.tally.AtOrAbove}
	if res.AtOrAbove > 0 {
		res.Code = ExitFindings
	}
	if runErr != nil {
		res.Code = ExitError
	}
	sum.ExitCode = res.Code
	sum.NextSteps = r.tally.NextSteps(sum, "")
	writeErr := runErr
	if err := rw.Finish(sum); err != nil && writeErr == nil {
		writeErr = err
	}
	if outFile != nil {
		if err := outFile.Sync(); err != nil && writeErr == nil {
			writeErr = err
		}
	}
	if err := closeOut(); err != nil && writeErr == nil {
		writeErr = err
	}
	if writeErr != nil {
		return nil, writeErr
	}
	return res, nil
}

// watchRoots are the folders watch follows: those found under the root,
// then the folders given.
func (r *run) watchRoots() ([]watch.Root, error) {
	o := r.o
	var roots []watch.Root
	if o.Root != "" {
		var err error
		if r.layout, err = o.discover(); err != nil {
			return nil, err
		}
		for _, t := range r.layout.LogTargets {
			roots = append(roots, watch.Root{Path: t.Path, WinPath: t.WinPath, Kind: watch.Logs})
		}
		for _, t := range r.layout.FileTargets {
			roots = append(roots, watch.Root{Path: t.Path, WinPath: t.WinPath, Kind: watch.Files})
		}
		if len(roots) == 0 && len(o.Paths) == 0 {
			return nil, usage("no Exchange or IIS folder found under %s: is it the folder that holds the host's C: drive?", o.Root)
		}
	}
	for _, p := range o.Paths {
		st, err := statPath(p)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			return nil, usage("%s is a file: watch follows folders (give the folder that holds it)", p)
		}
		roots = append(roots, watch.Root{Path: p, Kind: watch.Auto})
	}
	if o.Watch.State == "" {
		o.Log.Info().Msg("no --state: after a restart, hits found while stopped are missed and hits may be reported again")
	} else if st, err := os.Stat(filepath.Dir(o.Watch.State)); err != nil || !st.IsDir() {
		return nil, usage("--state: the folder of %s does not exist", o.Watch.State)
	}
	return roots, nil
}

// watchConfig is the watcher's configuration; write takes the new hits.
func (o *Options) watchConfig(roots []watch.Root, write Handler) watch.Config {
	w := o.Watch
	wc := watch.Config{
		Roots: roots, State: w.State, FromStart: w.FromStart, Since: o.Since, MaxFileSize: o.MaxFileSize,
		Log: o.Log, Poll: w.Poll, Debounce: w.Debounce, Heartbeat: w.Heartbeat, PollOnly: w.PollOnly,
		Out: watch.Output{Write: write},
	}
	if w.Heartbeat == 0 {
		wc.Heartbeat = -1
	}
	if w.Debounce == 0 {
		wc.Debounce = time.Millisecond
	}
	return wc
}

// watchSummary is the summary of a watch run: the engine's counts with the
// log counts the watcher read and its own statistics.
func (r *run) watchSummary(wt *watch.Watcher, eng *scanner.Engine) *finding.Summary {
	st := wt.Stats()
	lc := wt.Counts()
	fams := map[string]scanner.LogFamily{}
	for k, c := range lc.Families {
		fams[k] = scanner.LogFamily{Files: c.Files, Records: c.Records, Earliest: c.Earliest, Latest: c.Latest}
	}
	eng.AddLogCounts(lc.Records, lc.Malformed, fams)
	sum := eng.Summary()
	r.fillSummary(sum)
	sum.LogFiles, sum.LogBytes = int64(st.LogFiles), st.Bytes
	if st.Errors > 0 {
		sum.Warnings = append(sum.Warnings, fmt.Sprintf("watch: %d read or watch error(s); see the log on stderr", st.Errors))
	}
	r.o.Log.Info().Msgf("watch: %d log line(s) read in %d log file(s), %d web file(s) checked, %d repeated hit(s) not reported again", st.Lines, st.LogFiles, st.Checked, st.Deduped)
	sum.Verdict, sum.VerdictText = r.tally.Verdict(sum, false)
	return sum
}

// engineChecker runs the engine's checks for the watcher, web files and
// log records from their own goroutines (the engine is safe for that).
type engineChecker struct {
	e *scanner.Engine
	c *scanner.LogChecks
}

func (c engineChecker) CheckFile(path, win string) { c.e.CheckFile(path, win) }

func (c engineChecker) CheckRecord(path, win string, rec *logs.Record) bool {
	return c.e.CheckRecordAt(c.c, path, win, rec)
}

func (c engineChecker) RecordChecks(path, win string) logs.RecordChecks {
	return c.e.RecordChecks(c.c, path, win)
}

func (c engineChecker) Webshells() []watch.Webshell {
	var out []watch.Webshell
	for _, w := range c.e.Webshells().List() {
		out = append(out, watch.Webshell(w))
	}
	return out
}

func (c engineChecker) RestoreWebshells(ws []watch.Webshell) {
	in := make([]scanner.Webshell, len(ws))
	for i, w := range ws {
		in[i] = scanner.Webshell(w)
	}
	c.e.RestoreWebshells(in)
}

// orList joins names as "a, b or c".
func orList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}
