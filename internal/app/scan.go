package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"exscan/rules"
	"exscan/scanner"
	"exscan/scanner/evidence"
	"exscan/scanner/finding"
	"exscan/scanner/report"
)

// Scan runs scan, files or logs: the file checks, then the log checks with
// the webshells the file checks found, one report.
func Scan(ctx context.Context, o *Options) (*Result, error) {
	r := newRun(o)
	files, logs, err := r.scanTargets()
	if err != nil {
		return nil, err
	}
	c := o.Content
	c.NoYARA, c.NoSigma = len(files) == 0, len(logs) == 0
	if r.content, err = LoadContent(c, o.Log); err != nil {
		return nil, usage("%v", err)
	}
	o.lowerPriority()
	r.started = time.Now()
	if r.ignore.List, err = loadIgnore(o.Ignore); err != nil {
		return nil, err
	}
	now := time.Now()
	r.ignore.Now = func() time.Time { return now }
	r.scanned, r.build = o.hostFacts(r.layout, targetPaths(logs))
	col, err := r.openCollector()
	if err != nil {
		return nil, err
	}
	rep, err := r.openReport()
	if err != nil {
		if col != nil {
			col.Close()
			os.Remove(col.Path()) // made a moment ago, for this run
		}
		return nil, err
	}

	var writeErr error
	handle := Pipeline(r.ignore.Stage(), nil, Collect(col, func(err error) { o.Log.Warn().Msgf("--collect: %v", err) }), r.tally.Stage(), Write(rep.w))
	opts := o.engineOptions(r.content, r.layout)
	// User lists may hold MD5 or SHA-1 only: then every file gets all three.
	opts.AllDigests = len(o.Content.IOCs) > 0
	if o.Progress != nil {
		opts.Progress = o.Progress.Add
	}
	eng := scanner.New(opts, func(f finding.Finding) {
		if err := handle(&f); err != nil && writeErr == nil {
			writeErr = err
		}
	})
	r.phases(ctx, eng, files, logs)

	sum := r.scanSummary(ctx, eng.Summary(), files, logs, col)
	res := r.result(ctx, sum)
	if err := rep.finish(sum); err != nil && writeErr == nil {
		writeErr = err
	}
	if writeErr != nil {
		return nil, fmt.Errorf("writing the report failed: %w", writeErr)
	}
	o.Log.Info().Msgf("%s: %s; %d finding(s) at or above %s", o.Command, sum.Verdict, res.AtOrAbove, o.FailOn)
	return res, nil
}

// scanTargets are the folders scan finds under the root, or the paths
// files and logs are given.
func (r *run) scanTargets() (files, logs []scanner.Target, err error) {
	o := r.o
	if o.Command != "scan" {
		for _, p := range o.Paths {
			if _, err := statPath(p); err != nil {
				return nil, nil, err
			}
			if o.Command == "files" {
				files = append(files, scanner.Target{Path: p})
			} else {
				logs = append(logs, scanner.Target{Path: p})
			}
		}
		return files, logs, nil
	}
	if r.layout, err = o.discover(); err != nil {
		return nil, nil, err
	}
	for _, t := range r.layout.FileTargets {
		files = append(files, scanner.Target{Path: t.Path, WinPath: t.WinPath})
	}
	for _, t := range r.layout.LogTargets {
		logs = append(logs, scanner.Target{Path: t.Path, WinPath: t.WinPath})
	}
	if len(files)+len(logs) == 0 {
		return nil, nil, usage("no Exchange or IIS folder found under %s: is it the folder that holds the host's C: drive?", o.Root)
	}
	return files, logs, nil
}

