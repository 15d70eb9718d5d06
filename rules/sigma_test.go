package rules

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	sigma "github.com/bradleyjkemp/sigma-go"
	"gopkg.in/yaml.v3"

	"exscan/internal/loaderr"
	"exscan/rules/sigmacases"
	"exscan/scanner/finding"
	"exscan/scanner/logs"
)

// --- fixtures -----------------------------------------------------------

type sigmaCase struct {
	*sigmacases.Case
	rec *logs.Record
}

func (c *sigmaCase) logText(headers map[string]string) (text, name string, err error) {
	return c.Case.LogText(headers)
}

// readOne reads the only record of a log text through the real reader.
func readOne(text, name string) (*logs.Record, error) {
	rd, err := logs.NewReader(strings.NewReader(text), name)
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	rec, err := rd.Next()
	if err != nil {
		return nil, fmt.Errorf("no record: %v (stats %+v)", err, rd.Stats())
	}
	out := rec.Clone()
	if _, err := rd.Next(); err != io.EOF {
		return nil, fmt.Errorf("more than one record")
	}
	return out, nil
}

func loadSigmaCases(t testing.TB) []*sigmaCase {
	t.Helper()
	f, err := sigmacases.Load("../testdata/sigma/cases.yml")
	if err != nil {
		t.Fatal(err)
	}
	var out []*sigmaCase
	for _, c := range f.Cases {
		sc := &sigmaCase{Case: c}
		text, name, err := c.LogText(f.Headers)
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		sc.rec, err = readOne(text, name)
		if err != nil {
			t.Fatalf("%s: %v\n%s", c.Name, err, text)
		}
		if string(sc.rec.Format) != c.Format {
			t.Fatalf("%s: reader says format %s, case says %s", c.Name, sc.rec.Format, c.Format)
		}
		out = append(out, sc)
	}
	return append(out, loadEventCases(t)...)
}

// loadEventCases reads the event-log fixtures (testdata/sigma/evtx_cases.yml):
// each case's fields, in order, are one event record as the EVTX reader
// makes it (TestEventCasesShapedLikeReader checks the shape against real
// files).
func loadEventCases(t testing.TB) []*sigmaCase {
	t.Helper()
	f, err := sigmacases.Load("../testdata/sigma/evtx_cases.yml")
	if err != nil {
		t.Fatal(err)
	}
	var out []*sigmaCase
	for _, c := range f.Cases {
		if c.Format != string(logs.FormatEVTX) {
			t.Fatalf("%s: format %q in the event-log cases", c.Name, c.Format)
		}
		var names, values []string
		for i := 0; i+1 < len(c.Fields.Content); i += 2 {
			k, v := c.Fields.Content[i], c.Fields.Content[i+1]
			if v.Kind == yaml.SequenceNode { // unnamed EventData values
				for _, x := range v.Content {
					names, values = append(names, k.Value), append(values, x.Value)
				}
				continue
			}
			names, values = append(names, k.Value), append(values, v.Value)
		}
		out = append(out, &sigmaCase{Case: c, rec: logs.NewEventRecord(names, values, time.Date(2021, 3, 3, 6, 0, 0, 0, time.UTC))})
	}
	return out
}

func mustLoadBuiltin(t testing.TB) *SigmaSet {
	t.Helper()
	s, errs := LoadSigma(true, nil)
	for _, e := range errs {
		t.Errorf("built-in rule error: %v", e)
	}
	if s.Len() == 0 {
		t.Fatal("no built-in Sigma rules")
	}
	return s
}

func ruleIDs(rs []finding.Reason) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Rule)
	}
	sort.Strings(out)
	return out
}

// --- built-in rules -----------------------------------------------------

