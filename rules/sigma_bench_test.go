package rules

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"exscan/internal/literal"
)

// wantRules is the reference: the rules with a needle (of the raw line,
// or with dec of the decoded URI) that a lower-case copy of hay holds.
func wantRules(s *SigmaSet, hay []byte, dec bool) []int32 {
	low := bytes.ToLower(hay)
	var out []int32
	for ri, r := range s.rules {
		if r.req.open {
			continue
		}
		for _, n := range r.req.needles {
			d, isDec := strings.CutPrefix(n, decMark)
			if isDec == dec && bytes.Contains(low, []byte(d)) {
				out = append(out, int32(ri))
				break
			}
		}
	}
	return out
}

func scanRules(a *literal.Automaton, hay []byte) []int32 {
	var out []int32
	a.Scan(hay, func(rs []int32) { out = append(out, rs...) })
	slices.Sort(out)
	return slices.Compact(out)
}

// TestSigmaNeedleScan: the needle automata find exactly the rules whose
// needles a lower-case copy holds, on every fixture (the raw line, and
// the decoded URI), for the built-in rules and the user test rules
// (internal/literal tests the automaton itself on random input).
func TestSigmaNeedleScan(t *testing.T) {
	s := mustLoadBuiltin(t)
	user, errs := LoadSigma(true, []string{"../testdata/sigma/user"})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if s.raw == nil || s.dec == nil {
		t.Fatal("built-in rules should fill both needle automata")
	}
	found := 0
	for _, set := range []*SigmaSet{s, user} {
		for _, c := range loadSigmaCases(t) {
			got, want := scanRules(set.raw, c.rec.Raw), wantRules(set, c.rec.Raw, false)
			found += len(got)
			if !slices.Equal(got, want) {
				t.Errorf("%s: automaton %v, substring search %v", c.Name, got, want)
			}
			if stem, query, ok := uriParts(c.rec); ok {
				dec := []byte(decodeURI(string(appendURI(nil, stem, query)), len(stem)))
				if got, want := scanRules(set.dec, dec), wantRules(set, dec, true); !slices.Equal(got, want) {
					t.Errorf("%s (decoded URI): automaton %v, substring search %v", c.Name, got, want)
				}
			}
		}
	}
	if found == 0 {
		t.Fatal("no fixture line holds a needle")
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
		s.raw.Scan(rec.Raw, func([]int32) { n++ })
	}
}
