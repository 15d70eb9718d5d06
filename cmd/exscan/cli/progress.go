package cli

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// progress is the one status line a long scan draws on stderr: the phase,
// files and bytes done, throughput and the time left. It draws only on a
// terminal and never on stdout, which may carry the report. A nil
// *progress does nothing, so callers need no checks; all methods are safe
// for concurrent use.
type progress struct {
	mu  sync.Mutex
	w   io.Writer
	bar *progressbar.ProgressBar

	phase             string
	items, totalItems int64
	bytes, totalBytes int64
	described         time.Time
	stop              chan struct{} // ends the redraw ticker of the current phase
}

// describeEvery bounds how often the item count in the line is redrawn.
const describeEvery = 150 * time.Millisecond

// newProgress returns a progress line on stderr, or nil when quiet or when
// stderr is not a terminal (redirected to a file, a pipe, a CI log).
func newProgress(stderr io.Writer, quiet bool) *progress {
	if quiet {
		return nil
	}
	f, ok := stderr.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	return &progress{w: stderr}
}

// Phase starts a new phase ("files", "logs"), closing the previous one.
// Totals of 0 or less mean unknown: a spinner with counts, no ETA.
func (p *progress) Phase(name string, totalItems, totalBytes int64) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.finishLocked()
	p.phase, p.items, p.totalItems, p.bytes, p.totalBytes = name, 0, totalItems, 0, totalBytes
	max := totalBytes
	if max <= 0 {
		max = -1
	}
	p.bar = progressbar.NewOptions64(max,
		progressbar.OptionSetWriter(p.w), // first: the library's default is stdout
		progressbar.OptionSetDescription(p.describe()),
		progressbar.OptionShowBytes(true),
		progressbar.OptionShowCount(),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionSetWidth(24),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionSpinnerType(14),
		// No redraw goroutine inside the library: it draws without the
		// bar's lock held everywhere; our own ticker redraws under p.mu.
		progressbar.OptionSetSpinnerChangeInterval(0),
		// Without ANSI sequences (an old Windows console) the line is
		// redrawn with a carriage return and spaces.
		progressbar.OptionUseANSICodes(stderrANSI),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSetRenderBlankState(true),
	)
	p.described = time.Now()
	p.stop = make(chan struct{})
	go p.tick(p.stop)
}

// tick keeps the elapsed time, spinner and ETA moving while a single large
// file or log holds up the counts.
func (p *progress) tick(stop chan struct{}) {
	t := time.NewTicker(500 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			p.mu.Lock()
			if p.bar != nil {
				p.bar.Describe(p.describe())
			}
			p.mu.Unlock()
		}
	}
}

// Add counts items (files, log files) and bytes done in the current phase.
func (p *progress) Add(items, bytes int64) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar == nil {
		return
	}
	p.items += items
	p.bytes += bytes
	if p.totalItems > 0 && p.items > p.totalItems {
		p.totalItems = p.items
	}
	if p.totalBytes > 0 && p.bytes > p.totalBytes {
		// Files grow while a live server is scanned: widen, do not overflow.
		p.totalBytes = p.bytes
		p.bar.ChangeMax64(p.totalBytes)
	}
	if bytes > 0 {
		_ = p.bar.Add64(bytes)
	}
	if time.Since(p.described) >= describeEvery {
		p.described = time.Now()
		p.bar.Describe(p.describe())
	}
}

// Done clears the line; call it before the report goes to a terminal.
func (p *progress) Done() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.finishLocked()
}

func (p *progress) finishLocked() {
	if p.bar == nil {
		return
	}
	close(p.stop)
	_ = p.bar.Finish() // renders the final state and clears it (OptionClearOnFinish)
	_ = p.bar.Clear()
	_ = p.bar.Exit()
	p.bar = nil
}

func (p *progress) describe() string {
	if p.totalItems > 0 {
		return fmt.Sprintf("%s %d/%d", p.phase, p.items, p.totalItems)
	}
	return fmt.Sprintf("%s %d", p.phase, p.items)
}

// logWriter wraps the log output that shares stderr with the line: each
// log message first clears the line, which the next update redraws.
func (p *progress) logWriter(w io.Writer) io.Writer {
	if p == nil {
		return w
	}
	return progressLog{p: p, w: w}
}

type progressLog struct {
	p *progress
	w io.Writer
}

func (l progressLog) Write(b []byte) (int, error) {
	l.p.mu.Lock()
	defer l.p.mu.Unlock()
	if l.p.bar != nil {
		_ = l.p.bar.Clear()
	}
	return l.w.Write(b)
}

// Underlying is the writer the log lines go to.
func (l progressLog) Underlying() io.Writer { return l.w }
