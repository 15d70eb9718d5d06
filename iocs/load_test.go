package iocs

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const testdata = "../testdata/iocs"

// loadTest loads one file into a new set and checks the count and the lines
// reported as malformed.
func loadTest(t *testing.T, path string, wantLoaded int, wantErrLines ...int) *Set {
	t.Helper()
	s := NewSet()
	n, errs := s.LoadFile(path)
	var lines []int
	for _, e := range errs {
		lines = append(lines, e.Line)
		if e.File != path {
			t.Errorf("error %v names file %q, want %q", e, e.File, path)
		}
		if want := path + ":"; !strings.HasPrefix(e.Error(), want) {
			t.Errorf("error %q does not start with %q", e.Error(), want)
		}
	}
	if n != wantLoaded || !slices.Equal(lines, wantErrLines) {
		t.Fatalf("LoadFile(%s) = %d loaded, errors on lines %v (%v); want %d, lines %v", path, n, lines, errs, wantLoaded, wantErrLines)
	}
	if s.Len() != n {
		t.Errorf("Len() = %d, want %d", s.Len(), n)
	}
	return s
}

func one(t *testing.T, what string, es []*Entry) *Entry {
	t.Helper()
	if len(es) != 1 {
		t.Fatalf("%s: got %d entries, want 1: %v", what, len(es), es)
	}
	return es[0]
}

func none(t *testing.T, what string, es []*Entry) {
	t.Helper()
	if len(es) != 0 {
		t.Errorf("%s: got %d entries, want none: %+v", what, len(es), *es[0])
	}
}

func TestLoadLokiHash(t *testing.T) {
	path := filepath.Join(testdata, "loki", "hash-iocs.txt")
	s := loadTest(t, path, 5, 7, 8, 9, 10)

	e := one(t, "md5", s.Hash("0123456789abcdef0123456789abcdef"))
	if e.Kind != KindMD5 || e.Value != "0123456789abcdef0123456789abcdef" || e.Description != "Test MD5 in upper case" ||
		e.Severity != SeverityCritical || e.Score != 100 || e.Source != "hash-iocs.txt" || e.File != path || e.Line != 5 {
		t.Errorf("md5 entry = %+v", *e)
	}
	e = one(t, "sha1 with score", s.Hash("0123456789ABCDEF0123456789ABCDEF01234567"))
	if e.Score != 70 || e.Severity != SeverityMedium || e.Description != "Test SHA-1 with a score below 80" {
		t.Errorf("sha1 entry = %+v", *e)
	}
	e = one(t, "sha256 with semicolon", s.Hash(strings.Repeat("a", 64)))
	if e.Description != "Test SHA-256; description with a semicolon" {
		t.Errorf("description = %q", e.Description)
	}
	one(t, "hash without description", s.Hash(strings.Repeat("b", 32)))
	none(t, "empty-file md5", s.Hash("d41d8cd98f00b204e9800998ecf8427e"))
	none(t, "not a digest", s.Hash("zz"))
	if c := s.Counts(); c[KindMD5] != 2 || c[KindSHA1] != 1 || c[KindSHA256] != 2 {
		t.Errorf("Counts() = %v", c)
	}
}

