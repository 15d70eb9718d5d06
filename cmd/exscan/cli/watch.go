package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/pflag"

	"exscan/internal/sysfile"
	"exscan/scanner"
	"exscan/scanner/finding"
	"exscan/scanner/host"
	"exscan/scanner/ignore"
	"exscan/scanner/logcheck"
	"exscan/scanner/logs"
	"exscan/scanner/report"
	"exscan/scanner/watch"
)

const watchSynopsis = `exscan watch [--root DIR] [PATH...] [flags]

Follow live IIS and Exchange logs and the Exchange web folders, and report
each new hit once, as soon as it is seen.

With --root (default on Windows: the system drive), exscan finds the log
folders (IIS LogFiles, HTTPERR, Exchange Logging) and the web folders
(FrontEnd\HttpProxy with owa\auth and ecp\auth, ClientAccess, inetpub\wwwroot
with aspnet_client, Windows\Temp, ProgramData). A PATH is a folder: each file
in it that is named and shaped like a log (.log, .txt, .csv, .gz) is followed
as a log, every other file gets the file checks.

Logs are followed line by line, through rotation, truncation and replacement.
Web files are checked once they stop changing. Files that exist at the first
start are the baseline: logs are followed from their end, web files are not
scanned (run 'exscan scan' for those), unless --from-start.

--state FILE keeps the offsets and the hits already reported (and FILE.files
the web files checked): after a restart, or a crash, nothing is missed and
nothing is reported twice. --output FILE is appended to, never truncated;
JSON Lines (--format jsonl) is the format for a SIEM to tail.

Stop with Ctrl-C or SIGTERM: exscan finishes the file at hand, writes the
output, saves the state and exits 0, or 1 if this run reported a finding at or
above --fail-on. Exit 2: bad usage, an unreadable state file, or the output
could not be written.`

