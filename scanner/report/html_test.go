package report

import (
	"bytes"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html"

	"exscan/internal/golden"
	"exscan/iocs"
	"exscan/scanner/finding"
)

var fixtureStart = time.Date(2025, 2, 3, 9, 30, 0, 0, time.UTC)

func fixtureMeta(cmd string) Meta {
	return Meta{Command: cmd, Args: []string{"--root", "/mnt/image/C", "--format", "html"}, Root: "/mnt/image/C",
		FailOn: finding.Medium, Started: fixtureStart, Version: "1.0.0-test", Host: "ir-laptop", ScannedHost: "EXCH01"}
}

const shellLocal = "/mnt/image/C/inetpub/wwwroot/aspnet_client/system_web/discover.aspx"

// fixtureFindings is a small fixed scan result: a webshell on disk, a
// request that reached it, a ProxyLogon SSRF record, a ProxyShell probe
// and a file with no time of its own.
func fixtureFindings() []*finding.Finding {
	size := int64(72)
	fs := []*finding.Finding{
		{Kind: finding.KindFile, Path: shellLocal, HostPath: `C:\inetpub\wwwroot\aspnet_client\system_web\discover.aspx`,
			SHA256: "b20f275eec5a46bbbd9929b49eae15d658c0fcd336acf7e7498a3c1bb12c63d6", MD5: "43e9201144186ca2c8c4b27fec125b2f",
			Size: &size, MTime: "2021-03-03T03:10:00Z",
			Reasons: []finding.Reason{
				{Rule: "yara.exscan_china_chopper_aspx", Title: "China Chopper ASPX webshell", Severity: finding.Critical, Source: "yara",
					Description: "One-line JScript eval webshell used after ProxyLogon exploitation.", CVEs: []string{"CVE-2021-27065"},
					Campaigns: []string{"proxylogon"}, Attack: []string{"T1505.003"},
					References: []string{"https://www.microsoft.com/security/blog/2021/03/02/hafnium-targeting-exchange-servers/", "javascript:alert(1)"},
					Evidence:   []finding.Evidence{{Name: "$eval", Value: `eval(Request.Item["x"],"unsafe")`, Offset: 31}}},
				{Rule: "exscan.file.unexpected-aspnet-page", Title: "ASP.NET page in an aspnet_client folder", Severity: finding.High, Source: "heuristic"},
			}},
		{Kind: finding.KindLog, Path: "/mnt/image/C/inetpub/logs/LogFiles/W3SVC1/u_ex210303.log", HostPath: `C:\inetpub\logs\LogFiles\W3SVC1\u_ex210303.log`,
			Line: 12, LogFormat: "iis", Timestamp: "2021-03-03T03:12:44Z", ClientIP: "203.0.113.7", Related: []string{shellLocal},
			Reasons: []finding.Reason{{Rule: "exscan.log.webshell-file-access", Title: "Request to a webshell found on disk", Severity: finding.Critical,
				Source: "heuristic", Campaigns: []string{"proxylogon"},
				Evidence: []finding.Evidence{{Name: "cs-method", Value: "POST"}, {Name: "cs-uri-stem", Value: "/aspnet_client/system_web/discover.aspx"}, {Name: "sc-status", Value: "200"}}}}},
		{Kind: finding.KindLog, Path: "/mnt/image/C/Program Files/Microsoft/Exchange Server/V15/Logging/HttpProxy/Ecp/HttpProxy_2021030306-1.LOG",
			Line: 7, LogFormat: "httpproxy", Timestamp: "2021-03-03T02:13:04Z", ClientIP: "203.0.113.7",
			Reasons: []finding.Reason{{Rule: "sigma.exchange_proxylogon_ssrf", Title: "ProxyLogon SSRF: X-AnonResource-Backend cookie to /ecp", Severity: finding.High,
				Source: "sigma", Author: "Florian Roth", CVEs: []string{"CVE-2021-26855"}, Campaigns: []string{"proxylogon"}, Attack: []string{"T1190"},
				References: []string{"https://msrc.microsoft.com/update-guide/vulnerability/CVE-2021-26855"},
				Evidence:   []finding.Evidence{{Name: "AnchorMailbox", Value: "ServerInfo~a]@exch01.corp.local:444/ecp/y.js"}}}}},
		{Kind: finding.KindLog, Path: "/mnt/image/C/inetpub/logs/LogFiles/W3SVC1/u_ex210823.log", Line: 40, LogFormat: "iis",
			Timestamp: "2021-08-23T10:00:00Z", ClientIP: "198.51.100.23",
			Reasons: []finding.Reason{{Rule: "sigma.web_exchange_proxyshell", Title: "ProxyShell probe: autodiscover.json with @ in the query", Severity: finding.Medium,
				Source: "sigma", CVEs: []string{"CVE-2021-34473"}, Campaigns: []string{"proxyshell"},
				Evidence: []finding.Evidence{{Name: "cs-uri-query", Value: "@evil.com/mapi/nspi/?&Email=autodiscover/autodiscover.json%3F@evil.com"}, {Name: "sc-status", Value: "404"}}}}},
		{Kind: finding.KindFile, Path: "/mnt/image/C/ProgramData/it.zip", HostPath: `C:\ProgramData\it.zip`,
			Reasons: []finding.Reason{{Rule: "exscan.file.archive-in-programdata", Title: "Archive in ProgramData (staging for exfiltration)", Severity: finding.Medium, Source: "heuristic"}}},
	}
	for _, f := range fs {
		f.Finalize()
		iocs.Enrich(f)
	}
	return fs
}

