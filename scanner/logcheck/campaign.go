package logcheck

import (
	"slices"
	"strings"
	"time"

	"exscan/scanner/finding"
)

// firstExploited is the earliest reported exploitation in the wild of each
// campaign whose log rules can match the same request: a record older than
// that cannot belong to the campaign.
//
//   - proxylogon: Volexity's first sightings, early January 2021;
//   - proxyshell: shown at Pwn2Own in April 2021 (ZDI), mass exploitation
//     from August 2021;
//   - proxynotshell: GTSC saw it exploited in August 2022 (disclosed
//     2022-09-29/30);
//   - owassrf: exploited from November 2022 (CrowdStrike, Rackspace).
//
// ProxyNotShell re-uses ProxyShell's autodiscover.json SSRF with a login
// (an authenticated user, no X-Rps-CAT), and its mitigation's signature
// (autodiscover and powershell in the URL) matches every ProxyShell request
// to /powershell too; the dates tell the two apart on older records.
var firstExploited = map[string]time.Time{
	"proxylogon":    time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC),
	"proxyshell":    time.Date(2021, 4, 1, 0, 0, 0, 0, time.UTC),
	"proxynotshell": time.Date(2022, 8, 1, 0, 0, 0, 0, time.UTC),
	"owassrf":       time.Date(2022, 11, 1, 0, 0, 0, 0, time.UTC),
}

// attributeCampaigns settles which campaign a record belongs to when the
// rules of several matched it. Each rule tests a request shape; when the
// shapes of two campaigns fit one request, a campaign that was not yet
// exploited at the record's time is ruled out, provided another matched
// request-shape rule's campaign was. An indicator (a known-bad IP or user
// agent) says who sent a request, not what it exploited, so it never rules
// a shape out: a ProxyShell-shaped request from an address first listed for
// ProxyLogon stays ProxyShell, at its own severity. A ruled-out reason stays in the finding (the rule did
// match) without its campaigns and CVEs, placed after the others, no
// stronger than the strongest kept reason, and says why it was ruled out;
// the finding's rule, title and context come from the campaign that fits.
// Records without a time, or that every matched campaign fits, are left
// as they are.
func attributeCampaigns(recTime time.Time, rs []finding.Reason) []finding.Reason {
	if recTime.IsZero() {
		return rs
	}
	recTime = recTime.UTC()
	fits := func(r finding.Reason) bool {
		for _, c := range r.Campaigns {
			if first, ok := firstExploited[c]; ok && recTime.Before(first) {
				return false
			}
		}
		return true
	}
	var keep, out []finding.Reason
	dated := false // a kept request-shape reason belongs to a dated campaign
	for _, r := range rs {
		if fits(r) {
			keep = append(keep, r)
			for _, c := range r.Campaigns {
				if _, ok := firstExploited[c]; ok && r.Source != finding.SourceIOC {
					dated = true
				}
			}
		} else {
			out = append(out, r)
		}
	}
	if len(out) == 0 || !dated {
		return rs
	}
	top := keep[0].Severity
	for _, r := range keep {
		top = max(top, r.Severity)
	}
	res := slices.Clone(keep)
	for _, r := range out {
		r.Severity = min(r.Severity, top)
		var names []string
		for _, c := range r.Campaigns {
			if first, ok := firstExploited[c]; ok && recTime.Before(first) {
				names = append(names, c+" (first exploited "+first.Format("2006-01")+")")
			}
		}
		r.Description = strings.TrimSpace(r.Description + " [ruled out for this record: dated " +
			recTime.Format("2006-01-02") + ", before " + strings.Join(names, ", ") +
			"; another matched campaign fits its date]")
		r.Campaigns, r.CVEs = nil, nil
		res = append(res, r)
	}
	return res
}