func runWatch(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	const cmd = "watch"
	var o options
	fs := newFlagSet(cmd)
	fs.StringVar(&o.state, "state", "", "keep offsets and reported hits in `FILE` (and FILE.files) to resume after a restart or crash without repeats")
	fs.BoolVar(&o.fromStart, "from-start", false, "at the first start, read existing logs whole and check existing web files (default: only what is new)")
	o.common(fs)
	o.hostFlags(fs)
	var poll, heartbeat, debounce time.Duration
	var pollOnly bool
	fs.DurationVar(&poll, "poll-interval", time.Second, "how often followed log files are looked at for appended lines (file events are not relied on)")
	fs.BoolVar(&pollOnly, "poll-only", false, "use no file system events (for network shares, which send none): list folders every 10s and poll sizes")
	fs.DurationVar(&heartbeat, "heartbeat", time.Minute, "log a status line (files followed, lines read, hits) this often; 0 for none")
	fs.DurationVar(&debounce, "debounce", time.Second, "check a new or changed web file once it stayed unchanged this long")
	_ = fs.MarkHidden("debounce")
	hideForWatch(fs)
	if ok, code := parse(fs, watchSynopsis, args, stdout, stderr); !ok {
		return code
	}
	if err := o.validate(); err != nil {
		return usageErr(stderr, cmd, "%v", err)
	}
	switch {
	case o.collect != "":
		return usageErr(stderr, cmd, "--collect is for scan, files and logs; to keep evidence of a watch hit, run 'exscan files --collect' on it")
	case o.followLinks:
		return usageErr(stderr, cmd, "--follow-links is not available in watch: links are not followed")
	case poll < 10*time.Millisecond:
		return usageErr(stderr, cmd, "--poll-interval: must be at least 10ms")
	case debounce < 0:
		return usageErr(stderr, cmd, "--debounce: must not be negative")
	}
	format := chooseFormat(&o, stdout)
	switch format {
	case "sarif", "html":
		return usageErr(stderr, cmd, "--format %s is a whole-document format; watch streams findings: use jsonl, csv, text or timesketch", format)
	}

	var roots []watch.Root
	var layout *host.Layout
	paths := fs.Args()
	if o.root == "" && len(paths) == 0 {
		r, err := defaultRoot()
		if err != nil {
			return usageErr(stderr, cmd, "give --root DIR (the folder that holds the host's C: drive) or the folders to watch")
		}
		o.root = r
	}
	log := newLogger(stderr, &o)
	if o.root != "" {
		var err error
		layout, err = host.Discover(o.root, o.exchangePath)
		if err != nil {
			return usageErr(stderr, cmd, "%v (check the path and that you may read it)", err)
		}
		if layout.Exchange == "" {
			log.Warn().Msgf("Exchange install not found under %s (looked at IIS's virtual directories, Program Files\\Microsoft\\Exchange Server\\V15 and V14%s; give --exchange-path for a custom install)", o.root, liveSources(layout))
		}
		for _, n := range layout.Notes {
			log.Warn().Msg(n)
		}
		for _, t := range layout.LogTargets {
			roots = append(roots, watch.Root{Path: t.Path, WinPath: t.WinPath, Kind: watch.Logs})
		}
		for _, t := range layout.FileTargets {
			roots = append(roots, watch.Root{Path: t.Path, WinPath: t.WinPath, Kind: watch.Files})
		}
		if len(roots) == 0 && len(paths) == 0 {
			return usageErr(stderr, cmd, "no Exchange or IIS folder found under %s: is it the folder that holds the host's C: drive?", o.root)
		}
	}
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return usageErr(stderr, cmd, "cannot read %s: %v", p, errors.Unwrap(err))
		}
		if !st.IsDir() {
			return usageErr(stderr, cmd, "%s is a file: watch follows folders (give the folder that holds it)", p)
		}
		roots = append(roots, watch.Root{Path: p, Kind: watch.Auto})
	}
	if o.state == "" {
		log.Info().Msg("no --state: after a restart, hits found while stopped are missed and hits may be reported again")
	} else if st, err := os.Stat(filepath.Dir(o.state)); err != nil || !st.IsDir() {
		return usageErr(stderr, cmd, "--state: the folder of %s does not exist", o.state)
	}

	ys, ss, set, _, err := loadContent(&o, log, true, true)
	if err != nil {
		return usageErr(stderr, cmd, "%v", err)
	}
	var ign *ignore.List
	if o.ignore != "" {
		if ign, err = ignore.Load(o.ignore); err != nil {
			return usageErr(stderr, cmd, "--ignore: %v", err)
		}
	}
	if o.lowPriority {
		if err := lowerPriority(); err != nil {
			log.Warn().Msgf("--low-priority: %v", err)
		}
	}

	out, outFile, existed, err := openAppend(&o, stdout)
	if err != nil {
		return usageErr(stderr, cmd, "--output: %v", err)
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
		return usageErr(stderr, cmd, "%v", err)
	}
	var logPaths []string
	for _, r := range roots {
		if r.Kind != watch.Files {
			logPaths = append(logPaths, r.Path)
		}
	}
	scanned, build := hostFacts(&o, layout, logPaths)
	meta := report.Meta{Command: cmd, Args: args, FailOn: o.failSev, Started: time.Now(), Version: scanner.Version, Host: hostname(), ScannedHost: scannedName(scanned), Stream: true, InlineContext: o.inlineContext}
	if layout != nil {
		meta.Root = layout.Root
		meta.Layout = layout.Summary()
	}
	if !(existed && format == "csv") { // an appended CSV keeps its one header row
		if err := rw.Start(meta); err != nil {
			closeOut()
			return usageErr(stderr, cmd, "writing the report: %v", err)
		}
	}

	// The watcher's sink calls write for new hits only, one at a time.
	var tally report.Tally
	atOrAbove := 0
	write := func(f *finding.Finding) error {
		tally.Add(f)
		if f.Severity >= o.failSev {
			atOrAbove++
		}
		return rw.Finding(f)
	}
	wc := watch.Config{
		Roots: roots, State: o.state, FromStart: o.fromStart, Since: o.sinceTime, MaxFileSize: o.maxSize,
		Log: log, Poll: poll, Debounce: debounce, Heartbeat: heartbeat, PollOnly: pollOnly,
		Out: watch.Output{Write: write},
	}
	if heartbeat == 0 {
		wc.Heartbeat = -1
	}
	if debounce == 0 {
		wc.Debounce = time.Millisecond
	}
	if outFile != nil {
		wc.Out.Path = o.output
		wc.Out.Sync = outFile.Sync
	}
	wt, err := watch.New(wc)
	if err != nil {
		closeOut()
		return usageErr(stderr, cmd, "--state: %v", err)
	}
	var suppressed int64
	opts := scanner.Options{
		Threads: 1, MaxFileSize: o.maxSize, ScanTimeout: o.scanTimeout, Verbose: o.verbose, MaxIO: o.maxIO,
		YARA: ys, Sigma: ss, IOCs: set, RecentRequests: 4096,
	}
	if layout != nil {
		opts.ExchangeInstall = layout.ExchangeWin
	}
	eng := scanner.New(opts, func(f finding.Finding) {
		if ign != nil && ign.Match(&f, time.Now()) {
			suppressed++
			return
		}
		wt.Sink(f)
	})
	runErr := wt.Run(ctx, engineChecker{e: eng, c: eng.LogChecker()})

	st := wt.Stats()
	lc := wt.Counts()
	fams := map[string]scanner.LogFamily{}
	for k, c := range lc.Families {
		fams[k] = scanner.LogFamily{Files: c.Files, Records: c.Records, Earliest: c.Earliest, Latest: c.Latest}
	}
	eng.AddLogCounts(lc.Records, lc.Malformed, fams)
	sum := eng.Summary()
	sum.Command = cmd
	sum.ScannedHost, sum.ExscanHost, sum.Exchange = scanned, hostname(), build
	sum.FailOn = o.failSev.String()
	sum.Suppressed = suppressed
	sum.Findings = map[string]int64{"critical": 0, "high": 0, "medium": 0, "low": 0, "info": 0}
	for sev, n := range tally.BySeverity {
		sum.Findings[sev.String()] = int64(n)
	}
	if layout != nil {
		sum.Root = layout.Root
		sum.Host = layout.Summary()
	}
	sum.LogFiles, sum.LogBytes = int64(st.LogFiles), st.Bytes
	if st.Errors > 0 {
		sum.Warnings = append(sum.Warnings, fmt.Sprintf("watch: %d read or watch error(s); see the log on stderr", st.Errors))
	}
	log.Info().Msgf("watch: %d log line(s) read in %d log file(s), %d web file(s) checked, %d repeated hit(s) not reported again", st.Lines, st.LogFiles, st.Checked, st.Deduped)
	sum.Verdict, sum.VerdictText = tally.Verdict(sum, false)
	code := ExitClean
	if atOrAbove > 0 {
		code = ExitFindings
	}
	if runErr != nil {
		code = ExitError
	}
	sum.ExitCode = code
	sum.NextSteps = tally.NextSteps(sum, "")
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
		fmt.Fprintf(stderr, "exscan watch: %v\n", writeErr)
		return ExitError
	}
	return code
}

