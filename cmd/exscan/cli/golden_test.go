package cli

import (
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"exscan/scanner/report"
)

var updateGolden = flag.Bool("update-golden", false, "rewrite the golden outputs in testdata/golden")

// normalise removes what differs between runs and machines: times of the
// run, file modification times (git does not keep them), the version, the
// absolute root path, path separators and CRLF.
func normalise(s, root string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	abs, _ := filepath.Abs(root)
	s = strings.ReplaceAll(s, abs, "<root>")
	s = strings.ReplaceAll(s, root, "<root>")
	for _, re := range []struct{ re, repl string }{
		{`"started":"[^"]*"`, `"started":"<time>"`},
		{`"duration_seconds":[0-9.e-]+`, `"duration_seconds":0`},
		{`"mtime":"[^"]*"`, `"mtime":"<mtime>"`},
		{`"version":"[^"]*"`, `"version":"<version>"`},
		{`started \S+, took [0-9.]+s`, `started <time>, took <d>s`},
		{`modified \S+`, `modified <mtime>`},
		{`exscan \S+: scan`, `exscan <version>: scan`},
		{`"(datetime|timestamp|scan_started|startTimeUtc|endTimeUtc)":\s*"[^"]*"`, `"$1":"<time>"`},
		{`"timestamp":\s*[0-9]+`, `"timestamp":0`},
		{`started [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8} UTC`, `started <time>`},
		{`took [0-9.]+ ?s`, `took <d>s`},
		{`"(semanticVersion|version)":\s*"[^"]*"`, `"$1":"<version>"`},
	} {
		s = regexp.MustCompile(re.re).ReplaceAllString(s, re.repl)
	}
	return s
}

// goldenRoot is a copy of the demo host whose files all carry one fixed
// modification time (git does not keep mtimes), so every format's output,
// timelines included, is the same on every checkout.
func goldenRoot(t *testing.T) string {
	t.Helper()
	root := filepath.Join(t.TempDir(), "C")
	copyDemoTree(t, demoRoot, root)
	fixed := time.Date(2021, 3, 4, 0, 0, 0, 0, time.UTC)
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil {
			os.Chtimes(p, fixed, fixed)
		}
		return nil
	})
	return root
}

func TestGoldenDemo(t *testing.T) {
	root := goldenRoot(t)
	host, _ := os.Hostname()
	for _, f := range report.Formats() {
		format := f.Name
		t.Run(format, func(t *testing.T) {
			code, out, errs := run(t, "scan", "--root", root, "--format", format, "--threads", "1")
			if code != 1 {
				t.Fatalf("exit %d: %s", code, errs)
			}
			got := normalise(out, root)
			if host != "" {
				got = regexp.MustCompile(`\bon `+regexp.QuoteMeta(host)+`\b`).ReplaceAllString(got, "on <host>")
				got = strings.ReplaceAll(got, `"`+host+`"`, `"<host>"`)
			}
			if f.Lines {
				// Findings stream in the order workers finish: compare
				// them sorted, the summary last.
				lines := strings.Split(strings.TrimSpace(got), "\n")
				body := lines[:len(lines)-1]
				sortStrings(body)
				got = strings.Join(append(body, lines[len(lines)-1]), "\n") + "\n"
			}
			path := filepath.Join("..", "..", "..", "testdata", "golden", "demo."+format)
			if *updateGolden {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./cmd/exscan/cli -run Golden -update-golden)", err)
			}
			if got != string(want) {
				t.Errorf("demo %s output differs from %s (rerun with -update-golden after checking the change):\n%s", format, path, firstDiff(string(want), got))
			}
		})
	}
}

func sortStrings(s []string) { sort.Strings(s) }

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			// Show where the lines part, not whole JSON records.
			j := 0
			for j < len(al[i]) && j < len(bl[i]) && al[i][j] == bl[i][j] {
				j++
			}
			cut := func(s string) string {
				from, to := max(0, j-80), min(len(s), j+120)
				return s[from:to]
			}
			return "line " + itoa(i+1) + ", byte " + itoa(j+1) + ":\n want: ..." + cut(al[i]) + "...\n got:  ..." + cut(bl[i]) + "..."
		}
	}
	return "lengths differ: want " + itoa(len(al)) + " lines, got " + itoa(len(bl))
}

func itoa(i int) string { return strconv.Itoa(i) }
