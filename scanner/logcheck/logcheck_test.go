package logcheck

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"exscan/iocs"
	"exscan/rules"
	"exscan/scanner/finding"
	"exscan/scanner/logs"
)

func builtinChecker(t testing.TB) *Checker {
	t.Helper()
	s, errs := rules.LoadSigma(true, nil)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	set, err := iocs.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	return New(s, set)
}

type fileFinding struct {
	line int
	f    finding.Finding
}

// checkFile reads a log through logs.Open and returns its findings, as
// the engine builds them.
func checkFile(t testing.TB, c *Checker, path string) []fileFinding {
	t.Helper()
	rd, err := logs.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	var out []fileFinding
	for {
		rec, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if rs := c.Check(rec); len(rs) > 0 {
			out = append(out, fileFinding{rec.Line, c.Finding(path, rec, rs)})
		}
	}
	return out
}

func rulesBySource(f finding.Finding) (sigma, ioc []string) {
	for _, r := range f.Reasons {
		if r.Source == finding.SourceIOC {
			ioc = append(ioc, r.Rule)
		} else {
			sigma = append(sigma, r.Rule)
		}
	}
	sort.Strings(sigma)
	return
}

type expectation struct {
	Line     int      `yaml:"line"`
	Severity string   `yaml:"severity"`
	Max      string   `yaml:"max"`
	Sigma    []string `yaml:"sigma"`
	IOC      []string `yaml:"ioc"`
}

// TestLogFixtures reads the fixture logs end to end (reader, Sigma,
// indicators, finding) and compares with testdata/logcheck/expect.yml.
func TestLogFixtures(t *testing.T) {
	c := builtinChecker(t)
	data, err := os.ReadFile("../../testdata/logcheck/expect.yml")
	if err != nil {
		t.Fatal(err)
	}
	var expect map[string][]expectation
	if err := yaml.Unmarshal(data, &expect); err != nil {
		t.Fatal(err)
	}
	for file, exps := range expect {
		path := filepath.Join("../../testdata/logcheck", file)
		got := map[int]finding.Finding{}
		for _, ff := range checkFile(t, c, path) {
			got[ff.line] = ff.f
		}
		for _, e := range exps {
			f, ok := got[e.Line]
			delete(got, e.Line)
			if e.Max != "" {
				max, _ := finding.ParseSeverity(e.Max)
				if ok && f.Severity > max {
					t.Errorf("%s:%d: severity %s above %s: %v", file, e.Line, f.Severity, e.Max, f.Reasons)
				}
				continue
			}
			if !ok {
				t.Errorf("%s:%d: no finding", file, e.Line)
				continue
			}
			sig, ioc := rulesBySource(f)
			want := append([]string(nil), e.Sigma...)
			sort.Strings(want)
			if !slices.Equal(sig, want) {
				t.Errorf("%s:%d: sigma rules %v, want %v", file, e.Line, sig, want)
			}
			for _, id := range e.IOC {
				if !slices.Contains(ioc, id) {
					t.Errorf("%s:%d: no %s among %v", file, e.Line, id, ioc)
				}
			}
			if f.Severity.String() != e.Severity {
				t.Errorf("%s:%d: severity %s, want %s", file, e.Line, f.Severity, e.Severity)
			}
			checkFindingShape(t, file, f, path, e.Line)
		}
		for line, f := range got {
			t.Errorf("%s:%d: unexpected finding %s %s: %v", file, line, f.Severity, f.Rule, f.Evidence)
		}
	}
}

