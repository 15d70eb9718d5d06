package logcheck

import (
	"bufio"
	"bytes"
	"io/fs"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"exscan/scanner/logs"
)

// naiveAny is needleSet.any written the obvious way: lower case, '+' as
// a space.
func naiveAny(needles []string, b []byte) bool {
	fold := func(s string) string { return strings.ReplaceAll(strings.ToLower(s), "+", " ") }
	lb := fold(string(b))
	for _, n := range needles {
		if len(n) < 4 || strings.Contains(lb, fold(n)) {
			return true
		}
	}
	return false
}

func TestNeedleSetMatchesNaiveSearch(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	alphabet := "abcXYZ019./-_~@ %+"
	word := func(n int) string {
		var sb strings.Builder
		for i := 0; i < n; i++ {
			sb.WriteByte(alphabet[rng.Intn(len(alphabet))])
		}
		return sb.String()
	}
	for round := 0; round < 600; round++ {
		// odd rounds: every needle 5 bytes or more (pairs every 4 bytes)
		var needles []string
		for i := 0; i < 1+rng.Intn(20); i++ {
			switch rng.Intn(4) {
			case 0: // a file needle
				needles = append(needles, "/"+strings.ReplaceAll(word(1+rng.Intn(5)), "/", "x")+fileExts[rng.Intn(len(fileExts))])
			default:
				needles = append(needles, word(4+round%2+rng.Intn(6)))
			}
		}
		ns := newNeedleSet(needles, nil)
		alone := newNeedleSet(nil, needles)
		for j := 0; j < 200; j++ {
			hay := []byte(word(rng.Intn(60)))
			if rng.Intn(3) == 0 { // plant a needle, maybe in another case
				n := needles[rng.Intn(len(needles))]
				if rng.Intn(2) == 0 {
					n = strings.ToUpper(n)
				}
				at := rng.Intn(len(hay) + 1)
				hay = append(hay[:at:at], append([]byte(n), hay[at:]...)...)
			}
			want := naiveAny(needles, hay)
			if got := ns.any(hay); got != want {
				t.Fatalf("needles %q, hay %q: any=%v, naive=%v", needles, hay, got, want)
			}
			if got := alone.scan(hay, nil); got != want {
				t.Fatalf("alone needles %q, hay %q: scan=%v, naive=%v", needles, hay, got, want)
			}
		}
	}
}

func TestNeedleSetShortNeedleKeepsEverything(t *testing.T) {
	ns := newNeedleSet([]string{"longer-needle", "abc"}, nil)
	if !ns.any([]byte("nothing here")) {
		t.Fatal("a needle under 4 bytes cannot be indexed: every line must be kept")
	}
	ns = newNeedleSet(nil, []string{"longer-needle", ""})
	if !ns.any([]byte("nothing here")) {
		t.Fatal("an empty needle must keep every line")
	}
}

func TestHasHighByte(t *testing.T) {
	for i := 0; i < 20; i++ {
		b := bytes.Repeat([]byte("a"), i)
		if hasHighByte(b) {
			t.Fatalf("%q: no high byte", b)
		}
		for j := 0; j < i; j++ {
			c := append([]byte(nil), b...)
			c[j] = 0xc3
			if !hasHighByte(c) {
				t.Fatalf("%q: high byte at %d missed", c, j)
			}
		}
	}
}

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

// any reports whether some needle occurs in b.
func (s *needleSet) any(b []byte) bool {
	found := make([]uint64, (s.n+63)/64)
	if s.scan(b, found) {
		return true
	}
	for _, w := range found {
		if w != 0 {
			return true
		}
	}
	return false
}

func TestContainsFold(t *testing.T) {
	rng := rand.New(rand.NewSource(9))
	alphabet := "abAB+ x.%"
	for i := 0; i < 20000; i++ {
		var hay, n []byte
		for j := rng.Intn(30); j > 0; j-- {
			hay = append(hay, alphabet[rng.Intn(len(alphabet))])
		}
		for j := 1 + rng.Intn(4); j > 0; j-- {
			n = append(n, alphabet[rng.Intn(len(alphabet))])
		}
		fn := foldString(string(n))
		want := strings.Contains(foldString(string(hay)), fn)
		if got := containsFold(hay, fn); got != want {
			t.Fatalf("containsFold(%q, %q) = %v, want %v", hay, fn, got, want)
		}
	}
}

// containsFold: b contains the folded needle n.
func containsFold(b []byte, n string) bool {
	l := newLazyNeedle(n)
	return l.in(b)
}
