package golden

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFirstDiff(t *testing.T) {
	for _, c := range []struct{ want, got, say string }{
		{"a\nb\n", "a\nb\n", ""},
		{"a\nbcd\n", "a\nbxd\n", "line 2, byte 2:\n want: ...bcd...\n got:  ...bxd..."},
		{"a\n", "a\n\n", "lengths differ: want 2 lines, got 3"},
	} {
		if s := FirstDiff(c.want, c.got); s != c.say {
			t.Errorf("FirstDiff(%q, %q) = %q, want %q", c.want, c.got, s, c.say)
		}
	}
}

// recorder is a testing.TB that records failures instead of stopping.
type recorder struct {
	testing.TB
	failed []string
}

func (r *recorder) Helper()                        {}
func (r *recorder) Errorf(format string, a ...any) { r.failed = append(r.failed, format) }

func TestCheck(t *testing.T) {
	p := filepath.Join(t.TempDir(), "x.golden")
	if err := os.WriteFile(p, []byte("one\r\ntwo\r\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := &recorder{TB: t}
	Check(r, p, []byte("one\ntwo\n"))
	if len(r.failed) != 0 {
		t.Errorf("CRLF golden vs LF output: failed %q", r.failed)
	}
	Check(r, p, []byte("one\nthree\n"))
	if len(r.failed) != 1 || !strings.Contains(r.failed[0], "rerun with -update") {
		t.Errorf("changed output: failures %q, want one naming -update", r.failed)
	}
}
