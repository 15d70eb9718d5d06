package scanner

import (
	"exscan/iocs"
	"exscan/scanner/finding"
)

// iocReason turns an indicator entry that matched into a Reason.
func iocReason(en *iocs.Entry, rule, title, matched string) finding.Reason {
	sev, err := finding.ParseSeverity(en.Severity)
	if err != nil {
		sev = finding.Medium
	}
	desc := en.Description
	if desc == "" {
		desc = title
	}
	r := finding.Reason{
		Rule:        rule,
		Title:       title + ": " + desc,
		Severity:    sev,
		Source:      SourceIOC,
		Author:      en.Source,
		Description: "Indicator from " + en.Source + " (" + en.Date + "): " + desc,
		Campaigns:   en.Campaigns,
		Evidence:    []finding.Evidence{{Name: string(en.Kind), Value: matched}},
	}
	if en.Reference != "" {
		r.References = []string{en.Reference}
	}
	if len(r.Campaigns) == 0 {
		r.Campaigns = []string{"webshell-generic"}
	}
	return r
}
