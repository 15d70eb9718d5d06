package report

import (
	"strings"
	"testing"

	"exscan/scanner/finding"
)

func TestVerdictLocationOnly(t *testing.T) {
	page := finding.Finding{Kind: finding.KindFile, Severity: finding.Medium, Reasons: []finding.Reason{
		{Rule: ruleUnexpectedPage, Severity: finding.Medium, Source: "heuristic"},
		{Rule: "exscan.webshell.capability.score", Severity: finding.Low, Source: "yara"},
	}}
	var tl Tally
	tl.Add(&page)
	v, text := tl.Verdict(&finding.Summary{}, false)
	if v != VerdictSuspicious || !strings.Contains(text, "location alone is not compromise") {
		t.Errorf("location-only page: %s %q", v, text)
	}
	// A content trait at medium makes it an ordinary medium finding.
	withContent := page
	withContent.Reasons = append([]finding.Reason{}, page.Reasons...)
	withContent.Reasons[1].Severity = finding.Medium
	var t2 Tally
	t2.Add(&withContent)
	if _, text := t2.Verdict(&finding.Summary{}, false); strings.Contains(text, "location alone") {
		t.Errorf("page with a content trait called location-only: %q", text)
	}
}