func fixtureSummary() *finding.Summary {
	return &finding.Summary{
		Type: "summary", Version: "1.0.0-test", Command: "scan", Root: "/mnt/image/C", Started: "2025-02-03T09:30:00Z", Duration: 12.3,
		FilesSeen: 1200, FilesScanned: 1180, Bytes: 52 << 20, Skipped: map[string]int64{"too-large": 2, "permission": 1},
		SkippedItems: []finding.Skip{{Path: "/mnt/image/C/Windows/Temp/lsass.dmp", Reason: "too-large", Detail: "80 MiB > 64 MiB"}},
		LogFiles:     5, LogBytes: 3 << 20, LogRecords: map[string]int64{"iis": 4000, "httpproxy": 900},
		Coverage: []finding.Coverage{
			{Family: "iis/W3SVC1", Files: 2, Records: 4000, Earliest: "2021-03-03T00:00:01Z", Latest: "2021-08-23T23:59:58Z", Days: 173.9},
			{Family: "httpproxy/Ecp", Files: 1, Records: 900, Earliest: "2021-03-03T06:00:00Z", Latest: "2021-03-03T06:59:00Z", Days: 0.04, TooShort: true},
		},
		Findings:  map[string]int64{"critical": 2, "high": 1, "medium": 2, "low": 0, "info": 0},
		Rules:     finding.RuleCounts{YARA: 120, Sigma: 40, IOCs: 800},
		Webshells: []finding.WebshellAccess{{File: `C:\inetpub\wwwroot\aspnet_client\system_web\discover.aspx`, URL: "/aspnet_client/system_web/discover.aspx", Requests: 3, Clients: []string{"203.0.113.7"}, First: "2021-03-03T03:12:44Z", Last: "2021-03-03T03:20:00Z"}},
		Host: &finding.HostLayout{Root: "/mnt/image/C",
			Found:   []finding.LayoutEntry{{Role: "exchange-install", WinPath: `C:\Program Files\Microsoft\Exchange Server\V15`, Path: "/mnt/image/C/Program Files/Microsoft/Exchange Server/V15"}},
			Missing: []finding.LayoutEntry{{Role: "exchange-logs-owa", WinPath: `C:\Program Files\Microsoft\Exchange Server\V15\Logging\HttpProxy\Owa`}}},
		Verdict:     VerdictCompromised,
		VerdictText: "Signs of compromise: 1 file(s) with webshell or attack-tool traits and 1 log record(s) of successful exploitation or webshell use.",
		FailOn:      "medium", ExitCode: 1,
		ScannedHost: &finding.ScannedHost{Name: "EXCH01", Source: "iis log field s-computername", Path: "/mnt/image/C/inetpub/logs/LogFiles/W3SVC1/u_ex210303.log"},
		ExscanHost:  "ir-laptop",
		NextSteps:   []string{"Before removing or changing anything, collect evidence."},
	}
}

