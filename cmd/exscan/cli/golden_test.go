package cli

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"exscan/internal/golden"
	"exscan/scanner/report"
)

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
			golden.Check(t, filepath.Join("..", "..", "..", "testdata", "golden", "demo."+format), []byte(got))
		})
	}
}

func sortStrings(s []string) { sort.Strings(s) }