var uuidRe = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// TestSigmaBuiltinMetadata checks that every built-in rule carries the
// metadata exscan and Sigma tooling rely on.
func TestSigmaBuiltinMetadata(t *testing.T) {
	s := mustLoadBuiltin(t)
	files, _ := filepath.Glob("sigma/*.yml")
	if len(files) != s.Len() {
		t.Errorf("%d rule files, %d rules loaded", len(files), s.Len())
	}
	seenUUID := map[string]string{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := yaml.Unmarshal(data, &m); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, k := range []string{"title", "id", "name", "status", "description", "references", "author", "date", "tags", "logsource", "detection", "falsepositives", "level"} {
			if _, ok := m[k]; !ok {
				t.Errorf("%s: no %s", f, k)
			}
		}
		id, _ := m["id"].(string)
		if !uuidRe.MatchString(id) {
			t.Errorf("%s: id %q is not a UUIDv4", f, id)
		}
		if prev, dup := seenUUID[id]; dup {
			t.Errorf("%s: id %s also used by %s", f, id, prev)
		}
		seenUUID[id] = f
		name, _ := m["name"].(string)
		want := "exscan.log." + strings.Replace(strings.TrimSuffix(filepath.Base(f), ".yml"), "_", ".", 1)
		if name != want {
			t.Errorf("%s: name %q, want %q (file named after the rule)", f, name, want)
		}
		if m["author"] != "exscan" {
			t.Errorf("%s: author %v", f, m["author"])
		}
		var tags []string
		for _, x := range m["tags"].([]any) {
			tags = append(tags, x.(string))
		}
		hasTech, hasCamp := false, false
		for _, tg := range tags {
			hasTech = hasTech || regexp.MustCompile(`^attack\.t\d{4}`).MatchString(tg)
			hasCamp = hasCamp || strings.HasPrefix(tg, "exscan.campaign.")
		}
		generic := strings.HasPrefix(filepath.Base(f), "windows_") // generic Windows events: no campaign
		if !hasTech || hasCamp == generic {
			t.Errorf("%s: tags %v need an attack.t* technique and an exscan.campaign.* (none for the generic windows_* events)", f, tags)
		}
	}
	for _, r := range s.Rules() {
		if !r.Builtin || len(r.Formats) == 0 || (len(r.Campaigns) == 0) != strings.HasPrefix(r.ID, "exscan.log.windows.") || len(r.Attack) == 0 {
			t.Errorf("%s: builtin=%v formats=%v campaigns=%v attack=%v", r.ID, r.Builtin, r.Formats, r.Campaigns, r.Attack)
		}
	}
	// every built-in rule gets a needle, so the prefilter keeps it off
	// unrelated lines
	if len(s.always) != 0 {
		for _, ri := range s.always {
			t.Errorf("%s reduces to no prefilter needle", s.rules[ri].info.ID)
		}
	}
}

// TestSigmaBuiltinCases runs every fixture line and compares the set of
// matching rules with the expected one.
func TestSigmaBuiltinCases(t *testing.T) {
	s := mustLoadBuiltin(t)
	for _, c := range loadSigmaCases(t) {
		got := s.Match(c.rec)
		want := append([]string(nil), c.Expect...)
		sort.Strings(want)
		if !slices.Equal(ruleIDs(got), want) {
			t.Errorf("%s:\n got %v\nwant %v", c.Name, ruleIDs(got), want)
		}
		for _, r := range got {
			// Generic Windows events (a cleared log, a new account, a
			// service install) belong to no campaign: their findings carry
			// no campaign context. Every other rule names its campaign.
			generic := strings.HasPrefix(r.Rule, "exscan.log.windows.")
			if r.Source != "sigma" || r.Title == "" || len(r.Evidence) == 0 || (len(r.Campaigns) == 0) != generic || r.Author != "exscan" {
				t.Errorf("%s: incomplete reason (campaigns: want none exactly for exscan.log.windows.*) %+v", c.Name, r)
			}
			for _, e := range r.Evidence {
				if e.Name == "" || e.Value == "" {
					t.Errorf("%s: %s: empty evidence %+v", c.Name, r.Rule, e)
				}
			}
		}
	}
}

// TestSigmaEveryRuleHasFixtures: each built-in rule matches at least one
// fixture (true positive) and is evaluated and rejected on at least one
// other (a near miss that shares its prefilter needle).
func TestSigmaEveryRuleHasFixtures(t *testing.T) {
	s := mustLoadBuiltin(t)
	tp := map[string]int{}
	nearMiss := map[string]int{}
	for _, c := range loadSigmaCases(t) {
		matched := map[string]bool{}
		for _, id := range c.Expect {
			matched[id] = true
			tp[id]++
		}
		for _, id := range c.NearMissFor {
			if !matched[id] {
				nearMiss[id]++
			}
		}
		sc := s.pool.Get().(*sigmaScratch)
		if s.candidates(c.rec, formatBit(c.rec.Format), sc) {
			for _, ri := range sc.cand {
				if id := s.rules[ri].info.ID; !matched[id] {
					nearMiss[id]++
				}
			}
		}
		s.pool.Put(sc)
	}
	for _, r := range s.Rules() {
		if tp[r.ID] == 0 {
			t.Errorf("%s: no true-positive fixture", r.ID)
		}
		if nearMiss[r.ID] == 0 {
			t.Errorf("%s: no near-miss fixture (a line its needles select that it rejects)", r.ID)
		}
	}
}

