package scanner

import (
	"strconv"
	"sync"
	"time"
)

// throttle limits the read rate shared by all workers (--max-io).
type throttle struct {
	mu   sync.Mutex
	rate float64 // bytes per second
	next time.Time
}

func newThrottle(bytesPerSec float64) *throttle { return &throttle{rate: bytesPerSec} }

// wait blocks so that n more bytes keep the overall rate.
func (t *throttle) wait(n int) {
	if t == nil || n <= 0 {
		return
	}
	t.mu.Lock()
	now := time.Now()
	if t.next.Before(now) {
		t.next = now
	}
	t.next = t.next.Add(time.Duration(float64(n) / t.rate * float64(time.Second)))
	d := t.next.Sub(now)
	t.mu.Unlock()
	if d > time.Millisecond {
		time.Sleep(d)
	}
}

func itoa(v uint64) string { return strconv.FormatUint(v, 10) }
