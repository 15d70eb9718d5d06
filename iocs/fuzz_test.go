package iocs

import (
	"bytes"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fuzzNames selects the parser through Loki's file-name convention; the
// last one leaves the format to detection.
var fuzzNames = []string{"hash-iocs.txt", "filename-iocs.txt", "c2-iocs.txt", "list.tsv", "list.txt"}

// FuzzLoad feeds arbitrary list files to every parser: nothing panics, every
// reported error points at a line of the input, and every loaded entry is
// found again by its own lookup.
func FuzzLoad(f *testing.F) {
	for _, name := range []string{"loki/hash-iocs.txt", "loki/filename-iocs.txt", "loki/c2-iocs.txt", "exscan-list.tsv"} {
		data, err := os.ReadFile(filepath.Join(testdata, name))
		if err != nil {
			f.Fatal(err)
		}
		for i := range fuzzNames {
			f.Add(data, uint8(i))
		}
	}
	f.Add([]byte("kind\tvalue\tseverity\tcampaigns\tsource\tdate\tdescription\texclude\nfilename\t\\\\x\t\t\t\t\t\t\\\\y\n"), uint8(3))
	f.Add([]byte("\ufeff# c\r\n::ffff:192.0.2.1/120;10\r\n"), uint8(2))
	f.Add([]byte("%SystemRoot%\\\\%x%;80;%ProgramData%\n"), uint8(1))
	f.Fuzz(func(t *testing.T, data []byte, which uint8) {
		name := fuzzNames[int(which)%len(fuzzNames)]
		s := NewSet()
		n, errs := s.load(name, bytes.NewReader(data))
		if n != s.Len() {
			t.Fatalf("loaded %d but Len() = %d", n, s.Len())
		}
		lines := bytes.Count(data, []byte("\n")) + 1
		for _, e := range errs {
			if e.File != name || e.Line < 1 || e.Line > lines || e.Err == nil || e.Err.Error() == "" {
				t.Fatalf("bad error %+v for %d lines", e, lines)
			}
		}
		for _, e := range s.entries {
			if !findsItself(s, e) {
				t.Fatalf("entry %+v is not found by its own lookup", *e)
			}
		}
		s.SetVars(map[string]string{"SystemRoot": `D:\W`, "x": `a+b`})
	})
}

func findsItself(s *Set, e *Entry) bool {
	var got []*Entry
	switch e.Kind {
	case KindMD5, KindSHA1, KindSHA256:
		got = s.Hash(strings.ToUpper(e.Value))
	case KindIP:
		p, err := netip.ParsePrefix(e.Value)
		if err != nil {
			got = s.IP(e.Value)
		} else {
			got = s.IP(p.Addr().String())
		}
	case KindDomain:
		got = s.Domain("sub." + e.Value)
	case KindUserAgent:
		if strings.Contains(e.Value, "*") {
			return true
		}
		got = s.UserAgent(strings.ReplaceAll(e.Value, " ", "+"))
	default:
		return true // patterns: their matching is fuzzed by FuzzRegexSet
	}
	for _, g := range got {
		if g == e {
			return true
		}
	}
	return false
}

// FuzzRegexSet checks the literal prefilter: the indexed set matches exactly
// when the case-insensitive regexp does.
func FuzzRegexSet(f *testing.F) {
	f.Add(`\\inetpub\\wwwroot\\aspnet_client\\[^\\"]{1,20}\.aspx`, `C:\INETPUB\wwwroot\aspnet_client\x.aspx`)
	f.Add(`^/owa/auth/(current/)?[a-z0-9]{8}\.aspx$`, `/OWA/Auth/Current/AbCd1234.aspx`)
	f.Add(`stra(ß|ss)e`, `STRASSE STRAẞE`)
	f.Add(`\x{212a}elvin`, `kelvin`)
	f.Add(`(?-i:ABC)def`, `ABCDEF`)
	f.Fuzz(func(t *testing.T, pattern, input string) {
		r, err := newRule(&Entry{Value: pattern}, pattern, "", defaultVars)
		if err != nil {
			return
		}
		var set regexSet
		set.add(r)
		got := len(set.match(input, fold(input), nil)) == 1
		if want := r.re.MatchString(input); got != want {
			t.Fatalf("pattern %q on %q: set %v, regexp %v (literals %q)", pattern, input, got, want, r.lits)
		}
	})
}
