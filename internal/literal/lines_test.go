package literal

import (
	"bytes"
	"math/rand"
	"strings"
	"testing"
)

// naiveAny is LineSet.any written the obvious way: lower case, '+' as
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

func TestLineSetMatchesNaiveSearch(t *testing.T) {
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
		ns := NewLineSet(needles, nil)
		alone := NewLineSet(nil, needles)
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
			if got := alone.Scan(hay, nil); got != want {
				t.Fatalf("alone needles %q, hay %q: scan=%v, naive=%v", needles, hay, got, want)
			}
		}
	}
}

func TestLineSetShortNeedleKeepsEverything(t *testing.T) {
	ns := NewLineSet([]string{"longer-needle", "abc"}, nil)
	if !ns.any([]byte("nothing here")) {
		t.Fatal("a needle under 4 bytes cannot be indexed: every line must be kept")
	}
	ns = NewLineSet(nil, []string{"longer-needle", ""})
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

// any reports whether some needle occurs in b.
func (s *LineSet) any(b []byte) bool {
	found := make([]uint64, (s.n+63)/64)
	if s.Scan(b, found) {
		return true
	}
	for _, w := range found {
		if w != 0 {
			return true
		}
	}
	return false
}

func TestLineNeedle(t *testing.T) {
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
		fn := LineFoldString(string(n))
		want := strings.Contains(LineFoldString(string(hay)), fn)
		if got := lineContains(hay, fn); got != want {
			t.Fatalf("lineContains(%q, %q) = %v, want %v", hay, fn, got, want)
		}
	}
}

// lineContains: b contains the folded needle n.
func lineContains(b []byte, n string) bool {
	l := NewLineNeedle(n)
	return l.In(b)
}

// FuzzLineSet: on any needles and line, a LineSet (grouped or alone) and
// a LineNeedle agree with a plain search of the folded texts.
func FuzzLineSet(f *testing.F) {
	f.Add("/owa/auth/\x00x.aspx\x00/shell.aspx\x00powershell", []byte("GET /OWA/auth/x.aspx?a=1+Power+Shell 200"))
	f.Add("autodiscover.json\x00@\x00a b", []byte("POST /autodiscover/autodiscover.json?@x.com/mapi a+b"))
	f.Fuzz(func(t *testing.T, list string, hay []byte) {
		needles := strings.Split(list, "\x00")
		if len(needles) > 64 {
			needles = needles[:64]
		}
		want := naiveAny(needles, hay)
		if got := NewLineSet(needles, nil).any(hay); got != want && !hasHighByte(hay) {
			t.Fatalf("grouped %q in %q: %v, naive %v", needles, hay, got, want)
		}
		if got := NewLineSet(nil, needles).Scan(hay, nil); got != want && !hasHighByte(hay) {
			t.Fatalf("alone %q in %q: %v, naive %v", needles, hay, got, want)
		}
		for _, n := range needles {
			fn := LineFoldString(n)
			if got, want := lineContains(hay, fn), strings.Contains(LineFoldString(string(hay)), fn); got != want {
				t.Fatalf("LineNeedle %q in %q: %v, want %v", fn, hay, got, want)
			}
		}
	})
}