// fakeContext stands in for the knowledge base: one known campaign, and
// proxyshell left unknown to cover the "no record" card.
func fakeContext(ids []string) []iocs.Campaign {
	var out []iocs.Campaign
	for _, id := range ids {
		if id == "proxylogon" {
			out = append(out, iocs.Campaign{ID: "proxylogon", Name: "ProxyLogon / HAFNIUM (2021)", Period: "January to March 2021",
				CVEs:    []string{"CVE-2021-26855", "CVE-2021-27065"},
				Summary: "Pre-authentication SSRF and file write in Exchange, exploited as a zero-day and then widely.",
				Actors: []iocs.Actor{{Name: "HAFNIUM", Aliases: []string{"Silk Typhoon"}, MitreID: "G0125",
					Association: "publicly associated with (Microsoft, high confidence)", Source: "Microsoft", URL: "https://www.microsoft.com/security/blog/2021/03/02/hafnium-targeting-exchange-servers/"}},
				Statements: []iocs.Statement{{Date: "2021-03-02", Who: "Microsoft", Claim: "HAFNIUM used the exploits in limited, targeted attacks.", Confidence: "high confidence", URL: "https://www.microsoft.com/security/blog/2021/03/02/hafnium-targeting-exchange-servers/"}},
				Caution:    "Many groups used these exploits after 2 March 2021.",
				References: []string{"https://www.cisa.gov/news-events/cybersecurity-advisories/aa21-062a"}})
		}
	}
	return out
}

func withFakeContext(t *testing.T) {
	old := contextFor
	contextFor = fakeContext
	t.Cleanup(func() { contextFor = old })
}

func render(t *testing.T, format string, meta Meta, fs []*finding.Finding, s *finding.Summary) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := New(format, &buf)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Start(meta); err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		if err := w.Finding(f); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Finish(s); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestGoldenFormats renders the fixture scan in every registered format
// and compares it with testdata/report/golden.<format>; a new format
// fails here until its golden file is written (go test -update).
func TestGoldenFormats(t *testing.T) {
	withFakeContext(t)
	for _, f := range Formats() {
		t.Run(f.Name, func(t *testing.T) {
			got := render(t, f.Name, fixtureMeta("scan"), fixtureFindings(), fixtureSummary())
			golden.Check(t, filepath.Join("..", "..", "testdata", "report", "golden."+f.Name), got)
		})
	}
}

// ---- DOM helpers ----

