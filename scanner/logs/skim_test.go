package logs

import (
	"io"
	"io/fs"
	"math/rand"
	"path/filepath"
	"testing"
	"time"
)

type readResult struct {
	lines []int
	times []time.Time
	stats Stats
}

func readSkim(t *testing.T, path string, keep func([]byte) (bool, uint64)) (readResult, int) {
	t.Helper()
	r, err := Open(path)
	if err != nil {
		return readResult{}, -1
	}
	defer r.Close()
	r.SetFilter(keep)
	var out readResult
	skimmed := 0
	for {
		rec, err := r.Next()
		if err != nil {
			if err != io.EOF {
				t.Logf("%s: %v", path, err)
			}
			break
		}
		if rec.Skimmed {
			skimmed++
			if len(rec.Names) != 0 || len(rec.Values) != 0 {
				t.Fatalf("%s:%d: a skimmed record has fields", path, rec.Line)
			}
		}
		out.lines = append(out.lines, rec.Line)
		out.times = append(out.times, rec.Time)
	}
	out.stats = r.Stats()
	out.stats.Skimmed = 0
	return out, skimmed
}

// TestSkimKeepsEveryCount: with a filter that rules every line out, the
// reader returns the same records (line numbers and times) and the same
// counts as without one; only plain lines are skimmed.
func TestSkimKeepsEveryCount(t *testing.T) {
	total := 0
	filepath.WalkDir("../../testdata/logs", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		plain, _ := readSkim(t, p, nil)
		skim, n := readSkim(t, p, func([]byte) (bool, uint64) { return false, 0 })
		total += n
		if len(plain.lines) != len(skim.lines) {
			t.Errorf("%s: %d records, %d with the filter", p, len(plain.lines), len(skim.lines))
			return nil
		}
		for i := range plain.lines {
			if plain.lines[i] != skim.lines[i] || !plain.times[i].Equal(skim.times[i]) {
				t.Errorf("%s: record %d: line %d time %v, with the filter line %d time %v", p, i, plain.lines[i], plain.times[i], skim.lines[i], skim.times[i])
				break
			}
		}
		if plain.stats != skim.stats {
			t.Errorf("%s: stats %+v, with the filter %+v", p, plain.stats, skim.stats)
		}
		return nil
	})
	if total == 0 {
		t.Error("no line was skimmed: the test does not test skimming")
	}
}

func TestPlainCSVCommas(t *testing.T) {
	for _, c := range []struct {
		line string
		n    int
		ok   bool
	}{
		{`a,b,c`, 2, true},
		{`a,"b,c",d`, 2, true},
		{`"a ""x"", y",b`, 1, true},
		{`a,"b`, 0, false},        // continued on the next line
		{`a,b"c,d"e,f`, 0, false}, // a quote inside a value
		{`a,"b"c,d`, 0, false},    // text after the closing quote
		{`"",,""`, 2, true},
	} {
		n, ok := plainCSVCommas([]byte(c.line))
		if n != c.n || ok != c.ok {
			t.Errorf("%q: %d %v, want %d %v", c.line, n, ok, c.n, c.ok)
		}
	}
}

func TestIsTextWordAtATime(t *testing.T) {
	slow := func(b []byte) bool {
		ctl, n := 0, 0
		for _, c := range b {
			if c == 0 {
				continue
			}
			n++
			if c < 0x20 && c != '\t' && c != '\r' && c != '\n' && c != 0x0c {
				ctl++
			}
		}
		return ctl*20 <= n
	}
	rng := rand.New(rand.NewSource(5))
	for i := 0; i < 5000; i++ {
		b := make([]byte, rng.Intn(200))
		for j := range b {
			switch rng.Intn(10) {
			case 0:
				b[j] = byte(rng.Intn(0x20))
			case 1:
				b[j] = byte(0x80 + rng.Intn(0x80))
			default:
				b[j] = byte(0x20 + rng.Intn(0x60))
			}
		}
		if isText(b) != slow(b) {
			t.Fatalf("isText(%q) = %v", b, isText(b))
		}
	}
}