// phases runs the file checks, then the log checks with the webshells the
// file checks found.
func (r *run) phases(ctx context.Context, eng *scanner.Engine, files, logs []scanner.Target) {
	p := r.o.Progress
	if len(files) > 0 {
		if p != nil {
			n, b := scanner.Measure(files, r.o.FollowLinks)
			p.Phase("files", n, b)
		}
		r.shells = eng.ScanFiles(ctx, files)
	}
	if len(logs) > 0 {
		if p != nil {
			n, b := scanner.Measure(logs, false)
			p.Phase("logs", n, b)
		}
		eng.ScanLogs(ctx, logs, r.shells)
	}
	if p != nil {
		p.Done()
	}
}

// openCollector creates the --collect archive, if asked for.
func (r *run) openCollector() (*evidence.Collector, error) {
	o := r.o
	if o.Collect == "" {
		return nil, nil
	}
	m := evidence.Meta{Version: scanner.Version, Host: Hostname(), ScannedHost: scannedName(r.scanned), Command: o.Command,
		ScanTime: r.started, Password: evidence.Password, MaxFileSize: o.MaxFileSize}
	if r.layout != nil {
		m.Root = r.layout.Root
	}
	col, err := evidence.Create(o.Collect, m)
	if errors.Is(err, evidence.ErrExist) {
		return nil, usage("--collect: %v: give a new file name, or move the old zip away first (exscan never overwrites evidence)", err)
	}
	if err != nil {
		return nil, usage("--collect: %v", err)
	}
	return col, nil
}

// scanReport is the report of a scan: --output and every --also-output.
type scanReport struct {
	w     report.Writer
	close []func() error
}

// openReport opens the report files and writes their headers.
func (r *run) openReport() (*scanReport, error) {
	o := r.o
	out, closeOut, err := openOutput(o.Output, o.Stdout)
	if err != nil {
		return nil, usage("--output: %v", err)
	}
	w, err := report.New(chooseFormat(o.Format, o.Output, o.Stdout), out)
	if err != nil {
		closeOut()
		return nil, usage("%v", err)
	}
	w, closeAlso, err := withAlsoOutputs(w, o.AlsoOutput)
	if err != nil {
		closeOut()
		return nil, usage("--also-output: %v", err)
	}
	if err := w.Start(r.meta(false)); err != nil {
		closeOut()
		closeAlso()
		return nil, usage("writing the report: %v", err)
	}
	return &scanReport{w: w, close: []func() error{closeOut, closeAlso}}, nil
}