func checkFindingShape(t *testing.T, file string, f finding.Finding, path string, line int) {
	t.Helper()
	if f.Type != "finding" || f.Kind != finding.KindLog || f.Path != path || f.Line != line || f.LogFormat == "" {
		t.Errorf("%s:%d: finding header %+v", file, line, f)
	}
	if _, err := time.Parse(time.RFC3339Nano, f.Timestamp); err != nil || !strings.HasSuffix(f.Timestamp, "Z") {
		t.Errorf("%s:%d: timestamp %q", file, line, f.Timestamp)
	}
	if f.Rule != f.Reasons[0].Rule || f.Severity != f.Reasons[0].Severity || len(f.Evidence) == 0 || f.Fingerprint == "" || len(f.Campaigns) == 0 {
		t.Errorf("%s:%d: finding not finalised from its strongest reason: %+v", file, line, f)
	}
	for i := 1; i < len(f.Reasons); i++ {
		if f.Reasons[i].Severity > f.Reasons[i-1].Severity {
			t.Errorf("%s:%d: reasons not strongest first", file, line)
		}
	}
}

// TestOneFindingPerRecord: a record several rules and indicators match
// gives one finding listing every reason, with the evidence of all.
func TestOneFindingPerRecord(t *testing.T) {
	c := builtinChecker(t)
	path := "../../testdata/logcheck/V15/Logging/HttpProxy/Ecp/HttpProxy_2021030306-1.LOG"
	fs := checkFile(t, c, path)
	var f finding.Finding
	for _, ff := range fs {
		if ff.line == 9 {
			f = ff.f
		}
	}
	if len(f.Reasons) < 5 {
		t.Fatalf("want the four Sigma rules and the IP indicator in one finding, got %v", f.Reasons)
	}
	if f.Severity != finding.Critical || f.Rule != "exscan.log.proxylogon.resetvdir_anchor" {
		t.Errorf("headline %s %s", f.Severity, f.Rule)
	}
	if f.ClientIP != "86.105.18.116" || f.LogFormat != "httpproxy" || f.Timestamp != "2021-03-03T06:50:01.532Z" {
		t.Errorf("client %q format %q time %q", f.ClientIP, f.LogFormat, f.Timestamp)
	}
	for _, want := range []string{"CVE-2021-26855", "CVE-2021-27065"} {
		if !slices.Contains(f.CVEs, want) {
			t.Errorf("CVEs %v lack %s", f.CVEs, want)
		}
	}
	if !slices.Equal(f.Campaigns, []string{"proxylogon"}) {
		t.Errorf("campaigns %v", f.Campaigns)
	}
	names := map[string]int{}
	for _, e := range f.Evidence {
		names[e.Name+"="+e.Value]++
	}
	for k, n := range names {
		if n > 1 {
			t.Errorf("evidence %s listed %d times", k, n)
		}
	}
	if names["ClientIpAddress=86.105.18.116"] != 1 || names["HttpStatus=200"] != 1 {
		t.Errorf("evidence %v", f.Evidence)
	}
	// the same record found again (a re-read after rotation, another line
	// number) keeps its fingerprint
	again := checkFile(t, c, path)
	for _, ff := range again {
		if ff.line == 9 && ff.f.Fingerprint != f.Fingerprint {
			t.Error("fingerprint changes between runs")
		}
	}
}

// TestEvidenceKeepsAttackerText: the webshell payload is the evidence,
// byte for byte (reporters escape it), and outlives the reader's buffer.
func TestEvidenceKeepsAttackerText(t *testing.T) {
	c := builtinChecker(t)
	path := "../../testdata/logcheck/V15/Logging/ECP/Server/ECPServer20210303-1.LOG"
	rd, err := logs.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	var fs []finding.Finding
	for {
		rec, err := rd.Next()
		if err != nil {
			break
		}
		if rs := c.Check(rec); len(rs) > 0 {
			fs = append(fs, c.Finding(path, rec, rs))
		}
	}
	rd.Close()
	if len(fs) != 1 {
		t.Fatalf("%d findings", len(fs))
	}
	var cmd string
	for _, e := range fs[0].Evidence {
		if e.Name == "S:CMD" {
			cmd = e.Value
		}
	}
	if !strings.Contains(cmd, `<script language="JScript" runat="server">function Page_Load(){eval(Request["klk123456"]`) {
		t.Errorf("S:CMD evidence %q", cmd)
	}
}

