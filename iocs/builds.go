package iocs

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"exscan/scanner/finding"
)

// The Exchange build table: every Exchange 2013/2016/2019/SE build with its
// release date and KB, and for each CVE of the four chains the first fixed
// build of every CU line that received the fix. It is context data, like
// the campaigns: each row carries its source.
//
//go:embed data/exchange-builds.json
var buildsJSON []byte

// ExchangeBuild is one row of the build table.
type ExchangeBuild struct {
	Build  string `json:"build"` // 15.1.2106.13
	Name   string `json:"name"`  // Exchange 2016 CU18 Mar21SU
	Kind   string `json:"kind"`  // RTM, CU, SU, HU
	Date   string `json:"date"`  // release date
	KB     string `json:"kb,omitempty"`
	Source string `json:"source"` // a source id of the table, or a URL
}

// BuildFix is the fix of one CVE: the first fixed build per CU line.
type BuildFix struct {
	CVE          string   `json:"cve"`
	Campaign     string   `json:"campaign"`
	FixedIn      string   `json:"fixed_in"` // e.g. Mar21SU
	AdvisoryDate string   `json:"advisory_date"`
	FixedBuilds  []string `json:"fixed_builds"`
	Source       string   `json:"source"`
	Via          string   `json:"via,omitempty"`
}

// BuildSource is one source of the build table.
type BuildSource struct {
	Title string `json:"title"`
	URL   string `json:"url"`
}

type buildTable struct {
	About   string                 `json:"about"`
	Sources map[string]BuildSource `json:"sources"`
	Builds  []ExchangeBuild        `json:"builds"`
	Fixes   []BuildFix             `json:"fixes"`
	Notes   []string               `json:"notes"`
}

var builds = sync.OnceValue(func() *buildTable {
	t, err := parseBuildTable(buildsJSON)
	if err != nil {
		panic("iocs: embedded data/exchange-builds.json: " + err.Error())
	}
	return t
})

func parseBuildTable(b []byte) (*buildTable, error) {
	var t buildTable
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(&t); err != nil {
		return nil, err
	}
	for _, r := range t.Builds {
		if _, ok := ParseVersion(r.Build); !ok || r.Name == "" || r.Date == "" {
			return nil, fmt.Errorf("build %q (%s): needs a four-part build, a name and a date", r.Build, r.Name)
		}
		if t.SourceURL(r.Source) == "" {
			return nil, fmt.Errorf("build %s: unknown source %q", r.Build, r.Source)
		}
	}
	for _, f := range t.Fixes {
		for _, v := range f.FixedBuilds {
			if _, ok := ParseVersion(v); !ok {
				return nil, fmt.Errorf("%s: fixed build %q", f.CVE, v)
			}
		}
	}
	return &t, nil
}

// SourceURL resolves a source id of the table (or returns a URL as is).
func (t *buildTable) SourceURL(s string) string {
	if strings.HasPrefix(s, "https://") {
		return s
	}
	return t.Sources[s].URL
}

// Version is an Exchange build number: 15.1.2106.13. Parts not given are
// -1 (a three-part folder name has no fourth).
type Version [4]int

// ParseVersion reads a three- or four-part build ("15.01.2106.013" too).
func ParseVersion(s string) (Version, bool) {
	v := Version{-1, -1, -1, -1}
	parts := strings.Split(strings.TrimSpace(s), ".")
	if len(parts) < 3 || len(parts) > 4 {
		return v, false
	}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || n > 65535 || p == "" {
			return v, false
		}
		v[i] = n
	}
	return v, true
}

// Exact says whether all four parts are known.
func (v Version) Exact() bool { return v[3] >= 0 }

// Line is the first three parts: the CU line.
func (v Version) Line() string { return fmt.Sprintf("%d.%d.%d", v[0], v[1], v[2]) }

func (v Version) String() string {
	if !v.Exact() {
		return v.Line()
	}
	return fmt.Sprintf("%d.%d.%d.%d", v[0], v[1], v[2], v[3])
}

// Less compares part by part; an unknown part sorts first.
func (v Version) Less(w Version) bool {
	for i := range v {
		if v[i] != w[i] {
			return v[i] < w[i]
		}
	}
	return false
}

