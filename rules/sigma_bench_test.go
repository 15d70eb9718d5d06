package rules

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"testing"
)

// acRules is the reference: the rules of every needle the library
// automaton finds in a lower-case copy of hay.
func acRules(x *needleIndex, hay []byte) []int32 {
	var out []int32
	for _, m := range x.ac.FindAllOverlapping(bytes.ToLower(hay)) {
		out = append(out, x.rules[m.PatternID]...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func dfaRules(x *needleIndex, hay []byte) []int32 {
	var out []int32
	x.dfa.scan(hay, func(rs []int32) { out = append(out, rs...) })
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

// TestSigmaFoldDFAEqualsLowerCopyAC: the fold-table DFA the prefilter
// runs finds the same rules as the reference automaton on a lower-case
// copy, on fixtures and on random inputs.
func TestSigmaFoldDFAEqualsLowerCopyAC(t *testing.T) {
	s := mustLoadBuiltin(t)
	user, errs := LoadSigma(true, []string{"../testdata/sigma/user"})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for _, set := range []*SigmaSet{s, user} {
		for _, x := range []*needleIndex{&set.raw, &set.dec} {
			if x.dfa == nil || x.ac == nil {
				t.Fatal("needle index without automaton")
			}
			for _, c := range loadSigmaCases(t) {
				if got, want := dfaRules(x, c.rec.Raw), acRules(x, c.rec.Raw); !slices.Equal(got, want) {
					t.Errorf("%s: dfa %v, ac %v", c.Name, got, want)
				}
			}
			for i := 0; i < 20000; i++ {
				hay := randomHay(r, x.needles)
				if got, want := dfaRules(x, hay), acRules(x, hay); !slices.Equal(got, want) {
					t.Fatalf("%q: dfa %v, ac %v", hay, got, want)
				}
			}
		}
	}
}

// TestSigmaFoldDFASmallSets covers overlapping and nested needles.
func TestSigmaFoldDFASmallSets(t *testing.T) {
	sets := [][]string{
		{"a"},
		{"he", "she", "his", "hers"},
		{"aaa", "aa", "a"},
		{"abc", "bc", "c", "bcd"},
		{"/ecp/", "/ecp/default.flt", "cp/d"},
	}
	r := rand.New(rand.NewPCG(3, 4))
	for _, ns := range sets {
		var x needleIndex
		for i, n := range ns {
			x.add(n, int32(i))
		}
		if err := x.compile(); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 5000; i++ {
			hay := randomHay(r, ns)
			if got, want := dfaRules(&x, hay), acRules(&x, hay); !slices.Equal(got, want) {
				t.Fatalf("%v on %q: dfa %v, ac %v", ns, hay, got, want)
			}
		}
	}
}

func benchPrefilter(b *testing.B, line string) {
	s := mustLoadBuiltin(b)
	rec := iisRecord(b, line)
	sc := s.pool.Get().(*sigmaScratch)
	fb := formatBit(rec.Format)
	b.SetBytes(int64(len(rec.Raw)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s.candidates(rec, fb, sc)
	}
}

func BenchmarkSigmaPrefilterBenignOWA(b *testing.B)   { benchPrefilter(b, benchBenignOWA) }
func BenchmarkSigmaPrefilterBenignTheme(b *testing.B) { benchPrefilter(b, benchBenignTheme) }

func BenchmarkSigmaNeedleScanRaw(b *testing.B) {
	s := mustLoadBuiltin(b)
	rec := iisRecord(b, benchBenignOWA)
	b.SetBytes(int64(len(rec.Raw)))
	n := 0
	for i := 0; i < b.N; i++ {
		s.raw.dfa.scan(rec.Raw, func([]int32) { n++ })
	}
}
