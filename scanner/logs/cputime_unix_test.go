//go:build unix

package logs

import (
	"syscall"
	"time"
)

// cpuTime returns the CPU time (user+system) the process has used. The
// benchmarks report throughput per CPU second besides wall-clock MB/s,
// which is steadier on a busy machine.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
