// Package cli turns exscan's command line into options, runs the engine
// and maps the result to an exit code. Nothing below it exits the process.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"

	"github.com/rs/zerolog"
	"github.com/spf13/pflag"
	"golang.org/x/term"

	"exscan/internal/sysfile"
	"exscan/iocs"
	"exscan/rules"
	"exscan/scanner"
)

// Exit codes.
const (
	ExitClean    = 0 // nothing at or above --fail-on
	ExitFindings = 1 // findings at or above --fail-on
	ExitError    = 2 // bad usage, unreadable input, rule errors with --strict
)

const usage = `exscan finds signs that a Microsoft Exchange server was compromised through
the 2021-2022 exploit chains (ProxyLogon/HAFNIUM, ProxyShell, ProxyNotShell,
OWASSRF): webshells and attack tools on disk, exploitation and webshell traffic
in IIS and Exchange logs, each hit with its public context.

Usage:
  exscan scan   [--root DIR] [flags]     whole host: Exchange and IIS folders and logs
  exscan files  PATH... [flags]          file checks only (YARA, hashes, names and paths)
  exscan logs   PATH... [flags]          log checks only (IIS W3C, HttpProxy, ECP, OAB, RPS; .gz too)
  exscan watch  [--root DIR] [PATH...]   follow logs and web folders, report new hits
  exscan rules  list|check [flags]       list or check built-in and user rules
  exscan version

Run 'exscan COMMAND --help' for the flags of a command.

Exit codes: 0 nothing at or above --fail-on (default medium), 1 findings at or
above it, 2 error (bad usage, unreadable root, rule errors with --strict).
`

// Run is exscan's whole command line: args without the program name.
func Run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return ExitError
	}
	if stdout == io.Writer(os.Stdout) || stderr == io.Writer(os.Stderr) {
		defer setupConsole()()
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "scan", "files", "logs":
		return runScan(ctx, cmd, rest, stdout, stderr)
	case "watch":
		if code, ok := runService(func(ctx context.Context) int { return runWatch(ctx, rest, stdout, stderr) }); ok {
			return code
		}
		return runWatch(ctx, rest, stdout, stderr)
	case "rules":
		return runRules(rest, stdout, stderr)
	case "version", "--version":
		fmt.Fprintf(stdout, "exscan %s (%s, libyara via go-yara v4.2.4)\n", scanner.Version, runtime.Version())
		return ExitClean
	case "help", "-h", "--help":
		if len(rest) > 0 {
			return Run([]string{rest[0], "--help"}, stdout, stderr)
		}
		fmt.Fprint(stdout, usage)
		return ExitClean
	}
	fmt.Fprintf(stderr, "exscan: unknown command %q (run 'exscan --help' for the commands)\n", cmd)
	return ExitError
}

func newFlagSet(name string) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SortFlags = false
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// parse parses flags; on error prints one line and returns false. On
// --help prints the help to stdout.
func parse(fs *pflag.FlagSet, synopsis string, args []string, stdout, stderr io.Writer) (ok bool, code int) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			fmt.Fprintf(stdout, "Usage: %s\n\nFlags:\n%s", synopsis, fs.FlagUsages())
			return false, ExitClean
		}
		fmt.Fprintf(stderr, "exscan %s: %v (see 'exscan %s --help')\n", fs.Name(), err, fs.Name())
		return false, ExitError
	}
	return true, 0
}

func usageErr(stderr io.Writer, cmd, format string, a ...any) int {
	fmt.Fprintf(stderr, "exscan %s: %s\n", cmd, fmt.Sprintf(format, a...))
	return ExitError
}

func newLogger(stderr io.Writer, o *options) zerolog.Logger {
	var w io.Writer = stderr
	if isTerminal(stderr) {
		w = zerolog.ConsoleWriter{Out: stderr, TimeFormat: "15:04:05", NoColor: !stderrANSI}
	}
	level := zerolog.InfoLevel
	if o.quiet {
		level = zerolog.WarnLevel
	}
	if o.verbose {
		level = zerolog.DebugLevel
	}
	return zerolog.New(w).Level(level).With().Timestamp().Logger()
}

