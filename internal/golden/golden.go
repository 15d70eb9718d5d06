// Package golden compares what a test produced with a file checked in
// under testdata. One flag rewrites them all after a change was checked:
//
//	go test ./scanner/report ./cmd/exscan/cli -update
//
// Line ends are compared as LF, so a checkout with CRLF still matches.
package golden

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata with what the tests produce")

// Check fails t when got differs from the golden file at path, naming the
// first line and byte where they part. With -update it writes got to path
// instead.
func Check(t testing.TB, path string, got []byte) {
	t.Helper()
	got = bytes.ReplaceAll(got, []byte("\r\n"), []byte("\n"))
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s", path)
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run the test with -update to create it)", err)
	}
	want = bytes.ReplaceAll(want, []byte("\r\n"), []byte("\n"))
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (rerun with -update after checking the change):\n%s", path, FirstDiff(string(want), string(got)))
	}
}

// FirstDiff describes where got first parts from want: the line, the
// byte in it, and about 200 bytes of each around that point (not whole
// JSON records). "" when they are equal.
func FirstDiff(want, got string) string {
	if want == got {
		return ""
	}
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) && i < len(gl); i++ {
		if wl[i] == gl[i] {
			continue
		}
		j := 0
		for j < len(wl[i]) && j < len(gl[i]) && wl[i][j] == gl[i][j] {
			j++
		}
		cut := func(s string) string { return s[max(0, j-80):min(len(s), j+120)] }
		return "line " + strconv.Itoa(i+1) + ", byte " + strconv.Itoa(j+1) + ":\n want: ..." + cut(wl[i]) + "...\n got:  ..." + cut(gl[i]) + "..."
	}
	return "lengths differ: want " + strconv.Itoa(len(wl)) + " lines, got " + strconv.Itoa(len(gl))
}
