package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"exscan/rules"
	"exscan/scanner"
	"exscan/scanner/evidence"
	"exscan/scanner/finding"
	"exscan/scanner/host"
	"exscan/scanner/ignore"
	"exscan/scanner/report"
)

var synopses = map[string]string{
	"scan":  "exscan scan [--root DIR] [flags]\n\nScan a whole host: find the Exchange and IIS folders under the root (C:\\ is\nmapped to DIR), check their files, read their logs, print one report.",
	"files": "exscan files PATH... [flags]\n\nFile checks only (YARA, hashes, names and paths) on files and folders.",
	"logs":  "exscan logs PATH... [flags]\n\nLog checks only on log files and folders; the format is detected per file\n(IIS W3C, Exchange HttpProxy/ECP/RPS CSV logs, OAB generator logs; .gz too).",
}

// unusedFlags are the common flags that do nothing in files or logs, with
// what they are for: hidden from that command's help, and a warning when
// given there.
var unusedFlags = map[string][][2]string{
	"files": {{"since", "log records"}, {"sigma", "the log checks"}},
	"logs": {{"rules", "the file checks (YARA)"}, {"max-file-size", "the file checks"}, {"scan-timeout", "the file checks (YARA)"},
		{"follow-links", "the file walk"}, {"max-io", "file reads"}},
}

