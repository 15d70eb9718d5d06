package scanner

import (
	"fmt"
	"strings"

	"exscan/scanner/finding"
)

// Score is the one place where a file finding's severity is decided. The
// rules and indicators give each reason a base severity; the finding gets:
//
//  1. the highest base severity of its reasons;
//  2. +1 level when the file sits in an Exchange auth folder (owa\auth,
//     ecp\auth, aspnet_client) and a content rule (YARA, at least low) or
//     an indicator of at least medium matched: the same trait weighs more
//     where HAFNIUM-era webshells were planted than in an application
//     folder. Low indicators (a Microsoft page's own name in a feed) gain
//     no weight from the folder: they need a hash or content hit;
//  3. +1 level when reasons from two different sources (YARA, IOC,
//     heuristic) each reach medium: independent evidence corroborates;
//  4. capped at critical. Info reasons never raise a finding.
func Score(location string, reasons []finding.Reason) finding.Severity {
	sev, _ := ScoreExplained(location, reasons)
	return sev
}

// ScoreExplained is Score with a note saying why the severity is above the
// strongest reason's ("" when it is not), for the report.
func ScoreExplained(location string, reasons []finding.Reason) (finding.Severity, string) {
	if len(reasons) == 0 {
		return finding.Info, ""
	}
	sev := finding.Info
	sources := map[string]bool{}
	contentInAuth := false
	for _, r := range reasons {
		if r.Severity > sev {
			sev = r.Severity
		}
		if r.Severity >= finding.Medium {
			sources[r.Source] = true
		}
		if location == LocAuth && (r.Source == finding.SourceYARA && r.Severity >= finding.Low || r.Source == finding.SourceIOC && r.Severity >= finding.Medium) {
			contentInAuth = true
		}
	}
	if sev == finding.Info {
		return sev, ""
	}
	base := sev
	var notes []string
	if contentInAuth {
		sev++
		notes = append(notes, "+1: in an Exchange auth folder or aspnet_client, where webshells were planted")
	}
	if len(sources) >= 2 {
		sev++
		notes = append(notes, fmt.Sprintf("+1: %d independent kinds of evidence at medium or above", len(sources)))
	}
	if sev > finding.Critical {
		sev = finding.Critical
	}
	if sev == base {
		return sev, ""
	}
	return sev, fmt.Sprintf("raised from %s to %s (%s)", base, sev, strings.Join(notes, "; "))
}