// finish writes the summary and closes the files; the first error is
// returned.
func (s *scanReport) finish(sum *finding.Summary) error {
	first := s.w.Finish(sum)
	for _, c := range s.close {
		if err := c(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// scanSummary completes the engine's summary: the run's fields, the
// warnings of the ignore list, the collector and the content, and what was
// not checked.
func (r *run) scanSummary(ctx context.Context, sum *finding.Summary, files, logs []scanner.Target, col *evidence.Collector) *finding.Summary {
	o := r.o
	if sum.LogRuledOut > 0 {
		o.Log.Debug().Msgf("%d log record(s) not split into fields: they hold no string any log rule or indicator looks for", sum.LogRuledOut)
	}
	if n := sum.YARARuledOut; n.Files > 0 {
		o.Log.Debug().Msgf("YARA not run on %d file(s), %d bytes: no rule can match their size and first bytes (hashes, indicators and heuristics checked)", n.Files, n.Bytes)
	}
	r.fillSummary(sum)
	sum.Warnings = append(sum.Warnings, r.ignoreWarnings()...)
	if o.Command != "logs" && sum.FilesSeen == 0 && len(files) > 0 {
		sum.Warnings = append(sum.Warnings, "no file found to check in "+strings.Join(targetPaths(files), ", ")+": nothing was checked")
	}
	if o.Command == "logs" && sum.LogFiles == 0 {
		sum.Warnings = append(sum.Warnings, "no log file found to read in "+strings.Join(targetPaths(logs), ", ")+": nothing was checked")
	}
	if col != nil {
		if err := col.Close(); err != nil {
			sum.Warnings = append(sum.Warnings, fmt.Sprintf("--collect: %v", err))
		} else {
			o.Log.Info().Msgf("evidence written to %s (zip password: infected)", col.Path())
		}
	}
	sum.Rules.UserErrors = len(r.content.Problems)
	sum.Warnings = append(sum.Warnings, r.content.Problems...)
	if r.layout != nil && r.layout.Exchange == "" {
		sum.Warnings = append(sum.Warnings, fmt.Sprintf("Exchange install not found under %s", r.layout.Root))
	}
	if ctx.Err() != nil {
		sum.Warnings = append(sum.Warnings, "scan interrupted: the results are incomplete")
	}
	return sum
}

// result sets the verdict, the exit code and the next steps: exit 1 for
// findings at or above the fail-on severity; else exit 2 when items could
// not be read (not a clean bill, whatever lower findings say) or the scan
// was interrupted.
func (r *run) result(ctx context.Context, sum *finding.Summary) *Result {
	o := r.o
	sum.Verdict, sum.VerdictText = r.tally.Verdict(sum, o.Command != "files")
	code := ExitClean
	unreadable := sum.Skipped[scanner.SkipPermission] + sum.Skipped[scanner.SkipReadError]
	if r.tally.AtOrAbove > 0 {
		code = ExitFindings
	} else if unreadable > 0 {
		code = ExitError
		if sum.Verdict != report.VerdictIncomplete {
			sum.VerdictText += fmt.Sprintf(" %d item(s) could not be read (permission denied or read errors): the scan is incomplete.", unreadable)
		}
		o.Log.Warn().Msgf("%d item(s) could not be read: the scan is incomplete (exit 2); --verbose lists them", unreadable)
	}
	if ctx.Err() != nil {
		code = ExitError
	}
	sum.ExitCode = code
	sum.NextSteps = r.tally.NextSteps(sum, o.Collect)
	return &Result{Summary: sum, Code: code, AtOrAbove: r.tally.AtOrAbove}
}

// ignoreWarnings are the summary's warnings about the ignore list: entries
// expired, naming no known rule, or matching nothing.
func (r *run) ignoreWarnings() []string {
	l := r.ignore.List
	if l == nil {
		return nil
	}
	now := r.ignore.Now()
	var out []string
	for _, e := range l.Expired(now) {
		out = append(out, fmt.Sprintf("ignore entry expired and no longer suppresses: %s", e))
	}
	for _, e := range l.Unused() {
		if !e.Expires.IsZero() && !e.Expires.After(now) {
			continue // already reported as expired
		}
		if e.Rule != "" && !knownRule(e.Rule, r.content.YARA, r.content.Sigma) {
			out = append(out, fmt.Sprintf("ignore entry names no known rule (check the id with 'exscan rules list'): %s", e))
			continue
		}
		out = append(out, fmt.Sprintf("ignore entry matched nothing: %s", e))
	}
	return out
}

// knownRule reports whether id names a rule a finding can carry: a YARA
// rule ("yara." and its name), a Sigma rule, one of exscan's own checks
// or an indicator kind ("exscan.ioc." and the kind).
func knownRule(id string, ys *rules.YARASet, ss *rules.SigmaSet) bool {
	id = strings.ToLower(id)
	if strings.HasPrefix(id, "exscan.ioc.") || slices.Contains(scanner.OwnRules(), id) {
		return true
	}
	// a set not loaded (files loads no Sigma rules, logs no YARA) cannot
	// tell: the id counts as known
	if name, ok := strings.CutPrefix(id, "yara."); ok {
		return ys == nil || slices.ContainsFunc(ys.Infos, func(r *rules.YARARule) bool { return strings.EqualFold(r.Name, name) })
	}
	return ss == nil || slices.ContainsFunc(ss.Rules(), func(r rules.SigmaRuleInfo) bool { return strings.EqualFold(r.ID, id) })
}
