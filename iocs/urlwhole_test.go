package iocs

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// bruteURL runs every url rule's regexps in load order, without the index.
func bruteURL(s *Set, uriPath string) []*Entry {
	p, _, _ := strings.Cut(uriPath, "?")
	p = collapse(strings.TrimSpace(p), '/')
	var out []*Entry
	for _, r := range s.urls.rules {
		if r.re.MatchString(p) && (r.ex == nil || !r.ex.MatchString(p)) {
			out = append(out, r.e)
		}
	}
	return out
}

// TestURLWholeLiteralIndex: looking ^literal$ url rules up by folded
// literal finds what running every regexp finds, on the built-in list's
// own paths in mixed case, cut, extended and with Unicode case variants.
func TestURLWholeLiteralIndex(t *testing.T) {
	s, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	whole := 0
	for _, r := range s.urls.rules {
		if r.isWhole {
			whole++
		}
	}
	if whole == 0 {
		t.Fatal("no ^literal$ url rule in the built-in lists")
	}
	rnd := rand.New(rand.NewPCG(7, 8))
	paths := []string{"/owa/auth/logon.aspx", "/OWA/AUTH/ONE.ASPX", "/owa/auth/one.aspx?x=1", "//owa//auth//one.aspx",
		" /owa/auth/one.aspx ", "/owa/auth/one.aspx/", "/aspnet_client/\u017fhell.aspx", "/owa/auth/outloo\u212azh.aspx", "/\xff"}
	for _, r := range s.urls.rules {
		lit := r.whole
		if !r.isWhole {
			lit = strings.Trim(strings.ReplaceAll(r.pattern, `\.`, "."), "^$")
		}
		for k := 0; k < 4; k++ {
			b := []byte(lit)
			for i := range b {
				if rnd.IntN(2) == 0 && 'a' <= b[i] && b[i] <= 'z' {
					b[i] -= 'a' - 'A'
				}
			}
			p := string(b)
			switch k {
			case 1:
				p = p[:rnd.IntN(len(p)+1)]
			case 2:
				p += "x"
			case 3:
				p = "/x" + p
			}
			paths = append(paths, p)
		}
	}
	n := 0
	for _, p := range paths {
		got, want := s.URL(p), bruteURL(s, p)
		if !slices.Equal(got, want) {
			t.Fatalf("URL(%q): %d entries, regexps %d", p, len(got), len(want))
		}
		n += len(want)
	}
	t.Logf("%d ^literal$ rules, %d paths, %d hits", whole, len(paths), n)
}
