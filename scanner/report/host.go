package report

import (
	"fmt"
	"slices"
	"strings"

	"exscan/iocs"
	"exscan/scanner/finding"
)

// campaignLabels are the display names of the chains the build table covers.
var campaignLabels = map[string]string{
	"proxylogon": "ProxyLogon", "proxyshell": "ProxyShell",
	"proxynotshell": "ProxyNotShell", "owassrf": "OWASSRF",
}

func campaignLabel(id string) string {
	if l, ok := campaignLabels[id]; ok {
		return l
	}
	return id
}

// HostLine names the scanned host and the machine exscan ran on, e.g.
// "host EXCH01 (httpproxy log field ServerHostName); exscan ran on ir-laptop".
func HostLine(h *finding.ScannedHost, exscanHost string) string {
	var b strings.Builder
	if h == nil {
		b.WriteString("host not named by the evidence (give --hostname)")
	} else {
		fmt.Fprintf(&b, "host %s (%s)", h.Name, h.Source)
		if len(h.Others) > 0 {
			fmt.Fprintf(&b, "; the evidence also names %s", strings.Join(h.Others, ", "))
		}
	}
	if exscanHost != "" {
		fmt.Fprintf(&b, "; exscan ran on %s", exscanHost)
	}
	return b.String()
}

// BuildText says in one paragraph which Exchange build was seen, where, and
// which chains it was exposed to, e.g. "Exchange build 15.1.2176.2
// (Exchange 2016 CU19, released 2020-12-15, KB4588884), from ...:
// vulnerable to ProxyLogon (fixed from 15.1.2176.9, ...)".
func BuildText(b *finding.ExchangeBuild) string {
	if b == nil {
		return ""
	}
	var s strings.Builder
	fmt.Fprintf(&s, "Exchange build %s (%s", b.Build, b.Name)
	if b.ReleaseDate != "" {
		fmt.Fprintf(&s, ", released %s", b.ReleaseDate)
	}
	if b.KB != "" {
		fmt.Fprintf(&s, ", %s", b.KB)
	}
	fmt.Fprintf(&s, "), from %s.", b.From)
	var parts []string
	for _, e := range b.Exposure {
		parts = append(parts, exposureText(e))
	}
	if len(parts) > 0 {
		s.WriteString(" " + strings.Join(parts, "; ") + ".")
	}
	if b.Note != "" {
		s.WriteString(" Note: " + b.Note + ".")
	}
	return s.String()
}

// BuildExposureLine is the verdict's sentence on the build, e.g. "The
// server runs Exchange build 15.1.2176.2 (Exchange 2016 CU19): vulnerable
// to ProxyLogon, ProxyShell, ProxyNotShell and OWASSRF."
func BuildExposureLine(b *finding.ExchangeBuild) string {
	if b == nil {
		return ""
	}
	by := map[string][]string{}
	for _, e := range b.Exposure {
		by[e.Status] = append(by[e.Status], campaignLabel(e.Campaign))
	}
	var parts []string
	for _, st := range []struct{ status, words string }{
		{iocs.ExposureVulnerable, "vulnerable to"},
		{iocs.ExposurePartial, "partly fixed for"},
		{iocs.ExposureUnknown, "vulnerable unless a later SU is installed to"},
		{iocs.ExposureFixed, "fixed for"},
	} {
		if l := by[st.status]; len(l) > 0 {
			parts = append(parts, st.words+" "+joinAnd(l))
		}
	}
	return fmt.Sprintf("The server runs Exchange build %s (%s): %s.", b.Build, b.Name, strings.Join(parts, "; "))
}

func joinAnd(l []string) string {
	if len(l) < 2 {
		return strings.Join(l, "")
	}
	return strings.Join(l[:len(l)-1], ", ") + " and " + l[len(l)-1]
}

func exposureText(e iocs.Exposure) string {
	name := campaignLabel(e.Campaign)
	fix := ""
	if e.FixedBy != "" {
		fix = "fixed from " + e.FixedBy
		if e.FixName != "" {
			fix += ", " + e.FixName
		}
		if e.FixKB != "" {
			fix += ", " + e.FixKB
		}
	}
	switch e.Status {
	case iocs.ExposureFixed:
		return name + ": fixed in this build"
	case iocs.ExposureUnknown:
		return fmt.Sprintf("%s: vulnerable unless an SU at or above %s is installed (%s)", name, e.FixedBy, fix)
	case iocs.ExposurePartial:
		return fmt.Sprintf("%s: partly fixed, %s open (%s)", name, strings.Join(e.Unfixed, ", "), fix)
	}
	if fix == "" {
		return name + ": vulnerable, and no fix was published for this CU line (update to a supported CU and its latest SU)"
	}
	return fmt.Sprintf("%s: vulnerable (%s)", name, fix)
}