// loadContent loads the built-in and user rules and indicator lists.
// Errors in user files are logged and skipped (or fatal with --strict).
func loadContent(o *options, log zerolog.Logger, wantYARA, wantSigma bool) (*rules.YARASet, *rules.SigmaSet, *iocs.Set, []string, error) {
	var problems []string
	// A path the user named that is not there is a mistake to fix, not
	// something to skip: the scan would run without the user's rules.
	for _, group := range []struct {
		flag  string
		paths []string
	}{{"--rules", o.rules}, {"--sigma", o.sigma}, {"--iocs", o.iocs}} {
		for _, p := range group.paths {
			if _, err := os.Stat(p); err != nil {
				return nil, nil, nil, nil, fmt.Errorf("%s %s: %v", group.flag, p, errors.Unwrap(err))
			}
		}
	}
	var ys *rules.YARASet
	if wantYARA {
		var errs []error
		ys, errs = rules.LoadYARA(!o.noBuiltin, o.rules, o.strict)
		for _, e := range errs {
			log.Warn().Msgf("YARA rule file skipped: %v", e)
			problems = append(problems, fmt.Sprintf("YARA rule file skipped: %v", e))
		}
		if ys == nil {
			return nil, nil, nil, problems, fmt.Errorf("YARA rules could not be loaded (%d error(s) above)", len(errs))
		}
	}
	var ss *rules.SigmaSet
	if wantSigma {
		var errs []error
		ss, errs = rules.LoadSigma(!o.noBuiltin, o.sigma)
		for _, e := range errs {
			log.Warn().Msgf("Sigma rule skipped: %v", e)
			problems = append(problems, fmt.Sprintf("Sigma rule skipped: %v", e))
		}
		if o.strict && len(errs) > 0 {
			return nil, nil, nil, problems, fmt.Errorf("%d Sigma rule error(s) with --strict", len(errs))
		}
	}
	set := iocs.NewSet()
	if !o.noBuiltin {
		b, err := iocs.Builtin()
		if err != nil {
			return nil, nil, nil, problems, fmt.Errorf("built-in indicator lists: %v", err)
		}
		set.Merge(b)
	}
	for _, f := range o.iocs {
		n, errs := set.LoadFile(f)
		for _, e := range errs {
			msg := fmt.Sprintf("indicator list %s: %v", f, e)
			if e.Line > 0 {
				msg = fmt.Sprintf("indicator skipped: %v", e)
			}
			log.Warn().Msg(msg)
			problems = append(problems, msg)
		}
		if o.strict && len(errs) > 0 {
			return nil, nil, nil, problems, fmt.Errorf("%s: %d error(s) with --strict", f, len(errs))
		}
		log.Debug().Msgf("%s: %d indicator(s) loaded", f, n)
	}
	return ys, ss, set, problems, nil
}

// openOutput opens --output owner-only, or returns stdout.
func openOutput(o *options, stdout io.Writer) (io.Writer, func() error, error) {
	if o.output == "" || o.output == "-" {
		return stdout, func() error { return nil }, nil
	}
	f, err := sysfile.CreateOwnerOnly(o.output, os.O_WRONLY|os.O_CREATE|os.O_TRUNC)
	if err != nil {
		return nil, nil, err
	}
	return f, f.Close, nil
}

// chooseFormat: --format, else from --output's extension, else text on a
// terminal and JSON Lines otherwise.
func chooseFormat(o *options, stdout io.Writer) string {
	if o.format != "" {
		return o.format
	}
	if o.output != "" && o.output != "-" {
		return formatOf(o.output)
	}
	if f, ok := stdout.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return "text"
	}
	return "jsonl"
}

// formatOf names the format of a report file from its extension; text
// for any other.
func formatOf(path string) string {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".jsonl", ".json", ".ndjson":
		return "jsonl"
	case ".csv":
		return "csv"
	case ".html", ".htm":
		return "html"
	case ".sarif":
		return "sarif"
	case ".timesketch":
		return "timesketch"
	}
	return "text"
}

func hostname() string {
	h, _ := os.Hostname()
	return h
}

var errNoRoot = errors.New("no root")

// defaultRoot is the root to scan when --root is not given: the system
// drive on Windows; elsewhere --root is required.
func defaultRoot() (string, error) {
	if runtime.GOOS == "windows" {
		d := os.Getenv("SystemDrive")
		if d == "" {
			d = "C:"
		}
		return d + `\`, nil
	}
	return "", errNoRoot
}

// isTerminal says whether w is a terminal, looking through the progress
// line's log writer to the stderr it wraps.
func isTerminal(w io.Writer) bool {
	if u, ok := w.(interface{ Underlying() io.Writer }); ok {
		w = u.Underlying()
	}
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
