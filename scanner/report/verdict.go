package report

import (
	"fmt"
	"strings"

	"exscan/scanner/finding"
)

// Verdicts, from worst to best.
const (
	VerdictCompromised = "compromised"
	VerdictAttempted   = "exploitation-attempted"
	VerdictSuspicious  = "suspicious"
	VerdictNoCoverage  = "not-enough-log-coverage"
	VerdictIncomplete  = "incomplete"
	VerdictClean       = "nothing-found"
)

// Tally watches findings go by and decides the verdict.
type Tally struct {
	FileHigh, FileCritical int
	LogCritical, LogHigh   int
	LogSuccess             int // log findings at high or above that record a success
	LogMedium, Other       int
	// FileReview counts file findings at medium that rest on the location
	// alone (a page Microsoft does not ship in an Exchange auth folder,
	// with no content trait): pages to review, not compromise.
	FileReview int
	// EventReview counts event-log findings at medium (a cleared log, a new
	// local administrator, a service install) without attack context:
	// admin events to confirm with whoever runs the server.
	EventReview int
	BySeverity  map[finding.Severity]int
	Campaigns   map[string]int
	Webshells   []string // files at high or above with webshell traits (ATT&CK T1505.003)
	Credentials int      // findings at high or above of credential dumping (T1003)
}

// Add counts one finding.
func (t *Tally) Add(f *finding.Finding) {
	if t.BySeverity == nil {
		t.BySeverity = map[finding.Severity]int{}
		t.Campaigns = map[string]int{}
	}
	t.BySeverity[f.Severity]++
	for _, c := range f.Campaigns {
		t.Campaigns[c]++
	}
	if f.Severity >= finding.High {
		for _, a := range f.Attack {
			switch {
			case a == "T1505.003" && f.Kind == finding.KindFile:
				p := f.HostPath
				if p == "" {
					p = f.Path
				}
				t.Webshells = append(t.Webshells, p)
			case strings.HasPrefix(a, "T1003"):
				t.Credentials++
			}
		}
	}
	if f.Kind == finding.KindLog && f.Severity >= finding.High && (f.Severity == finding.Critical || f.Succeeded()) {
		t.LogSuccess++
	}
	switch {
	case f.Kind == finding.KindFile && f.Severity == finding.Critical:
		t.FileCritical++
	case f.Kind == finding.KindFile && f.Severity == finding.High:
		t.FileHigh++
	case f.Kind == finding.KindLog && f.Severity == finding.Critical:
		t.LogCritical++
	case f.Kind == finding.KindLog && f.Severity == finding.High:
		t.LogHigh++
	case f.Severity == finding.Medium:
		t.LogMedium++
		if f.Kind == finding.KindFile && locationOnly(f) {
			t.FileReview++
		}
		if f.Kind == finding.KindLog && f.Channel != "" {
			t.EventReview++
		}
	default:
		t.Other++
	}
}

// Verdict decides the one-word verdict and explains it in a sentence.
// logsExpected says whether the command was meant to read logs (scan,
// logs); then short or missing log coverage makes a clean result
// inconclusive.
func (t *Tally) Verdict(s *finding.Summary, logsExpected bool) (string, string) {
	v, text := t.verdict(s, logsExpected)
	if n := securityLogNote(s); n != "" {
		text += " " + n
	}
	if b := BuildExposureLine(s.Exchange); b != "" {
		text += " " + b
	}
	return v, text
}

// securityLogNote says when the Security event log reaches back only
// days: on a busy server it rolls over fastest, and the logons, process
// starts and account changes of an older intrusion are gone from it.
func securityLogNote(s *finding.Summary) string {
	for _, c := range s.Coverage {
		if c.Family == "evtx/Security" && c.TooShort {
			return fmt.Sprintf("The Security event log covers only %.1f days (from %s): logons, process starts and account changes before that are not in it.", c.Days, c.Earliest)
		}
	}
	return ""
}

