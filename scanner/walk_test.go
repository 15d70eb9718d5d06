package scanner

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
)

// The file checks, the log checks and the progress estimate walk with one
// link policy: links inside a target are counted and not followed, unless
// the file checks follow them (--follow-links), and then only inside the
// target, each folder once. The log walk visits entries by name.
func TestOneWalkerOneLinkPolicy(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need privileges on Windows")
	}
	root := t.TempDir()
	dir := filepath.Join(root, "target")
	outside := filepath.Join(root, "outside")
	for _, d := range []string{filepath.Join(dir, "sub"), outside} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{filepath.Join(dir, "z.log"), filepath.Join(dir, "a.log"), filepath.Join(dir, "sub", "b.log"), filepath.Join(outside, "secret.log")} {
		if err := os.WriteFile(f, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name, to := range map[string]string{"again": filepath.Join(dir, "sub"), "escape": outside} {
		if err := os.Symlink(to, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	walk := func(follow, sorted bool) (files []string, skips map[string]int) {
		skips = map[string]int{}
		w := &walker{ctx: context.Background(), follow: follow, sorted: sorted,
			file: func(display, _ string, _ fs.FileInfo, _ func() (*os.File, error)) {
				rel, _ := filepath.Rel(dir, display)
				files = append(files, filepath.ToSlash(rel))
			},
			skip: func(_, reason, _ string, _ bool) { skips[reason]++ },
		}
		w.walk(Target{Path: dir})
		return files, skips
	}
	files, skips := walk(false, true)
	if !slices.Equal(files, []string{"a.log", "sub/b.log", "z.log"}) || skips[SkipSymlink] != 2 {
		t.Errorf("log walk: %v, skips %v; want the three files by name and both links counted", files, skips)
	}
	files, skips = walk(true, false)
	slices.Sort(files)
	if slices.Contains(files, "escape/secret.log") || skips[SkipLinkOutside] != 1 {
		t.Errorf("followed walk: %v, skips %v; the link out of the target must not be followed", files, skips)
	}
	if len(files) != 3 || skips[SkipLinkLoop] != 1 {
		t.Errorf("followed walk: %v, skips %v; sub is walked once, through the folder or the link", files, skips)
	}
	if n, b := Measure([]Target{{Path: dir}}, false); n != 3 || b != 3 {
		t.Errorf("Measure: %d files, %d bytes; want 3, 3", n, b)
	}
}
