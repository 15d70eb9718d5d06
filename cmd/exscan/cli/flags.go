package cli

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/rs/zerolog"
	"github.com/spf13/pflag"

	"exscan/internal/app"
	"exscan/scanner/finding"
	"exscan/scanner/report"
)

// options are the parsed command-line flags shared by the subcommands.
type options struct {
	format, output         string
	rules, sigma, iocs     []string
	noBuiltin, strict      bool
	failOn                 string
	threads                int
	maxFileSize            string
	scanTimeout            time.Duration
	since                  string
	collect, ignore, state string
	lowPriority            bool
	maxIO                  float64
	quiet, verbose         bool
	root, exchangePath     string
	followLinks            bool
	fromStart              bool
	progress               bool
	inlineContext          bool
	hostname               string

	// parsed
	failSev   finding.Severity
	maxSize   int64
	sinceTime time.Time
}

func (o *options) common(fs *pflag.FlagSet) {
	fs.StringVar(&o.format, "format", "", "output format: "+strings.Join(report.Names(), "|")+" (default: text on a terminal, else jsonl; with --output, from the file's extension)")
	fs.StringVarP(&o.output, "output", "o", "", "write the report to `FILE` (created owner-only; default stdout)")
	fs.StringArrayVar(&o.rules, "rules", nil, "more YARA rules: a `DIR` (recursive .yar/.yara) or file; repeatable")
	fs.StringArrayVar(&o.sigma, "sigma", nil, "more Sigma rules for logs: a `DIR` (recursive .yml/.yaml); repeatable")
	fs.StringArrayVar(&o.iocs, "iocs", nil, "more indicator lists: a `FILE` (exscan TSV or Loki hash/filename/c2 format); repeatable")
	fs.BoolVar(&o.noBuiltin, "no-builtin", false, "use only the rules and indicators given on the command line")
	fs.BoolVar(&o.strict, "strict", false, "fail (exit 2) when a user rule or indicator file has errors, instead of skipping it")
	fs.StringVar(&o.failOn, "fail-on", "medium", "exit 1 when a finding is at or above this `SEVERITY` (critical|high|medium|low|info)")
	fs.IntVar(&o.threads, "threads", 0, "worker threads (default: all cores)")
	fs.StringVar(&o.maxFileSize, "max-file-size", "64MiB", "skip (and count) files larger than `SIZE`")
	fs.DurationVar(&o.scanTimeout, "scan-timeout", 60*time.Second, "YARA time limit per file; a file that hits it is counted as partly checked")
	fs.StringVar(&o.since, "since", "", "only check log records from `DATE` on (YYYY-MM-DD or RFC 3339); files are always checked")
	fs.StringVar(&o.collect, "collect", "", "copy flagged files and log lines into an encrypted evidence `ZIP` (password: infected)")
	fs.StringVar(&o.ignore, "ignore", "", "suppress known-benign findings listed in `FILE` (entries with reason and optional expiry)")
	fs.BoolVar(&o.lowPriority, "low-priority", false, "run at low CPU and I/O priority")
	fs.Float64Var(&o.maxIO, "max-io", 0, "limit file reads to `MBPS` megabytes per second (0: unlimited)")
	fs.BoolVarP(&o.quiet, "quiet", "q", false, "only warnings and errors on stderr; no progress")
	fs.BoolVarP(&o.verbose, "verbose", "v", false, "debug messages on stderr; list every skipped item in the report")
	fs.StringVar(&o.hostname, "hostname", "", "the scanned host's `NAME` for the reports (default: read from its logs: IIS s-computername, HttpProxy ServerHostName)")
	fs.BoolVar(&o.inlineContext, "inline-context", false, "jsonl: put each finding's full campaign context into the finding (default: one context record per campaign, before its first finding)")
	fs.BoolVar(&o.followLinks, "follow-links", false, "follow symbolic links (loop-safe); by default links are counted and not followed")
}

