//go:build windows

package cli

import (
	"os"

	"golang.org/x/sys/windows"
)

// setupConsole prepares the Windows console exscan writes to. Output goes
// out as UTF-8 (code page 65001, so PowerShell and cmd.exe decode names
// with accents and the like right), and the console is asked to take the
// ANSI sequences the progress line and colours use. When it does not
// (consoles before Windows 10), stderrANSI is cleared and both go without.
// Handles that are not a console (a file, a pipe) are left alone. The
// returned function puts the code page and modes back.
func setupConsole() (restore func()) {
	var undo []func()
	if cp, err := getConsoleOutputCP(); err == nil && cp != 0 && cp != 65001 {
		if setConsoleOutputCP(65001) == nil {
			undo = append(undo, func() { setConsoleOutputCP(cp) })
		}
	}
	for _, f := range []*os.File{os.Stdout, os.Stderr} {
		h := windows.Handle(f.Fd())
		var mode uint32
		if windows.GetConsoleMode(h, &mode) != nil {
			continue // not a console
		}
		want := mode | windows.ENABLE_PROCESSED_OUTPUT | windows.ENABLE_VIRTUAL_TERMINAL_PROCESSING
		err := error(nil)
		if want != mode {
			err = windows.SetConsoleMode(h, want)
		}
		if err == nil && want != mode {
			undo = append(undo, func() { windows.SetConsoleMode(h, mode) })
		}
		if f == os.Stderr {
			stderrANSI = consoleTakesANSI(mode, err)
		}
	}
	return func() {
		for i := len(undo) - 1; i >= 0; i-- {
			undo[i]()
		}
	}
}

var (
	kernel32               = windows.NewLazySystemDLL("kernel32.dll")
	procGetConsoleOutputCP = kernel32.NewProc("GetConsoleOutputCP")
	procSetConsoleOutputCP = kernel32.NewProc("SetConsoleOutputCP")
)

func getConsoleOutputCP() (uint32, error) {
	if err := procGetConsoleOutputCP.Find(); err != nil {
		return 0, err
	}
	r, _, _ := procGetConsoleOutputCP.Call()
	return uint32(r), nil
}

func setConsoleOutputCP(cp uint32) error {
	if err := procSetConsoleOutputCP.Find(); err != nil {
		return err
	}
	if r, _, err := procSetConsoleOutputCP.Call(uintptr(cp)); r == 0 {
		return err
	}
	return nil
}
