package scanner

import (
	"bytes"
	"path"
	"strings"

	"exscan/internal/exchange"
	"exscan/scanner/finding"
)

// The file checks that are about where a file is and what kind it is,
// rather than what it contains. Each is a Reason with a stable rule id.

var (
	// Location alone is not compromise: a custom logon page or a leftover
	// is a page to review (medium). A content trait (YARA, indicator) on
	// the same file raises it through Score.
	reasonUnexpectedPage = finding.Reason{
		Rule:        RuleUnexpectedPage,
		Title:       "ASP.NET page that Microsoft does not ship in an Exchange auth folder or aspnet_client (location trait: review the page)",
		Severity:    finding.Medium,
		Source:      finding.SourceHeuristic,
		Author:      "exscan",
		Description: "owa\\auth, ecp\\auth and aspnet_client hold only a fixed set of Microsoft pages; HAFNIUM-era and ProxyShell webshells were planted there because these folders are reachable without authentication. The location alone does not show compromise (custom logon pages and leftovers live there too): the finding is high only when the page's content or the logs show a webshell trait.",
		Campaigns:   []string{"proxylogon", "proxyshell"},
		Attack:      []string{"T1505.003"},
		References:  []string{"https://www.microsoft.com/security/blog/2021/03/02/hafnium-targeting-exchange-servers/"},
	}
	reasonExportedPage = finding.Reason{
		Rule:        "exscan.file.mailbox-export-page",
		Title:       "Script page that starts with a PST or DER header (ProxyShell mailbox or certificate export drop)",
		Severity:    finding.Critical,
		Source:      finding.SourceHeuristic,
		Author:      "exscan",
		Description: "ProxyShell attackers wrote webshells by exporting a mailbox (New-MailboxExportRequest, PST) or a certificate request (DER) to an .aspx path; the page starts with the container's binary header.",
		CVEs:        []string{"CVE-2021-34473", "CVE-2021-34523", "CVE-2021-31207"},
		Campaigns:   []string{"proxyshell"},
		Attack:      []string{"T1505.003", "T1190"},
		References:  []string{"https://www.cisa.gov/news-events/cybersecurity-advisories/aa21-321a"},
	}
	reasonLsassDump = finding.Reason{
		Rule:        "exscan.file.lsass-dump",
		Title:       "LSASS memory dump",
		Severity:    finding.High,
		Source:      finding.SourceHeuristic,
		Author:      "exscan",
		Description: "A dump of the LSASS process holds credentials; after exploiting Exchange, HAFNIUM dumped LSASS with procdump or comsvcs.dll into C:\\windows\\temp and C:\\root.",
		Campaigns:   []string{"proxylogon"},
		Attack:      []string{"T1003.001"},
		References:  []string{"https://www.microsoft.com/security/blog/2021/03/02/hafnium-targeting-exchange-servers/"},
	}
	reasonMinidump = finding.Reason{
		Rule:        "exscan.file.minidump-in-temp",
		Title:       "Process memory dump in a temp folder",
		Severity:    finding.Medium,
		Source:      finding.SourceHeuristic,
		Author:      "exscan",
		Description: "A minidump (MDMP) in Windows\\Temp or C:\\root; credential dumps were staged there after Exchange exploitation. Crash dumps also land here: check which process it is.",
		Campaigns:   []string{"proxylogon"},
		Attack:      []string{"T1003.001"},
	}
	reasonStagedArchive = finding.Reason{
		Rule:        "exscan.file.archive-in-programdata",
		Title:       "Archive at the top of ProgramData (possible staging for exfiltration)",
		Severity:    finding.Medium,
		Source:      finding.SourceHeuristic,
		Author:      "exscan",
		Description: "HAFNIUM compressed stolen data with 7-Zip or WinRAR into C:\\ProgramData before exfiltration; Microsoft's Test-ProxyLogon lists .7z, .zip and .rar files there.",
		Campaigns:   []string{"proxylogon"},
		Attack:      []string{"T1560.001"},
		References:  []string{"https://github.com/microsoft/CSS-Exchange/tree/main/Security"},
	}
)

// RuleUnexpectedPage is the id of the location-only auth-folder reason.
const RuleUnexpectedPage = "exscan.file.unexpected-aspnet-page"

// heuristics returns the location and type reasons for a file. data may be
// nil when the file was not read (too large); winPath is the path on the
// scanned host (or the native path).
func heuristics(winPath string, data []byte) []finding.Reason {
	var out []finding.Reason
	name := strings.ToLower(path.Base(strings.ReplaceAll(winPath, `\`, "/")))
	loc := Classify(winPath)
	if exchange.UnshippedAuthPage(winPath) {
		out = append(out, reasonUnexpectedPage)
	}
	if IsScriptPage(name) && data != nil {
		if bytes.HasPrefix(data, []byte("!BDN")) || (len(data) > 4 && data[0] == 0x30 && data[1] == 0x82) {
			r := reasonExportedPage
			r.Evidence = []finding.Evidence{{Name: "header", Value: FileType(data)}}
			out = append(out, r)
		}
	}
	isDump := strings.HasSuffix(name, ".dmp") || (data != nil && bytes.HasPrefix(data, []byte("MDMP")))
	if isDump && strings.Contains(name, "lsass") {
		out = append(out, reasonLsassDump)
	} else if isDump && loc == LocTemp {
		out = append(out, reasonMinidump)
	}
	if loc == LocProgData {
		n := exchange.NormPath(winPath)
		i := strings.Index(n, "/programdata/")
		rest := n[i+len("/programdata/"):]
		ext := path.Ext(rest)
		if !strings.Contains(rest, "/") && (ext == ".7z" || ext == ".zip" || ext == ".rar") {
			out = append(out, reasonStagedArchive)
		}
	}
	return out
}