func (o *options) hostFlags(fs *pflag.FlagSet) {
	fs.StringVar(&o.root, "root", "", "the folder that holds the scanned host's C: drive (a mounted image or triage collection)")
	fs.StringVar(&o.exchangePath, "exchange-path", "", `custom Exchange install path on the host, scanned besides the default one (C:\... maps under --root; D:\... is looked for in a folder D next to the root, e.g. /mnt/img/C and /mnt/img/D)`)
}

// validate parses the values that need it. Errors are one line each.
func (o *options) validate() error {
	var err error
	if o.failSev, err = finding.ParseSeverity(o.failOn); err != nil {
		return fmt.Errorf("--fail-on: %v", err)
	}
	if o.maxSize, err = parseSize(o.maxFileSize); err != nil {
		return fmt.Errorf("--max-file-size: %v", err)
	}
	if o.threads < 0 {
		return fmt.Errorf("--threads: must be 0 (all cores) or more, not %d", o.threads)
	}
	if o.scanTimeout <= 0 {
		return fmt.Errorf("--scan-timeout: must be positive")
	}
	if o.maxIO < 0 {
		return fmt.Errorf("--max-io: must be 0 (unlimited) or more")
	}
	if o.since != "" {
		if o.sinceTime, err = parseDate(o.since); err != nil {
			return fmt.Errorf("--since: %v", err)
		}
	}
	if o.format != "" {
		if _, err := report.New(o.format, nil); err != nil {
			return fmt.Errorf("--format: %v", err)
		}
	}
	if o.quiet && o.verbose {
		return fmt.Errorf("--quiet and --verbose cannot be used together")
	}
	return nil
}

// app maps the options to the application's: the one place the flags
// become a run's settings.
func (o *options) app(cmd string, args, paths []string, stdout io.Writer, log zerolog.Logger) *app.Options {
	ao := &app.Options{
		Command: cmd, Args: args, Paths: paths, Root: o.root, ExchangePath: o.exchangePath,
		Content: app.ContentOptions{YARA: o.rules, Sigma: o.sigma, IOCs: o.iocs, NoBuiltin: o.noBuiltin, Strict: o.strict},
		FailOn:  o.failSev, Threads: o.threads, MaxFileSize: o.maxSize, ScanTimeout: o.scanTimeout, Since: o.sinceTime,
		FollowLinks: o.followLinks, Verbose: o.verbose, MaxIO: o.maxIO,
		Ignore: o.ignore, Collect: o.collect, Format: o.format, Output: o.output, Stdout: stdout,
		Hostname: o.hostname, InlineContext: o.inlineContext, Log: log,
		Watch: app.WatchOptions{State: o.state, FromStart: o.fromStart},
	}
	if o.lowPriority {
		ao.LowerPriority = lowerPriority
	}
	return ao
}

func parseDate(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date (use YYYY-MM-DD or RFC 3339)", s)
}

// parseSize reads sizes like 64MiB, 10MB, 512k, 1G or a byte count.
func parseSize(s string) (int64, error) {
	t := strings.TrimSpace(strings.ToLower(s))
	mult := int64(1)
	for _, u := range []struct {
		suf string
		m   int64
	}{{"kib", 1 << 10}, {"mib", 1 << 20}, {"gib", 1 << 30}, {"kb", 1000}, {"mb", 1000 * 1000}, {"gb", 1000 * 1000 * 1000}, {"k", 1 << 10}, {"m", 1 << 20}, {"g", 1 << 30}, {"b", 1}} {
		if strings.HasSuffix(t, u.suf) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suf)), u.m
			break
		}
	}
	n, err := strconv.ParseFloat(t, 64)
	if err != nil || !(n > 0) || n*float64(mult) >= math.MaxInt64 {
		return 0, fmt.Errorf("%q is not a size (e.g. 64MiB, 500KB, 1G)", s)
	}
	return int64(n * float64(mult)), nil
}
