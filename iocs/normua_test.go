package iocs

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestNormUAFastPath: the one-pass ASCII normUA equals the reference
// (ReplaceAll, fold, Fields, Join) on random and sample agents.
func TestNormUAFastPath(t *testing.T) {
	ref := func(ua string) string {
		return strings.Join(strings.Fields(fold(strings.ReplaceAll(ua, "+", " "))), " ")
	}
	cases := []string{"", " ", "+", "++a++", "Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64)", "python-requests/2.25.1",
		"a b", "a  b", " a", "a ", "\ta\r\nB\v\fc", "ExchangeServicesClient/0.0.0.0", "Ünïcode+UA", "k\u212a+x", "\xff+A"}
	r := rand.New(rand.NewPCG(5, 6))
	const alpha = "aZ+ \t\n\v\f\r/.;()0_Kk"
	for i := 0; i < 20000; i++ {
		b := make([]byte, r.IntN(12))
		for j := range b {
			b[j] = alpha[r.IntN(len(alpha))]
		}
		cases = append(cases, string(b))
	}
	for _, c := range cases {
		if got, want := normUA(c), ref(c); got != want {
			t.Fatalf("normUA(%q) = %q, want %q", c, got, want)
		}
	}
}

func BenchmarkNormUA(b *testing.B) {
	ua := "Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64)+AppleWebKit/537.36+(KHTML,+like+Gecko)+Chrome/89.0.4389.82+Safari/537.36"
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		normUA(ua)
	}
}
