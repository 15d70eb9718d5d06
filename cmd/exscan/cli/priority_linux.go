//go:build linux

package cli

import "syscall"

// lowerPriority sets nice 19 and the idle I/O class for the whole process.
func lowerPriority() error {
	if err := syscall.Setpriority(syscall.PRIO_PROCESS, 0, 19); err != nil {
		return err
	}
	// ioprio_set(IOPRIO_WHO_PROCESS, 0, IOPRIO_CLASS_IDLE << 13)
	const ioprioSet = 251
	_, _, errno := syscall.Syscall(ioprioSet, 1, 0, uintptr(3<<13))
	if errno != 0 {
		return errno
	}
	return nil
}