func parseHTML(t *testing.T, b []byte) *html.Node {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func findAll(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if match(n) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

func byTag(tag string) func(*html.Node) bool {
	return func(n *html.Node) bool { return n.Type == html.ElementNode && n.Data == tag }
}

func byID(id string) func(*html.Node) bool {
	return func(n *html.Node) bool { v, _ := attr(n, "id"); return n.Type == html.ElementNode && v == id }
}

func byClass(class string) func(*html.Node) bool {
	return func(n *html.Node) bool {
		v, _ := attr(n, "class")
		return n.Type == html.ElementNode && strings.Contains(" "+v+" ", " "+class+" ")
	}
}

func textOf(n *html.Node) string {
	var b strings.Builder
	for _, t := range findAll(n, func(n *html.Node) bool { return n.Type == html.TextNode }) {
		b.WriteString(t.Data)
	}
	return b.String()
}

func one(t *testing.T, root *html.Node, match func(*html.Node) bool, what string) *html.Node {
	t.Helper()
	ns := findAll(root, match)
	if len(ns) != 1 {
		t.Fatalf("%s: found %d, want 1", what, len(ns))
	}
	return ns[0]
}

func TestHTMLStructure(t *testing.T) {
	withFakeContext(t)
	out := render(t, "html", fixtureMeta("scan"), fixtureFindings(), fixtureSummary())
	doc := parseHTML(t, out)

	banner := one(t, doc, byID("verdict"), "verdict banner")
	if c, _ := attr(banner, "class"); !strings.Contains(c, "v-compromised") {
		t.Errorf("banner class %q", c)
	}
	if txt := textOf(banner); !strings.Contains(txt, "Compromised") || !strings.Contains(txt, "Signs of compromise") || !strings.Contains(txt, "exit code 1") {
		t.Errorf("banner text %q", txt)
	}

	table := one(t, doc, byID("findings"), "findings table")
	rows := findAll(one(t, table, byTag("tbody"), "tbody"), byTag("tr"))
	if len(rows) != 5 {
		t.Fatalf("findings table has %d rows, want 5", len(rows))
	}
	// Worst first: the two critical findings lead.
	for i, want := range []string{"4", "4", "3", "2", "2"} {
		if v, _ := attr(rows[i], "data-sev"); v != want {
			t.Errorf("row %d data-sev %q, want %q", i, v, want)
		}
	}
	if v, _ := attr(rows[0], "data-time"); v != "2021-03-03T03:10:00Z" {
		t.Errorf("first row time %q (file mtime expected)", v)
	}
	if v, _ := attr(rows[3], "data-campaigns"); v != "proxyshell" {
		t.Errorf("campaign key %q", v)
	}
	for _, h := range findAll(table, byTag("th")) {
		if strings.Contains(textOf(h), "Severity") {
			if v, _ := attr(h, "data-sort"); v != "sev" {
				t.Error("severity column not sortable")
			}
		}
	}

	counts := one(t, doc, byID("counts"), "count cards")
	if txt := textOf(counts); !strings.Contains(txt, "2critical") || !strings.Contains(txt, "1high") {
		t.Errorf("counts %q", txt)
	}

	// Log record times and file modification times are separate
	// timelines with their own axes: circles on the first, squares on
	// the second.
	svg := findAll(doc, byClass("chart"))
	if len(svg) != 2 {
		t.Fatalf("timeline charts: %d, want 2 (log records, files)", len(svg))
	}
	for i, want := range []string{"circle", "rect"} {
		for _, d := range findAll(svg[i], byClass("dot")) {
			if d.Data != want {
				t.Errorf("chart %d holds a %s mark, want only %s", i, d.Data, want)
			}
		}
	}
	if dots := findAll(svg[0], byClass("dot")); len(dots) < 3 {
		t.Errorf("log timeline has %d marks", len(dots))
	}
	if !strings.Contains(string(out), "1 finding(s) without a time are not on the chart") {
		t.Error("no note about findings without a time")
	}

	ws := textOf(one(t, doc, func(n *html.Node) bool { return byTag("h2")(n) && textOf(n) == "Webshell access" }, "webshell heading").Parent)
	if !strings.Contains(ws, "203.0.113.7") || !strings.Contains(ws, "/aspnet_client/system_web/discover.aspx") || !strings.Contains(ws, "2021-03-03 03:12:44") {
		t.Errorf("webshell access section lacks client/URL/time: %.400q", ws)
	}

	cards := findAll(doc, byClass("campaign"))
	if len(cards) != 2 {
		t.Fatalf("campaign cards: %d, want 2", len(cards))
	}
	for _, c := range cards {
		if _, open := attr(c, "open"); c.Data != "details" || open {
			t.Errorf("campaign card <%s> is not folded by default", c.Data)
		}
	}
	c0 := textOf(cards[0])
	if !strings.Contains(c0, "ProxyLogon / HAFNIUM (2021)") || !strings.Contains(c0, "publicly associated with") || !strings.Contains(c0, "Caution") {
		t.Errorf("known campaign card %q", c0)
	}
	if !strings.Contains(textOf(cards[1]), "No public context record for proxyshell") {
		t.Errorf("unknown campaign card %q", textOf(cards[1]))
	}
	var sourceLinks int
	for _, a := range findAll(cards[0], byTag("a")) {
		if h, _ := attr(a, "href"); strings.HasPrefix(h, "https://") {
			sourceLinks++
		}
	}
	if sourceLinks < 2 {
		t.Errorf("campaign card has %d source links", sourceLinks)
	}

	cov := textOf(one(t, doc, byID("coverage"), "coverage heading").NextSibling.NextSibling)
	if !strings.Contains(cov, "httpproxy/Ecp") || !strings.Contains(cov, "too short") {
		t.Errorf("coverage table %q", cov)
	}
	if !strings.Contains(string(out), "lsass.dmp") || !strings.Contains(string(out), "too-large") {
		t.Error("skipped items missing")
	}
	checkSelfContained(t, doc, out)
}

// checkSelfContained: nothing is fetched, and the CSP allows exactly the
// inline style and script blocks of the page.
func checkSelfContained(t *testing.T, doc *html.Node, out []byte) {
	t.Helper()
	for _, n := range findAll(doc, func(n *html.Node) bool { return n.Type == html.ElementNode }) {
		switch n.Data {
		case "link", "img", "iframe", "object", "embed", "base":
			t.Errorf("<%s> element in a self-contained page", n.Data)
		}
		if v, ok := attr(n, "src"); ok {
			t.Errorf("<%s src=%q>", n.Data, v)
		}
		for _, a := range n.Attr {
			if strings.HasPrefix(a.Key, "on") {
				t.Errorf("inline event handler %s on <%s>", a.Key, n.Data)
			}
		}
	}
	scripts := findAll(doc, byTag("script"))
	styles := findAll(doc, byTag("style"))
	if len(scripts) != 1 || len(styles) != 1 {
		t.Fatalf("%d script and %d style elements, want 1 each", len(scripts), len(styles))
	}
	var csp string
	for _, m := range findAll(doc, byTag("meta")) {
		if v, _ := attr(m, "http-equiv"); v == "Content-Security-Policy" {
			csp, _ = attr(m, "content")
		}
	}
	for _, want := range []string{"default-src 'none'", "script-src '" + cspHash(textOf(scripts[0])) + "'", "style-src '" + cspHash(textOf(styles[0])) + "'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if !utf8.Valid(out) {
		t.Error("page is not valid UTF-8")
	}
}

func TestHTMLEscapesAttackerText(t *testing.T) {
	withFakeContext(t)
	// hostile (escape_test.go) holds <script>, quotes, terminal escapes, a
	// bidi override, invalid UTF-8 and CR LF.
	evil := hostileFinding()
	evil.Path = `/logs/"><img src=x onerror=alert(1)>'` + hostile
	evil.HostPath = `C:\logs\` + hostile
	evil.Related = []string{hostile}
	evil.References = []string{"javascript:alert(document.domain)", "https://example.org/" + hostile}
	evil.Campaigns = []string{`x"><script>alert(2)</script>`, "bad\xff camp"}
	evil.Timestamp = "2021-03-03T02:13:04Z"
	s := fixtureSummary()
	s.Webshells = []finding.WebshellAccess{{File: hostile, URL: hostile, Requests: 1, Clients: []string{hostile}, First: hostile}}
	s.SkippedItems = []finding.Skip{{Path: hostile, Reason: "permission", Detail: hostile}}
	s.Coverage = []finding.Coverage{{Family: hostile, Days: 3}}
	s.Warnings = []string{hostile}
	s.VerdictText = hostile
	meta := fixtureMeta("logs")
	meta.Root, meta.Host = hostile, hostile
	out := render(t, "html", meta, []*finding.Finding{evil}, s)
	doc := parseHTML(t, out)

	for _, bad := range []string{"<script>alert", "<img", "\x1b", "\x07", "\xff", "\u202e", "onerror=alert(1)>"} {
		if bytes.Contains(out, []byte(bad)) {
			t.Errorf("raw %q in the page", bad)
		}
	}
	if n := len(findAll(doc, byTag("script"))); n != 1 {
		t.Errorf("%d script elements, want only the page's own", n)
	}
	if n := len(findAll(doc, byTag("img"))); n != 0 {
		t.Errorf("%d injected img elements", n)
	}
	for _, a := range findAll(doc, byTag("a")) {
		if h, _ := attr(a, "href"); !strings.HasPrefix(h, "https://") {
			t.Errorf("link with href %q", h)
		}
	}
	checkSelfContained(t, doc, out)

	// The payload is shown, as text, with visible escapes.
	row := one(t, one(t, doc, byID("findings"), "table"), func(n *html.Node) bool { return byTag("tr")(n) && n.Parent.Data == "tbody" }, "row")
	txt := textOf(row)
	for _, want := range []string{"<script>alert(1)</script>", `\x1b[2J`, `\u{202e}`, `\xff\xfe`, `\r\n`, `"><img src=x onerror=alert(1)>'`} {
		if !strings.Contains(txt, want) {
			t.Errorf("row text lacks %q", want)
		}
	}
	if v, _ := attr(row, "data-loc"); !strings.HasPrefix(v, `C:\logs\=cmd|' /C calc'!A0\x1b[2J`) {
		t.Errorf("data-loc attribute %q", v)
	}
	if !regexp.MustCompile(`<span class="esc">\\x1b</span>`).Match(out) {
		t.Error("escapes are not marked")
	}
}

func TestHTMLVerdictBanners(t *testing.T) {
	for verdict, label := range verdictLabels {
		s := &finding.Summary{Verdict: verdict, VerdictText: "because", Findings: map[string]int64{}}
		doc := parseHTML(t, render(t, "html", Meta{Command: "scan"}, nil, s))
		b := one(t, doc, byID("verdict"), "banner")
		if c, _ := attr(b, "class"); c != "banner v-"+verdict {
			t.Errorf("%s: class %q", verdict, c)
		}
		if got := textOf(one(t, b, byClass("label"), "label")); got != label {
			t.Errorf("%s: label %q, want %q", verdict, got, label)
		}
	}
}

func TestHTMLEmptyScanDecidesItsOwnVerdict(t *testing.T) {
	out := render(t, "html", Meta{Command: "logs"}, nil, &finding.Summary{})
	doc := parseHTML(t, out)
	b := one(t, doc, byID("verdict"), "banner")
	if c, _ := attr(b, "class"); c != "banner v-"+VerdictNoCoverage {
		t.Errorf("class %q: a logs scan that read no log cannot be clean", c)
	}
	if len(findAll(doc, byID("findings"))) != 0 || len(findAll(doc, byClass("chart"))) != 0 {
		t.Error("table or chart without findings")
	}
	for _, want := range []string{"No findings at or above", "No log was read", "Nothing was skipped"} {
		if !strings.Contains(textOf(doc), want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

func TestHTMLLargeResultIsCapped(t *testing.T) {
	old := htmlMaxRows
	htmlMaxRows = 300
	t.Cleanup(func() { htmlMaxRows = old })
	var fs []*finding.Finding
	base := time.Date(2021, 3, 3, 0, 0, 0, 0, time.UTC)
	for i := 0; i < htmlMaxRows+5; i++ {
		f := &finding.Finding{Kind: finding.KindLog, Path: "/l", Line: i + 1, Timestamp: base.Add(time.Duration(i) * time.Second).Format(time.RFC3339),
			ClientIP: fmt.Sprintf("10.0.%d.%d", i/250, i%250), // one entry each
			Reasons:  []finding.Reason{{Rule: "r", Title: "t", Severity: finding.Low}}}
		f.Finalize()
		fs = append(fs, f)
	}
	out := render(t, "html", Meta{Command: "logs"}, fs, &finding.Summary{})
	if !bytes.Contains(out, []byte("5 more are in the JSON Lines or CSV output")) {
		t.Error("no truncation note")
	}
	if n := bytes.Count(out, []byte("<circle ")); n > htmlBuckets {
		t.Errorf("%d timeline marks for one lane and severity, want at most %d", n, htmlBuckets)
	}
}

func TestTimelineTicks(t *testing.T) {
	lo := time.Date(2021, 3, 3, 1, 7, 0, 0, time.UTC)
	for _, span := range []time.Duration{10 * time.Minute, 5 * time.Hour, 3 * 24 * time.Hour, 40 * 24 * time.Hour, 400 * 24 * time.Hour, 9 * 365 * 24 * time.Hour} {
		ticks := timeTicks(lo, lo.Add(span), 100, 1000)
		if len(ticks) < 2 || len(ticks) > 8 {
			t.Errorf("span %v: %d ticks", span, len(ticks))
		}
		seen := map[string]bool{}
		for i, tk := range ticks {
			if tk.X < 100 || tk.X > 1100 || (i > 0 && tk.X <= ticks[i-1].X) || seen[tk.Label] {
				t.Errorf("span %v: bad tick %d %+v in %+v", span, i, tk, ticks)
			}
			seen[tk.Label] = true
		}
	}
}

// TestHTMLGroups: findings with the same rule and client are one row with
// their count and time span; other clients and rules stay apart.
func TestHTMLGroups(t *testing.T) {
	fs := probes(50, time.Minute)
	out := render(t, "html", Meta{Command: "logs"}, fs, &finding.Summary{})
	doc, err := html.Parse(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	rows := findAll(one(t, doc, byID("findings"), "findings table"), byTag("tr"))[1:]
	if len(rows) != 3 {
		t.Fatalf("%d rows, want 3 entries", len(rows))
	}
	c, _ := attr(rows[0], "data-count")
	last, _ := attr(rows[0], "data-time-last")
	if c != "50" || last != "2021-08-23T00:49:00Z" || !strings.Contains(textOf(rows[0]), "×50") || !strings.Contains(textOf(rows[0]), "... 47 more") {
		t.Errorf("first row: count %s, last %s, %.300q", c, last, textOf(rows[0]))
	}
	if !bytes.Contains(out, []byte("Findings (52 in 3 entries")) {
		t.Error("heading does not give findings and entries")
	}
}
