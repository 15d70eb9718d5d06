package finding

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

// Watch state and users' ignore files name findings by fingerprint, so a
// fingerprint must stay the same across runs, releases and changes that
// do not change which hit it is. testdata/fingerprints.tsv holds the
// values exscan has always given these findings: a change to them
// silently un-ignores findings on every host that runs the new version,
// so it is never rewritten by a test flag.

// fingerprintCases are one finding of each shape a fingerprint is built
// from: a file, a web log record with and without a host path, and an
// event-log record.
func fingerprintCases() map[string]func() *Finding {
	size := int64(72)
	return map[string]func() *Finding{
		"file-webshell": func() *Finding {
			return &Finding{Kind: KindFile, Path: "/mnt/image/C/inetpub/wwwroot/aspnet_client/system_web/discover.aspx",
				HostPath: `C:\inetpub\wwwroot\aspnet_client\system_web\discover.aspx`,
				SHA256:   "b20f275eec5a46bbbd9929b49eae15d658c0fcd336acf7e7498a3c1bb12c63d6", MD5: "43e9201144186ca2c8c4b27fec125b2f",
				Size: &size, MTime: "2021-03-03T03:10:00Z",
				Reasons: []Reason{
					{Rule: "exscan.webshell.china_chopper.jscript_eval", Title: "China Chopper", Severity: Critical, Source: "yara",
						Campaigns: []string{"proxylogon"}, Evidence: []Evidence{{Name: "$eval", Value: `eval(Request.Item["x"],"unsafe")`, Offset: 31}}},
					{Rule: "exscan.file.unexpected-aspnet-page", Title: "ASP.NET page in aspnet_client", Severity: High, Source: "heuristic"},
				}}
		},
		"iis-request": func() *Finding {
			return &Finding{Kind: KindLog, Path: "/mnt/image/C/inetpub/logs/LogFiles/W3SVC1/u_ex210303.log",
				HostPath: `C:\inetpub\logs\LogFiles\W3SVC1\u_ex210303.log`, Line: 12, LogFormat: "iis",
				Timestamp: "2021-03-03T03:12:44Z", ClientIP: "203.0.113.7",
				Reasons: []Reason{{Rule: "exscan.log.webshell-file-access", Title: "Request to a webshell found on disk", Severity: Critical, Source: "heuristic",
					Evidence: []Evidence{{Name: "cs-method", Value: "POST"}, {Name: "cs-uri-stem", Value: "/aspnet_client/system_web/discover.aspx"}, {Name: "sc-status", Value: "200"}}}}}
		},
		"httpproxy-no-hostpath": func() *Finding {
			return &Finding{Kind: KindLog, Path: "/cases/exch01/Logging/HttpProxy/Ecp/HttpProxy_2021030306-1.LOG",
				Line: 7, LogFormat: "httpproxy", Timestamp: "2021-03-03T02:13:04Z", ClientIP: "203.0.113.7",
				Reasons: []Reason{{Rule: "exscan.log.proxylogon.ssrf_resource_routing", Title: "ProxyLogon SSRF", Severity: High, Source: "sigma",
					CVEs: []string{"CVE-2021-26855"}, Evidence: []Evidence{{Name: "AnchorMailbox", Value: "ServerInfo~a]@exch01.corp.local:444/ecp/y.js"}}}}}
		},
		"evtx-record": func() *Finding {
			return &Finding{Kind: KindLog, Path: "/mnt/image/C/Windows/System32/winevt/Logs/Security.evtx",
				HostPath: `C:\Windows\System32\winevt\Logs\Security.evtx`, Line: 4711, LogFormat: "evtx",
				Channel: "Security", EventID: "4688", Computer: "EXCH01.corp.local", Timestamp: "2021-03-03T03:15:00.1234567Z",
				Reasons: []Reason{{Rule: "exscan.windows.w3wp_spawns_shell", Title: "IIS worker process starts a shell", Severity: High, Source: "sigma",
					Evidence: []Evidence{{Name: "ParentImage", Value: `C:\Windows\System32\inetsrv\w3wp.exe`}, {Name: "CommandLine", Value: `cmd.exe /c whoami`}}}}}
		},
	}
}

func fingerprintOf(f *Finding) string {
	f.Fingerprint = ""
	f.Finalize()
	return f.Fingerprint
}

