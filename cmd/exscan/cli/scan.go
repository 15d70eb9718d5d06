package cli

import (
	"context"
	"io"

	"exscan/internal/app"
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
	fs.StringArrayVar(&alsoOutput, "also-output", nil, alsoOutputHelp())
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
	if cmd == "scan" && o.root == "" {
		r, err := defaultRoot()
		if err != nil {
			return usageErr(stderr, cmd, "--root DIR is required on this system: the folder that holds the host's C: drive (a mounted image or triage collection)")
		}
		o.root = r
	}
	ao := o.app(cmd, args, paths, stdout, log)
	ao.AlsoOutput = alsoOutput
	if prog != nil {
		ao.Progress = prog
	}
	res, err := app.Scan(ctx, ao)
	if err != nil {
		return usageErr(stderr, cmd, "%v", err)
	}
	return res.Code
}
