package scanner

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"exscan/rules"
	"exscan/scanner/finding"
	"exscan/scanner/internal/hostile"
)

func builtinYARA(t *testing.T) *rules.YARASet {
	t.Helper()
	ys, errs := rules.LoadYARA(true, nil)
	if len(errs) > 0 || ys == nil {
		t.Fatalf("built-in rules: %v", errs)
	}
	return ys
}

func TestHostileTree(t *testing.T) {
	many := 100000
	if testing.Short() {
		many = 5000
	}
	dir := t.TempDir()
	ex, err := hostile.Build(dir, hostile.Options{ManyFiles: many, SparseSize: 10 << 30})
	if err != nil {
		t.Fatal(err)
	}
	defer ex.Close()

	var mu sync.Mutex
	found := map[string]finding.Severity{}
	e := New(Options{YARA: builtinYARA(t), Verbose: true}, func(f finding.Finding) {
		mu.Lock()
		found[f.Path] = f.Severity
		mu.Unlock()
	})
	done := make(chan struct{})
	go func() {
		e.ScanFiles(context.Background(), []Target{{Path: dir}})
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Minute):
		t.Fatal("scan of the hostile tree did not finish: something blocked (a FIFO opened?)")
	}
	for _, p := range ex.Planted {
		if sev, ok := found[p]; !ok || sev < finding.High {
			t.Errorf("planted webshell not reported at high or above: %q (got %v, %v)", p, sev, ok)
		}
	}
	s := e.Summary()
	for reason, want := range ex.Skips {
		if got := s.Skipped[reason]; got != want {
			t.Errorf("skipped[%s] = %d, want %d (items: %+v)", reason, got, want, s.SkippedItems)
		}
	}
	for reason := range s.Skipped {
		if _, ok := ex.Skips[reason]; !ok {
			t.Errorf("unexpected skip reason %s: %d (items: %+v)", reason, s.Skipped[reason], s.SkippedItems)
		}
	}
	if s.FilesScanned < int64(many) {
		t.Errorf("files scanned %d, want at least %d", s.FilesScanned, many)
	}
	// The hostile names come out as they are in the findings (escaping is
	// the reporters' job), and the tree is unchanged.
	if _, err := os.Stat(filepath.Join(dir, "fifo")); err != nil {
		t.Errorf("fifo gone: %v", err)
	}
	for _, it := range s.SkippedItems {
		if it.Reason == "" || it.Path == "" {
			t.Errorf("skip without path or reason: %+v", it)
		}
	}
}

func TestFollowLinksIsLoopSafe(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "a"), 0o755)
	os.WriteFile(filepath.Join(dir, "a", "s.aspx"), []byte(hostile.Webshell), 0o644)
	os.Symlink("..", filepath.Join(dir, "a", "up"))
	os.Symlink("loop2", filepath.Join(dir, "loop1"))
	os.Symlink("loop1", filepath.Join(dir, "loop2"))
	n := 0
	e := New(Options{YARA: builtinYARA(t), FollowLinks: true}, func(f finding.Finding) { n++ })
	e.ScanFiles(context.Background(), []Target{{Path: dir}})
	if n != 1 {
		t.Errorf("findings %d, want 1 (the file once, however many links reach it)", n)
	}
	s := e.Summary()
	if s.Skipped[SkipLinkLoop] < 3 {
		t.Errorf("link loops counted %d, want 3: %v", s.Skipped[SkipLinkLoop], s.Skipped)
	}
}
