package scanner

import (
	"exscan/iocs"
	"exscan/scanner/finding"
	"exscan/scanner/logcheck"
)

// iocReason turns an indicator entry that matched a file into a Reason,
// the same way the log checks do.
func iocReason(en *iocs.Entry, rule, title, matched string) finding.Reason {
	return logcheck.IndicatorReason(en, rule, title, string(en.Kind), matched)
}