// Product names the Exchange version of a build by its major.minor.
func (v Version) Product() string {
	switch {
	case v[0] == 15 && v[1] == 0:
		return "Exchange 2013"
	case v[0] == 15 && v[1] == 1:
		return "Exchange 2016"
	case v[0] == 15 && v[1] == 2:
		return "Exchange 2019 or SE"
	}
	return "Exchange"
}

// LookupBuild returns the table row of an exact build.
func LookupBuild(v Version) (ExchangeBuild, bool) {
	for _, r := range builds().Builds {
		if w, _ := ParseVersion(r.Build); w == v {
			return resolve(r), true
		}
	}
	return ExchangeBuild{}, false
}

// LineBuild returns the CU (or RTM) row of a CU line: the build the line
// starts with.
func LineBuild(v Version) (ExchangeBuild, bool) {
	for _, r := range builds().Builds {
		if w, _ := ParseVersion(r.Build); w.Line() == v.Line() && (r.Kind == "CU" || r.Kind == "RTM") {
			return resolve(r), true
		}
	}
	return ExchangeBuild{}, false
}

func resolve(r ExchangeBuild) ExchangeBuild {
	r.Source = builds().SourceURL(r.Source)
	return r
}

// Exposure statuses.
const (
	ExposureVulnerable = "vulnerable" // a CVE of the chain is not fixed in this build
	ExposurePartial    = "partial"    // some of the chain's CVEs are fixed, not all
	ExposureFixed      = "fixed"
	ExposureUnknown    = "unknown" // CU line only: fixed by an SU that may or may not be installed
)

// Exposure is one chain's exposure of a build (finding.Exposure).
type Exposure = finding.Exposure

// ExposureCampaigns are the chains the build table covers, in order.
var ExposureCampaigns = []string{"proxylogon", "proxyshell", "proxynotshell", "owassrf"}

// BuildExposure says, for each chain, whether build v was vulnerable. For
// a CU line only (three parts) a chain fixed by an SU of the line is
// "unknown"; a line that never received the fix is vulnerable whatever SU
// it carries.
func BuildExposure(v Version) []Exposure {
	at := v
	if !v.Exact() {
		if cu, ok := LineBuild(v); ok {
			at, _ = ParseVersion(cu.Build)
		} else {
			at[3] = 0
		}
	}
	var out []Exposure
	for _, c := range ExposureCampaigns {
		e := Exposure{Campaign: c}
		var fix Version
		noFix, n := false, 0
		for _, f := range builds().Fixes {
			if f.Campaign != c {
				continue
			}
			n++
			e.Sources = appendNew(e.Sources, f.Source)
			first, ok := firstFixed(f, at)
			if !ok {
				noFix = true
				e.Unfixed = append(e.Unfixed, f.CVE)
				continue
			}
			if fix.Less(first) {
				fix = first
			}
			if at.Less(first) {
				e.Unfixed = append(e.Unfixed, f.CVE)
			}
		}
		switch {
		case n == 0:
			continue
		case len(e.Unfixed) == 0:
			e.Status = ExposureFixed
		case noFix:
			e.Status = ExposureVulnerable
			e.Note = "no fix was published for this CU line: update to a supported CU and its latest SU"
		case !v.Exact():
			e.Status = ExposureUnknown
			e.Note = "the CU line is fixed from " + fix.String() + " on; which SU is installed is not known"
		case len(e.Unfixed) < n:
			e.Status = ExposurePartial
		default:
			e.Status = ExposureVulnerable
		}
		if !noFix && fix[0] > 0 {
			e.FixedBy = fix.String()
			if r, ok := LookupBuild(fix); ok {
				e.FixName, e.FixKB = r.Name, r.KB
			}
		}
		out = append(out, e)
	}
	return out
}

// firstFixed returns the first fixed build of f on v's CU line. A CU line
// newer than every line the fix lists for its product (a CU released after
// the table) contains the fix: its newest listed fixed build is returned.
func firstFixed(f BuildFix, v Version) (Version, bool) {
	var newest Version
	for _, s := range f.FixedBuilds {
		w, ok := ParseVersion(s)
		if !ok || w[0] != v[0] || w[1] != v[1] {
			continue
		}
		if w.Line() == v.Line() {
			return w, true
		}
		if newest.Less(w) {
			newest = w
		}
	}
	if newest[0] > 0 && newest[2] < v[2] {
		return newest, true
	}
	return Version{}, false
}

func appendNew(dst []string, s string) []string {
	for _, d := range dst {
		if d == s {
			return dst
		}
	}
	return append(dst, s)
}