func runScan(ctx context.Context, cmd string, args []string, stdout, stderr io.Writer) int {
	var o options
	fs := newFlagSet(cmd)
	o.common(fs)
	if cmd == "scan" {
		o.hostFlags(fs)
	}
	var alsoOutput []string
	fs.StringArrayVar(&alsoOutput, "also-output", nil, alsoOutputHelp)
	for _, u := range unusedFlags[cmd] {
		_ = fs.MarkHidden(u[0])
	}
	if ok, code := parse(fs, synopses[cmd], args, stdout, stderr); !ok {
		return code
	}
	if err := o.validate(); err != nil {
		return usageErr(stderr, cmd, "%v", err)
	}
	paths := fs.Args()
	if cmd != "scan" && len(paths) == 0 {
		return usageErr(stderr, cmd, "give at least one file or folder to check (e.g. exscan %s /mnt/image/inetpub)", cmd)
	}
	if cmd == "scan" && len(paths) > 0 {
		return usageErr(stderr, cmd, "scan takes no paths; use --root DIR for a mounted image, or 'exscan files/logs PATH...'")
	}
	prog := newProgress(stderr, o.quiet)
	log := newLogger(prog.logWriter(stderr), &o)
	for _, u := range unusedFlags[cmd] {
		if fs.Changed(u[0]) {
			log.Warn().Msgf("--%s does nothing in 'exscan %s': it is for %s (use 'exscan scan'%s)", u[0], cmd, u[1], map[string]string{"files": " or 'exscan logs'", "logs": " or 'exscan files'"}[cmd])
		}
	}

	// What to scan.
	var layout *host.Layout
	var fileTargets, logTargets []scanner.Target
	switch cmd {
	case "scan":
		root := o.root
		if root == "" {
			r, err := defaultRoot()
			if err != nil {
				return usageErr(stderr, cmd, "--root DIR is required on this system: the folder that holds the host's C: drive (a mounted image or triage collection)")
			}
			root = r
		}
		var err error
		layout, err = host.Discover(root, o.exchangePath)
		if err != nil {
			return usageErr(stderr, cmd, "%v (check the path and that you may read it)", err)
		}
		if layout.Exchange == "" {
			log.Warn().Msgf("Exchange install not found under %s (looked at IIS's virtual directories, Program Files\\Microsoft\\Exchange Server\\V15 and V14%s; give --exchange-path for a custom install)", root, liveSources(layout))
		} else {
			log.Info().Msgf("Exchange install found: %s", layout.ExchangeWin)
		}
		for _, n := range layout.Notes {
			log.Warn().Msg(n)
		}
		for _, m := range layout.Missing {
			log.Debug().Msgf("not found: %s (%s)", m.WinPath, m.Role)
		}
		for _, t := range layout.FileTargets {
			fileTargets = append(fileTargets, scanner.Target{Path: t.Path, WinPath: t.WinPath})
		}
		for _, t := range layout.LogTargets {
			logTargets = append(logTargets, scanner.Target{Path: t.Path, WinPath: t.WinPath})
		}
		if len(fileTargets)+len(logTargets) == 0 {
			return usageErr(stderr, cmd, "no Exchange or IIS folder found under %s: is it the folder that holds the host's C: drive?", root)
		}
	default:
		for _, p := range paths {
			if _, err := os.Stat(p); err != nil {
				return usageErr(stderr, cmd, "cannot read %s: %v", p, errors.Unwrap(err))
			}
			t := scanner.Target{Path: p}
			if cmd == "files" {
				fileTargets = append(fileTargets, t)
			} else {
				logTargets = append(logTargets, t)
			}
		}
	}

	ys, ss, set, problems, err := loadContent(&o, log, len(fileTargets) > 0, len(logTargets) > 0)
	if err != nil {
		return usageErr(stderr, cmd, "%v", err)
	}
	if o.lowPriority {
		if err := lowerPriority(); err != nil {
			log.Warn().Msgf("--low-priority: %v", err)
		}
	}

	started := time.Now()
	var ign *ignore.List
	if o.ignore != "" {
		var err error
		if ign, err = ignore.Load(o.ignore); err != nil {
			return usageErr(stderr, cmd, "--ignore: %v", err)
		}
	}
	var logPaths []string
	for _, t := range logTargets {
		logPaths = append(logPaths, t.Path)
	}
	scanned, build := hostFacts(&o, layout, logPaths)
	var col *evidence.Collector
	if o.collect != "" {
		var err error
		col, err = evidence.Create(o.collect, evidence.Meta{Version: scanner.Version, Host: hostname(), ScannedHost: scannedName(scanned), Command: cmd, Root: rootOf(layout), ScanTime: started, Password: evidence.Password, MaxFileSize: o.maxSize})
		if errors.Is(err, evidence.ErrExist) {
			return usageErr(stderr, cmd, "--collect: %v: give a new file name, or move the old zip away first (exscan never overwrites evidence)", err)
		}
		if err != nil {
			return usageErr(stderr, cmd, "--collect: %v", err)
		}
	}

	out, closeOut, err := openOutput(&o, stdout)
	if err != nil {
		if col != nil {
			col.Close()
			os.Remove(col.Path()) // made a moment ago, for this run
		}
		return usageErr(stderr, cmd, "--output: %v", err)
	}
	format := chooseFormat(&o, stdout)
	w, err := report.New(format, out)
	if err != nil {
		closeOut()
		return usageErr(stderr, cmd, "%v", err)
	}
	w, closeAlso, err := withAlsoOutputs(w, alsoOutput)
	if err != nil {
		closeOut()
		return usageErr(stderr, cmd, "--also-output: %v", err)
	}
	meta := report.Meta{Command: cmd, Args: args, FailOn: o.failSev, Started: started, Version: scanner.Version, Host: hostname(), ScannedHost: scannedName(scanned), InlineContext: o.inlineContext}
	if layout != nil {
		meta.Root = layout.Root
		meta.Layout = layout.Summary()
	}
	if err := w.Start(meta); err != nil {
		closeOut()
		closeAlso()
		return usageErr(stderr, cmd, "writing the report: %v", err)
	}

	var tally report.Tally
	atOrAbove := 0
	var suppressed int64
	var writeErr error
	now := time.Now()
	sink := func(f finding.Finding) {
		if ign != nil && ign.Match(&f, now) {
			suppressed++
			return
		}
		if col != nil {
			if err := col.Add(&f); err != nil {
				log.Warn().Msgf("--collect: %v", err)
			}
		}
		tally.Add(&f)
		if f.Severity >= o.failSev {
			atOrAbove++
		}
		if err := w.Finding(&f); err != nil && writeErr == nil {
			writeErr = err
		}
	}
	opts := scanner.Options{
		Threads: o.threads, MaxFileSize: o.maxSize, ScanTimeout: o.scanTimeout, Since: o.sinceTime,
		FollowLinks: o.followLinks, Verbose: o.verbose, MaxIO: o.maxIO,
		YARA: ys, Sigma: ss, IOCs: set,
		// User lists may hold MD5 or SHA-1 only: then every file gets all three.
		AllDigests: len(o.iocs) > 0,
	}
	if layout != nil {
		opts.ExchangeInstall = layout.ExchangeWin
	}
	if prog != nil {
		opts.Progress = prog.Add
	}
	eng := scanner.New(opts, sink)
	if len(fileTargets) > 0 {
		if prog != nil {
			n, b := scanner.Measure(fileTargets, o.followLinks)
			prog.Phase("files", n, b)
		}
		eng.ScanFiles(ctx, fileTargets)
	}
	if len(logTargets) > 0 {
		if prog != nil {
			n, b := scanner.Measure(logTargets, false)
			prog.Phase("logs", n, b)
		}
		eng.ScanLogs(ctx, logTargets)
	}
	prog.Done()
	sum := eng.Summary()
	if sum.LogRuledOut > 0 {
		log.Debug().Msgf("%d log record(s) not split into fields: they hold no string any log rule or indicator looks for", sum.LogRuledOut)
	}
	if n := sum.YARARuledOut; n.Files > 0 {
		log.Debug().Msgf("YARA not run on %d file(s), %d bytes: no rule can match their size and first bytes (hashes, indicators and heuristics checked)", n.Files, n.Bytes)
	}
	// The engine counts every finding it emits; the report counts what
	// was written, after the ignore file.
	for _, sv := range []finding.Severity{finding.Info, finding.Low, finding.Medium, finding.High, finding.Critical} {
		sum.Findings[sv.String()] = int64(tally.BySeverity[sv])
	}
	sum.Suppressed = suppressed
	if ign != nil {
		for _, e := range ign.Expired(now) {
			sum.Warnings = append(sum.Warnings, fmt.Sprintf("ignore entry expired and no longer suppresses: %s", e))
		}
		for _, e := range ign.Unused() {
			if !e.Expires.IsZero() && !e.Expires.After(now) {
				continue // already reported as expired
			}
			if e.Rule != "" && !knownRule(e.Rule, ys, ss) {
				sum.Warnings = append(sum.Warnings, fmt.Sprintf("ignore entry names no known rule (check the id with 'exscan rules list'): %s", e))
				continue
			}
			sum.Warnings = append(sum.Warnings, fmt.Sprintf("ignore entry matched nothing: %s", e))
		}
	}
	if cmd != "logs" && sum.FilesSeen == 0 && len(fileTargets) > 0 {
		sum.Warnings = append(sum.Warnings, "no file found to check in "+targetList(fileTargets)+": nothing was checked")
	}
	if cmd == "logs" && sum.LogFiles == 0 {
		sum.Warnings = append(sum.Warnings, "no log file found to read in "+targetList(logTargets)+": nothing was checked")
	}
	if col != nil {
		if err := col.Close(); err != nil {
			sum.Warnings = append(sum.Warnings, fmt.Sprintf("--collect: %v", err))
		} else {
			log.Info().Msgf("evidence written to %s (zip password: infected)", col.Path())
		}
	}
	sum.Command = cmd
	sum.ScannedHost, sum.ExscanHost, sum.Exchange = scanned, hostname(), build
	sum.FailOn = o.failSev.String()
	sum.Rules.UserErrors = len(problems)
	sum.Warnings = append(sum.Warnings, problems...)
	if layout != nil {
		sum.Root = layout.Root
		sum.Host = layout.Summary()
		if layout.Exchange == "" {
			sum.Warnings = append(sum.Warnings, fmt.Sprintf("Exchange install not found under %s", layout.Root))
		}
	}
	if ctx.Err() != nil {
		sum.Warnings = append(sum.Warnings, "scan interrupted: the results are incomplete")
	}
	sum.Verdict, sum.VerdictText = tally.Verdict(sum, cmd != "files")
	code := ExitClean
	unreadable := sum.Skipped[scanner.SkipPermission] + sum.Skipped[scanner.SkipReadError]
	if atOrAbove > 0 {
		code = ExitFindings
	} else if unreadable > 0 {
		// Nothing at the threshold, but not everything could be read: not
		// a clean bill, whatever lower findings say.
		code = ExitError
		if sum.Verdict != report.VerdictIncomplete {
			sum.VerdictText += fmt.Sprintf(" %d item(s) could not be read (permission denied or read errors): the scan is incomplete.", unreadable)
		}
		log.Warn().Msgf("%d item(s) could not be read: the scan is incomplete (exit 2); --verbose lists them", unreadable)
	}
	if ctx.Err() != nil {
		code = ExitError
	}
	sum.ExitCode = code
	sum.NextSteps = tally.NextSteps(sum, o.collect)
	if err := w.Finish(sum); err != nil && writeErr == nil {
		writeErr = err
	}
	if err := closeOut(); err != nil && writeErr == nil {
		writeErr = err
	}
	if err := closeAlso(); err != nil && writeErr == nil {
		writeErr = err
	}
	if writeErr != nil {
		fmt.Fprintf(stderr, "exscan %s: writing the report failed: %v\n", cmd, writeErr)
		return ExitError
	}
	log.Info().Msgf("%s: %s; %d finding(s) at or above %s", cmd, sum.Verdict, atOrAbove, o.failSev)
	return code
}

