package ignore

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"exscan/scanner/finding"
)

var now = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

func parse(t *testing.T, src string) *List {
	t.Helper()
	l, err := Parse("test.yml", []byte(src))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return l
}

func TestMatchByFingerprint(t *testing.T) {
	l := parse(t, `
ignore:
  - fingerprint: ABCDEF0123456789abcdef0123456789
    reason: reviewed
`)
	hit := &finding.Finding{Rule: "x", Fingerprint: "abcdef0123456789abcdef0123456789"}
	miss := &finding.Finding{Rule: "x", Fingerprint: "00000000000000000000000000000000"}
	if !l.Match(hit, now) {
		t.Error("fingerprint (any case) did not match")
	}
	if l.Match(miss, now) {
		t.Error("other fingerprint matched")
	}
	if l.Suppressed() != 1 {
		t.Errorf("Suppressed = %d, want 1", l.Suppressed())
	}
}

func TestMatchByRuleAndPath(t *testing.T) {
	l := parse(t, `
- rule: exscan.file.unexpected-aspnet-page
  path: 'c:\program files\microsoft\exchange server\v15\frontend\httpproxy\owa\auth\custom\*.aspx'
  reason: branded logon pages
- rule: sigma.probe
  path: "**/w3svc1/*.log"
  client_ip: 10.20.0.0/16
  reason: internal scanner
`)
	cases := []struct {
		name string
		f    finding.Finding
		want bool
	}{
		{"host path, other case and separators", finding.Finding{Rule: "exscan.file.unexpected-aspnet-page",
			HostPath: `C:\Program Files\Microsoft\Exchange Server\V15\FrontEnd\HttpProxy\owa\auth\Custom\Logon2.ASPX`}, true},
		{"forward slashes", finding.Finding{Rule: "exscan.file.unexpected-aspnet-page",
			HostPath: `C:/Program Files/Microsoft/Exchange Server/V15/FrontEnd/HttpProxy/owa/auth/custom/x.aspx`}, true},
		{"star stays in one folder", finding.Finding{Rule: "exscan.file.unexpected-aspnet-page",
			HostPath: `C:\Program Files\Microsoft\Exchange Server\V15\FrontEnd\HttpProxy\owa\auth\custom\sub\x.aspx`}, false},
		{"other rule", finding.Finding{Rule: "yara.china_chopper",
			HostPath: `C:\Program Files\Microsoft\Exchange Server\V15\FrontEnd\HttpProxy\owa\auth\custom\x.aspx`}, false},
		{"double star on local path, IP in range", finding.Finding{Rule: "sigma.probe",
			Path: "/mnt/img/C/inetpub/logs/LogFiles/W3SVC1/u_ex210303.log", ClientIP: "10.20.3.4"}, true},
		{"IP out of range", finding.Finding{Rule: "sigma.probe",
			Path: "/mnt/img/C/inetpub/logs/LogFiles/W3SVC1/u_ex210303.log", ClientIP: "203.0.113.9"}, false},
		{"no client IP", finding.Finding{Rule: "sigma.probe",
			Path: "/mnt/img/C/inetpub/logs/LogFiles/W3SVC1/u_ex210303.log"}, false},
	}
	for _, c := range cases {
		if got := l.Match(&c.f, now); got != c.want {
			t.Errorf("%s: Match = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestExpiredEntriesStopSuppressing(t *testing.T) {
	l := parse(t, `
ignore:
  - fingerprint: 0123456789abcdef0123456789abcdef
    reason: accepted until end of May
    expires: 2025-05-31
  - fingerprint: fedcba9876543210fedcba9876543210
    reason: accepted until an exact time
    expires: 2025-06-01T13:00:00Z
`)
	f := &finding.Finding{Fingerprint: "0123456789abcdef0123456789abcdef"}
	lastDay := time.Date(2025, 5, 31, 23, 59, 0, 0, time.UTC)
	if !l.Match(f, lastDay) {
		t.Error("entry should still suppress on its expiry date")
	}
	if l.Match(f, now) {
		t.Error("expired entry still suppresses")
	}
	exp := l.Expired(now)
	if len(exp) != 1 || exp[0].Line != 3 {
		t.Fatalf("Expired = %+v, want the entry on line 3", exp)
	}
	if !strings.Contains(exp[0].String(), "test.yml:3:") || !strings.Contains(exp[0].String(), "expires 2025-05-31") {
		t.Errorf("entry string = %q", exp[0].String())
	}
	g := &finding.Finding{Fingerprint: "fedcba9876543210fedcba9876543210"}
	if !l.Match(g, now) {
		t.Error("RFC 3339 expiry in the future should suppress")
	}
}

func TestUnusedEntries(t *testing.T) {
	l := parse(t, `
ignore:
  - fingerprint: 0123456789abcdef0123456789abcdef
    reason: used
  - rule: r
    path: "**"
    reason: never matches
`)
	l.Match(&finding.Finding{Rule: "other", Path: "/x", Fingerprint: "0123456789abcdef0123456789abcdef"}, now)
	u := l.Unused()
	if len(u) != 1 || u[0].Rule != "r" {
		t.Fatalf("Unused = %+v, want the rule entry", u)
	}
}

func TestMalformedFiles(t *testing.T) {
	cases := []struct{ src, want string }{
		{"ignore:\n  - rule: r\n    path: '**'\n", "test.yml:2: reason is required"},
		{"ignore:\n  - reason: x\n", "test.yml:2: an entry needs a fingerprint"},
		{"ignore:\n  - rule: r\n    reason: x\n", "test.yml:2: rule r needs a path"},
		{"ignore:\n  - fingerprint: 0123456789abcdef\n    rule: r\n    path: x\n    reason: x\n", "test.yml:2: give either"},
		{"ignore:\n  - fingerprint: zz\n    reason: x\n", "test.yml:2: fingerprint"},
		{"ignore:\n  - fingerprint: 0123456789abcdef\n    reason: x\n    expires: soon\n", "test.yml:4: expires"},
		{"ignore:\n  - fingerprint: 0123456789abcdef\n    reason: x\n    resaon: y\n", `test.yml:4: unknown key "resaon"`},
		{"ignore:\n  - rule: r\n    path: '[abc'\n    reason: x\n", "test.yml:2: path"},
		{"ignore:\n  - rule: r\n    path: '**'\n    client_ip: 10.0.0.0/33\n    reason: x\n", "test.yml:2: client_ip"},
		{"ignores:\n  - rule: r\n", `test.yml:1: unknown key "ignores"`},
		{"ignore:\n  - rule: [r\n", "test.yml:"},
		{"ignore: yes\n", `test.yml:1: "ignore" must be a list`},
		{"just text\n", "test.yml:1: want a mapping"},
	}
	for _, c := range cases {
		_, err := Parse("test.yml", []byte(c.src))
		if err == nil {
			t.Errorf("%q: no error, want %q", c.src, c.want)
			continue
		}
		if !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%q: error %q, want prefix %q", c.src, err, c.want)
		}
	}
}

func TestShippedFiles(t *testing.T) {
	l, err := Load(filepath.Join("..", "..", "testdata", "ignore", "example.yml"))
	if err != nil {
		t.Fatalf("example.yml: %v", err)
	}
	if l.Len() != 3 {
		t.Errorf("example.yml has %d entries, want 3", l.Len())
	}
	for _, e := range l.Entries() {
		if e.Reason == "" || e.Line == 0 {
			t.Errorf("entry without reason or line: %+v", e)
		}
	}
	_, err = Load(filepath.Join("..", "..", "testdata", "ignore", "malformed.yml"))
	if err == nil || !strings.Contains(err.Error(), "malformed.yml:5: reason is required") {
		t.Errorf("malformed.yml: error %v", err)
	}
	if _, err := Load(filepath.Join(t.TempDir(), "missing.yml")); !os.IsNotExist(err) {
		t.Errorf("missing file: %v", err)
	}
}

func TestEmptyAndNil(t *testing.T) {
	l := parse(t, "# nothing yet\n")
	if l.Len() != 0 || l.Match(&finding.Finding{Fingerprint: "x"}, now) {
		t.Error("empty file suppresses")
	}
	var nl *List
	if nl.Match(&finding.Finding{}, now) || nl.Suppressed() != 0 || nl.Unused() != nil || nl.Expired(now) != nil {
		t.Error("nil list misbehaves")
	}
}

func TestConcurrentMatch(t *testing.T) {
	l := parse(t, "- rule: r\n  path: '**'\n  reason: x\n")
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 100; j++ {
				l.Match(&finding.Finding{Rule: "r", Path: "/a"}, now)
			}
		}()
	}
	wg.Wait()
	if l.Suppressed() != 800 {
		t.Errorf("Suppressed = %d, want 800", l.Suppressed())
	}
}
