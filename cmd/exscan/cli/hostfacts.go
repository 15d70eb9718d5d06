package cli

import (
	"strings"

	"exscan/scanner/finding"
	"exscan/scanner/host"
	"exscan/scanner/hostid"
)

// hostFacts says which host the evidence comes from: its name (--hostname,
// else the logs it wrote) and, for a host layout, its Exchange build.
// Both are read before the scan, so every report names the scanned host
// from its first line.
func hostFacts(o *options, layout *host.Layout, logPaths []string) (*finding.ScannedHost, *finding.ExchangeBuild) {
	fromLogs := hostid.Name(logPaths)
	name := fromLogs
	if o.hostname != "" {
		name = &finding.ScannedHost{Name: o.hostname, Source: "--hostname"}
		if fromLogs != nil {
			for _, n := range append([]string{fromLogs.Name}, fromLogs.Others...) {
				if !strings.EqualFold(n, o.hostname) {
					name.Others = append(name.Others, n)
				}
			}
		}
	}
	var build *finding.ExchangeBuild
	if layout != nil && layout.Exchange != "" {
		build = hostid.Build(layout.Exchange, layout.ExchangeWin)
	}
	return name, build
}

// scannedName is the scanned host's name, or "".
func scannedName(h *finding.ScannedHost) string {
	if h == nil {
		return ""
	}
	return h.Name
}