// mutations rewrites a log line in ways a rule must see through: case,
// percent-encoding of letters in the URL, double encoding.
// TestSigmaPrefilterNeverHides evaluates every fixture, and variants of
// it, with and without the prefilter: the results must be the same.
func TestSigmaPrefilterNeverHides(t *testing.T) {
	with := mustLoadBuiltin(t)
	without := mustLoadBuiltin(t)
	without.noPrefilter = true
	user, errs := LoadSigma(true, []string{"../testdata/sigma/user"})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	userAll, _ := LoadSigma(true, []string{"../testdata/sigma/user"})
	userAll.noPrefilter = true

	f, err := sigmacases.Load("../testdata/sigma/cases.yml")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range loadSigmaCases(t) {
		recs := []*logs.Record{c.rec}
		if c.Line != "" && (c.Format == "iis" || c.Format == "httperr") {
			for _, m := range sigmacases.Mutations(c.Line) {
				c2 := *c.Case
				c2.Line = m
				text, name, _ := c2.LogText(f.Headers)
				if r, err := readOne(text, name); err == nil {
					recs = append(recs, r)
				}
			}
		}
		for _, rec := range recs {
			n++
			for _, pair := range [][2]*SigmaSet{{with, without}, {user, userAll}} {
				a, b := pair[0].Match(rec), pair[1].Match(rec)
				if fmt.Sprint(a) != fmt.Sprint(b) {
					t.Errorf("%s: prefilter changes the result on %q:\n with    %v\n without %v", c.Name, rec.Raw, ruleIDs(a), ruleIDs(b))
				}
			}
		}
	}
	t.Logf("%d records compared", n)
}

// --- loading user rules -------------------------------------------------

// TestSigmaConditionPatternWorkaround: a rule shaped like SigmaHQ's
// web_exchange_proxyshell.yml ("all of selection_1* or ...") does not
// parse with sigma-go as is, and loads and matches through LoadSigma.
func TestSigmaConditionPatternWorkaround(t *testing.T) {
	const file = "../testdata/sigma/user/proxyshell_status401.yml"
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sigma.ParseRule(data); err == nil {
		t.Log("sigma-go now parses 'all of selection_1*' itself; the rewrite is kept for older versions")
	} else if !strings.Contains(err.Error(), "*") {
		t.Fatalf("sigma-go fails differently than expected: %v", err)
	}
	s, errs := LoadSigma(false, []string{file})
	if len(errs) > 0 || s.Len() != 1 {
		t.Fatalf("load: %d rules, errors %v", s.Len(), errs)
	}
	hit := iisRecord(t, "2021-08-25 03:01:02 10.0.0.5 POST /autodiscover/autodiscover.json @evil.com/powershell/?&Email=autodiscover/autodiscover.json%3F@evil.com 443 - 203.0.113.9 python-requests/2.26.0 - 401 0 0 12")
	if got := ruleIDs(s.Match(hit)); len(got) != 1 {
		t.Errorf("401 ProxyShell line: %v", got)
	}
	scan := iisRecord(t, "2021-08-25 03:01:02 10.0.0.5 GET /autodiscover/autodiscover.json @foo.com/owa/?&Email=autodiscover/autodiscover.json%3F@foo.com 443 - 203.0.113.9 python-requests/2.26.0 - 401 0 0 12")
	if got := ruleIDs(s.Match(scan)); len(got) != 1 {
		t.Errorf("401 scan line (second branch): %v", got)
	}
	ok200 := iisRecord(t, "2021-08-25 03:01:02 10.0.0.5 POST /autodiscover/autodiscover.json @evil.com/powershell/?&Email=autodiscover/autodiscover.json%3F@evil.com 443 - 203.0.113.9 python-requests/2.26.0 - 200 0 0 12")
	if got := ruleIDs(s.Match(ok200)); len(got) != 0 {
		t.Errorf("200 line must not match a 401 rule: %v", got)
	}
}

func TestSigmaExpandCondition(t *testing.T) {
	names := []string{"selection_1", "selection_1_auto", "selection_1_uri", "selection_poc", "_internal", "filter_a", "filter_b"}
	for in, want := range map[string]string{
		"all of selection_1* or selection_poc":  "(selection_1 and selection_1_auto and selection_1_uri) or selection_poc",
		"1 of selection_* and not 1 of filter*": "(selection_1 or selection_1_auto or selection_1_uri or selection_poc) and not (filter_a or filter_b)",
		"1 of them":                             "(selection_1 or selection_1_auto or selection_1_uri or selection_poc or filter_a or filter_b)",
		"any of filter_*":                       "(filter_a or filter_b)",
		"2 of filter_*":                         "((filter_a and filter_b))",
		"1 of selection_poc":                    "selection_poc",
		"all of selection_poc":                  "all of selection_poc",
		"selection_1 and not filter_a":          "selection_1 and not filter_a",
	} {
		got, err := expandCondition(in, names)
		if err != nil || got != want {
			t.Errorf("%q: got %q (%v), want %q", in, got, err, want)
		}
	}
	if _, err := expandCondition("1 of nothing_*", names); err == nil {
		t.Error("a pattern that matches nothing must be an error")
	}
	if _, err := expandCondition("3 of filter_*", names); err == nil {
		t.Error("3 of 2 must be an error")
	}
}

