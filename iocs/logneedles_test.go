package iocs

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func setFrom(t *testing.T, rows ...string) *Set {
	t.Helper()
	p := filepath.Join(t.TempDir(), "list.tsv")
	text := "kind\tvalue\tseverity\tcampaigns\tsource\tdate\tdescription\n" + strings.Join(rows, "\n") + "\n"
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	s := NewSet()
	if _, errs := s.LoadFile(p); len(errs) > 0 {
		t.Fatal(errs)
	}
	return s
}

// LogNeedles gives a literal for every log indicator, or says it cannot.
func TestLogNeedles(t *testing.T) {
	s := setFrom(t,
		"ip\t198.51.100.7\thigh\tproxylogon\tt\t2021-03\td",
		"useragent\tTest+Agent/1.0\tmedium\tproxyshell\tt\t2021-03\td",
		"useragent\t*scanner-test*\tmedium\tproxyshell\tt\t2021-03\td",
		"url\t^/owa//auth/testurl\\.aspx$\tmedium\tproxylogon\tt\t2021-03\td",
		"url\t^/aspnet_client/[a-z]+/shell1\\.aspx$\tmedium\tproxylogon\tt\t2021-03\td",
	)
	n, ok := s.LogNeedles()
	if !ok {
		t.Fatal("LogNeedles refused a list of plain values")
	}
	for _, want := range []string{"198.51.100.7", ":ffff:", "agent/1.0", "scanner-test", "/testurl.aspx", "/shell1.aspx"} {
		if !slices.Contains(n, want) {
			t.Errorf("needles %q lack %q", n, want)
		}
	}
	for _, rows := range [][]string{
		{"ip\t192.0.2.0/28\thigh\tproxylogon\tt\t2021-03\td"},
		{"ip\t2001:db8::1\thigh\tproxylogon\tt\t2021-03\td"},
		{"useragent\tab\thigh\tproxylogon\tt\t2021-03\td"},
		{"url\t^/[a-z]+\\.as.?$\thigh\tproxylogon\tt\t2021-03\td"},
	} {
		if _, ok := setFrom(t, rows...).LogNeedles(); ok {
			t.Errorf("%q: LogNeedles should refuse (no literal can stand for it)", rows)
		}
	}
	if got := PathFragment("/owa/auth/Current/x y.aspx"); got != "/Current" {
		t.Errorf("PathFragment = %q", got)
	}
}
