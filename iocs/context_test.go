package iocs

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

func TestKnowledgeBaseCampaigns(t *testing.T) {
	kb := campaigns()
	for _, id := range []string{"proxylogon", "proxyshell", "proxynotshell", "owassrf", "webshell-generic"} {
		c, ok := kb[id]
		if !ok {
			t.Errorf("campaign %q missing", id)
			continue
		}
		if c.Name == "" || c.Summary == "" {
			t.Errorf("%s: name or summary empty", id)
		}
		// The caution says what a hit does and does not show.
		if !strings.Contains(c.Caution, "does not identify the actor") || !strings.Contains(c.Caution, "2021-02-28") {
			t.Errorf("%s: caution must say a hit does not identify the actor and that many groups used the exploits after 2021-02-28: %q", id, c.Caution)
		}
		if len(c.Statements) == 0 {
			t.Errorf("%s: no statements", id)
		}
		for _, cve := range c.CVEs {
			if !regexp.MustCompile(`^CVE-20[0-9]{2}-[0-9]{4,}$`).MatchString(cve) {
				t.Errorf("%s: CVE %q", id, cve)
			}
		}
	}
	// Every CVE the scanner maps to a campaign is listed by that campaign.
	for cve, id := range cveCampaign {
		if !slices.Contains(kb[id].CVEs, cve) {
			t.Errorf("%s maps to %s, which does not list it", cve, id)
		}
	}
}

func TestKnowledgeBaseStatements(t *testing.T) {
	for id, c := range campaigns() {
		prev := ""
		for i, s := range c.Statements {
			if !validDate(s.Date) || s.Who == "" || s.Claim == "" || s.Confidence == "" || !strings.HasPrefix(s.URL, "https://") {
				t.Errorf("%s statement %d: date, who, claim, confidence and an https URL are required: %+v", id, i, s)
			}
			if s.Via != "" && !strings.HasPrefix(s.Via, "https://") {
				t.Errorf("%s statement %d: via %q", id, i, s.Via)
			}
			if s.Date < prev {
				t.Errorf("%s statement %d (%s) is out of date order", id, i, s.Date)
			}
			prev = s.Date
		}
		for _, r := range c.References {
			if !strings.HasPrefix(r, "https://") {
				t.Errorf("%s: reference %q", id, r)
			}
		}
	}
}

// The statements the context must carry, by who said them and their own words.
func TestKnowledgeBaseRequiredStatements(t *testing.T) {
	kb := campaigns()
	for _, tc := range []struct{ campaign, date, who, words string }{
		{"proxylogon", "2021-03-02", "Volexity", ""},
		{"proxylogon", "2021-03-02", "Microsoft", "high confidence"},
		{"proxylogon", "2021-03-03", "ED 21-02", ""},
		{"proxylogon", "2021-03-03", "AA21-062A", ""},
		{"proxylogon", "2021-03-10", "ESET", ""},
		{"proxylogon", "2021-04-13", "Department of Justice", ""},
		{"proxylogon", "2021-07-19", "White House", "with a high degree of confidence"},
		{"proxylogon", "2021-07-19", "United Kingdom", "almost certain"},
		{"proxylogon", "2021-07-19", "United Kingdom", "highly likely"},
		{"proxylogon", "2021-07-19", "European Union", "assess"},
		{"proxylogon", "2021-07-19", "NATO", "acknowledge"},
		{"proxylogon", "2021-07-19", "Australia", "determined"},
		{"proxylogon", "2021-07-19", "Canada", "confident"},
		{"proxylogon", "2021-07-19", "New Zealand", ""},
		{"proxylogon", "2025-07-08", "Department of Justice", "presumed innocent"},
		{"proxyshell", "2021-11-17", "AA21-321A", "associated with the government of Iran"},
		{"proxyshell", "2021-08-20", "Symantec", ""},
		{"proxynotshell", "2022-09-30", "Microsoft", "medium confidence"},
		{"owassrf", "2022-12", "CrowdStrike", ""},
		{"webshell-generic", "2021-03-10", "ESET", ""},
	} {
		found := false
		for _, s := range kb[tc.campaign].Statements {
			found = found || s.Date == tc.date && strings.Contains(s.Who, tc.who) && strings.Contains(s.Confidence, tc.words)
		}
		if !found {
			t.Errorf("%s: no %s statement by %q with confidence words %q", tc.campaign, tc.date, tc.who, tc.words)
		}
	}
	eset := kb["webshell-generic"].Statements[0]
	if !strings.Contains(eset.Claim, "At least 10") {
		t.Errorf("webshell-generic: the ESET statement must carry its \"at least 10 groups\" claim: %q", eset.Claim)
	}
	if strings.Contains(kb["proxylogon"].Summary+kb["proxylogon"].Caution, "Xu Zewei") {
		t.Errorf("the 2025 charges belong in the statements, not in the summary or caution")
	}
}

