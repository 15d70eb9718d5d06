package iocs

// Severity policy of the built-in lists (README.md has the reasoning):
//
//   - the hash of a known-bad file: critical;
//   - a known webshell file name or path in an Exchange or IIS web folder: high;
//   - a name or path that is also the name of a file Microsoft ships (for example
//     ecp\auth\TimeoutLogout.aspx, owa\auth\errorFE.aspx, owa\auth\logon.aspx):
//     low; it gains weight only together with a hash, baseline or content hit,
//     which the scanner decides. Set.Path also caps every entry at low on the
//     pages Microsoft ships under FrontEnd\HttpProxy, whatever list it came from;
//   - a known-bad IP or domain: high;
//   - a user agent: medium (an ordinary browser string used by a proof of
//     concept: low);
//   - a request for a known webshell URL path: medium; the scanner raises it
//     when the response status shows the request succeeded.
//
// Loki lists carry a score instead: see severityForScore.
const (
	SeverityCritical = "critical"
	SeverityHigh     = "high"
	SeverityMedium   = "medium"
	SeverityLow      = "low"
	SeverityInfo     = "info"
)

var severityNames = []string{SeverityInfo, SeverityLow, SeverityMedium, SeverityHigh, SeverityCritical}

// severityRank orders severities; -1 for an unknown name.
func severityRank(s string) int {
	for i, n := range severityNames {
		if s == n {
			return i
		}
	}
	return -1
}

// scoreFor gives an entry from an exscan list a Loki-style score (Loki: 100
// and more is an alert, 60 a warning, 40 a notice).
func scoreFor(severity string) int {
	switch severity {
	case SeverityCritical:
		return 100
	case SeverityHigh:
		return 80
	case SeverityMedium:
		return 60
	case SeverityLow:
		return 40
	}
	return 20
}

// severityForScore maps a Loki score. Hashes follow Loki's labels (below 80
// "suspicious", else "malware"); names, paths and C2 entries: 80 and more
// high, 60 medium, 40 low, less info. A name never becomes critical by score
// alone.
func severityForScore(k Kind, score int) string {
	switch k {
	case KindMD5, KindSHA1, KindSHA256:
		if score >= 80 {
			return SeverityCritical
		}
		return SeverityMedium
	}
	switch {
	case score >= 80:
		return SeverityHigh
	case score >= 60:
		return SeverityMedium
	case score >= 40:
		return SeverityLow
	}
	return SeverityInfo
}

// defaultSeverity is used when an exscan list leaves the column empty.
func defaultSeverity(k Kind) string {
	switch k {
	case KindMD5, KindSHA1, KindSHA256:
		return SeverityCritical
	case KindFilename, KindPath, KindIP, KindDomain:
		return SeverityHigh
	}
	return SeverityMedium
}
