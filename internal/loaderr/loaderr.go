// Package loaderr is the one error type of rule and indicator loading:
// a YARA rule file, a Sigma rule or file, or an indicator list or line
// that was not loaded, with where and why. Loaders report every such
// error and load the rest; whether errors in the user's files fail the
// run (--strict) is decided once, by Strict, over all of them.
package loaderr

import (
	"fmt"
	"strings"
)

// Error is a rule or indicator file, or one rule or line of it, that was
// not loaded.
type Error struct {
	File string
	Line int    // 1-based; 0 for the whole file or when not known
	Rule string // the rule's title or id, when known
	Err  error
}

// New returns an Error with a formatted reason.
func New(file string, line int, format string, args ...any) *Error {
	return &Error{File: file, Line: line, Err: fmt.Errorf(format, args...)}
}

// Error reads file[:line][: rule "R"]: reason.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	if e.Rule != "" {
		fmt.Fprintf(&b, ": rule %q", e.Rule)
	}
	fmt.Fprintf(&b, ": %v", e.Err)
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Strict is --strict: the error a load fails with when any of errs (every
// error of the run's rule and indicator loading) happened; nil when none.
func Strict(errs []error) error {
	if len(errs) == 0 {
		return nil
	}
	return fmt.Errorf("%d rule or indicator error(s) with --strict (listed above)", len(errs))
}
