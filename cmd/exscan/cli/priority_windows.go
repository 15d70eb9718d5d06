//go:build windows

package cli

import "golang.org/x/sys/windows"

// lowerPriority puts the process in background mode (low I/O and memory
// priority) and below-normal CPU priority.
func lowerPriority() error {
	p := windows.CurrentProcess()
	if err := windows.SetPriorityClass(p, windows.PROCESS_MODE_BACKGROUND_BEGIN); err != nil {
		return err
	}
	return windows.SetPriorityClass(p, windows.BELOW_NORMAL_PRIORITY_CLASS)
}
