package scanner

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"exscan/scanner/finding"
)

// TestYARAGuardKeepsFindings scans a tree of webshell fixtures, the same
// files behind an MZ header, padded past every rule's size limit, and a
// DLL-like file, once with the YARA guard and once handing every file to
// libyara: the findings must be the same, and only the guarded scan may
// leave files out of libyara.
func TestYARAGuardKeepsFindings(t *testing.T) {
	fixtures, _ := filepath.Glob(filepath.Join("..", "testdata", "rules", "yara", "*", "tp", "*"))
	if len(fixtures) < 20 {
		t.Fatalf("only %d fixtures", len(fixtures))
	}
	dir := t.TempDir()
	write := func(name string, b []byte) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for i, f := range fixtures {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		family := filepath.Base(filepath.Dir(filepath.Dir(f)))
		name := filepath.Join(family, filepath.Base(f))
		write(filepath.Join("plain", name), b)
		write(filepath.Join("mz", name), append([]byte("MZ"), b...))
		if i%16 == 0 { // a few: each is 21 MB of YARA work without the guard
			write(filepath.Join("padded", name), append(b, bytes.Repeat([]byte(" "), 21<<20-len(b))...))
		}
	}
	write("bin/Microsoft.Exchange.Fake.dll", append([]byte("MZ\x90\x00"), bytes.Repeat([]byte{0xcc}, 300<<10)...))

	scan := func(everyFile bool) (map[string]string, *finding.Summary) {
		var mu sync.Mutex
		got := map[string]string{}
		e := New(Options{YARA: builtinYARA(t), YARAEveryFile: everyFile, Threads: 2}, func(f finding.Finding) {
			var rs []string
			for _, r := range f.Reasons {
				rs = append(rs, fmt.Sprintf("%s/%s/%d", r.Rule, r.Severity, len(r.Evidence)))
			}
			sort.Strings(rs)
			mu.Lock()
			got[f.Path] = f.Severity.String() + " " + f.SHA256 + " " + strings.Join(rs, ",")
			mu.Unlock()
		})
		e.ScanFiles(context.Background(), []Target{{Path: dir}})
		return got, e.Summary()
	}
	guarded, gs := scan(false)
	every, es := scan(true)
	if len(every) < len(fixtures) {
		t.Errorf("only %d findings from %d webshell fixtures", len(every), len(fixtures))
	}
	for p, want := range every {
		if got := guarded[p]; got != want {
			t.Errorf("%s:\n  guarded %q\n  every   %q", p, got, want)
		}
	}
	for p, got := range guarded {
		if _, ok := every[p]; !ok {
			t.Errorf("%s: found only with the guard: %q", p, got)
		}
	}
	if gs.FilesScanned != es.FilesScanned || gs.Bytes != es.Bytes {
		t.Errorf("files checked differ: guarded %d (%d bytes), every %d (%d bytes)", gs.FilesScanned, gs.Bytes, es.FilesScanned, es.Bytes)
	}
	if want := int64(len(fixtures) + 1 + (len(fixtures)+15)/16); gs.YARARuledOut.Files != want {
		t.Errorf("files left out of YARA: %d, want %d (every mz/, padded/ and the DLL)", gs.YARARuledOut.Files, want)
	}
	if es.YARARuledOut != (finding.FileCount{}) {
		t.Errorf("YARAEveryFile still left files out: %+v", es.YARARuledOut)
	}
}
