package report

import (
	"strings"
	"testing"

	"exscan/scanner/finding"
)

func TestVerdicts(t *testing.T) {
	logHigh := func(outcome string) *finding.Finding {
		return &finding.Finding{Kind: finding.KindLog, Severity: finding.High, Reasons: []finding.Reason{{Severity: finding.High, Outcome: outcome}}}
	}
	exch := &finding.HostLayout{Found: []finding.LayoutEntry{{Role: "exchange-install"}}}
	long := []finding.Coverage{{Family: "httpproxy/Ecp", Records: 10, Days: 90}}
	cases := []struct {
		name     string
		findings []*finding.Finding
		sum      finding.Summary
		logs     bool
		want     string
	}{
		{"webshell file", []*finding.Finding{{Kind: finding.KindFile, Severity: finding.High}}, finding.Summary{}, true, VerdictCompromised},
		{"answered webshell request", []*finding.Finding{logHigh("success")}, finding.Summary{}, true, VerdictCompromised},
		{"high attempt", []*finding.Finding{logHigh("")}, finding.Summary{}, true, VerdictAttempted},
		{"unreadable items", nil, finding.Summary{Skipped: map[string]int64{"permission-denied": 2}}, true, VerdictIncomplete},
		{"no logs", nil, finding.Summary{}, true, VerdictNoCoverage},
		{"no httpproxy on exchange", nil, finding.Summary{LogFiles: 3, Host: exch, Coverage: []finding.Coverage{{Family: "iis/W3SVC1", Records: 5, Days: 60}}}, true, VerdictNoCoverage},
		{"short logs", nil, finding.Summary{LogFiles: 1, Coverage: []finding.Coverage{{Family: "iis", Records: 5, Days: 3, TooShort: true}}}, true, VerdictNoCoverage},
		{"clean", nil, finding.Summary{LogFiles: 1, Host: exch, Coverage: long}, true, VerdictClean},
		{"files only", nil, finding.Summary{}, false, VerdictClean},
	}
	for _, c := range cases {
		var tl Tally
		for _, f := range c.findings {
			tl.Add(f)
		}
		if got, text := tl.Verdict(&c.sum, c.logs); got != c.want || text == "" {
			t.Errorf("%s: verdict %s (%q), want %s", c.name, got, text, c.want)
		}
	}
}

func TestVerdictTextNamesFilesCheckedWithoutYARA(t *testing.T) {
	s := &finding.Summary{FilesSeen: 10, FilesScanned: 10, Bytes: 3 << 20, YARARuledOut: finding.FileCount{Files: 4, Bytes: 2 << 20}}
	if got, want := verdictText(s), "4 of them (2.0 MiB) without YARA because no rule can match their size and first bytes"; !strings.Contains(got, want) {
		t.Errorf("verdict text %q does not say %q", got, want)
	}
	s.YARARuledOut = finding.FileCount{}
	if got := verdictText(s); strings.Contains(got, "without YARA") {
		t.Errorf("verdict text %q mentions YARA with nothing left out", got)
	}
}

// TestVerdictSecurityLogCoverage: a Security event log that covers only
// days is named in the verdict, whatever the verdict is.
func TestVerdictSecurityLogCoverage(t *testing.T) {
	sum := finding.Summary{LogFiles: 2, Coverage: []finding.Coverage{
		{Family: "httpproxy/Ecp", Records: 10, Days: 90},
		{Family: "evtx/Security", Records: 5000, Days: 2.5, Earliest: "2021-03-01T00:00:00Z", TooShort: true},
	}}
	var tl Tally
	v, text := tl.Verdict(&sum, true)
	if v != VerdictClean || !strings.Contains(text, "Security event log covers only 2.5 days (from 2021-03-01T00:00:00Z)") {
		t.Errorf("verdict %s: %q", v, text)
	}
	sum.Coverage[1].Days, sum.Coverage[1].TooShort = 45, false
	if _, text := tl.Verdict(&sum, true); strings.Contains(text, "Security event log") {
		t.Errorf("long Security log named: %q", text)
	}
}
