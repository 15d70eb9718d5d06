package literal

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// naive is the reference: the values of every needle that occurs in hay
// once both have their ASCII letters lower-cased.
func naive(needles []string, values [][]int32, hay []byte) []int32 {
	low := asciiLower(hay)
	var out []int32
	for i, n := range needles {
		if n != "" && bytes.Contains(low, asciiLower([]byte(n))) {
			out = append(out, values[i]...)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func asciiLower(b []byte) []byte {
	out := make([]byte, len(b))
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		out[i] = c
	}
	return out
}

func build(t testing.TB, needles []string) (*Automaton, [][]int32) {
	var s Set
	values := make([][]int32, len(needles))
	for i, n := range needles {
		s.Add(n, int32(i))
		values[i] = []int32{int32(i)}
	}
	a, err := s.Compile()
	if err != nil {
		t.Fatal(err)
	}
	return a, values
}

func scanned(a *Automaton, hay []byte) []int32 {
	var out []int32
	a.Scan(hay, func(v []int32) { out = append(out, v...) })
	slices.Sort(out)
	return slices.Compact(out)
}

// randomHay mixes needles (in random case, sometimes cut short or
// overlapping) with random bytes, upper-case letters and separators.
func randomHay(r *rand.Rand, needles []string) []byte {
	var b []byte
	for n := r.IntN(12); n > 0; n-- {
		switch r.IntN(4) {
		case 0, 1:
			ne := needles[r.IntN(len(needles))]
			if r.IntN(3) == 0 {
				ne = ne[:r.IntN(len(ne)+1)]
			}
			for i := 0; i < len(ne); i++ {
				c := ne[i]
				if r.IntN(2) == 0 && 'a' <= c && c <= 'z' {
					c -= 'a' - 'A'
				}
				b = append(b, c)
			}
		case 2:
			for k := r.IntN(8); k > 0; k-- {
				b = append(b, byte(r.IntN(256)))
			}
		default:
			for k := r.IntN(8); k > 0; k-- {
				b = append(b, "/.=&~-_ ?+AaEeSsPpXx\x01\x80\xc3"[r.IntN(23)])
			}
		}
	}
	return b
}

// TestAutomatonEqualsSubstringSearch covers overlapping, nested and
// upper-case needles and bytes outside ASCII on random haystacks.
func TestAutomatonEqualsSubstringSearch(t *testing.T) {
	sets := [][]string{
		{"a"},
		{"he", "she", "his", "hers"},
		{"aaa", "aa", "a"},
		{"abc", "bc", "c", "bcd"},
		{"/ecp/", "/ecp/default.flt", "cp/d"},
		{"/OWA/Auth/", "x-anonresource-backend", "\x80\xc3", "powershell", "autodiscover.json"},
	}
	r := rand.New(rand.NewPCG(3, 4))
	for _, ns := range sets {
		a, values := build(t, ns)
		for i := 0; i < 5000; i++ {
			hay := randomHay(r, ns)
			if got, want := scanned(a, hay), naive(ns, values, hay); !slices.Equal(got, want) {
				t.Fatalf("%q on %q: automaton %v, substring search %v", ns, hay, got, want)
			}
			if got := func() (out []int32) {
				a.ScanString(string(hay), func(v []int32) { out = append(out, v...) })
				slices.Sort(out)
				return slices.Compact(out)
			}(); !slices.Equal(got, scanned(a, hay)) {
				t.Fatalf("ScanString %v differs from Scan on %q", got, hay)
			}
		}
	}
}

// TestSetSharesNeedles: a needle added twice (in any case) is one needle
// with both values; an empty set compiles to an automaton that finds
// nothing.
func TestSetSharesNeedles(t *testing.T) {
	var s Set
	s.Add("/Autodiscover/", 1)
	s.Add("/autodiscover/", 7)
	s.Add("powershell", 2)
	if s.Len() != 2 {
		t.Fatalf("Len = %d, want 2", s.Len())
	}
	a, err := s.Compile()
	if err != nil {
		t.Fatal(err)
	}
	if got := a.Needles(); !slices.Equal(got, []string{"/autodiscover/", "powershell"}) {
		t.Fatalf("Needles = %q", got)
	}
	if got := scanned(a, []byte("GET /AUTODISCOVER/x PowerShell")); !slices.Equal(got, []int32{1, 2, 7}) {
		t.Fatalf("found %v", got)
	}
	var empty Set
	e, err := empty.Compile()
	if err != nil || e != nil {
		t.Fatalf("empty set: %v %v", e, err)
	}
	if got := scanned(e, []byte("anything")); got != nil {
		t.Fatalf("nil automaton found %v", got)
	}
}

func TestFold(t *testing.T) {
	if got := Lower("/OWA/auth/X.aspx\xc3\x80"); got != "/owa/auth/x.aspx\xc3\x80" {
		t.Errorf("Lower = %q", got)
	}
	if s := "already lower"; Lower(s) != s {
		t.Error("Lower changed a lower-case string")
	}
	cases := []struct {
		s, n                   string
		eq, pre, suf, contains bool
		index                  int
	}{
		{"PowerShell", "powershell", true, true, true, true, 0},
		{"x-PowerShell", "powershell", false, false, true, true, 2},
		{"PowerShell-x", "powershell", false, true, false, true, 0},
		{"Power Shell", "powershell", false, false, false, false, -1},
		{"POWERSHELL", "POWERSHELL", false, false, false, false, -1}, // needles are lower case
		{"\xc3\x80", "\xc3\xa0", false, false, false, false, -1},     // no Unicode folding
		{"abc", "", false, true, true, true, 0},
	}
	for _, c := range cases {
		if got := EqualFold(c.s, c.n); got != c.eq && c.n != "" {
			t.Errorf("EqualFold(%q, %q) = %v", c.s, c.n, got)
		}
		if got := HasPrefixFold(c.s, c.n); got != c.pre {
			t.Errorf("HasPrefixFold(%q, %q) = %v", c.s, c.n, got)
		}
		if got := HasSuffixFold(c.s, c.n); got != c.suf {
			t.Errorf("HasSuffixFold(%q, %q) = %v", c.s, c.n, got)
		}
		if got := ContainsFold([]byte(c.s), c.n); got != c.contains {
			t.Errorf("ContainsFold(%q, %q) = %v", c.s, c.n, got)
		}
		if got := IndexFold(c.s, c.n); got != c.index {
			t.Errorf("IndexFold(%q, %q) = %d", c.s, c.n, got)
		}
	}
}

// FuzzAutomaton: on any needles and haystack, the automaton reports
// exactly the needles a plain lower-cased substring search finds.
func FuzzAutomaton(f *testing.F) {
	f.Add("he\x00she\x00his\x00hers", []byte("USHERS"))
	f.Add("/ecp/\x00/ecp/default.flt\x00cp/d", []byte("POST /ECP/DEFAULT.FLT HTTP"))
	f.Add("aaa\x00aa\x00a", []byte("aAaAa\x80"))
	f.Fuzz(func(t *testing.T, list string, hay []byte) {
		ns := strings.Split(list, "\x00")
		if len(ns) > 64 {
			ns = ns[:64]
		}
		a, values := build(t, ns)
		if got, want := scanned(a, hay), naive(ns, values, hay); !slices.Equal(got, want) {
			t.Fatalf("%q on %q: automaton %v, substring search %v", ns, hay, got, want)
		}
		for _, n := range ns {
			low := string(asciiLower([]byte(n)))
			if want := bytes.Contains(asciiLower(hay), []byte(low)); ContainsFold(hay, low) != want {
				t.Fatalf("ContainsFold(%q, %q) != %v", hay, low, want)
			}
		}
	})
}
