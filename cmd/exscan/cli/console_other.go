//go:build !windows

package cli

// setupConsole does nothing: terminals here take UTF-8 and ANSI sequences.
func setupConsole() (restore func()) { return func() {} }