// TestSigmaWholeURIInQuery: SigmaHQ webserver rules test paths against
// cs-uri-query, which they mean as the whole URI.
func TestSigmaWholeURIInQuery(t *testing.T) {
	s, errs := LoadSigma(false, []string{"../testdata/sigma/user/hafnium_uri_query.yml"})
	if len(errs) > 0 || s.Len() != 1 {
		t.Fatalf("load: %v", errs)
	}
	post := iisRecord(t, "2021-03-03 07:00:00 10.0.0.5 POST /owa/auth/Current/themes/resources/logon.css - 443 - 165.232.154.116 Mozilla/5.0 - 200 0 0 40")
	if got := s.Match(post); len(got) != 1 {
		t.Fatalf("stem path not seen through cs-uri-query: %v", ruleIDs(got))
	} else {
		var ev []string
		for _, e := range got[0].Evidence {
			ev = append(ev, e.Name+"="+e.Value)
		}
		// shown under the log's own name, as logged
		if !slices.Contains(ev, "cs-uri-stem=/owa/auth/Current/themes/resources/logon.css") || !slices.Contains(ev, "cs-method=POST") {
			t.Errorf("evidence %v", ev)
		}
	}
	get := iisRecord(t, "2021-03-03 07:00:00 10.0.0.5 GET /owa/auth/Current/themes/resources/logon.css - 443 - 10.1.2.3 Mozilla/5.0 - 200 0 0 40")
	if got := s.Match(get); len(got) != 0 {
		t.Errorf("GET matched: %v", ruleIDs(got))
	}
	js := iisRecord(t, "2021-03-03 07:00:00 10.0.0.5 POST /ecp/y.js - 443 - 10.1.2.3 python-requests/2.25.1 - 200 0 0 40")
	if got := s.Match(js); len(got) != 1 {
		t.Errorf("POST /ecp/y.js: %v", ruleIDs(got))
	}
}