// fakeIndicators returns fixed entries for chosen values.
type fakeIndicators struct{ ip, ua, url map[string]*iocs.Entry }

func one(m map[string]*iocs.Entry, k string) []*iocs.Entry {
	if e, ok := m[k]; ok {
		return []*iocs.Entry{e}
	}
	return nil
}
func (f fakeIndicators) IP(v string) []*iocs.Entry        { return one(f.ip, v) }
func (f fakeIndicators) UserAgent(v string) []*iocs.Entry { return one(f.ua, v) }
func (f fakeIndicators) URL(v string) []*iocs.Entry       { return one(f.url, v) }

func iisRec(t testing.TB, fields, line string) *logs.Record {
	t.Helper()
	text := "#Software: Microsoft Internet Information Services 10.0\n#Fields: " + fields + "\n" + line + "\n"
	rd, err := logs.NewReader(strings.NewReader(text), "W3SVC1/u_ex.log")
	if err != nil {
		t.Fatal(err)
	}
	rec, err := rd.Next()
	if err != nil {
		t.Fatal(err)
	}
	return rec.Clone()
}

// TestIndicatorReasons covers the indicator lookups and their caps.
func TestIndicatorReasons(t *testing.T) {
	bad := &iocs.Entry{Kind: iocs.KindIP, Value: "203.0.113.66", Severity: "high", Campaigns: []string{"proxylogon"},
		Source: "test-list", Reference: "https://example.org/list", Date: "2021-03-02", Description: "scanner"}
	xff := &iocs.Entry{Kind: iocs.KindIP, Value: "198.51.100.9", Severity: "high", Campaigns: []string{"proxyshell"}, Source: "test-list"}
	ua := &iocs.Entry{Kind: iocs.KindUserAgent, Value: "antSword/v2.1", Severity: "medium", Campaigns: []string{"proxylogon"}, Source: "test-list"}
	url := &iocs.Entry{Kind: iocs.KindURL, Value: "^/owa/auth/zz\\.aspx$", Severity: "medium", Source: "test-list"}
	c := NewWithIndicators(nil, fakeIndicators{
		ip:  map[string]*iocs.Entry{"203.0.113.66": bad, "198.51.100.9": xff},
		ua:  map[string]*iocs.Entry{"antSword/v2.1": ua},
		url: map[string]*iocs.Entry{"/owa/auth/zz.aspx": url},
	})
	const fields = "date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) X-Forwarded-For sc-status"
	type tc struct {
		name, line string
		want       map[string]finding.Severity // rule -> severity
	}
	for _, c2 := range []tc{
		{"POST to an Exchange path", "2021-03-04 01:00:00 10.0.0.5 POST /owa/auth/zz.aspx - 443 - 203.0.113.66 antSword/v2.1 - 200",
			map[string]finding.Severity{"exscan.ioc.ip": finding.High, "exscan.ioc.useragent": finding.Medium, "exscan.ioc.url": finding.Medium}},
		// User agents are everyday crawler and library agents: they are
		// only checked on POSTs to Exchange from 2021 on.
		{"GET: the agent alone is not reported", "2021-03-04 01:00:00 10.0.0.5 GET /owa/auth/logon.aspx - 443 - 10.0.0.9 antSword/v2.1 - 200",
			nil},
		{"off the Exchange paths", "2021-03-04 01:00:00 10.0.0.5 POST /shop/cart.php - 80 - 203.0.113.66 antSword/v2.1 - 200",
			map[string]finding.Severity{"exscan.ioc.ip": finding.Low}},
		{"before the campaigns", "2016-03-05 05:47:18 10.0.0.5 POST /owa/auth/zz.aspx - 443 - 203.0.113.66 antSword/v2.1 - 404",
			map[string]finding.Severity{"exscan.ioc.ip": finding.Low, "exscan.ioc.url": finding.Medium}},
		{"client behind a proxy", "2021-08-10 01:00:00 10.0.0.5 GET /autodiscover/autodiscover.json - 443 - 10.0.0.1 python - 200",
			nil},
		{"X-Forwarded-For list", "2021-08-10 01:00:00 10.0.0.5 GET /autodiscover/autodiscover.json - 443 - 10.0.0.1 python 192.0.2.1,+198.51.100.9 200",
			map[string]finding.Severity{"exscan.ioc.ip": finding.High}},
	} {
		rec := iisRec(t, fields, c2.line)
		got := map[string]finding.Severity{}
		for _, r := range c.Check(rec) {
			if r.Source != finding.SourceIOC || r.Author != "test-list" || len(r.Evidence) != 1 {
				t.Errorf("%s: reason %+v", c2.name, r)
			}
			got[r.Rule] = r.Severity
			if r.Severity == finding.Low && !strings.Contains(r.Description, "capped at low") && r.Rule != "exscan.ioc.url" {
				t.Errorf("%s: a capped reason must say why: %q", c2.name, r.Description)
			}
		}
		if len(got) != len(c2.want) {
			t.Errorf("%s: got %v, want %v", c2.name, got, c2.want)
			continue
		}
		for k, v := range c2.want {
			if got[k] != v {
				t.Errorf("%s: %s = %s, want %s", c2.name, k, got[k], v)
			}
		}
	}
	rec := iisRec(t, fields, "2021-03-04 01:00:00 10.0.0.5 POST /owa/auth/zz.aspx - 443 - 203.0.113.66 antSword/v2.1 - 200")
	for _, r := range c.Check(rec) {
		if r.Rule == "exscan.ioc.ip" {
			if !slices.Equal(r.Campaigns, []string{"proxylogon"}) || !slices.Equal(r.References, []string{"https://example.org/list"}) ||
				r.Evidence[0] != (finding.Evidence{Name: "c-ip", Value: "203.0.113.66"}) || !strings.Contains(r.Description, "2021-03-02") {
				t.Errorf("ip reason %+v", r)
			}
		}
	}
}