func (t *Tally) verdict(s *finding.Summary, logsExpected bool) (string, string) {
	switch {
	case t.FileCritical+t.FileHigh > 0 || t.LogSuccess > 0:
		parts := []string{}
		if n := t.FileCritical + t.FileHigh; n > 0 {
			parts = append(parts, fmt.Sprintf("%d file(s) with webshell or attack-tool traits", n))
		}
		if t.LogSuccess > 0 {
			parts = append(parts, fmt.Sprintf("%d log record(s) of successful exploitation or webshell use", t.LogSuccess))
		}
		return VerdictCompromised, "Signs of compromise: " + strings.Join(parts, " and ") + ". Treat the server as compromised: preserve evidence, then follow your incident response plan."
	case t.LogHigh > 0:
		return VerdictAttempted, fmt.Sprintf("Exploitation attempts in the logs (%d high-severity record(s)), but no webshell and no record that shows the exploitation succeeded. Check whether the server was patched at the time of each attempt.", t.LogHigh)
	case t.LogMedium > 0 && t.FileReview == t.LogMedium:
		return VerdictSuspicious, fmt.Sprintf("%d page(s) in an Exchange auth folder or aspnet_client that Microsoft does not ship, with no webshell trait in their content and no log record of use: location alone is not compromise. Review each page (a custom logon page or a leftover is benign; anything else, treat as a webshell).", t.FileReview)
	case t.LogMedium > 0 && t.FileReview > 0:
		return VerdictSuspicious, fmt.Sprintf("%d medium-severity finding(s): probing or weak traits, %d of them page(s) in an Exchange auth folder that rest on their location alone (no content trait). Review each one.", t.LogMedium, t.FileReview)
	case t.LogMedium > 0:
		return VerdictSuspicious, fmt.Sprintf("%d medium-severity finding(s): probing or weak traits. Review each entry of the report (findings with the same rule and client are grouped).", t.LogMedium)
	}
	if n := s.Skipped["permission-denied"] + s.Skipped["read-error"]; n > 0 {
		return VerdictIncomplete, fmt.Sprintf("Nothing found in what could be read, but %d item(s) could not be read (permission denied or read errors; --verbose lists them). Run exscan with rights to read everything (Administrator, root) or check the image, then scan again.", n)
	}
	if logsExpected {
		if s.Host != nil && hasRole(s.Host, "exchange-install") && !hasFamily(s, "httpproxy") {
			return VerdictNoCoverage, "Nothing found, but no Exchange HttpProxy log was read (Logging\\HttpProxy): ProxyLogon's SSRF and most Exchange exploitation show only there, so a clean result says little."
		}
		short := []string{}
		for _, c := range s.Coverage {
			if c.TooShort {
				short = append(short, fmt.Sprintf("%s (%.1f days)", c.Family, c.Days))
			}
		}
		if s.LogFiles == 0 {
			return VerdictNoCoverage, "Nothing found, but no log was read: without logs, exploitation that left no file behind cannot be seen."
		}
		if len(short) == len(s.Coverage) && len(short) > 0 {
			return VerdictNoCoverage, "Nothing found, but the logs reach back less than " + fmt.Sprint(30) + " days (" + strings.Join(short, ", ") + "): a clean result says little about earlier attacks."
		}
	}
	return VerdictClean, "Nothing found at or above the reporting threshold in what was scanned."
}

// ruleUnexpectedPage is scanner.RuleUnexpectedPage (the location-only
// auth-folder reason; report cannot import scanner).
const ruleUnexpectedPage = "exscan.file.unexpected-aspnet-page"

// locationOnly says whether every reason of f at medium or above is the
// location-only auth-folder reason.
func locationOnly(f *finding.Finding) bool {
	n := 0
	for _, r := range f.Reasons {
		if r.Severity < finding.Medium {
			continue
		}
		if r.Rule != ruleUnexpectedPage {
			return false
		}
		n++
	}
	return n > 0
}

func hasRole(h *finding.HostLayout, role string) bool {
	for _, e := range h.Found {
		if e.Role == role {
			return true
		}
	}
	return false
}

func hasFamily(s *finding.Summary, prefix string) bool {
	for _, c := range s.Coverage {
		if strings.HasPrefix(c.Family, prefix) && c.Records > 0 {
			return true
		}
	}
	return false
}