func readExpected(t *testing.T) map[string]string {
	t.Helper()
	fh, err := os.Open("testdata/fingerprints.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	want := map[string]string{}
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, fp, ok := strings.Cut(line, "\t")
		if !ok {
			t.Fatalf("testdata/fingerprints.tsv: want NAME<tab>FINGERPRINT, got %q", line)
		}
		want[name] = fp
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return want
}

// TestFingerprintStable compares with the checked-in values and checks
// that computing again (a second run, Finalize called twice) gives the same.
func TestFingerprintStable(t *testing.T) {
	want := readExpected(t)
	cases := fingerprintCases()
	if len(want) != len(cases) {
		t.Errorf("testdata/fingerprints.tsv has %d entries, the test %d cases", len(want), len(cases))
	}
	for name, mk := range cases {
		f := mk()
		f.Finalize()
		got := f.Fingerprint
		if len(got) != 32 {
			t.Errorf("%s: fingerprint %q is not 32 hex digits", name, got)
		}
		if got != want[name] {
			t.Errorf("%s: fingerprint %s, want %s (a changed fingerprint re-reports ignored and already seen findings everywhere)", name, got, want[name])
		}
		f.Finalize()
		if f.Fingerprint != got {
			t.Errorf("%s: a second Finalize changed the fingerprint: %s, then %s", name, got, f.Fingerprint)
		}
		if again := fingerprintOf(mk()); again != got {
			t.Errorf("%s: a fresh copy gives %s, the first %s", name, again, got)
		}
	}
}

// TestFingerprintIgnores changes what does not make it another hit: the
// fingerprint must stay.
func TestFingerprintIgnores(t *testing.T) {
	changes := []struct {
		name   string
		cases  []string // "" = all
		change func(*Finding)
	}{
		{"severity raised by scoring", nil, func(f *Finding) { f.Severity = Critical; f.Scoring = "two strong reasons" }},
		{"title and description reworded", nil, func(f *Finding) {
			for i := range f.Reasons {
				f.Reasons[i].Title += " (reworded)"
				f.Reasons[i].Description = "another description"
			}
		}},
		{"campaigns, CVEs, ATT&CK and references added", nil, func(f *Finding) {
			f.Reasons[0].Campaigns = append(f.Reasons[0].Campaigns, "hafnium")
			f.Reasons[0].CVEs = append(f.Reasons[0].CVEs, "CVE-2021-27065")
			f.Reasons[0].Attack = append(f.Reasons[0].Attack, "T1505.003")
			f.Reasons[0].References = append(f.Reasons[0].References, "https://example.org/report")
		}},
		{"context and related files", nil, func(f *Finding) {
			f.Context = nil
			f.Attribution = "someone"
			f.Related = []string{"/elsewhere/shell.aspx"}
		}},
		{"a weaker reason added", nil, func(f *Finding) {
			f.Reasons = append(f.Reasons, Reason{Rule: "ioc.ip", Title: "known IP", Severity: Low, Source: "ioc"})
		}},
		{"path separators and case of the host path", nil, func(f *Finding) {
			if f.HostPath != "" {
				f.HostPath = strings.ToUpper(strings.ReplaceAll(f.HostPath, `\`, "/"))
			} else {
				f.Path = strings.ToUpper(f.Path)
			}
		}},
		{"image mounted elsewhere (host path known)", []string{"file-webshell", "iis-request", "evtx-record"}, func(f *Finding) {
			f.Path = strings.Replace(f.Path, "/mnt/image/C", "/media/case42/C", 1)
		}},
		{"line number of a web log record (log rotated or re-read)", []string{"iis-request", "httpproxy-no-hostpath"}, func(f *Finding) { f.Line += 1000 }},
		{"log format label", []string{"iis-request", "httpproxy-no-hostpath"}, func(f *Finding) { f.LogFormat = "w3c" }},
		{"file times, size and other hashes", []string{"file-webshell"}, func(f *Finding) {
			n := int64(99)
			f.MTime, f.Size, f.MD5, f.SHA1 = "2024-01-01T00:00:00Z", &n, "", "da39a3ee5e6b4b0d3255bfef95601890afd80709"
		}},
		{"YARA evidence of a file (offsets, strings)", []string{"file-webshell"}, func(f *Finding) {
			f.Reasons[0].Evidence = []Evidence{{Name: "$other", Value: "x", Offset: 999}}
		}},
		{"event id label and computer of an event record", []string{"evtx-record"}, func(f *Finding) {
			f.Computer = "other"
			f.EventID = "1"
		}},
	}
	for _, c := range changes {
		eachChanged(c.cases, c.change, func(name, base, got string) {
			if got != base {
				t.Errorf("%s, %s: fingerprint changed from %s to %s", name, c.name, base, got)
			}
		})
	}
}

// TestFingerprintIdentity changes what makes it another hit: the
// fingerprint must change.
func TestFingerprintIdentity(t *testing.T) {
	changes := []struct {
		name   string
		cases  []string
		change func(*Finding)
	}{
		{"rule", nil, func(f *Finding) { f.Reasons[0].Rule += ".v2" }},
		{"file on the host", nil, func(f *Finding) {
			if f.HostPath != "" {
				f.HostPath += ".bak"
			} else {
				f.Path += ".bak"
			}
		}},
		{"file content", []string{"file-webshell"}, func(f *Finding) {
			f.SHA256 = "0000000000000000000000000000000000000000000000000000000000000000"
		}},
		{"record time", []string{"iis-request", "httpproxy-no-hostpath", "evtx-record"}, func(f *Finding) { f.Timestamp = "2021-03-04T00:00:00Z" }},
		{"client address", []string{"iis-request", "httpproxy-no-hostpath"}, func(f *Finding) { f.ClientIP = "198.51.100.1" }},
		{"matched field value", []string{"iis-request", "httpproxy-no-hostpath", "evtx-record"}, func(f *Finding) {
			e := f.Reasons[0].Evidence
			e[len(e)-1].Value += "x"
		}},
		{"event record id", []string{"evtx-record"}, func(f *Finding) { f.Line++ }},
		{"event channel", []string{"evtx-record"}, func(f *Finding) { f.Channel = "System" }},
	}
	for _, c := range changes {
		eachChanged(c.cases, c.change, func(name, base, got string) {
			if got == base {
				t.Errorf("%s, %s: fingerprint stayed %s", name, c.name, got)
			}
		})
	}
}

// eachChanged applies change to a fresh copy of each case named in only
// (all when nil) and passes the fingerprints before and after to check.
func eachChanged(only []string, change func(*Finding), check func(name, base, got string)) {
	for name, mk := range fingerprintCases() {
		if only != nil && !contains(only, name) {
			continue
		}
		f := mk()
		change(f)
		check(name, fingerprintOf(mk()), fingerprintOf(f))
	}
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
