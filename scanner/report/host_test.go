package report

import (
	"strings"
	"testing"

	"exscan/iocs"
	"exscan/scanner/finding"
)

func buildOf(t *testing.T, s string) *finding.ExchangeBuild {
	v, ok := iocs.ParseVersion(s)
	if !ok {
		t.Fatal(s)
	}
	r, _ := iocs.LookupBuild(v)
	return &finding.ExchangeBuild{Build: s, Exact: true, Name: r.Name, From: "test", Exposure: iocs.BuildExposure(v)}
}

// TestNextSteps: the steps fit the verdict and what was found: evidence
// before removal (naming the zip when there is one), credentials after a
// credential dump, the build that fixes the chains seen.
func TestNextSteps(t *testing.T) {
	shell := finding.Finding{Kind: finding.KindFile, Severity: finding.Critical, HostPath: `C:\inetpub\wwwroot\aspnet_client\s.aspx`, Attack: []string{"T1505.003"}, Campaigns: []string{"proxylogon"}}
	dump := finding.Finding{Kind: finding.KindFile, Severity: finding.Critical, HostPath: `C:\Windows\Temp\lsass.dmp`, Attack: []string{"T1003.001"}}
	probe := finding.Finding{Kind: finding.KindLog, Severity: finding.High, Campaigns: []string{"proxyshell"}}
	cleared := finding.Finding{Kind: finding.KindLog, Severity: finding.Medium, Channel: "Security", EventID: "1102"}
	scan := finding.Finding{Kind: finding.KindLog, Severity: finding.Medium, Campaigns: []string{"webshell-generic"}}
	cases := []struct {
		name     string
		fs       []finding.Finding
		build    string
		collect  string
		want     []string
		wantNot  []string
		verdict  string
		firstHas string
	}{
		{"webshell, no zip", []finding.Finding{shell}, "15.1.2176.2", "", []string{"--collect", `s.aspx`, "15.1.2176.9", "ProxyLogon (seen in the findings)"}, []string{"krbtgt", "ProxyShell"}, VerdictCompromised, "--collect"},
		{"webshell, zip, dump", []finding.Finding{shell, dump}, "15.1.2176.2", "case.zip", []string{"case.zip", "krbtgt"}, []string{"--collect evidence.zip"}, VerdictCompromised, "case.zip"},
		{"attempt on a patched build", []finding.Finding{probe}, "15.1.2176.14", "", []string{"each attempt"}, []string{"Patch", "--collect"}, VerdictAttempted, "each attempt"},
		{"attempt on an open build", []finding.Finding{probe}, "15.1.2176.12", "", []string{"ProxyShell (seen in the findings), fixed from 15.1.2176.14"}, []string{"ProxyLogon", "--collect"}, VerdictAttempted, "Patch"},
		{"no build known", []finding.Finding{probe}, "", "", []string{"Get-Command ExSetup.exe", "ProxyShell"}, nil, VerdictAttempted, "Patch"},
		{"cleared event log", []finding.Finding{cleared}, "15.1.2176.14", "", []string{"whoever administers the server"}, []string{"requests that were answered", "--collect"}, VerdictSuspicious, "Patch"},
		{"event log and web probing", []finding.Finding{cleared, scan}, "15.1.2176.14", "", []string{"whoever administers the server", "requests that were answered"}, nil, VerdictSuspicious, "Patch"},
	}
	for _, c := range cases {
		var tl Tally
		for i := range c.fs {
			tl.Add(&c.fs[i])
		}
		s := &finding.Summary{Findings: map[string]int64{}}
		if c.build != "" {
			s.Exchange = buildOf(t, c.build)
		}
		s.Verdict, _ = tl.Verdict(s, true)
		if s.Verdict != c.verdict {
			t.Fatalf("%s: verdict %s, want %s", c.name, s.Verdict, c.verdict)
		}
		steps := tl.NextSteps(s, c.collect)
		all := strings.Join(steps, "\n")
		for _, w := range c.want {
			if !strings.Contains(all, w) {
				t.Errorf("%s: no %q in\n%s", c.name, w, all)
			}
		}
		for _, w := range c.wantNot {
			if strings.Contains(all, w) {
				t.Errorf("%s: %q does not fit, in\n%s", c.name, w, all)
			}
		}
		if len(steps) == 0 || !strings.Contains(steps[0], c.firstHas) {
			t.Errorf("%s: first step %q, want one with %q", c.name, steps, c.firstHas)
		}
	}
}

func TestBuildText(t *testing.T) {
	b := buildOf(t, "15.1.2176.12")
	got := BuildText(b)
	for _, w := range []string{"15.1.2176.12", "Exchange 2016 CU19 Apr21SU", "ProxyLogon: fixed", "ProxyShell: partly fixed, CVE-2021-31207 open", "ProxyNotShell: vulnerable, and no fix"} {
		if !strings.Contains(got, w) {
			t.Errorf("no %q in %q", w, got)
		}
	}
	if BuildText(nil) != "" || BuildExposureLine(nil) != "" {
		t.Error("text for no build")
	}
	line := BuildExposureLine(b)
	if want := "The server runs Exchange build 15.1.2176.12 (Exchange 2016 CU19 Apr21SU): vulnerable to ProxyNotShell and OWASSRF; partly fixed for ProxyShell; fixed for ProxyLogon."; line != want {
		t.Errorf("BuildExposureLine:\n got %q\nwant %q", line, want)
	}
}
