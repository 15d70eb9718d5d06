package scanner

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"exscan/iocs"
	"exscan/rules"
	"exscan/rules/sigmacases"
	"exscan/scanner/finding"
)

// runBoth scans the targets (files first, then logs, as exscan scan does)
// with and without the line prefilter and returns the findings and the
// summaries, made comparable (sorted, times dropped).
func runBoth(t *testing.T, sigmaDirs []string, files, logs []Target) (with, without []string, sumWith, sumWithout string) {
	t.Helper()
	ss, errs := rules.LoadSigma(true, sigmaDirs)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	ys, errs := rules.LoadYARA(true, nil)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	run := func(off bool) ([]string, string) {
		set, err := iocs.Builtin()
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		e := New(Options{Sigma: ss, YARA: ys, IOCs: set, NoLinePrefilter: off}, func(f finding.Finding) {
			b, _ := json.Marshal(f)
			got = append(got, string(b))
		})
		var shells *WebshellIndex
		if len(files) > 0 {
			shells = e.ScanFiles(context.Background(), files)
		}
		e.ScanLogs(context.Background(), logs, shells)
		slices.Sort(got)
		s := e.Summary()
		if off && s.LogRuledOut != 0 {
			t.Errorf("%d records ruled out with the prefilter off", s.LogRuledOut)
		}
		s.Started, s.Duration, s.LogRuledOut = "", 0, 0
		b, _ := json.Marshal(s)
		return got, string(b)
	}
	with, sumWith = run(false)
	without, sumWithout = run(true)
	return
}

func compareRuns(t *testing.T, name string, sigmaDirs []string, files, logs []Target) int {
	t.Helper()
	with, without, sw, swo := runBoth(t, sigmaDirs, files, logs)
	if sw != swo {
		t.Errorf("%s: the summary differs with the prefilter:\n with    %s\n without %s", name, sw, swo)
	}
	for _, f := range without {
		if !slices.Contains(with, f) {
			t.Errorf("%s: finding lost with the prefilter: %s", name, f)
		}
	}
	for _, f := range with {
		if !slices.Contains(without, f) {
			t.Errorf("%s: finding only with the prefilter: %s", name, f)
		}
	}
	return len(without)
}

