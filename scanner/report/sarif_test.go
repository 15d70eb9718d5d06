package report

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"exscan/scanner/finding"
)

// TestSARIFSchema validates against the OASIS SARIF 2.1.0 JSON schema that
// go-sarif embeds (errata01), and then checks the rules the schema cannot
// express (rule ids resolve, regions are 1-based, fingerprints present).
func TestSARIFSchema(t *testing.T) {
	evil := hostileFinding()
	evil.Path = "/mnt/image/C/inetpub/" + hostile
	evil.References = []string{"javascript:alert(1)", "https://example.org/a b"}
	fs := append(fixtureFindings(), evil)
	for name, out := range map[string][]byte{
		"fixture": render(t, "sarif", fixtureMeta("scan"), fs, fixtureSummary()),
		"empty":   render(t, "sarif", Meta{Command: "files"}, nil, &finding.Summary{}),
	} {
		rep, err := sarif.FromBytes(out, sarif.WithStrictValidation())
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := rep.Validate(); err != nil {
			t.Errorf("%s: schema validation: %v", name, err)
		}
		checkSARIFStructure(t, name, out)
	}
}

func checkSARIFStructure(t *testing.T, name string, out []byte) {
	t.Helper()
	var doc struct {
		Schema  string `json:"$schema"`
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name  string `json:"name"`
					Rules []struct {
						ID   string `json:"id"`
						Help struct {
							Text string `json:"text"`
						} `json:"help"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				RuleIndex int    `json:"ruleIndex"`
				Level     string `json:"level"`
				Message   struct {
					Text *string `json:"text"`
				} `json:"message"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
						Region *struct {
							StartLine *int `json:"startLine"`
						} `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
				PartialFingerprints map[string]string `json:"partialFingerprints"`
				Properties          map[string]any    `json:"properties"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if doc.Version != "2.1.0" || !strings.Contains(doc.Schema, "sarif-schema-2.1.0") {
		t.Errorf("%s: version %q schema %q", name, doc.Version, doc.Schema)
	}
	if len(doc.Runs) != 1 || doc.Runs[0].Tool.Driver.Name != "exscan" {
		t.Fatalf("%s: runs/driver: %+v", name, doc.Runs)
	}
	run := doc.Runs[0]
	ids := map[string]int{}
	for i, r := range run.Tool.Driver.Rules {
		if _, dup := ids[r.ID]; dup || r.ID == "" {
			t.Errorf("%s: rule id %q empty or repeated", name, r.ID)
		}
		ids[r.ID] = i
		if r.Help.Text == "" {
			t.Errorf("%s: rule %s has no help text", name, r.ID)
		}
	}
	for i, r := range run.Results {
		idx, ok := ids[r.RuleID]
		if !ok || idx != r.RuleIndex {
			t.Errorf("%s: result %d: ruleId %q index %d not in driver.rules", name, i, r.RuleID, r.RuleIndex)
		}
		switch r.Level {
		case "none", "note", "warning", "error":
		default:
			t.Errorf("%s: result %d: level %q", name, i, r.Level)
		}
		if r.Message.Text == nil || *r.Message.Text == "" {
			t.Errorf("%s: result %d: no message text", name, i)
		} else {
			for _, c := range *r.Message.Text {
				if c < 0x20 || c == 0x7f || c == '\u202e' {
					t.Errorf("%s: result %d: control character %U in message", name, i, c)
				}
			}
		}
		if len(r.Locations) != 1 {
			t.Errorf("%s: result %d: %d locations", name, i, len(r.Locations))
			continue
		}
		pl := r.Locations[0].PhysicalLocation
		if u, err := url.Parse(pl.ArtifactLocation.URI); err != nil || pl.ArtifactLocation.URI == "" {
			t.Errorf("%s: result %d: uri %q: %v", name, i, pl.ArtifactLocation.URI, err)
		} else if u.Scheme != "file" {
			t.Errorf("%s: result %d: uri %q is not a file URI", name, i, pl.ArtifactLocation.URI)
		}
		if pl.Region != nil && (pl.Region.StartLine == nil || *pl.Region.StartLine < 1) {
			t.Errorf("%s: result %d: region without startLine >= 1", name, i)
		}
		if r.PartialFingerprints[sarifFingerprintKey] == "" {
			t.Errorf("%s: result %d: no partial fingerprint", name, i)
		}
		for _, k := range []string{"severity", "cves", "campaigns", "attack"} {
			if _, ok := r.Properties[k]; !ok {
				t.Errorf("%s: result %d: property %s missing", name, i, k)
			}
		}
	}
}

func TestSARIFContent(t *testing.T) {
	out := render(t, "sarif", fixtureMeta("scan"), fixtureFindings(), fixtureSummary())
	rep, err := sarif.FromBytes(out)
	if err != nil {
		t.Fatal(err)
	}
	run := rep.Runs[0]
	if n := len(run.Tool.Driver.Rules); n != 5 {
		t.Errorf("%d rules, want one per distinct rule id (5)", n)
	}
	byRule := map[string]*sarif.Result{}
	for _, r := range run.Results {
		byRule[*r.RuleID] = r
	}
	shell := byRule["yara.exscan_china_chopper_aspx"]
	if shell == nil || shell.Level != "error" {
		t.Fatalf("webshell result: %+v", shell)
	}
	if u := *shell.Locations[0].PhysicalLocation.ArtifactLocation.URI; u != "file:///mnt/image/C/inetpub/wwwroot/aspnet_client/system_web/discover.aspx" {
		t.Errorf("uri %q", u)
	}
	if shell.Properties.Properties["sha256"] != "b20f275eec5a46bbbd9929b49eae15d658c0fcd336acf7e7498a3c1bb12c63d6" {
		t.Errorf("sha256 property: %v", shell.Properties.Properties["sha256"])
	}
	probe := byRule["sigma.web_exchange_proxyshell"]
	if probe.Level != "warning" || *probe.Locations[0].PhysicalLocation.Region.StartLine != 40 {
		t.Errorf("probe level %q / line", probe.Level)
	}
	if u := *byRule["sigma.exchange_proxylogon_ssrf"].Locations[0].PhysicalLocation.ArtifactLocation.URI; !strings.Contains(u, "Program%20Files") {
		t.Errorf("space not percent-encoded: %q", u)
	}
	for _, r := range run.Tool.Driver.Rules {
		if *r.ID == "yara.exscan_china_chopper_aspx" {
			if r.HelpURI == nil || !strings.HasPrefix(*r.HelpURI, "https://www.microsoft.com/") {
				t.Errorf("helpUri %v", r.HelpURI)
			}
			if strings.Contains(*r.Help.Text, "javascript:") {
				t.Error("non-http reference in help")
			}
		}
	}
	if inv := run.Invocations[0]; inv.Properties.Properties["verdict"] != VerdictCompromised || *inv.ExitCode != 1 {
		t.Errorf("invocation: %+v", inv)
	}
}

func TestFileURI(t *testing.T) {
	cases := map[string]string{
		"/mnt/x/C/Program Files/a#b?.aspx": "file:///mnt/x/C/Program%20Files/a%23b%3F.aspx",
		`C:\inetpub\wwwroot\x.aspx`:        "file:///C:/inetpub/wwwroot/x.aspx",
		"logs/u_ex210303.log":              "logs/u_ex210303.log",
		"a:b/c":                            "./a:b/c",
		"/x/100%\xff":                      "file:///x/100%25%FF",
	}
	for in, want := range cases {
		if got := fileURI(in); got != want {
			t.Errorf("fileURI(%q) = %q, want %q", in, got, want)
		}
	}
}