func rootOf(l *host.Layout) string {
	if l == nil {
		return ""
	}
	return l.Root
}

// liveSources names the places the install is looked up on the live
// system, for the message that it was not found.
func liveSources(l *host.Layout) string {
	if l.Live {
		return ", %ExchangeInstallPath% and the registry (HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\v15\\Setup)"
	}
	return ""
}

// engineRules are the rule ids of exscan's own checks: file heuristics,
// indicator lookups and requests to webshells found on disk.
var engineRules = []string{
	"exscan.file.archive-in-programdata", "exscan.file.lsass-dump", "exscan.file.mailbox-export-page",
	"exscan.file.minidump-in-temp", "exscan.file.unexpected-aspnet-page",
	"exscan.log.webshell-file-access", "exscan.log.webshell-file-access-refused",
}

// knownRule reports whether id names a rule a finding can carry: a YARA
// rule ("yara." and its name), a Sigma rule, one of exscan's own checks
// or an indicator kind ("exscan.ioc." and the kind).
func knownRule(id string, ys *rules.YARASet, ss *rules.SigmaSet) bool {
	id = strings.ToLower(id)
	if strings.HasPrefix(id, "exscan.ioc.") || slices.Contains(engineRules, id) {
		return true
	}
	// a set not loaded (files loads no Sigma rules, logs no YARA) cannot
	// tell: the id counts as known
	if name, ok := strings.CutPrefix(id, "yara."); ok {
		return ys == nil || slices.ContainsFunc(ys.Infos, func(r *rules.YARARule) bool { return strings.EqualFold(r.Name, name) })
	}
	return ss == nil || slices.ContainsFunc(ss.Rules(), func(r rules.SigmaRuleInfo) bool { return strings.EqualFold(r.ID, id) })
}

// targetList names the targets for a message.
func targetList(ts []scanner.Target) string {
	var ps []string
	for _, t := range ts {
		ps = append(ps, t.Path)
	}
	return strings.Join(ps, ", ")
}
