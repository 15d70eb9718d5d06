package scanner

import (
	"strings"
	"testing"

	"exscan/iocs"
	"exscan/rules"
	"exscan/scanner/finding"
	"exscan/scanner/logs"
)

// readIIS runs RecordChecks over IIS lines as watch reads appended lines:
// one logs.Pass per read, with the prefilter of the moment.
func readIIS(t *testing.T, e *Engine, lc *LogChecks, body string) logs.PassResult {
	t.Helper()
	const head = "#Software: Microsoft Internet Information Services 10.0\n#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken\n"
	rd, err := logs.NewReader(strings.NewReader(head+body), `C:\inetpub\logs\LogFiles\W3SVC1\u_ex250101.log`)
	if err != nil {
		t.Fatal(err)
	}
	res, err := logs.Pass{Checks: e.RecordChecks(lc, "u_ex250101.log", "")}.Run(rd)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestRecordChecksFollowWebshells: with the line prefilter on, a log
// followed while the file checks run (watch) still ties requests to
// webshells: a request for a script page read before its webshell was
// found becomes a finding when it is, and one read after uses a
// prefilter rebuilt with the webshell's URL. Lines no check needs are
// still ruled out.
func TestRecordChecksFollowWebshells(t *testing.T) {
	// The indicator lists and the webshell correlation (the built-in
	// Sigma rules flag pages in the auth folders on their own).
	var ss *rules.SigmaSet
	set, err := iocs.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	var got []finding.Finding
	e := New(Options{Sigma: ss, IOCs: set, RecentRequests: 64}, func(f finding.Finding) { got = append(got, f) })
	lc := e.LogChecks(e.Webshells())
	line := func(stem string) string {
		return "2025-01-01 10:00:00 10.0.0.5 GET " + stem + " - 443 - 10.0.0.20 Mozilla/5.0 - 200 0 0 12\n"
	}
	res := readIIS(t, e, lc, line("/owa/")+line("/owa/auth/shell1.aspx")+line("/owa/"))
	if len(got) != 0 || res.Stats.Skimmed != 2 {
		t.Fatalf("before any webshell: %d findings %+v, %d lines ruled out (want 0, 2)", len(got), got, res.Stats.Skimmed)
	}
	e.noteWebshell("/mnt/x/shell1.aspx", `C:\Program Files\Microsoft\Exchange Server\V15\FrontEnd\HttpProxy\owa\auth\shell1.aspx`)
	if len(got) != 1 || got[0].Reasons[0].Rule != ruleWebshellAccess {
		t.Fatalf("the request read before the webshell was found: %d findings %+v", len(got), got)
	}
	// Without kept requests, script pages are ruled out until their
	// webshell is known; then the prefilter is rebuilt with its URL.
	got = nil
	e = New(Options{Sigma: ss, IOCs: set}, func(f finding.Finding) { got = append(got, f) })
	lc = e.LogChecks(e.Webshells())
	shell := line("/owa/x/shell2.ashx")
	if res = readIIS(t, e, lc, shell+line("/owa/")); len(got) != 0 || res.Stats.Skimmed != 2 {
		t.Fatalf("no webshell known: %d findings, %d lines ruled out (want 0, 2)", len(got), res.Stats.Skimmed)
	}
	e.noteWebshell("/mnt/x/shell2.ashx", `C:\inetpub\wwwroot\owa\x\shell2.ashx`)
	res = readIIS(t, e, lc, shell+line("/owa/"))
	if len(got) != 1 || got[0].Reasons[0].Rule != ruleWebshellAccess || res.Stats.Skimmed != 1 {
		t.Fatalf("after the webshell was found: %d findings %+v, %d lines ruled out", len(got), got, res.Stats.Skimmed)
	}
}
