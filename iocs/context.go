// Package iocs holds exscan's built-in indicator lists and the public
// attribution context of the campaigns they belong to.
package iocs

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"exscan/scanner/finding"
)

// Campaign, Actor and Statement are the campaign context records of a
// finding (finding.Campaign): the knowledge base below fills them.
type (
	Campaign  = finding.Campaign
	Actor     = finding.Actor
	Statement = finding.Statement
)

// cveCampaign maps the CVEs of each chain to its campaign id.
var cveCampaign = map[string]string{
	"CVE-2021-26855": "proxylogon", "CVE-2021-26857": "proxylogon",
	"CVE-2021-26858": "proxylogon", "CVE-2021-27065": "proxylogon",
	"CVE-2021-34473": "proxyshell", "CVE-2021-34523": "proxyshell", "CVE-2021-31207": "proxyshell",
	"CVE-2022-41040": "proxynotshell", "CVE-2022-41082": "proxynotshell",
	"CVE-2022-41080": "owassrf",
}

// CampaignsForCVEs returns the campaign ids the given CVEs belong to.
func CampaignsForCVEs(cves []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, c := range cves {
		if id, ok := cveCampaign[strings.ToUpper(strings.TrimSpace(c))]; ok && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// Context returns the campaign records for the given ids, in order, unknown
// ids left out.
func Context(ids []string) []Campaign {
	var out []Campaign
	for _, id := range ids {
		if c, ok := campaigns()[strings.ToLower(id)]; ok {
			out = append(out, c)
		}
	}
	return out
}

// AttributionCaution closes every one-line attribution summary.
const AttributionCaution = "Public context, not a verdict on who attacked this host."

// Attribution joins the one-line attribution summaries of the given
// campaign ids, closed by AttributionCaution ("" when none is known).
func Attribution(ids []string) string {
	var parts []string
	for _, c := range Context(ids) {
		if c.Attribution != "" {
			parts = append(parts, c.Attribution)
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return strings.Join(parts, " | ") + " " + AttributionCaution
}

// Enrich adds the public context of a finding's campaigns: the campaign
// records and the one-line attribution summary. Findings leave the checks
// without it; the finding pipeline adds it before any stage reads it.
func Enrich(f *finding.Finding) {
	f.Context = Context(f.Campaigns)
	f.Attribution = Attribution(f.Campaigns)
}

// campaignsJSON is the knowledge base: campaigns, the actors public
// reporting associates with them and dated statements with their sources.
//
//go:embed data/campaigns.json
var campaignsJSON []byte

// campaigns is the knowledge base, keyed by id, parsed once. The data is
// embedded and checked by the tests, so a parse error is a build defect.
var campaigns = sync.OnceValue(func() map[string]Campaign {
	list, err := parseCampaigns(campaignsJSON)
	if err != nil {
		panic("iocs: embedded data/campaigns.json: " + err.Error())
	}
	m := make(map[string]Campaign, len(list))
	for _, c := range list {
		m[c.ID] = c
	}
	return m
})

func parseCampaigns(b []byte) ([]Campaign, error) {
	var list []Campaign
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(&list); err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, c := range list {
		if c.ID == "" || c.ID != strings.ToLower(c.ID) || seen[c.ID] {
			return nil, fmt.Errorf("campaign id %q: empty, not lower case or repeated", c.ID)
		}
		seen[c.ID] = true
	}
	return list, nil
}