func TestNilParts(t *testing.T) {
	var c *Checker
	if c.Check(&logs.Record{}) != nil {
		t.Error("nil checker")
	}
	c = New(nil, nil)
	if rs := c.Check(&logs.Record{Format: logs.FormatIIS, Raw: []byte("x")}); rs != nil {
		t.Errorf("no rules, no indicators: %v", rs)
	}
}

// TestConcurrentChecks runs one Checker from many goroutines (go test -race).
func TestConcurrentChecks(t *testing.T) {
	c := builtinChecker(t)
	var recs []*logs.Record
	filepath.WalkDir("../../testdata/logcheck", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".yml") {
			return nil
		}
		rd, err := logs.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		defer rd.Close()
		for {
			rec, err := rd.Next()
			if err != nil {
				break
			}
			recs = append(recs, rec.Clone())
		}
		return nil
	})
	want := make([]int, len(recs))
	for i, r := range recs {
		want[i] = len(c.Check(r))
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; n < 20; n++ {
				for i, r := range recs {
					if got := len(c.Check(r)); got != want[i] {
						t.Errorf("record %d: %d reasons, then %d", i, want[i], got)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
}

// --- the shared corpus (skipped when absent) ----------------------------

const corpus = "../../../shared/corpus/logs"

func skipWithoutCorpus(t *testing.T, p string) {
	if _, err := os.Stat(p); errors.Is(err, fs.ErrNotExist) {
		t.Skipf("%s not present", p)
	}
}

// TestAPTSimulatorProxyShellLine: Nextron's APTSimulator ProxyShell IIS
// line gives a critical ProxyShell finding.
func TestAPTSimulatorProxyShellLine(t *testing.T) {
	p := filepath.Join(corpus, "exploitation/NextronSystems__APTSimulator/toolset/hafnium-dummy.log")
	skipWithoutCorpus(t, p)
	fs := checkFile(t, builtinChecker(t), p)
	if len(fs) != 1 {
		t.Fatalf("%d findings", len(fs))
	}
	f := fs[0].f
	if f.Severity != finding.Critical || f.Rule != "exscan.log.proxyshell.autodiscover_ssrf_success" ||
		!slices.Contains(f.Campaigns, "proxyshell") || !slices.Contains(f.CVEs, "CVE-2021-34473") || f.ClientIP != "10.255.249.78" {
		t.Errorf("finding %s %s campaigns %v cves %v client %s", f.Severity, f.Rule, f.Campaigns, f.CVEs, f.ClientIP)
	}
}

// TestVelociraptorIISSample: of Velociraptor's four IIS test lines only the
// ProxyShell request to EWS is an Exchange attack.
func TestVelociraptorIISSample(t *testing.T) {
	p := filepath.Join(corpus, "exploitation/Velocidex__velociraptor/artifacts/testdata/files/csv/iis.log")
	skipWithoutCorpus(t, p)
	for _, ff := range checkFile(t, builtinChecker(t), p) {
		if ff.line == 7 {
			if ff.f.Rule != "exscan.log.proxyshell.autodiscover_ssrf_success" {
				t.Errorf("line 7: %s", ff.f.Rule)
			}
			continue
		}
		if ff.f.Severity >= finding.Medium {
			t.Errorf("line %d: %s %s", ff.line, ff.f.Severity, ff.f.Rule)
		}
	}
}

// TestBenignCorpus: about 600 real IIS logs of a non-Exchange web site:
// nothing at high or above. Run with -v for the counts.
func TestBenignCorpus(t *testing.T) {
	root := filepath.Join(corpus, "benign")
	skipWithoutCorpus(t, root)
	c := builtinChecker(t)
	counts := map[finding.Severity]int{}
	byRule := map[string]int{}
	files, records := 0, 0
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rd, err := logs.Open(p)
		if err != nil {
			if errors.Is(err, logs.ErrUnknownFormat) {
				return nil
			}
			return err
		}
		defer rd.Close()
		files++
		for {
			rec, err := rd.Next()
			if err != nil {
				break
			}
			records++
			rs := c.Check(rec)
			if len(rs) == 0 {
				continue
			}
			f := c.Finding(p, rec, rs)
			counts[f.Severity]++
			byRule[f.Rule]++
			if f.Severity >= finding.High {
				t.Errorf("%s:%d: %s %s %v", p, rec.Line, f.Severity, f.Rule, f.Evidence)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d files, %d records; findings: critical %d, high %d, medium %d, low %d, info %d",
		files, records, counts[finding.Critical], counts[finding.High], counts[finding.Medium], counts[finding.Low], counts[finding.Info])
	var ids []string
	for id := range byRule {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		t.Logf("  %-50s %d", id, byRule[id])
	}
}

// BenchmarkCheck: a benign OWA line and an attack line through the whole
// Checker (Sigma and indicators).
func BenchmarkCheck(b *testing.B) {
	c := builtinChecker(b)
	const fields = "date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken"
	for _, bc := range []struct{ name, line string }{
		{"benign", "2021-03-10 08:00:01 10.0.0.5 GET /owa/service.svc action=GetItem&EP=1&ID=-24&AC=1&CorrelationID=<empty>;&cafeReqId=1b2c3d4e-5f60-4718-9a2b-3c4d5e6f7081; 443 jdoe@contoso.com 10.1.2.3 Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64)+AppleWebKit/537.36+(KHTML,+like+Gecko)+Chrome/89.0.4389.82+Safari/537.36 https://mail.contoso.com/owa/ 200 0 0 31"},
		{"attack", "2021-03-03 06:49:42 10.0.0.5 POST /ecp/y.js &CorrelationID=<empty>;&cafeReqId=2c3d4e5f-6071-4c8d-9e0f-1a2b3c4d5e6f; 443 - 86.105.18.116 ExchangeServicesClient/0.0.0.0 - 200 0 0 62"},
	} {
		rec := iisRec(b, fields, bc.line)
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if rs := c.Check(rec); len(rs) > 0 {
					c.Finding("u_ex210310.log", rec, rs)
				}
			}
		})
	}
}

// iisFindings checks IIS lines (in the fixtures' column order) written to
// a temporary log.
func iisFindings(t *testing.T, lines ...string) []fileFinding {
	t.Helper()
	p := filepath.Join(t.TempDir(), "u_ex210812.log")
	body := "#Software: Microsoft Internet Information Services 10.0\n#Version: 1.0\n" +
		"#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Cookie) cs(Referer) sc-status sc-substatus sc-win32-status time-taken\n" +
		strings.Join(lines, "\n") + "\n"
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return checkFile(t, builtinChecker(t), p)
}

// An anonymous ProxyShell SSRF request from 2021 matches the ProxyNotShell
// mitigation's signature too: its date rules ProxyNotShell out. The same
// request after ProxyNotShell was first exploited keeps both campaigns.
func TestProxyShellShapeBeforeProxyNotShell(t *testing.T) {
	const req = " 10.0.0.5 GET /autodiscover/autodiscover.json @zdi/Powershell&Email=autodiscover/autodiscover.json%3F@zdi 443 - 203.0.113.7 Mozilla/5.0 - - 400 0 0 15"
	ffs := iisFindings(t, "2021-08-12 03:11:09"+req, "2022-10-12 03:11:09"+req)
	if len(ffs) != 2 {
		t.Fatalf("%d findings, want 2", len(ffs))
	}
	old, late := ffs[0].f, ffs[1].f
	if old.Rule != "exscan.log.proxyshell.autodiscover_ssrf_attempt" || !strings.HasPrefix(old.Title, "ProxyShell") {
		t.Errorf("2021 request: rule %s, title %q; want the ProxyShell rule", old.Rule, old.Title)
	}
	if !slices.Equal(old.Campaigns, []string{"proxyshell"}) {
		t.Errorf("2021 request: campaigns %v, want [proxyshell]", old.Campaigns)
	}
	for _, c := range old.CVEs {
		if strings.HasPrefix(c, "CVE-2022") {
			t.Errorf("2021 request carries %s", c)
		}
	}
	var noted bool
	for _, r := range old.Reasons {
		if r.Rule == "exscan.log.proxynotshell.autodiscover_powershell_attempt" {
			noted = len(r.Campaigns) == 0 && strings.Contains(r.Description, "ruled out for this record: dated 2021-08-12, before proxynotshell (first exploited 2022-08)")
		}
	}
	if !noted {
		t.Errorf("2021 request: the ProxyNotShell reason is not kept with why it was ruled out: %+v", old.Reasons)
	}
	if !slices.Contains(late.Campaigns, "proxynotshell") || !slices.Contains(late.Campaigns, "proxyshell") {
		t.Errorf("2022 request: campaigns %v, want both", late.Campaigns)
	}
}

// TestIndicatorDoesNotRuleOutAShape: a successful ProxyShell-shaped
// request dated before ProxyShell was exploited, from an address on a
// ProxyLogon indicator list, keeps the ProxyShell rule at its own
// severity: the address says who sent it, not what it exploited.
func TestIndicatorDoesNotRuleOutAShape(t *testing.T) {
	const shape = "exscan.log.proxyshell.autodiscover_ssrf_success"
	rs := []finding.Reason{
		{Rule: "exscan.ioc.ip", Severity: finding.High, Source: finding.SourceIOC, Campaigns: []string{"proxylogon"}},
		{Rule: shape, Severity: finding.Critical, Source: "sigma", Campaigns: []string{"proxyshell"}, CVEs: []string{"CVE-2021-34473"}},
	}
	got := attributeCampaigns(time.Date(2021, 3, 2, 20, 44, 48, 0, time.UTC), slices.Clone(rs))
	for _, r := range got {
		if r.Rule == shape && (r.Severity != finding.Critical || !slices.Equal(r.Campaigns, []string{"proxyshell"})) {
			t.Errorf("shape reason became %s %v, want critical [proxyshell]", r.Severity, r.Campaigns)
		}
	}
	// A request-shape rule of a campaign that fits the date still rules
	// the other shape out.
	rs = append(rs, finding.Reason{Rule: "exscan.log.proxylogon.ssrf_static_post", Severity: finding.High, Source: "sigma", Campaigns: []string{"proxylogon"}})
	got = attributeCampaigns(time.Date(2021, 3, 2, 20, 44, 48, 0, time.UTC), slices.Clone(rs))
	for _, r := range got {
		if r.Rule == shape && (r.Severity != finding.High || len(r.Campaigns) != 0) {
			t.Errorf("with a ProxyLogon shape, the ProxyShell reason is %s %v, want ruled out (high, no campaign)", r.Severity, r.Campaigns)
		}
	}
}

// Evidence shows what the attacker sent, under the log's own field names:
// the query string of a webshell request, the request columns (not a
// derived decoded-uri) of an exploitation request, and the cookie of a
// ProxyLogon probe.
func TestEvidenceShowsTheRequest(t *testing.T) {
	ffs := iisFindings(t,
		"2021-08-12 03:12:09 10.0.0.5 POST /aspnet_client/system_web/shell.aspx cmd=whoami&x=%3Cscript%3E 443 - 203.0.113.7 Mozilla/5.0 - - 200 0 0 15",
		"2021-08-12 03:11:09 10.0.0.5 GET /autodiscover/autodiscover.json @zdi/Powershell&Email=autodiscover/autodiscover.json%3F@zdi 443 - 203.0.113.7 Mozilla/5.0 - - 400 0 0 15",
		"2021-03-08 10:11:12 10.0.0.5 GET /owa/auth/x.js - 443 - 198.51.100.23 Mozilla/5.0+(compatible;+Nmap+Scripting+Engine) X-AnonResource=true;+X-AnonResource-Backend=localhost/ecp/default.flt?~3;+X-BEResource=localhost/owa/auth/logon.aspx?~3; - 500 0 0 15")
	if len(ffs) != 3 {
		t.Fatalf("%d findings, want 3", len(ffs))
	}
	want := []map[string]string{
		{"cs-uri-stem": "/aspnet_client/system_web/shell.aspx", "cs-uri-query": "cmd=whoami&x=%3Cscript%3E"},
		{"cs-uri-stem": "/autodiscover/autodiscover.json", "cs-uri-query": "@zdi/Powershell&Email=autodiscover/autodiscover.json%3F@zdi"},
		{"cs-uri-stem": "/owa/auth/x.js", "cs(Cookie)": "X-AnonResource=true;+X-AnonResource-Backend=localhost/ecp/default.flt?~3;+X-BEResource=localhost/owa/auth/logon.aspx?~3;"},
	}
	for i, ff := range ffs {
		got := map[string]string{}
		for _, e := range ff.f.Evidence {
			got[e.Name] = e.Value
			if e.Name == "decoded-uri" || e.Name == "c-uri" {
				t.Errorf("line %d: evidence names a derived field %s", ff.line, e.Name)
			}
		}
		for n, v := range want[i] {
			if got[n] != v {
				t.Errorf("line %d (%s): evidence %s = %q, want %q (all: %v)", ff.line, ff.f.Rule, n, got[n], v, got)
			}
		}
	}
}
