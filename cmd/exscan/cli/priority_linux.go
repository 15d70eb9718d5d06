//go:build linux

package cli

import (
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

// lowerPriority sets nice 19 and the idle I/O class. On Linux both are
// per thread: they are applied to every thread the process has now, and
// threads made later inherit them from the thread that creates them.
func lowerPriority() error {
	ents, err := os.ReadDir("/proc/self/task")
	if err != nil {
		return err
	}
	const ioprioWhoProcess, ioprioClassIdle = 1, 3
	for _, e := range ents {
		tid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if err := unix.Setpriority(unix.PRIO_PROCESS, tid, 19); err != nil {
			return err
		}
		if _, _, errno := unix.Syscall(unix.SYS_IOPRIO_SET, ioprioWhoProcess, uintptr(tid), ioprioClassIdle<<13); errno != 0 {
			return errno
		}
	}
	return nil
}