// NextSteps says what to do next, in order, from the verdict, what was
// found and the Exchange build: keep evidence before removing anything,
// reset credentials after a credential dump, patch to the build that fixes
// the chains seen. collected is the --collect zip ("" when none).
func (t *Tally) NextSteps(s *finding.Summary, collected string) []string {
	var steps []string
	compromised := s.Verdict == VerdictCompromised
	if compromised {
		if collected != "" {
			steps = append(steps, fmt.Sprintf("Keep the evidence archive %s (flagged files and log lines, password \"infected\") before removing or changing anything on the server.", collected))
		} else {
			steps = append(steps, "Before removing or changing anything, collect evidence: run the same command again with --collect evidence.zip (it copies the flagged files and log lines into an encrypted zip) and, if you can, image the disk and memory.")
		}
		if len(t.Webshells) > 0 {
			list := slices.Compact(slices.Sorted(slices.Values(t.Webshells)))
			more := ""
			if len(list) > 5 {
				list, more = list[:5], fmt.Sprintf(" and %d more", len(list)-5)
			}
			steps = append(steps, fmt.Sprintf("Then remove the webshell(s) found (%s%s), and look for others written at the same time: a webshell found means the server ran attacker code.", strings.Join(list, ", "), more))
		}
	}
	if t.Credentials > 0 {
		steps = append(steps, "Credentials were dumped (an LSASS memory dump or a credential-dumping tool): reset the passwords of every account that logged on to this server, service accounts included, and reset the krbtgt key twice if a domain administrator did.")
	}
	steps = append(steps, t.patchSteps(s.Exchange)...)
	switch s.Verdict {
	case VerdictAttempted:
		steps = append(steps, "Check each attempt against the build the server ran at its time (the SU installation dates in Windows Update history): an attempt on an unpatched build may have succeeded without a trace in these logs.")
	case VerdictSuspicious:
		if t.EventReview > 0 {
			steps = append(steps, "Confirm each event-log entry (a cleared log, a new account or local administrator, a service install) with whoever administers the server: the account that did it is in the entry's evidence, and such events are routine unless nobody planned them.")
		}
		if t.EventReview < t.LogMedium {
			steps = append(steps, "Review each entry: probing and weak traits are not a compromise by themselves; look for the same clients in other logs and for requests that were answered.")
		}
	case VerdictNoCoverage:
		steps = append(steps, "Collect older logs (backups, a SIEM) and scan them: without them, a clean result says little.")
	case VerdictIncomplete:
		steps = append(steps, "Run exscan with rights to read everything (Administrator, root), then scan again.")
	}
	if compromised {
		steps = append(steps, "Follow your incident response plan: the campaign context below says what these intrusions went on to do.")
	}
	return steps
}

// patchSteps names the build that fixes each chain seen in the findings
// (or, when none was seen, each chain the build is open to).
func (t *Tally) patchSteps(b *finding.ExchangeBuild) []string {
	seen := map[string]bool{}
	for c := range t.Campaigns {
		seen[c] = true
	}
	if b == nil {
		var cves []string
		for _, c := range iocs.ExposureCampaigns {
			if seen[c] {
				cves = append(cves, campaignLabel(c))
			}
		}
		if len(cves) == 0 {
			return nil
		}
		return []string{fmt.Sprintf("Patch: the findings show %s; exscan could not read the Exchange build (run Get-Command ExSetup.exe | %% { $_.FileVersionInfo } on the server) and check it against the first fixed builds in Microsoft's security update guide.", strings.Join(cves, ", "))}
	}
	var fixes, nofix []string
	anySeen := false
	for _, e := range b.Exposure {
		anySeen = anySeen || seen[e.Campaign]
	}
	for _, e := range b.Exposure {
		if e.Status == iocs.ExposureFixed || anySeen && !seen[e.Campaign] {
			continue
		}
		label := campaignLabel(e.Campaign)
		if seen[e.Campaign] {
			label += " (seen in the findings)"
		}
		if e.FixedBy == "" {
			nofix = append(nofix, label)
			continue
		}
		f := fmt.Sprintf("%s, fixed from %s", label, e.FixedBy)
		if e.FixName != "" {
			f += " (" + e.FixName
			if e.FixKB != "" {
				f += ", " + e.FixKB
			}
			f += ")"
		}
		fixes = append(fixes, f)
	}
	var out []string
	if len(fixes) > 0 {
		out = append(out, fmt.Sprintf("Patch: build %s is open to %s. Install at least those builds, better the latest SU of a supported CU.", b.Build, strings.Join(fixes, "; ")))
	}
	if len(nofix) > 0 {
		out = append(out, fmt.Sprintf("Patch: no fix was published for %s on this CU line (%s): update to a supported CU and install its latest SU.", strings.Join(nofix, ", "), b.Build))
	}
	return out
}
