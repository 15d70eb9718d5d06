// Package iocs holds exscan's built-in indicator lists and the public
// attribution context of the campaigns they belong to.
package iocs

// Campaign is the public context of one exploitation campaign: what it is,
// which CVEs it used, which actors public reporting associates with it, and
// dated statements with their sources and their own confidence wording.
// It is context for a hit, never a verdict on who attacked a host.
type Campaign struct {
	ID         string      `json:"id"`   // stable id, e.g. "proxylogon"
	Name       string      `json:"name"` // e.g. "ProxyLogon / HAFNIUM (2021)"
	Period     string      `json:"period,omitempty"`
	CVEs       []string    `json:"cves"`
	Summary    string      `json:"summary"`
	Actors     []Actor     `json:"actors"`
	Statements []Statement `json:"statements"`
	Caution    string      `json:"caution"`
	References []string    `json:"references,omitempty"`
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
}