// Actors are publicly associated with a campaign, never named as the attacker
// of a host, and APT40 and APT31 are never linked to Exchange hits
// (research: the 2021-07-19 statements did not tie them to Exchange).
func TestKnowledgeBaseActors(t *testing.T) {
	kb := campaigns()
	banned := regexp.MustCompile(`(?i)\b(APT ?40|APT ?31|Leviathan|ZIRCONIUM|Gingham Typhoon|Violet Typhoon|G0065|G0128|GADOLINIUM|Kryptonite Panda|Judgment Panda)\b`)
	for id, c := range kb {
		for _, a := range c.Actors {
			names := append([]string{a.Name, a.MitreID}, a.Aliases...)
			for _, n := range names {
				if banned.MatchString(n) {
					t.Errorf("%s: actor %q (%q) must not be linked to Exchange hits", id, a.Name, n)
				}
			}
			if !strings.HasPrefix(a.Association, "publicly associated") {
				t.Errorf("%s: actor %q association must start with \"publicly associated\": %q", id, a.Name, a.Association)
			}
			if a.Source == "" || !strings.HasPrefix(a.URL, "https://") {
				t.Errorf("%s: actor %q needs a source and an https URL", id, a.Name)
			}
		}
	}
	if m := banned.FindString(string(campaignsJSON)); m != "" {
		t.Errorf("the knowledge base mentions %q; Exchange context must not name APT40 or APT31 groups at all", m)
	}
	if m := regexp.MustCompile(`(?i)attacked (this|your) (host|server)|this host was attacked`).FindString(string(campaignsJSON)); m != "" {
		t.Errorf("wording %q: say \"publicly associated with\", not that an actor attacked this host", m)
	}

	var hafnium *Actor
	for i, a := range kb["proxylogon"].Actors {
		if a.Name == "HAFNIUM" {
			hafnium = &kb["proxylogon"].Actors[i]
		}
	}
	if hafnium == nil || hafnium.MitreID != "G0125" || !slices.Contains(hafnium.Aliases, "Silk Typhoon") {
		t.Errorf("proxylogon: HAFNIUM = Silk Typhoon (G0125) expected, got %+v", hafnium)
	}
	if len(kb["webshell-generic"].Actors) != 0 {
		t.Errorf("webshell-generic names no actor")
	}
	for id, want := range map[string][]string{
		"proxylogon":    {"Tick", "LuckyMouse", "Calypso", "Winnti Group", "Websiic", "Tonto Team", "Mikroceen"},
		"proxyshell":    {"Iranian government-sponsored", "LockFile"},
		"proxynotshell": {"state-sponsored"},
		"owassrf":       {"Play", "Cuba"},
	} {
		for _, w := range want {
			found := false
			for _, a := range kb[id].Actors {
				found = found || strings.Contains(a.Name, w)
			}
			if !found {
				t.Errorf("%s: no actor named like %q", id, w)
			}
		}
	}
}

