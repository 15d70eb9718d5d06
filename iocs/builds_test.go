package iocs

import (
	"strings"
	"testing"
)

func TestBuildTable(t *testing.T) {
	tb := builds()
	if len(tb.Builds) != 295 {
		t.Errorf("%d builds, want the 295 of the sources", len(tb.Builds))
	}
	seen := map[string]bool{}
	for _, r := range tb.Builds {
		if seen[r.Build] {
			t.Errorf("build %s listed twice", r.Build)
		}
		seen[r.Build] = true
		if !strings.HasPrefix(tb.SourceURL(r.Source), "https://") {
			t.Errorf("%s: source %q", r.Build, r.Source)
		}
	}
	cves := map[string]bool{}
	for _, f := range tb.Fixes {
		cves[f.Campaign+" "+f.CVE] = true
		if !strings.HasPrefix(f.Source, "https://msrc.microsoft.com/") {
			t.Errorf("%s: source %q is not the MSRC page", f.CVE, f.Source)
		}
		for _, b := range f.FixedBuilds {
			if !seen[b] {
				t.Errorf("%s: fixed build %s is not in the build table", f.CVE, b)
			}
		}
	}
	for id, c := range campaigns() {
		for _, cve := range c.CVEs {
			if id != "webshell-generic" && !cves[id+" "+cve] {
				t.Errorf("%s %s: no fix in the build table", id, cve)
			}
		}
	}
}

func TestBuildExposure(t *testing.T) {
	cases := []struct {
		build string
		name  string
		want  map[string]string // campaign -> status [fixed-by]
	}{
		{"15.1.2106.13", "Exchange 2016 CU18 Mar21SU", map[string]string{"proxylogon": "fixed 15.1.2106.13", "proxyshell": "vulnerable", "proxynotshell": "vulnerable", "owassrf": "vulnerable"}},
		{"15.1.2106.8", "Exchange 2016 CU18 Feb21SU", map[string]string{"proxylogon": "vulnerable 15.1.2106.13"}},
		{"15.1.2176.12", "Exchange 2016 CU19 Apr21SU", map[string]string{"proxylogon": "fixed 15.1.2176.9", "proxyshell": "partial 15.1.2176.14", "proxynotshell": "vulnerable"}},
		{"15.1.2176", "Exchange 2016 CU19", map[string]string{"proxylogon": "unknown 15.1.2176.9", "proxyshell": "unknown 15.1.2176.14", "proxynotshell": "vulnerable", "owassrf": "vulnerable"}},
		{"15.2.1118.7", "Exchange 2019 CU12", map[string]string{"proxylogon": "fixed 15.2.1118.7", "proxyshell": "fixed 15.2.1118.7", "proxynotshell": "vulnerable 15.2.1118.20", "owassrf": "vulnerable 15.2.1118.20"}},
		{"15.2.1258.12", "Exchange 2019 CU13", map[string]string{"proxylogon": "fixed 15.2.1258.12", "proxynotshell": "fixed 15.2.1258.12", "owassrf": "fixed 15.2.1258.12"}},
		{"15.0.1497.2", "Exchange 2013 CU23", map[string]string{"proxylogon": "vulnerable 15.0.1497.12", "proxyshell": "vulnerable 15.0.1497.18"}},
		{"15.1.1261.35", "Exchange 2016 CU7", map[string]string{"proxylogon": "vulnerable"}},
		// A CU line newer than the table contains every fix.
		{"15.2.9999.1", "", map[string]string{"proxylogon": "fixed 15.2.2562.17", "owassrf": "fixed 15.2.2562.17"}},
	}
	for _, c := range cases {
		v, ok := ParseVersion(c.build)
		if !ok {
			t.Fatalf("ParseVersion(%q) failed", c.build)
		}
		var name string
		if v.Exact() {
			r, _ := LookupBuild(v)
			name = r.Name
		} else {
			r, _ := LineBuild(v)
			name = r.Name
		}
		if name != c.name {
			t.Errorf("%s: name %q, want %q", c.build, name, c.name)
		}
		got := map[string]string{}
		for _, e := range BuildExposure(v) {
			got[e.Campaign] = strings.TrimSpace(e.Status + " " + e.FixedBy)
			if len(e.Sources) == 0 {
				t.Errorf("%s %s: no source", c.build, e.Campaign)
			}
		}
		for camp, want := range c.want {
			if got[camp] != want {
				t.Errorf("%s %s: %q, want %q", c.build, camp, got[camp], want)
			}
		}
	}
	for _, bad := range []string{"15.1", "15.1.2106.13.1", "15.x.1.2", "15.1.-1.2", "", "15.1.99999.1"} {
		if _, ok := ParseVersion(bad); ok {
			t.Errorf("ParseVersion(%q) accepted", bad)
		}
	}
	if v, ok := ParseVersion("15.01.2106.013"); !ok || v.String() != "15.1.2106.13" {
		t.Errorf("long format: %v %v", v, ok)
	}
}
