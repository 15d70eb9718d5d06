package cli

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for the bar's spinner goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Len()
}

func TestProgressOffWhenNotATerminal(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "stderr.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var buf bytes.Buffer
	for name, w := range map[string]io.Writer{"regular file": f, "buffer": &buf, "discard": io.Discard} {
		if p := newProgress(w, false); p != nil {
			t.Errorf("%s: progress on a non-terminal stderr", name)
		}
	}
	if p := newProgress(os.Stderr, true); p != nil {
		t.Error("progress despite quiet")
	}
	// What a caller does with the nil progress writes nothing.
	p := newProgress(f, false)
	p.Phase("files", 10, 1000)
	p.Add(1, 100)
	p.Done()
	if w := p.logWriter(&buf); w != io.Writer(&buf) {
		t.Error("nil progress wraps the log writer")
	}
	if info, _ := f.Stat(); info.Size() != 0 || buf.Len() != 0 {
		t.Errorf("non-terminal stderr got %d bytes", info.Size()+int64(buf.Len()))
	}
}

func TestProgressNeverWritesToStdout(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout := os.Stdout
	os.Stdout = w
	got := make(chan []byte)
	go func() { b, _ := io.ReadAll(r); got <- b }()

	stderr := &syncBuffer{}
	p := &progress{w: stderr} // as newProgress returns it on a terminal
	p.Phase("files", 3, 3000)
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p.Add(1, 1000)
			time.Sleep(2 * describeEvery)
			p.Add(0, 0)
		}()
	}
	wg.Wait()
	p.Phase("logs", 0, 0) // unknown totals: spinner
	p.Add(2, 5000)
	time.Sleep(250 * time.Millisecond)
	p.logWriter(stderr).Write([]byte("a log line\n"))
	p.Add(1, 10)
	p.Done()
	p.Done() // twice is harmless

	os.Stdout = stdout
	w.Close()
	if b := <-got; len(b) != 0 {
		t.Errorf("progress wrote %d bytes to stdout: %q", len(b), b)
	}
	if stderr.Len() == 0 {
		t.Error("progress drew nothing on the (terminal) stderr")
	}
}
