package report

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"exscan/scanner/finding"
)

// TestTextGroups: 3,000 probes from one client with one rule are one text
// entry with the count, first and last time and three examples; another
// client or rule is its own entry; a lone finding keeps its full form.
func TestTextGroups(t *testing.T) {
	var b bytes.Buffer
	w, _ := New("text", &b)
	w.Start(Meta{Command: "logs", Version: "test"})
	for _, f := range probes(3000, time.Second) {
		w.Finding(f)
	}
	w.Finish(&finding.Summary{Verdict: VerdictSuspicious, Findings: map[string]int64{"medium": 3002}})
	out := b.String()
	for _, want := range []string{
		"MEDIUM (3002 findings in 3 entries: same rule and same client or file)",
		"count     3000 findings, client 198.51.100.9",
		"seen      2021-08-23T00:00:00Z .. 2021-08-23T00:49:59Z",
		"example   /l/u_ex210823.log:3  2021-08-23T00:00:02Z  cs-uri-stem: /owa/auth/x2.aspx",
		"... 2997 more: each finding is its own record in --format jsonl or csv",
		"client 198.51.100.10", // the other client: a lone finding, full form
	} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in the report", want)
		}
	}
	if n := strings.Count(out, "\n"); n > 80 {
		t.Errorf("the report is %d lines for 3 entries", n)
	}
	if n := len(regexp.MustCompile(`(?m)^  \[\d+\] `).FindAllString(out, -1)); n != 3 {
		t.Errorf("%d entries, want 3", n)
	}
}

// probes are n medium findings of rule probe.a from one client, one
// second apart (step), then one from another client and one of rule
// probe.b from the first client.
func probes(n int, step time.Duration) []*finding.Finding {
	var fs []*finding.Finding
	base := time.Date(2021, 8, 23, 0, 0, 0, 0, time.UTC)
	add := func(ip, rule string, i int) {
		f := &finding.Finding{Kind: finding.KindLog, Path: "/l/u_ex210823.log", Line: i + 1, ClientIP: ip,
			Timestamp: base.Add(time.Duration(i) * step).Format(time.RFC3339),
			Reasons:   []finding.Reason{{Rule: rule, Title: "probe " + rule, Severity: finding.Medium, Evidence: []finding.Evidence{{Name: "cs-uri-stem", Value: fmt.Sprintf("/owa/auth/x%d.aspx", i)}}}}}
		f.Finalize()
		fs = append(fs, f)
	}
	for i := 0; i < n; i++ {
		add("198.51.100.9", "probe.a", i)
	}
	add("198.51.100.10", "probe.a", n+1)
	add("198.51.100.9", "probe.b", n+2)
	return fs
}
