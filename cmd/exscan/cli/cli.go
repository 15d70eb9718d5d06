// Package cli turns exscan's command line into the application's options
// (internal/app), runs it and returns its exit code. Nothing below it
// exits the process.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"syscall"

	"github.com/rs/zerolog"
	"github.com/spf13/pflag"
	"golang.org/x/term"

	"exscan/internal/app"
	"exscan/scanner"
)

// Exit codes.
const (
	ExitClean    = app.ExitClean    // nothing at or above --fail-on
	ExitFindings = app.ExitFindings // findings at or above --fail-on
	ExitError    = app.ExitError    // bad usage, unreadable input, rule errors with --strict
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
