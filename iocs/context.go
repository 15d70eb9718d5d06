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
)

// Campaign is the public context of one exploitation campaign: what it is,
// which CVEs it used, which actors public reporting associates with it, and
// dated statements with their sources and their own confidence wording.
// It is context for a hit, never a verdict on who attacked a host.
type Campaign struct {
	ID      string   `json:"id"`   // stable id, e.g. "proxylogon"
	Name    string   `json:"name"` // e.g. "ProxyLogon / HAFNIUM (2021)"
	Period  string   `json:"period,omitempty"`
	CVEs    []string `json:"cves"`
	Summary string   `json:"summary"`
	// Attribution is the one-line attribution summary every finding of the
	// campaign carries; the rest of the record is written once per run.
	Attribution string      `json:"attribution"`
	Actors      []Actor     `json:"actors"`
	Statements  []Statement `json:"statements"`
	Caution     string      `json:"caution"`
	References  []string    `json:"references,omitempty"`
}

// Actor is a group that public reporting associates with a campaign.
type Actor struct {
	Name        string   `json:"name"`
	Aliases     []string `json:"aliases,omitempty"`
	MitreID     string   `json:"mitre_id,omitempty"`
	Association string   `json:"association"` // e.g. "publicly associated with (Microsoft, high confidence)"
	Source      string   `json:"source,omitempty"`
	URL         string   `json:"url,omitempty"`
}

// Statement is one dated public statement about a campaign.
type Statement struct {
	Date       string `json:"date"` // YYYY-MM-DD (or YYYY-MM)
	Who        string `json:"who"`
	Claim      string `json:"claim"`
	Confidence string `json:"confidence"` // the statement's own confidence words
	URL        string `json:"url"`
	Via        string `json:"via,omitempty"` // secondary copy the wording was read from, when the primary page was not
}

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