// hideForWatch hides the common flags that mean nothing in watch mode.
func hideForWatch(fs *pflag.FlagSet) {
	for _, n := range []string{"threads", "collect", "follow-links"} {
		_ = fs.MarkHidden(n)
	}
}

// openAppend opens --output for appending (created owner-only), or
// returns stdout. A file whose last line was cut short (a crash mid-write)
// gets a newline first, so the next finding starts on its own line.
func openAppend(o *options, stdout io.Writer) (io.Writer, *os.File, bool, error) {
	if o.output == "" || o.output == "-" {
		return stdout, nil, false, nil
	}
	f, err := sysfile.CreateOwnerOnly(o.output, os.O_RDWR|os.O_CREATE|os.O_APPEND)
	if err != nil {
		return nil, nil, false, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, false, err
	}
	existed := st.Size() > 0
	if existed {
		last := make([]byte, 1)
		if _, err := f.ReadAt(last, st.Size()-1); err == nil && last[0] != '\n' {
			if _, err := f.Write([]byte("\n")); err != nil {
				f.Close()
				return nil, nil, false, err
			}
		}
	}
	return f, f, existed, nil
}

// engineChecker runs the engine's checks for the watcher, web files and
// log records from their own goroutines (the engine is safe for that).
type engineChecker struct {
	e *scanner.Engine
	c *logcheck.Checker
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
	for _, w := range c.e.Webshells() {
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
