package iocs

import (
	"math/rand"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode"
)

// fold must put two runes together exactly when regexp's (?i) does, or the
// literal prefilter could drop a real match.
func TestFoldAgreesWithRegexpCaseFolding(t *testing.T) {
	for r := rune(0); r <= 0x1FFFF; r++ {
		if !unicode.IsPrint(r) && r > 0x7f {
			continue
		}
		want := fold(string(r))
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			if got := fold(string(f)); got != want {
				t.Fatalf("fold(%q) = %q but fold(%q) = %q: same (?i) class", f, got, r, want)
			}
		}
	}
	for _, pair := range [][2]string{{"K", "k"}, {"\u212a", "k"}, {"\u017f", "S"}, {"É", "é"}, {"ß", "ẞ"}, {"Σ", "ς"}} {
		re := regexp.MustCompile("(?i)^" + regexp.QuoteMeta(pair[0]) + "$")
		if re.MatchString(pair[1]) != (fold(pair[0]) == fold(pair[1])) {
			t.Errorf("%q vs %q: regexp and fold disagree", pair[0], pair[1])
		}
	}
	if got := fold("C:\\Inetpub\\\xff\\X"); got != "c:\\inetpub\\\ufffd\\x" {
		t.Errorf("invalid UTF-8: fold = %q", got)
	}
}

func TestRequiredLiterals(t *testing.T) {
	for _, tc := range []struct {
		re   string
		need [][]string
	}{
		{`\\inetpub\\wwwroot\\aspnet_client\\[^\\"]{1,20}\.aspx`, [][]string{{`\inetpub\wwwroot\aspnet_client\`}, {".aspx"}}},
		{`\\FrontEnd\\HttpProxy\\owa\\auth\\OutlookZH\.aspx`, [][]string{{`\frontend\httpproxy\owa\auth\outlookzh.aspx`}}},
		{`^/(aspnet_client|ecp)/OutlookEN\.aspx$`, [][]string{{"/aspnet_client/outlooken.aspx", "/ecp/outlooken.aspx"}}},
		{`\\[0-9]{8,20}\.(aspx|asp|jsp|jspx|php)`, [][]string{{`\`}, {".asp", ".aspx", ".jsp", ".jspx", ".php"}}},
		{`\\ecp\\auth\\[^T]`, [][]string{{`\ecp\auth\`}}},
		{`\\(owa\\auth|aspnet_client)(\\[^\\]+)*\\web\.aspx$`, [][]string{{`\aspnet_client`, `\owa\auth`}, {`\web.aspx`}}},
		{`(abc|abd)x`, [][]string{{"abcx", "abdx"}}},
		{`(longliteral)+x`, [][]string{{"longliteral"}, {"x"}}},
		{`(?:longliteral)?x`, [][]string{{"x"}}},
		{`(a+b|cd)e`, [][]string{{"a", "cd"}, {"e"}}},
		{`Stra[sß]e`, [][]string{{"strase", "straße"}}},
		{`a*`, nil},
		{`((`, nil},
	} {
		if got := requiredLiterals(tc.re); !slices.EqualFunc(got, tc.need, slices.Equal) {
			t.Errorf("requiredLiterals(%q) = %q, want %q", tc.re, got, tc.need)
		}
	}
}

// The indexed regexSet finds exactly what running every regexp finds.
func TestRegexSetMatchesBruteForce(t *testing.T) {
	patterns := []string{
		`\\inetpub\\wwwroot\\aspnet_client\\[^\\"]{1,20}\.aspx`,
		`\\FrontEnd\\HttpProxy\\owa\\auth\\Current\\[^\\"]{1,20}\.aspx`,
		`\\FrontEnd\\HttpProxy\\ecp\\auth\\[^T]`,
		`\\[0-9]\.(aspx|asp)`,
		`\\shell\.aspx$`,
		`K\x{212a}`,
		`straße\.aspx`,
		`(?-i:CaseSensitive)\.aspx`,
	}
	pieces := []string{`C:`, `\inetpub`, `\wwwroot`, `\aspnet_client`, `\FrontEnd\HttpProxy`, `\owa\auth`, `\Current`, `\ecp\auth`,
		`\TimeoutLogout.aspx`, `\shell.aspx`, `\SHELL.ASPX`, `\1.aspx`, `\x.aspx`, `\kk`, `\KK`, `\STRASSE.aspx`, `\straẞe.aspx`,
		`\casesensitive.aspx`, `\CaseSensitive.aspx`, `\\`, `"`}
	var set regexSet
	var res []*regexp.Regexp
	for _, p := range patterns {
		r, err := newRule(&Entry{Value: p}, p, "", defaultVars)
		if err != nil {
			t.Fatal(err)
		}
		set.add(r)
		res = append(res, r.re)
	}
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 20000; i++ {
		var b strings.Builder
		for n := rng.Intn(6) + 1; n > 0; n-- {
			b.WriteString(pieces[rng.Intn(len(pieces))])
		}
		in := b.String()
		got := set.match(in, fold(in), nil)
		var want []string
		for j, re := range res {
			if re.MatchString(in) {
				want = append(want, patterns[j])
			}
		}
		if len(got) != len(want) {
			t.Fatalf("%q: regexSet found %d, brute force %v", in, len(got), want)
		}
		for j := range got {
			if got[j].Value != want[j] {
				t.Fatalf("%q: regexSet found %s, brute force %s", in, got[j].Value, want[j])
			}
		}
	}
}

// A rule added after a match is found too: adding invalidates the
// literal automaton the first match built. Concurrent first matches all
// see the same, complete index.
func TestRegexSetIndexFollowsAdds(t *testing.T) {
	var set regexSet
	mustAdd := func(p string) {
		r, err := newRule(&Entry{Value: p}, p, "", defaultVars)
		if err != nil {
			t.Fatal(err)
		}
		set.add(r)
	}
	const in = `C:\inetpub\wwwroot\aspnet_client\shell.aspx`
	mustAdd(`\\aspnet_client\\[^\\]+\.aspx`)
	if got := set.match(in, fold(in), nil); len(got) != 1 {
		t.Fatalf("one rule: %d matches", len(got))
	}
	mustAdd(`\\wwwroot\\.*shell`)
	var wg sync.WaitGroup
	counts := make([]int, 8)
	for g := range counts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			counts[g] = len(set.match(in, fold(in), nil))
		}()
	}
	wg.Wait()
	for g, n := range counts {
		if n != 2 {
			t.Errorf("goroutine %d: %d matches after the second rule, want 2", g, n)
		}
	}
}

func TestExpandVars(t *testing.T) {
	vars := mergeVars(map[string]string{"Foo": `X:\f\`})
	for in, want := range map[string]string{
		`%foo%\a`:           `X:\f\a`,
		`%FOO%%SystemRoot%`: `X:\fC:\Windows`,
		`%unknown%\a`:       `%unknown%\a`,
		`100%`:              `100%`,
		`a%b%foo%c`:         `a%bX:\fc`,
	} {
		if got := expandVars(in, vars, nil); got != want {
			t.Errorf("expandVars(%q) = %q, want %q", in, got, want)
		}
	}
}
