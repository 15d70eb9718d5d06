package finding

// The public context of exploitation campaigns, as findings and summaries
// carry it. The iocs package holds the knowledge base that fills these
// records (iocs.Enrich, iocs.BuildExposure); finding only defines them, so
// every package can read a finding without the knowledge base.

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

// Exposure is what a build is exposed to for one campaign.
type Exposure struct {
	Campaign string   `json:"campaign"`
	Status   string   `json:"status"`
	Unfixed  []string `json:"unfixed_cves,omitempty"` // CVEs not fixed (or, status unknown, not fixed at the CU build)
	FixedBy  string   `json:"fixed_by,omitempty"`     // the first build of this CU line that fixes every CVE of the chain
	FixName  string   `json:"fixed_by_name,omitempty"`
	FixKB    string   `json:"fixed_by_kb,omitempty"`
	Note     string   `json:"note,omitempty"`
	Sources  []string `json:"sources"` // MSRC pages of the CVEs
}