// TestSigmaFieldNames checks the Sigma names a record is seen through.
func TestSigmaFieldNames(t *testing.T) {
	rec := iisRecord(t, "2022-09-29 21:44:06 10.0.0.5 POST /autodiscover/autodiscover.json a..foo.var/owa/&Email=autodiscover/autodiscover.json?a..foo.var&Protocol=XYZ&FooProtocol=%2550owershell 443 - 198.51.100.77 Mozilla/5.0+(Windows+NT+10.0) - 200 0 0 64")
	ev := newSigmaEvent(rec)
	for name, want := range map[string]string{
		"cs-uri-stem":    "/autodiscover/autodiscover.json",
		"cs-uri-query":   "/autodiscover/autodiscover.json?a..foo.var/owa/&Email=autodiscover/autodiscover.json?a..foo.var&Protocol=XYZ&FooProtocol=%2550owershell",
		"c-uri":          "/autodiscover/autodiscover.json?a..foo.var/owa/&Email=autodiscover/autodiscover.json?a..foo.var&Protocol=XYZ&FooProtocol=%2550owershell",
		"c-uri-query":    "a..foo.var/owa/&Email=autodiscover/autodiscover.json?a..foo.var&Protocol=XYZ&FooProtocol=%2550owershell",
		"decoded-uri":    "/autodiscover/autodiscover.json?a..foo.var/owa/&Email=autodiscover/autodiscover.json?a..foo.var&Protocol=XYZ&FooProtocol=Powershell",
		"c-useragent":    "Mozilla/5.0+(Windows+NT+10.0)",
		"cs(User-Agent)": "Mozilla/5.0+(Windows+NT+10.0)",
		"CS-METHOD":      "POST",
		"sc-status":      "200",
	} {
		got := ev.get(name)
		if len(got) == 0 || got[0] != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if got := ev.get("c-useragent"); len(got) != 2 || got[1] != "Mozilla/5.0 (Windows NT 10.0)" {
		t.Errorf("user agent alternatives %q", got)
	}
	hp := &logs.Record{Format: logs.FormatHttpProxy, Raw: []byte("x"),
		Names:  []string{"UrlStem", "UrlQuery", "Method", "HttpStatus", "ClientIpAddress", "AuthenticatedUser", "UserAgent", "UrlHost"},
		Values: []string{"/owa/auth/x.js", "?a=1+2", "GET", "500", "198.51.100.23", "", "Nmap", "mail.contoso.com"}}
	ev = newSigmaEvent(hp)
	for name, want := range map[string]string{
		"cs-uri-stem": "/owa/auth/x.js", "cs-uri-query": "/owa/auth/x.js?a=1+2", "c-uri-query": "a=1+2",
		"decoded-uri": "/owa/auth/x.js?a=1 2", "cs-method": "GET", "sc-status": "500", "c-ip": "198.51.100.23",
		"c-useragent": "Nmap", "cs-host": "mail.contoso.com", "AnchorMailbox": "",
	} {
		got := ev.get(name)
		if want == "" && got == nil {
			continue
		}
		if len(got) == 0 || got[0] != want {
			t.Errorf("httpproxy %s = %q, want %q", name, got, want)
		}
	}
}

func TestDecodeURI(t *testing.T) {
	for in, want := range map[string]string{
		"/a/b":                         "/a/b",
		"/a+b?x=1+2":                   "/a+b?x=1 2",
		"/x?q=%50owershell":            "/x?q=Powershell",
		"/x?q=%2550owershell":          "/x?q=Powershell",
		"/x?q=%u0050owershell":         "/x?q=Powershell",
		"/x?q=%zz%2":                   "/x?q=%zz%2",
		"/x?q=%252525":                 "/x?q=%25",
		"/autodiscover.json%3F@a.com/": "/autodiscover.json?@a.com/",
	} {
		stem, _, _ := strings.Cut(in, "?")
		if got := decodeURI(in, len(stem)); got != want {
			t.Errorf("decodeURI(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestSigmaBadRulesReported: broken files and rules are errors naming the
// file and line; the good rules next to them load.
func TestSigmaBadRulesReported(t *testing.T) {
	s, errs := LoadSigma(false, []string{"../testdata/sigma/bad"})
	if s.Len() != 1 || s.Rules()[0].Title != "A good rule next to bad ones" {
		t.Errorf("want only the good rule loaded, got %+v", s.Rules())
	}
	want := map[string]string{ // file -> part of the message
		"broken_yaml.yml":      "yaml",
		"unknown_search.yml":   "not a search in this rule",
		"bad_modifier.yml":     `unsupported modifier "frobnicate"`,
		"aggregation.yml":      "aggregation",
		"pattern_nothing.yml":  "matches no search identifier",
		"bad_regex.yml":        "regex",
		"duplicate_id.yml":     "already loaded",
		"no_detection.yml":     "no detection",
		"correlation_rule.yml": "correlation",
	}
	got := map[string]string{}
	for _, e := range errs {
		var se *loaderr.Error
		if !errors.As(e, &se) {
			t.Errorf("not a *loaderr.Error: %v", e)
			continue
		}
		base := filepath.Base(se.File)
		got[base] = e.Error()
		if se.Line == 0 {
			t.Errorf("%s: no line number: %v", base, e)
		}
		if !strings.Contains(e.Error(), base+":") {
			t.Errorf("message does not start with the file: %v", e)
		}
	}
	for f, part := range want {
		msg, ok := got[f]
		if !ok {
			t.Errorf("%s: no error reported", f)
			continue
		}
		if !strings.Contains(msg, part) {
			t.Errorf("%s: %q does not mention %q", f, msg, part)
		}
	}
	if len(got) != len(want) {
		t.Errorf("errors for %d files, want %d: %v", len(got), len(want), got)
	}
	if _, errs := LoadSigma(false, []string{"../testdata/sigma/does-not-exist"}); len(errs) != 1 {
		t.Errorf("missing dir: %v", errs)
	}
}

func TestSigmaUserRulesAndLogsource(t *testing.T) {
	s, errs := LoadSigma(true, []string{"../testdata/sigma/user"})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	var na []string
	for _, r := range s.NotApplicable() {
		na = append(na, filepath.Base(r.File))
	}
	if !slices.Equal(na, []string{"process_creation.yml"}) {
		t.Errorf("not applicable: %v", na)
	}
	byTitle := map[string]SigmaRuleInfo{}
	for _, r := range s.Rules() {
		byTitle[r.Title] = r
	}
	kw, ok := byTitle["Mailbox export to a web page (keywords, test)"]
	if !ok {
		t.Fatal("keyword rule not loaded")
	}
	if !slices.Equal(kw.Formats, []string{"rps", "evtx"}) || kw.ID != kw.SigmaID || kw.Builtin {
		t.Errorf("keyword rule info %+v", kw)
	}
	if !slices.Equal(kw.CVEs, []string{"CVE-2021-31207"}) || !slices.Equal(kw.Campaigns, []string{"proxyshell"}) || !slices.Equal(kw.Attack, []string{"T1505.003"}) {
		t.Errorf("tags: cves %v campaigns %v attack %v", kw.CVEs, kw.Campaigns, kw.Attack)
	}
	for _, c := range loadSigmaCases(t) {
		if c.Name != "rps mailbox export to aspnet_client as .aspx" {
			continue
		}
		var found *finding.Reason
		for _, r := range s.Match(c.rec) {
			if r.Rule == kw.ID {
				found = &r
			}
		}
		if found == nil {
			t.Fatal("keyword rule did not match the RPS export line")
		}
		var names []string
		for _, e := range found.Evidence {
			names = append(names, e.Name)
		}
		// keyword evidence names the fields that hold the keywords
		if found.Severity != finding.Critical || !slices.Equal(names, []string{"Cmdlet", "Parameters"}) {
			t.Errorf("keyword reason %+v", found)
		}
	}
	// event-log keywords across the CSV columns of the RPS cmdlet log
	ev, ok := byTitle["Mailbox export with an ASP.NET file name (event-log keywords, test)"]
	if !ok {
		t.Fatal("event-log keyword rule not loaded")
	}
	for _, c := range loadSigmaCases(t) {
		if c.Format != "rps" || c.Header != "rps_cmdlet" {
			continue
		}
		hit := slices.Contains(ruleIDs(s.Match(c.rec)), ev.ID)
		if want := c.Name == "rps mailbox export to aspnet_client as .aspx"; hit != want {
			t.Errorf("%s: event-log keyword rule match %v, want %v", c.Name, hit, want)
		}
	}
	for ls, want := range map[[3]string][]string{
		{"webserver", "", ""}:                           {"iis", "httperr", "w3c", "httpproxy", "rps"},
		{"webserver", "iis", ""}:                        {"iis", "httperr", "w3c"},
		{"", "iis", ""}:                                 {"iis", "httperr", "w3c"},
		{"", "exchange", "httpproxy"}:                   {"httpproxy"},
		{"", "exchange", "ecp"}:                         {"ecp"},
		{"", "exchange", "oabgenerator"}:                {"oab"},
		{"", "exchange", "rps"}:                         {"rps"},
		{"", "exchange", ""}:                            {"httpproxy", "ecp", "rps", "exchange", "oab"},
		{"webserver", "exchange", ""}:                   {"httpproxy", "rps"},
		{"", "windows", "msexchange-management"}:        {"rps", "evtx"},
		{"process_creation", "windows", ""}:             {"evtx"},
		{"", "windows", "no-such-service"}:              nil,
		{"", "windows", ""}:                             nil,
		{"proxy", "", ""}:                               nil,
		{"webserver", "apache", ""}:                     nil,
		{"", "exchange", "messagetracking-unsupported"}: nil,
	} {
		m, _, _ := formatsFor(sigma.Logsource{Category: ls[0], Product: ls[1], Service: ls[2]})
		got := m.names()
		if !slices.Equal(got, want) {
			t.Errorf("%v: %v, want %v", ls, got, want)
		}
	}
}

func TestSigmaTags(t *testing.T) {
	cves, attack, camps := tagsOf([]string{"attack.initial-access", "attack.t1190", "attack.T1505.003", "attack.g0125",
		"cve.2021-26855", "cve.2021.34473", "CVE.2022-41040", "exscan.campaign.ProxyLogon", "detection.emerging-threats", "cve.2021-26855"})
	if !slices.Equal(cves, []string{"CVE-2021-26855", "CVE-2021-34473", "CVE-2022-41040"}) {
		t.Errorf("cves %v", cves)
	}
	if !slices.Equal(attack, []string{"T1190", "T1505.003"}) {
		t.Errorf("attack %v", attack)
	}
	if !slices.Equal(camps, []string{"proxylogon"}) {
		t.Errorf("campaigns %v", camps)
	}
}

// TestSigmaMatching covers Sigma value semantics on small in-line rules.
func TestSigmaMatching(t *testing.T) {
	rec := iisRecord(t, "2021-03-03 07:00:00 10.0.0.5 POST /owa/auth/Current/themes/resources/logon.css a=b&c=%64 443 CONTOSO\\EXCH01$ 198.51.100.7 Mozilla/5.0+(X11;+Linux) - 200 0 0 40")
	type tc struct {
		det   string
		match bool
	}
	for _, c := range []tc{
		{"sel:\n    cs-uri-stem: '/owa/*/resources/logon.css'\n  condition: sel", true},
		{"sel:\n    cs-uri-stem: '/owa/*/resources/logon.cs?'\n  condition: sel", true},
		{"sel:\n    cs-uri-stem: '/owa/*/resources/logon.c?'\n  condition: sel", false},
		{"sel:\n    cs-uri-stem|contains: 'current\\*'\n  condition: sel", false},
		{"sel:\n    cs-uri-stem|startswith: '/OWA/AUTH'\n  condition: sel", true},
		{"sel:\n    cs-uri-stem|startswith|cased: '/OWA/AUTH'\n  condition: sel", false},
		{"sel:\n    cs-uri-stem|endswith: 'LOGON.CSS'\n  condition: sel", true},
		{"sel:\n    cs-username|endswith: '$'\n  condition: sel", true},
		{"sel:\n    cs(Referer): null\n  condition: sel", true},
		{"sel:\n    cs-referer: ''\n  condition: sel", true},
		{"sel:\n    no-such-field: null\n  condition: sel", true},
		{"sel:\n    no-such-field: 'x'\n  condition: sel", false},
		{"sel:\n    cs-method|exists: true\n  condition: sel", true},
		{"sel:\n    no-such-field|exists: false\n  condition: sel", true},
		{"sel:\n    c-ip|cidr: '198.51.100.0/24'\n  condition: sel", true},
		{"sel:\n    c-ip|cidr: '10.0.0.0/8'\n  condition: sel", false},
		{"sel:\n    sc-status|gte: 200\n    time-taken|lt: 41\n  condition: sel", true},
		{"sel:\n    sc-status: 200\n  condition: sel", true},
		{"sel:\n    sc-status: '200'\n  condition: sel", true},
		{"sel:\n    cs-uri-stem|re: '^/owa/auth/current/'\n  condition: sel", false},
		{"sel:\n    cs-uri-stem|re|i: '^/owa/auth/current/'\n  condition: sel", true},
		{"sel:\n    c-useragent: 'Mozilla/5.0 (X11; Linux)'\n  condition: sel", true},
		{"sel:\n    decoded-uri|endswith: 'c=d'\n  condition: sel", true},
		{"sel:\n    cs-uri-query|contains|all:\n      - 'a=b'\n      - 'logon'\n  condition: sel", true},
		{"sel:\n    cs-uri-query|contains|all:\n      - 'a=b'\n      - 'nope'\n  condition: sel", false},
		{"sel:\n    - 'THEMES/RESOURCES'\n  condition: sel", true},
		{"sel:\n    - 'nope'\n    - 'resources/log*css'\n  condition: sel", true},
		{"sel:\n    '|all':\n      - 'POST'\n      - 'linux'\n  condition: sel", true},
		{"sel:\n    '|all':\n      - 'POST'\n      - 'windows'\n  condition: sel", false},
		{"sel:\n    - cs-method: GET\n    - cs-method: POST\n  condition: sel", true},
		{"sel:\n    - cs-method: GET\n    - cs-method: POST\n  condition: all of sel", false},
		{"sel_a:\n    cs-method: POST\n  sel_b:\n    sc-status: 200\n  condition: all of sel_*", true},
		{"sel_1:\n    cs-method: POST\n  sel_1b:\n    sc-status: 404\n  condition: all of sel_1*", false},
		{"sel_1:\n    cs-method: POST\n  sel_1b:\n    sc-status: 404\n  condition: 1 of sel_1*", true},
		{"sel:\n    cs-method: POST\n  _helper:\n    sc-status: 404\n  condition: all of them", true},
		{"sel:\n    cs-method: POST\n  condition:\n    - sel and cs\n", false},
		{"sel:\n    cs-method: GET\n  other:\n    sc-status: 200\n  condition:\n    - sel\n    - other", true},
		{"sel:\n    cs-method|windash: '-POST'\n  condition: sel", false},
		{"sel:\n    c-uri-query|base64offset|contains: 'abc'\n  condition: sel", false},
	} {
		s := inlineRule(t, c.det)
		if s == nil {
			continue
		}
		if got := len(s.Match(rec)) == 1; got != c.match {
			t.Errorf("%q: match %v, want %v", c.det, got, c.match)
		}
	}
}

// --- helpers ------------------------------------------------------------

func iisRecord(t testing.TB, line string) *logs.Record {
	t.Helper()
	c := &sigmacases.Case{Format: "iis", Header: "iis", Line: line}
	text, name, err := c.LogText(map[string]string{"iis": logs.DefaultIISFields})
	if err != nil {
		t.Fatal(err)
	}
	rec, err := readOne(text, name)
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

// inlineRule loads a webserver rule with the given detection body; a rule
// that is expected not to load (the "sel and cs" case) returns a set
// without rules.
func inlineRule(t *testing.T, det string) *SigmaSet {
	t.Helper()
	dir := t.TempDir()
	body := "title: inline\nid: 00000000-0000-4000-8000-000000000001\nlogsource:\n  category: webserver\ndetection:\n  " + det + "\nlevel: high\n"
	if err := os.WriteFile(filepath.Join(dir, "r.yml"), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	s, errs := LoadSigma(false, []string{dir})
	if len(errs) > 0 {
		if strings.Contains(det, "sel and cs") {
			return s
		}
		t.Errorf("%q: %v", det, errs)
		return nil
	}
	return s
}

// --- benchmarks ---------------------------------------------------------

const (
	benchBenignOWA   = "2021-03-10 08:00:01 10.0.0.5 GET /owa/service.svc action=GetItem&EP=1&ID=-24&AC=1&CorrelationID=<empty>;&cafeReqId=1b2c3d4e-5f60-4718-9a2b-3c4d5e6f7081; 443 jdoe@contoso.com 10.1.2.3 Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64)+AppleWebKit/537.36+(KHTML,+like+Gecko)+Chrome/89.0.4389.82+Safari/537.36 https://mail.contoso.com/owa/ 200 0 0 31"
	benchBenignSite  = "2016-03-05 05:54:23 172.31.22.76 GET /images/banner%20home.jpg v=3 80 - 185.103.252.12 Mozilla/5.0+(Windows+NT+6.1;+WOW64)+AppleWebKit/537.36+(KHTML,+like+Gecko)+Chrome/44.0.2403.155+Safari/537.36 http://www.example.pe/ 200 0 0 985"
	benchBenignTheme = "2021-03-10 08:00:02 10.0.0.5 GET /owa/auth/15.1.2242/themes/resources/favicon.ico &CorrelationID=<empty>;&cafeReqId=3c4d5e6f-7081-4293-a4b5-c6d7e8f90a1b; 443 - 10.1.2.3 Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64)+AppleWebKit/537.36+(KHTML,+like+Gecko)+Chrome/89.0.4389.82+Safari/537.36 https://mail.contoso.com/owa/auth/logon.aspx?url=https%3a%2f%2fmail.contoso.com%2fowa%2f&reason=0 200 0 0 0"
	benchAttackShell = "2021-08-23 09:13:18 172.28.30.86 POST /autodiscover/autodiscover.json @a.a/powershell/?&Email=autodiscover/autodiscover.json%3F@a.a&X-Rps-CAT=VgEAVAdXaW5kb3dzQwBBCEtlcmJlcm9zTBtydC10ZXN0aW5nLm5leHRyb25cd2hhdGV2ZXJVLFMtMS01LTIxLTM5NTY0MzM0My0yNjk0NDY3NjIwLTE1NTc4MDY3NDgtNTAwRwEAAAAHAAAADFMtMS01LTMyLTU0NEUAAAAA&CorrelationID=<empty>;&cafeReqId=077855a1-9ca4-41e4-b610-745ed366d396; 443 - 10.255.249.78 Python+PSRP+Client - 200 0 0 55"
	benchAttackWeb   = "2021-03-04 02:30:11 10.0.0.5 GET /owa/auth/RedirSuiteServerProxy.aspx &CorrelationID=<empty>;&cafeReqId=9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a;&encoding=; 443 - 139.162.202.236 Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64) - 200 0 0 31"
)

func benchMatch(b *testing.B, line string, want int) {
	s := mustLoadBuiltin(b)
	rec := iisRecord(b, line)
	if got := len(s.Match(rec)); got != want {
		b.Fatalf("%d reasons, want %d", got, want)
	}
	b.SetBytes(int64(len(rec.Raw)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s.Match(rec)
	}
}

func BenchmarkSigmaMatchBenignOWA(b *testing.B)     { benchMatch(b, benchBenignOWA, 0) }
func BenchmarkSigmaMatchBenignWebSite(b *testing.B) { benchMatch(b, benchBenignSite, 0) }
func BenchmarkSigmaMatchBenignTheme(b *testing.B)   { benchMatch(b, benchBenignTheme, 0) }
func BenchmarkSigmaMatchProxyShell(b *testing.B)    { benchMatch(b, benchAttackShell, 1) }
func BenchmarkSigmaMatchWebshell(b *testing.B)      { benchMatch(b, benchAttackWeb, 2) }