func TestContext(t *testing.T) {
	got := Context([]string{"OWASSRF", "unknown", "proxylogon"})
	if len(got) != 2 || got[0].ID != "owassrf" || got[1].ID != "proxylogon" {
		t.Errorf("Context = %v", got)
	}
	if ids := CampaignsForCVEs([]string{" cve-2021-26855", "CVE-2021-27065", "CVE-2022-41080", "CVE-1999-0001"}); !slices.Equal(ids, []string{"proxylogon", "owassrf"}) {
		t.Errorf("CampaignsForCVEs = %v", ids)
	}
	if _, err := parseCampaigns([]byte(`[{"id":"a"},{"id":"a"}]`)); err == nil {
		t.Errorf("a repeated campaign id must be refused")
	}
	if _, err := parseCampaigns([]byte(`[{"id":"a","extra":1}]`)); err == nil {
		t.Errorf("an unknown field must be refused")
	}
}

// TestAttributionLine: every campaign has a one-line attribution summary
// that fits on a SIEM finding, and the joined line ends with the caution.
func TestAttributionLine(t *testing.T) {
	for id, c := range campaigns() {
		if c.Attribution == "" || strings.ContainsAny(c.Attribution, "\n\r") || len(c.Attribution) > 400 {
			t.Errorf("%s: attribution must be one line of at most 400 bytes: %q", id, c.Attribution)
		}
		if !strings.HasPrefix(c.Attribution, strings.Split(c.Name, " (")[0]) {
			t.Errorf("%s: attribution should open with the campaign name %q: %q", id, c.Name, c.Attribution)
		}
	}
	got := Attribution([]string{"proxylogon", "nonexistent", "owassrf"})
	if !strings.Contains(got, "HAFNIUM") || !strings.Contains(got, "Play ransomware") || !strings.HasSuffix(got, AttributionCaution) {
		t.Errorf("Attribution: %q", got)
	}
	if Attribution([]string{"nonexistent"}) != "" {
		t.Error("Attribution of an unknown id is not empty")
	}
}

// TestPrimarySources: statements cite the primary page; a secondary copy
// the wording was read from is kept only as via. Statements by a body
// that publishes its own pages cite that body's site.
func TestPrimarySources(t *testing.T) {
	secondary := []string{"naaju.com", "kurittu.org", "zazoom.it", "pws.io", "community.sophos.com", "tass.com"}
	own := []struct{ who, host string }{
		{"United States, White House", "whitehouse"},
		{"United States, Secretary of State", "state.gov"},
		{"United Kingdom, FCDO and NCSC", "gov.uk"},
		{"European Union", "consilium.europa.eu"},
		{"NATO", "nato.int"},
		{"US Department of Justice", "justice.gov"},
		{"CISA", "cisa.gov|cyber.dhs.gov"},
		{"Microsoft Threat Intelligence", "microsoft.com"},
	}
	host := func(u string) string {
		u = strings.TrimPrefix(u, "https://")
		return strings.ToLower(strings.SplitN(u, "/", 2)[0])
	}
	isHost := func(u, h string) bool { hu := host(u); return hu == h || strings.HasSuffix(hu, "."+h) }
	for id, c := range campaigns() {
		for i, s := range c.Statements {
			for _, h := range secondary {
				if isHost(s.URL, h) {
					t.Errorf("%s statement %d (%s) cites the secondary copy %s as its source", id, i, s.Who, s.URL)
				}
			}
			for _, o := range own {
				if strings.HasPrefix(s.Who, o.who) && !slices.ContainsFunc(strings.Split(o.host, "|"), func(h string) bool { return strings.Contains(host(s.URL), h) }) {
					t.Errorf("%s statement %d (%s) cites %s, not the body's own site (%s)", id, i, s.Who, s.URL, o.host)
				}
			}
			if s.Via != "" && host(s.Via) == host(s.URL) {
				t.Errorf("%s statement %d: via %s is on the source's own site", id, i, s.Via)
			}
		}
		for _, a := range c.Actors {
			for _, h := range secondary {
				if isHost(a.URL, h) {
					t.Errorf("%s actor %s cites the secondary copy %s", id, a.Name, a.URL)
				}
			}
		}
	}
}