// TestLinePrefilterChangesNothing: skimming the lines the prefilter rules
// out changes no finding and no count, on every Sigma fixture (and case,
// encoding and '+' variants of it) among benign lines, indicator hits in
// every form the checks accept, hostile lines, the demo host (where log
// requests to the webshells found on disk are findings) and the shared
// log corpus.
func TestLinePrefilterChangesNothing(t *testing.T) {
	cf, err := sigmacases.Load("../testdata/sigma/cases.yml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	rng := rand.New(rand.NewSource(3))
	n := 0
	write := func(name, text string) {
		p := filepath.Join(dir, fmt.Sprintf("%03d", n), filepath.FromSlash(name))
		n++
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range cf.Cases {
		variants := []*sigmacases.Case{c}
		if c.Line != "" && (c.Format == "iis" || c.Format == "httperr") {
			for _, m := range append(sigmacases.Mutations(c.Line), strings.ReplaceAll(c.Line, "+", "%20")) {
				c2 := *c
				c2.Line = m
				variants = append(variants, &c2)
			}
		}
		for _, v := range variants {
			text, name, err := v.LogText(cf.Headers)
			if err != nil {
				t.Fatal(err)
			}
			// the case line among benign lines of the same file
			head, line, _ := strings.Cut(strings.TrimSuffix(text, "\r\n"), "\r\n#Fields: ")
			fields, row, _ := strings.Cut(line, "\r\n")
			var b strings.Builder
			b.WriteString(head + "\r\n#Fields: " + fields + "\r\n")
			for i := 0; i < 5; i++ {
				b.WriteString(benignLike(row, rng) + "\r\n")
			}
			b.WriteString(row + "\r\n")
			write(name, b.String())
		}
	}
	// indicator values in the forms the lookups accept
	iis := "#Software: Microsoft Internet Information Services 10.0\r\n#Version: 1.0\r\n#Date: 2021-03-03 00:00:00\r\n" +
		"#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken X-Forwarded-For\r\n"
	lines := []string{
		"2021-03-03 06:49:41 10.0.0.5 POST /owa/auth/x.aspx - 443 - ::ffff:86.105.18.116 Mozilla/5.0 - 200 0 0 210 -",
		"2021-03-03 06:49:42 10.0.0.5 POST /EWS/Exchange.asmx - 443 - ::ffff:5669:1274 Mozilla/5.0 - 200 0 0 210 -",
		"2021-03-03 06:49:42 10.0.0.5 POST /EWS/Exchange.asmx - 443 - 0:0:0:0:0:ffff:5669:1274 Mozilla/5.0 - 200 0 0 210 -",
		"2021-03-03 06:49:42 10.0.0.5 POST /EWS/Exchange.asmx - 443 - ::0:ffff:5669:1274 Mozilla/5.0 - 200 0 0 210 -",
		"2021-03-03 06:49:42 10.0.0.5 POST /EWS/Exchange.asmx - 443 - [0:0:0:0:0:FFFF:5669:1274]:443 Mozilla/5.0 - 200 0 0 210 -",
		"2021-03-03 06:49:43 10.0.0.5 POST /ecp/ - 443 - 10.1.1.1 Mozilla/5.0 - 200 0 0 210 192.0.2.1,+86.105.18.116",
		"2021-03-03 06:49:44 10.0.0.5 POST /owa/auth/logon.aspx - 443 - 10.1.1.1 ExchangeServicesClient/0.0.0.0 - 200 0 0 210 -",
		"2021-03-03 06:49:45 10.0.0.5 POST /owa/auth/logon.aspx - 443 - 10.1.1.1 EXCHANGESERVICESCLIENT/0.0.0.0 - 200 0 0 210 -",
		"2021-03-03 06:49:46 10.0.0.5 POST /ecp/DDI/DDIService.svc/SetObject - 443 - 10.1.1.1 python-requests/2.25.1 - 200 0 0 210 -",
		"2021-03-03 06:49:47 10.0.0.5 GET /aspnet_client//system_web/OutlookZH.aspx - 443 - 10.1.1.1 Mozilla/5.0 - 200 0 0 210 -",
		"2021-03-03 06:49:48 10.0.0.5 GET /owa/auth/Current/themes/resources/SHEL.ASPX - 443 - 10.1.1.1 Mozilla/5.0 - 200 0 0 210 -",
		"2021-03-03 06:49:49 10.0.0.5 POST /owa/auth/x.aspx - 443 - 10.1.1.1 Mozilla/5.0+(compatible;+Baiduspider/2.0;++http://www.baidu.com/search/spider.html) - 200 0 0 210 -",
		"2021-03-03 06:49:50 10.0.0.5 POST /owa/service.svc - 443 - 10.1.1.1 ExchangeService\u017fClient/0.0.0.0 - 200 0 0 210 -",
		"2021-03-03 06:49:51 10.0.0.5 POST /owa/auth/x.aspx a=%u0077hoami - 443 - 10.1.1.1 - - 200 0 0 210 -",
		"2021-03-03 06:49:52 10.0.0.5 POST /owa/auth/x.aspx cmd=%2577hoami - 443 - 10.1.1.1 - - 200 0 0 210 -",
		"2021-03-03 06:49:53 10.0.0.5 GET /autodiscover/autodiscover.json @evil.com/%50owershell/?&Email=autodiscover/autodiscover.json%3F@evil.com 443 - 10.1.1.1 - - 200 0 0 210 -",
		"garbage that is not a record",
		"2021-13-45 99:99:99 10.0.0.5 POST /ecp/y.js - 443 - 86.105.18.116 - - 200 0 0 210 -",
		"2021-03-03 06:49:54 10.0.0.5 POST /ecp/y.js - 443 - 86.105.18.116 - - 200 0 0",
	}
	var b strings.Builder
	b.WriteString(iis)
	for _, l := range lines {
		for i := 0; i < 3; i++ {
			b.WriteString(benignLike(lines[0], rng) + "\r\n")
		}
		b.WriteString(l + "\r\n")
	}
	write("inetpub/logs/LogFiles/W3SVC1/u_ex210303.log", b.String())
	// RPS cmdlet rows for the keyword rules of testdata/sigma/user, whose
	// values meet across CSV columns in the record's joined values
	rps := "DateTime,StartTime,RequestId,ClientRequestId,ProcessId,ProcessName,AuthenticatedUser,ExecutingUserSid,IsAdmin,ClientApplication,Cmdlet,Parameters,ExecutionResult,Latency,Error,GenericInfo\r\n" +
		"#Software: Microsoft Exchange Server\r\n#Version: 15.01.2308.008\r\n#Log-type: Rps Cmdlet Logs\r\n#Date: 2021-08-23T09:00:00.000Z\r\n" +
		"#Fields: DateTime,StartTime,RequestId,ClientRequestId,ProcessId,ProcessName,AuthenticatedUser,ExecutingUserSid,IsAdmin,ClientApplication,Cmdlet,Parameters,ExecutionResult,Latency,Error,GenericInfo\r\n" +
		"2021-08-23T09:14:02.311Z,2021-08-23T09:14:02.101Z,9c5d4a6e-1b7f-4dc0-9e0a-5f6b7c8d9ea4,,7712,w3wp#MSExchangePowerShellAppPool,CONTOSO\\administrator,S-1-5-21-1-2-3-500,True,,New-MailboxExportRequest,\"-FilePath \"\"\\\\127.0.0.1\\c$\\inetpub\\wwwroot\\aspnet_client\\rgbyw.aspx\"\" -Mailbox \"\"administrator@contoso.com\"\"\",Success,210,,\r\n" +
		"2021-08-23T09:14:03.311Z,2021-08-23T09:14:03.101Z,9c5d4a6e-1b7f-4dc0-9e0a-5f6b7c8d9ea5,,7712,w3wp#MSExchangePowerShellAppPool,CONTOSO\\administrator,S-1-5-21-1-2-3-500,True,,Set-Foo,-FilePath \\\\srv\\share\\x.aspx,Success,210,,\r\n"
	write("V15/Logging/CmdletInfra/Powershell-Proxy/Cmdlet/Rps_Cmdlet_2021082309-1.LOG", rps)

	got := compareRuns(t, "fixtures", nil, nil, []Target{{Path: dir}})
	compareRuns(t, "fixtures with the user rules", []string{"../testdata/sigma/user"}, nil, []Target{{Path: dir}})
	compareRuns(t, "testdata/logs with the user rules", []string{"../testdata/sigma/user"}, nil, []Target{{Path: "../testdata/logs"}})
	if got < len(cf.Cases) {
		t.Errorf("only %d findings from %d fixtures and variants: the test data lost its attacks", got, len(cf.Cases))
	}
	compareRuns(t, "testdata/logs", nil, nil, []Target{{Path: "../testdata/logs"}})
	demo := []Target{{Path: "../testdata/demo/C"}}
	if compareRuns(t, "demo", nil, demo, demo) == 0 {
		t.Error("no findings on the demo host")
	}
	corpus := filepath.Join("..", "..", "shared", "corpus", "logs")
	if _, err := os.Stat(corpus); err != nil {
		t.Logf("shared corpus not at %s: that part skipped", corpus)
		return
	}
	compareRuns(t, "corpus", nil, nil, []Target{{Path: corpus}})
}

// benignLike returns line with its letters and digits shuffled within
// their class, keeping separators, so it has the shape of a record and
// (almost surely) none of its needles.
func benignLike(line string, rng *rand.Rand) string {
	b := []byte(line)
	for i, c := range b {
		switch {
		case i < 20:
			// keep the timestamp
		case 'a' <= c && c <= 'z':
			b[i] = byte('a' + rng.Intn(26))
		case 'A' <= c && c <= 'Z':
			b[i] = byte('A' + rng.Intn(26))
		case '0' <= c && c <= '9':
			b[i] = byte('0' + rng.Intn(10))
		}
	}
	return string(b)
}