func TestLoadLokiFilename(t *testing.T) {
	path := filepath.Join(testdata, "loki", "filename-iocs.txt")
	s := loadTest(t, path, 4, 10, 12, 14)

	e := one(t, "OWA shell, other case", s.Path(`C:\Program Files\Microsoft\Exchange Server\V15\FrontEnd\HttpProxy\OWA\Auth\TestShell.ASPX`))
	if e.Description != "Test webshell names in the OWA auth folder" || e.Score != 90 || e.Severity != SeverityHigh || e.Line != 4 {
		t.Errorf("entry = %+v", *e)
	}
	if e := one(t, "aspnet_client", s.Path(`c:/inetpub/wwwroot/aspnet_client/abctest.aspx`)); e.Severity != SeverityMedium {
		t.Errorf("score 70 severity = %s", e.Severity)
	}
	one(t, "numeric name", s.Path(`C:\site\12345678.aspx`))
	none(t, "numeric name under the false-positive folder", s.Path(`C:\site\Examples\12345678.aspx`))

	one(t, "%SystemRoot% default", s.Path(`C:\Windows\Temp\testdump.dmp`))
	s.SetVars(map[string]string{"SYSTEMROOT": `D:\WINNT\`})
	one(t, "%SystemRoot% rebased", s.Path(`D:\WINNT\Temp\testdump.dmp`))
	none(t, "%SystemRoot% old value", s.Path(`C:\Windows\Temp\testdump.dmp`))
}

func TestLoadLokiC2(t *testing.T) {
	path := filepath.Join(testdata, "loki", "c2-iocs.txt")
	s := loadTest(t, path, 5, 11, 13, 15)

	e := one(t, "IPv4", s.IP("192.0.2.10"))
	if e.Kind != KindIP || e.Description != "Test C2 servers" || e.Severity != SeverityHigh {
		t.Errorf("entry = %+v", *e)
	}
	one(t, "IPv4-mapped IPv6", s.IP("::ffff:192.0.2.10"))
	one(t, "IPv6, other spelling", s.IP("2001:DB8:0:0::10"))
	one(t, "CIDR", s.IP("198.51.100.77"))
	none(t, "outside the CIDR", s.IP("198.51.101.1"))
	none(t, "not an address", s.IP("localhost"))
	one(t, "subdomain", s.Domain("www.Evil.Example.com:443"))
	none(t, "parent of a listed domain", s.Domain("example.com"))
	if e := one(t, "scored domain", s.Domain("scored.example.net.")); e.Score != 60 || e.Severity != SeverityMedium {
		t.Errorf("entry = %+v", *e)
	}
}

func TestLoadTSV(t *testing.T) {
	path := filepath.Join(testdata, "exscan-list.tsv")
	s := loadTest(t, path, 9, 13, 14, 15, 16, 17, 18, 19, 20)

	e := one(t, "sha256", s.Hash(strings.Repeat("c", 64)))
	if e.Value != strings.Repeat("c", 64) || e.Source != "test-source" || e.Reference != "https://example.com/advisory" ||
		e.Date != "2021-03-02" || !slices.Equal(e.Campaigns, []string{"proxylogon"}) || e.Score != 100 {
		t.Errorf("entry = %+v", *e)
	}
	one(t, "CIDR", s.IP("192.0.2.15"))
	none(t, "outside the CIDR", s.IP("192.0.2.16"))
	one(t, "UA with spaces", s.UserAgent("test agent/1.0"))
	one(t, "UA in IIS form", s.UserAgent("Test+Agent/1.0"))
	none(t, "UA prefix only", s.UserAgent("Test Agent/1.01"))
	e = one(t, "UA substring", s.UserAgent("Mozilla/5.0+Scanner-Test/2"))
	if e.Severity != SeverityMedium || e.Campaigns != nil || e.Date != "" {
		t.Errorf("defaults: %+v", *e)
	}
	one(t, "path", s.Path(`C:\Program Files\Microsoft\Exchange Server\V15\FrontEnd\HttpProxy\owa\auth\testpath.aspx`))
	e = one(t, "folder prefix", s.Path(`c:\programdata\testdropdir\sub\x.exe`))
	if e.Reference != "https://example.com/other" {
		t.Errorf("a URL source is its own reference: %+v", *e)
	}
	none(t, "folder prefix is a whole folder name", s.Path(`C:\ProgramData\TestDropDirX\x.exe`))
	one(t, "url with query", s.URL("/OWA/auth/testurl.aspx?foo=1"))
	one(t, "url with doubled slash", s.URL("//owa//auth/testurl.aspx"))
	one(t, "domain", s.Domain("c2.example.org"))
	one(t, "filename", s.Path(`C:\x\TESTNAME.aspx`))

	s.SetVars(map[string]string{"ExchangeInstallPath": `D:\Exchange\`})
	one(t, "path rebased", s.Path(`D:\Exchange\FrontEnd\HttpProxy\owa\auth\testpath.aspx`))
	none(t, "path at the old place", s.Path(`C:\Program Files\Microsoft\Exchange Server\V15\FrontEnd\HttpProxy\owa\auth\testpath.aspx`))
}

func writeFile(t testing.TB, name, data string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadFormatDetection(t *testing.T) {
	sha := strings.Repeat("d", 64)
	for _, tc := range []struct {
		name, data string
		kind       Kind
	}{
		{"mylist.txt", sha + ";sniffed hash list\n", KindSHA256},
		{"mylist.txt", "# servers\n192.0.2.99\n", KindIP},
		{"mylist.txt", "bad.example.com;80\n", KindDomain},
		{"mylist.txt", "\\\\sniffed\\.aspx;80\n", KindFilename},
		{"c2-list.txt", "192.0.2.98;90\n", KindIP},
		{"hash-list.tsv", "\ufeffkind\tvalue\tseverity\tcampaigns\tsource\tdate\tdescription\r\nsha256\t" + sha + "\tcritical\t\tx\t\t\r\n", KindSHA256},
	} {
		s := NewSet()
		n, errs := s.LoadFile(writeFile(t, tc.name, tc.data))
		if n != 1 || len(errs) != 0 || s.Counts()[tc.kind] != 1 {
			t.Errorf("%s %q: loaded %d (%v), counts %v; want one %s", tc.name, tc.data, n, errs, s.Counts(), tc.kind)
		}
	}

	s := NewSet()
	n, errs := s.LoadFile(writeFile(t, "hash-falsepositive.txt", sha+";known good\n"))
	if n != 0 || len(errs) != 1 || errs[0].Line != 0 || !strings.Contains(errs[0].Err.Error(), "false-positive") {
		t.Errorf("false-positive list: loaded %d, errors %v", n, errs)
	}
	n, errs = s.LoadFile(writeFile(t, "list.txt", "hello world\nsecond line\n"))
	if n != 0 || len(errs) != 1 || errs[0].Line != 1 || !strings.Contains(errs[0].Err.Error(), "unknown list format") {
		t.Errorf("unknown format: loaded %d, errors %v", n, errs)
	}
	missing := filepath.Join(t.TempDir(), "absent-hash.txt")
	if n, errs = s.LoadFile(missing); n != 0 || len(errs) != 1 || errs[0].Line != 0 || !strings.HasPrefix(errs[0].Error(), missing+": ") {
		t.Errorf("missing file: loaded %d, errors %v", n, errs)
	}
}

func TestLoadLongLine(t *testing.T) {
	data := strings.Repeat("e", 64) + ";first\n" + strings.Repeat("x", maxLine+10) + "\n" + strings.Repeat("f", 64) + ";after the long line\n"
	s := NewSet()
	n, errs := s.LoadFile(writeFile(t, "hash-long.txt", data))
	if n != 2 || len(errs) != 1 || errs[0].Line != 2 {
		t.Fatalf("loaded %d, errors %v; want 2 and one error on line 2", n, errs)
	}
	one(t, "after the long line", s.Hash(strings.Repeat("f", 64)))
}

func TestMergeAndIndependentSets(t *testing.T) {
	a, b := NewSet(), NewSet()
	loadInto := func(s *Set, name string) {
		if _, errs := s.LoadFile(filepath.Join(testdata, name)); len(errs) == 0 {
			t.Fatalf("%s: expected the malformed test lines to be reported", name)
		}
	}
	loadInto(a, "exscan-list.tsv")
	loadInto(b, filepath.Join("loki", "filename-iocs.txt"))
	m := NewSet()
	m.Merge(a)
	m.Merge(b)
	m.Merge(nil)
	if m.Len() != a.Len()+b.Len() {
		t.Errorf("merged Len() = %d, want %d", m.Len(), a.Len()+b.Len())
	}
	one(t, "merged hash", m.Hash(strings.Repeat("c", 64)))
	one(t, "merged url", m.URL("/owa/auth/testurl.aspx"))
	one(t, "merged filename", m.Path(`C:\x\12345678.aspx`))

	// Variables are per set: rebasing the merged set leaves b alone.
	m.SetVars(map[string]string{"SystemRoot": `E:\Win`})
	one(t, "merged, rebased", m.Path(`E:\Win\Temp\testdump.dmp`))
	one(t, "source set keeps its variables", b.Path(`C:\Windows\Temp\testdump.dmp`))
	none(t, "source set not rebased", b.Path(`E:\Win\Temp\testdump.dmp`))
}

// A bad line is reported as file:line: reason.
func TestLoadErrorString(t *testing.T) {
	s := NewSet()
	p := writeFile(t, "c2-iocs.txt", "203.0.113.7\nab\n")
	_, errs := s.LoadFile(p)
	if len(errs) != 1 {
		t.Fatalf("errors %v, want one", errs)
	}
	if got, want := errs[0].Error(), p+`:2: "ab" is shorter than 4 characters (Loki rejects these)`; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}
