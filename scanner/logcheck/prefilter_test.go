package logcheck

import (
	"bufio"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"exscan/scanner/logs"
)

// benchLines reads up to max data lines of one format from the logs under
// dir (EXSCAN_BENCH_LOGS, or the shared benign corpus).
func benchLines(tb testing.TB, format logs.Format, max int) [][]byte {
	dir := os.Getenv("EXSCAN_BENCH_LOGS")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "corpus", "logs", "benign")
	}
	if _, err := os.Stat(dir); err != nil {
		tb.Skipf("no logs at %s (set EXSCAN_BENCH_LOGS): %v", dir, err)
	}
	var out [][]byte
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || len(out) >= max {
			return nil
		}
		r, err := logs.Open(p)
		if err != nil {
			return nil
		}
		f := r.Format()
		r.Close()
		if f != format {
			return nil
		}
		fh, err := os.Open(p)
		if err != nil {
			return nil
		}
		defer fh.Close()
		sc := bufio.NewScanner(fh)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() && len(out) < max {
			if l := sc.Bytes(); len(l) > 0 && l[0] != '#' {
				out = append(out, append([]byte(nil), l...))
			}
		}
		return nil
	})
	if len(out) == 0 {
		tb.Skipf("no %s lines under %s", format, dir)
	}
	return out
}

// BenchmarkPrefilter runs the line prefilter of the built-in content over
// real log lines and reports the share it keeps for parsing.
func BenchmarkPrefilter(b *testing.B) {
	c := builtinChecker(b)
	pf := c.Prefilter(nil)
	for _, f := range []logs.Format{logs.FormatIIS, logs.FormatHttpProxy} {
		lines := benchLines(b, f, 20000)
		keep := pf.Keep(f)
		if keep == nil {
			b.Fatalf("%s: no prefilter", f)
		}
		var size int64
		for _, l := range lines {
			size += int64(len(l))
		}
		b.Run(string(f), func(b *testing.B) {
			b.SetBytes(size)
			kept := 0
			for i := 0; i < b.N; i++ {
				kept = 0
				for _, l := range lines {
					if k, _ := keep(l); k {
						kept++
					}
				}
			}
			b.ReportMetric(float64(kept)/float64(len(lines))*100, "%kept")
		})
	}
}
