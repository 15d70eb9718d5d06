// Package app is exscan's application layer, between the command line and
// the engine. It loads the content once (Content), finds what to check
// (host discovery or the paths given), runs the engine, passes every
// finding through one pipeline of stages (enrich, ignore, dedup, collect,
// tally, write) and returns one Result: the summary with its verdict, and
// the exit code. The command line only maps flags to Options.
package app

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"exscan/scanner"
	"exscan/scanner/finding"
	"exscan/scanner/host"
	"exscan/scanner/hostid"
	"exscan/scanner/ignore"
)

// Exit codes.
const (
	ExitClean    = 0 // nothing at or above the fail-on severity
	ExitFindings = 1 // findings at or above it
	ExitError    = 2 // bad usage, unreadable input, rule errors with --strict
)

// Options are one run's settings, as the command line gives them.
type Options struct {
	Command string   // scan, files, logs or watch
	Args    []string // the command line after the command, for the report header
	// Paths are what files and logs check, and the folders watch follows
	// besides those found under Root.
	Paths              []string
	Root, ExchangePath string // a host's C: drive folder and a custom Exchange install

	Content ContentOptions
	FailOn  finding.Severity

	Threads     int
	MaxFileSize int64
	ScanTimeout time.Duration
	Since       time.Time
	FollowLinks bool
	Verbose     bool
	MaxIO       float64

	Ignore  string // --ignore list
	Collect string // evidence zip

	Format, Output string // "" Format: from Output's extension, or the terminal
	AlsoOutput     []string
	Stdout         io.Writer
	Hostname       string // the scanned host's name given by the user
	InlineContext  bool

	Log      zerolog.Logger
	Progress Progress // nil: no progress line
	// LowerPriority, when set, is called once the content is loaded,
	// before the checks start.
	LowerPriority func() error

	Watch WatchOptions
}

// Progress is told what the checks are at, for a status line.
type Progress interface {
	Phase(name string, items, bytes int64)
	Add(items, bytes int64)
	Done()
}

// Result is what a run ends with.
type Result struct {
	Summary   *finding.Summary // with its verdict and exit code
	Code      int
	AtOrAbove int // findings at or above the fail-on severity
}

// UsageError is a run that could not start: bad input the user can fix.
// The message is one line.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

func usage(format string, a ...any) error { return &UsageError{Msg: fmt.Sprintf(format, a...)} }

// discover finds the host's Exchange and IIS folders under the root and
// logs what it found.
func (o *Options) discover() (*host.Layout, error) {
	layout, err := host.Discover(o.Root, o.ExchangePath)
	if err != nil {
		return nil, usage("%v (check the path and that you may read it)", err)
	}
	if layout.Exchange == "" {
		o.Log.Warn().Msgf("Exchange install not found under %s (looked at IIS's virtual directories, Program Files\\Microsoft\\Exchange Server\\V15 and V14%s; give --exchange-path for a custom install)", o.Root, liveSources(layout))
	} else if o.Command != "watch" {
		o.Log.Info().Msgf("Exchange install found: %s", layout.ExchangeWin)
	}
	for _, n := range layout.Notes {
		o.Log.Warn().Msg(n)
	}
	if o.Command != "watch" {
		for _, m := range layout.Missing {
			o.Log.Debug().Msgf("not found: %s (%s)", m.WinPath, m.Role)
		}
	}
	return layout, nil
}

// liveSources names the places the install is looked up on the live
// system, for the message that it was not found.
func liveSources(l *host.Layout) string {
	if l.Live {
		return ", %ExchangeInstallPath% and the registry (HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\v15\\Setup)"
	}
	return ""
}

// statPath checks that a path given on the command line can be read.
func statPath(p string) (os.FileInfo, error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, usage("cannot read %s: %v", p, errors.Unwrap(err))
	}
	return st, nil
}

// loadIgnore reads the --ignore list, if any.
func loadIgnore(path string) (*ignore.List, error) {
	if path == "" {
		return nil, nil
	}
	l, err := ignore.Load(path)
	if err != nil {
		return nil, usage("--ignore: %v", err)
	}
	return l, nil
}

// lowerPriority lowers the process priority when asked to.
func (o *Options) lowerPriority() {
	if o.LowerPriority == nil {
		return
	}
	if err := o.LowerPriority(); err != nil {
		o.Log.Warn().Msgf("--low-priority: %v", err)
	}
}

// engineOptions are the engine's settings for this run.
func (o *Options) engineOptions(c *Content, layout *host.Layout) scanner.Options {
	opts := scanner.Options{
		Threads: o.Threads, MaxFileSize: o.MaxFileSize, ScanTimeout: o.ScanTimeout, Since: o.Since,
		FollowLinks: o.FollowLinks, Verbose: o.Verbose, MaxIO: o.MaxIO,
		YARA: c.YARA, Sigma: c.Sigma, IOCs: c.IOCs,
	}
	if layout != nil {
		opts.ExchangeInstall = layout.ExchangeWin
	}
	return opts
}

// hostFacts says which host the evidence comes from: its name (Hostname,
// else the logs it wrote) and, for a host layout, its Exchange build.
// Both are read before the checks, so every report names the scanned host
// from its first line.
func (o *Options) hostFacts(layout *host.Layout, logPaths []string) (*finding.ScannedHost, *finding.ExchangeBuild) {
	fromLogs := hostid.Name(logPaths)
	name := fromLogs
	if o.Hostname != "" {
		name = &finding.ScannedHost{Name: o.Hostname, Source: "--hostname"}
		if fromLogs != nil {
			for _, n := range append([]string{fromLogs.Name}, fromLogs.Others...) {
				if !strings.EqualFold(n, o.Hostname) {
					name.Others = append(name.Others, n)
				}
			}
		}
	}
	var build *finding.ExchangeBuild
	if layout != nil && layout.Exchange != "" {
		build = hostid.Build(layout.Exchange, layout.ExchangeWin)
	}
	return name, build
}

// scannedName is the scanned host's name, or "".
func scannedName(h *finding.ScannedHost) string {
	if h == nil {
		return ""
	}
	return h.Name
}

// Hostname is the name of the machine exscan runs on.
func Hostname() string {
	h, _ := os.Hostname()
	return h
}
