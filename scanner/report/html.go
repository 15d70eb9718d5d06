package report

import (
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"math"
	"net/url"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"exscan/internal/exchange"
	"exscan/iocs"
	"exscan/scanner/finding"
)

func init() {
	Register(Format{Name: "html", Description: "one self-contained HTML page: verdict, timeline, sortable findings, webshell access, campaign context, coverage", Extensions: []string{".html", ".htm"}, New: func(w io.Writer) Writer { return &htmlWriter{w: w} }})
}

// The page is one file a responder can mail or archive: CSS and script are
// inline, nothing is fetched, and a Content-Security-Policy allows only
// these two blocks (by hash), so even a mistake in escaping could not run
// an attacker's script. All attacker text goes through html/template, with
// control characters, bidi overrides and invalid UTF-8 shown as marked
// escapes.

//go:embed assets/report.css
var reportCSS string

//go:embed assets/report.js
var reportJS string

//go:embed assets/report.html.tmpl
var htmlPageTmpl string

// Limits that keep the page usable on huge result sets; the JSON Lines
// output has everything.
var htmlMaxRows = 20000 // a var so tests can lower it

const (
	htmlMaxEvidence  = 8
	htmlMaxValue     = 400
	htmlMaxSkipItems = 2000
	htmlMaxAccess    = 500
	htmlBuckets      = 96
)

// contextFor looks up campaign context; tests replace it to keep goldens
// independent of the knowledge base.
var contextFor = iocs.Context

type htmlWriter struct {
	w        io.Writer
	meta     Meta
	findings []finding.Finding
	tally    Tally
}

func (h *htmlWriter) Start(m Meta) error { h.meta = m; return nil }

// Finding buffers: the page is written whole at Finish.
func (h *htmlWriter) Finding(f *finding.Finding) error {
	h.tally.Add(f)
	h.findings = append(h.findings, *f)
	return nil
}

func (h *htmlWriter) Finish(s *finding.Summary) error {
	if s == nil {
		s = &finding.Summary{}
	}
	page := h.build(s)
	return htmlTmpl.Execute(h.w, page)
}

// ---- view model ----

type htmlPage struct {
	Title, Command, Root, Host, Version, Started, Duration string
	ScannedHost, HostSource, Build                         string
	BuildSeen, NextSteps                                   []string
	Args                                                   string
	Verdict, VerdictLabel, VerdictText                     string
	ExitCode                                               int
	FailOn                                                 string
	Counts                                                 []htmlCount
	Stats                                                  []htmlStat
	Charts                                                 []htmlChartPanel
	NoTime                                                 int
	Findings                                               []htmlFinding
	Total, Entries, Truncated                              int
	CampaignOptions                                        []htmlOption
	Webshells                                              []htmlWebshell
	Campaigns                                              []htmlCampaign
	Coverage                                               []htmlCoverage
	CoverageAxis                                           int
	Skipped                                                []htmlStat
	SkippedItems                                           []finding.Skip
	SkippedMore                                            int
	Layout                                                 *finding.HostLayout
	Warnings                                               []string
	Suppressed                                             int64
	CSP                                                    string
	CSS                                                    template.CSS
	JS                                                     template.JS
}

type htmlCount struct {
	Sev string
	N   int64
}

type htmlStat struct{ Label, Value string }

type htmlOption struct {
	Value, Label string
	N            int
}

type htmlFinding struct {
	N                                int
	Sev                              string
	SevRank                          int
	Kind, Rule, Title, Description   string
	Time, TimeISO, TimeKind          string
	Location, Path, HostPath         string
	Line                             int
	ClientIP                         string
	Campaigns, CVEs, Attack, Related []string
	CampaignKey                      string
	Evidence                         []htmlKV
	MoreEvidence                     int
	Reasons                          []htmlReason
	SHA256, SHA1, MD5, Size, MTime   string
	Links, OtherRefs                 []string
	Author, Fingerprint, ShortPrint  string
	LogFormat                        string
	// A grouped row: the number of findings, what they share, their
	// time span and a few of them.
	Count, MoreExamples   int
	By                    string
	TimeLast, TimeLastISO string
	Examples              []htmlFinding
	GroupPrints           []string // every finding's fingerprint
}

type htmlKV struct{ Name, Value string }

type htmlReason struct{ Sev, Rule, Title, Source, Author string }

type htmlWebshell struct {
	File, URL, First, Last string
	Requests               int64
	Clients                []string
	Hits                   []htmlFinding
	MoreHits               int
}

type htmlCampaign struct {
	ID, Name, Period, Summary, Caution string
	Attribution                        string
	Count                              int
	CVEs                               []string
	Actors                             []iocs.Actor
	Statements                         []iocs.Statement
	References                         []string
	Known                              bool
}

type htmlCoverage struct {
	finding.Coverage
	Width, Mark int
}

// ---- building ----

var verdictLabels = map[string]string{
	VerdictCompromised: "Compromised",
	VerdictAttempted:   "Exploitation attempted",
	VerdictSuspicious:  "Suspicious",
	VerdictNoCoverage:  "Not enough log coverage to judge",
	VerdictIncomplete:  "Incomplete: not everything could be read",
	VerdictClean:       "Nothing found",
}

func (h *htmlWriter) build(s *finding.Summary) *htmlPage {
	p := h.header(s)
	p.Counts = h.counts(s)
	p.Stats = stats(s)
	fs := h.sorted()
	p.Total = len(fs)
	groups := groupFindings(fs)
	p.Entries = len(groups)
	for i, g := range groups {
		if i >= htmlMaxRows {
			p.Truncated = len(groups) - i
			break
		}
		p.Findings = append(p.Findings, viewGroup(i+1, g))
	}
	ids := h.addCampaigns(p)
	p.Charts, p.NoTime = buildCharts(fs, ids)
	p.Webshells = buildWebshells(s.Webshells, fs)
	p.addCoverage(s)
	return p
}

// header fills the page's head: what ran on what, the verdict and the
// page's title and Content-Security-Policy.
func (h *htmlWriter) header(s *finding.Summary) *htmlPage {
	p := &htmlPage{
		Command: h.meta.Command, Root: h.meta.Root, Host: h.meta.Host, Version: orDash(h.meta.Version),
		Verdict: s.Verdict, VerdictText: s.VerdictText, ExitCode: s.ExitCode, FailOn: s.FailOn,
		Layout: s.Host, Warnings: s.Warnings, Suppressed: s.Suppressed,
		CSS: template.CSS(reportCSS), JS: template.JS(reportJS),
	}
	if p.Command == "" {
		p.Command = s.Command
	}
	if p.Root == "" {
		p.Root = s.Root
	}
	if p.Verdict == "" {
		logsExpected := p.Command != "files"
		p.Verdict, p.VerdictText = h.tally.Verdict(s, logsExpected)
	}
	p.VerdictLabel = verdictLabels[p.Verdict]
	if p.VerdictLabel == "" {
		p.VerdictLabel = p.Verdict
	}
	if !h.meta.Started.IsZero() {
		p.Started = h.meta.Started.UTC().Format("2006-01-02 15:04:05 UTC")
	} else {
		p.Started = s.Started
	}
	p.Duration = fmt.Sprintf("%.1f s", s.Duration)
	if len(h.meta.Args) > 0 {
		p.Args = "exscan " + p.Command + " " + strings.Join(h.meta.Args, " ")
	}
	if sh := s.ScannedHost; sh != nil {
		p.ScannedHost, p.HostSource = sh.Name, sh.Source
		if len(sh.Others) > 0 {
			p.HostSource += "; the evidence also names " + strings.Join(sh.Others, ", ")
		}
	} else if h.meta.ScannedHost != "" {
		p.ScannedHost = h.meta.ScannedHost
	}
	if s.Exchange != nil {
		p.Build, p.BuildSeen = BuildText(s.Exchange), s.Exchange.Seen
	}
	p.NextSteps = s.NextSteps
	p.Title = "exscan report: " + p.VerdictLabel
	if p.ScannedHost != "" {
		p.Title += " (" + p.ScannedHost + ")"
	}
	p.CSP = "default-src 'none'; img-src data:; style-src '" + cspHash(reportCSS) + "'; script-src '" + cspHash(reportJS) + "'; base-uri 'none'; form-action 'none'"
	return p
}

// counts is the findings per severity, worst first: from the summary, or
// from the writer's own tally when the summary has none.
func (h *htmlWriter) counts(s *finding.Summary) []htmlCount {
	var out []htmlCount
	for _, sev := range []string{"critical", "high", "medium", "low", "info"} {
		n := s.Findings[sev]
		if len(s.Findings) == 0 {
			sv, _ := finding.ParseSeverity(sev)
			n = int64(h.tally.BySeverity[sv])
		}
		out = append(out, htmlCount{sev, n})
	}
	return out
}

// stats is the "what was checked" panel.
func stats(s *finding.Summary) []htmlStat {
	out := []htmlStat{
		{"Files checked", fmt.Sprintf("%d of %d seen (%s)", s.FilesScanned, s.FilesSeen, humanBytes(s.Bytes))},
		{"Log files", fmt.Sprintf("%d (%s), %d record(s)", s.LogFiles, humanBytes(s.LogBytes), sumCounts(s.LogRecords))},
		{"Skipped or partly checked", fmt.Sprint(sumCounts(s.Skipped))},
		{"Rules", fmt.Sprintf("%d YARA, %d Sigma, %d indicators", s.Rules.YARA, s.Rules.Sigma, s.Rules.IOCs)},
	}
	if n := s.YARARuledOut; n.Files > 0 {
		out = append(out, htmlStat{"Checked without YARA (no rule can match their size and first bytes)", fmt.Sprintf("%d (%s)", n.Files, humanBytes(n.Bytes))})
	}
	if s.LogRuledOut > 0 {
		out = append(out, htmlStat{"Log records cleared from the raw line alone (no string any log rule or indicator looks for)", fmt.Sprint(s.LogRuledOut)})
	}
	if n := sumCounts(s.Malformed); n > 0 {
		out = append(out, htmlStat{"Malformed log records", fmt.Sprint(n)})
	}
	if s.Suppressed > 0 {
		out = append(out, htmlStat{"Suppressed by the ignore file", fmt.Sprint(s.Suppressed)})
	}
	if s.Rules.UserErrors > 0 {
		out = append(out, htmlStat{"User rule files with errors", fmt.Sprint(s.Rules.UserErrors)})
	}
	return out
}

// sorted is the buffered findings, worst first, then by time (findings
// without a time last), path and line.
func (h *htmlWriter) sorted() []*finding.Finding {
	fs := make([]*finding.Finding, len(h.findings))
	for i := range h.findings {
		fs[i] = &h.findings[i]
	}
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.Severity != b.Severity {
			return a.Severity > b.Severity
		}
		ta, tb := a.Time(), b.Time()
		if ta.IsZero() != tb.IsZero() {
			return tb.IsZero()
		}
		if !ta.Equal(tb) {
			return ta.Before(tb)
		}
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		return a.Line < b.Line
	})
	return fs
}

// addCampaigns fills the campaign filter and the campaign context panel,
// most findings first, and returns the campaign ids in that order.
func (h *htmlWriter) addCampaigns(p *htmlPage) []string {
	var ids []string
	for id := range h.tally.Campaigns {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		a, b := h.tally.Campaigns[ids[i]], h.tally.Campaigns[ids[j]]
		if a != b {
			return a > b
		}
		return ids[i] < ids[j]
	})
	known := map[string]iocs.Campaign{}
	for _, c := range contextFor(ids) {
		known[strings.ToLower(c.ID)] = c
	}
	for _, id := range ids {
		n := h.tally.Campaigns[id]
		p.CampaignOptions = append(p.CampaignOptions, htmlOption{Value: campaignKey(id), Label: id, N: n})
		hc := htmlCampaign{ID: id, Name: id, Count: n}
		if c, ok := known[strings.ToLower(id)]; ok {
			hc = htmlCampaign{ID: id, Name: c.Name, Period: c.Period, Summary: c.Summary, Caution: c.Caution, Attribution: c.Attribution, Count: n,
				CVEs: c.CVEs, Actors: c.Actors, Statements: c.Statements, References: c.References, Known: true}
			if hc.Name == "" {
				hc.Name = id
			}
		}
		p.Campaigns = append(p.Campaigns, hc)
	}
	return ids
}

// addCoverage fills the log coverage bars (the axis spans at least 90
// days, with a mark at 30) and what was skipped.
func (p *htmlPage) addCoverage(s *finding.Summary) {
	p.CoverageAxis = 90
	for _, c := range s.Coverage {
		if d := int(math.Ceil(c.Days)); d > p.CoverageAxis {
			p.CoverageAxis = d
		}
	}
	for _, c := range s.Coverage {
		p.Coverage = append(p.Coverage, htmlCoverage{Coverage: c,
			Width: int(math.Round(200 * math.Min(c.Days, float64(p.CoverageAxis)) / float64(p.CoverageAxis))),
			Mark:  int(math.Round(200 * 30 / float64(p.CoverageAxis)))})
	}
	for _, k := range sortedKeys(s.Skipped) {
		p.Skipped = append(p.Skipped, htmlStat{k, fmt.Sprint(s.Skipped[k])})
	}
	p.SkippedItems = s.SkippedItems
	if len(p.SkippedItems) > htmlMaxSkipItems {
		p.SkippedMore = len(p.SkippedItems) - htmlMaxSkipItems
		p.SkippedItems = p.SkippedItems[:htmlMaxSkipItems]
	}
}

// viewGroup is one table row for a group: its first finding, with the
// count, first and last time and a few example records when it has more.
func viewGroup(n int, g *group) htmlFinding {
	v := viewFinding(n, g.Findings[0])
	v.Count = len(g.Findings)
	if v.Count == 1 {
		return v
	}
	v.By = g.By
	if !g.First.IsZero() {
		v.TimeISO = g.First.UTC().Format(time.RFC3339Nano)
		v.TimeLastISO = g.Last.UTC().Format(time.RFC3339Nano)
		v.Time = g.First.UTC().Format("2006-01-02 15:04:05")
		v.TimeLast = g.Last.UTC().Format("2006-01-02 15:04:05")
	}
	for _, x := range g.examples() {
		e := viewFinding(0, x)
		e.Evidence = e.Evidence[:min(len(e.Evidence), 2)]
		v.Examples = append(v.Examples, e)
	}
	v.MoreExamples = v.Count - len(v.Examples)
	for _, x := range g.Findings {
		v.GroupPrints = append(v.GroupPrints, x.Fingerprint)
	}
	return v
}

func viewFinding(n int, f *finding.Finding) htmlFinding {
	v := htmlFinding{
		N: n, Sev: f.Severity.String(), SevRank: int(f.Severity), Kind: f.Kind, Rule: f.Rule, Title: f.Title,
		Description: f.Description, Path: f.Path, HostPath: f.HostPath, Line: f.Line, ClientIP: f.ClientIP,
		Campaigns: f.Campaigns, CVEs: f.CVEs, Attack: f.Attack, Related: f.Related,
		SHA256: f.SHA256, SHA1: f.SHA1, MD5: f.MD5, MTime: f.MTime, Author: f.Author,
		Fingerprint: f.Fingerprint, LogFormat: f.LogFormat,
	}
	v.ShortPrint = f.Fingerprint
	if len(v.ShortPrint) > 8 {
		v.ShortPrint = v.ShortPrint[:8]
	}
	var low []string
	for _, c := range f.Campaigns {
		low = append(low, campaignKey(c))
	}
	v.CampaignKey = strings.Join(low, " ")
	if t := f.Time(); !t.IsZero() {
		v.TimeISO = t.UTC().Format(time.RFC3339Nano)
		v.Time = t.UTC().Format("2006-01-02 15:04:05")
		v.TimeKind = "log record"
		if f.Timestamp == "" {
			v.TimeKind = "file modified"
		}
	}
	v.Location = f.HostPath
	if v.Location == "" {
		v.Location = f.Path
	}
	if f.Line > 0 {
		v.Location += f.LineLabel()
	}
	if f.Size != nil {
		v.Size = fmt.Sprintf("%d bytes", *f.Size)
	}
	for i, e := range f.Evidence {
		if i >= htmlMaxEvidence {
			v.MoreEvidence = len(f.Evidence) - i
			break
		}
		val := e.Value
		if len(val) > htmlMaxValue {
			val = truncUTF8(val, htmlMaxValue) + " …"
		}
		v.Evidence = append(v.Evidence, htmlKV{e.Name, val})
	}
	for _, r := range f.Reasons {
		v.Reasons = append(v.Reasons, htmlReason{r.Severity.String(), r.Rule, r.Title, r.Source, r.Author})
	}
	for _, ref := range f.References {
		if u, ok := httpURL(ref); ok {
			v.Links = append(v.Links, u)
		} else {
			v.OtherRefs = append(v.OtherRefs, ref)
		}
	}
	return v
}

func buildWebshells(access []finding.WebshellAccess, fs []*finding.Finding) []htmlWebshell {
	var out []htmlWebshell
	for _, a := range access {
		w := htmlWebshell{File: a.File, URL: a.URL, Requests: a.Requests, Clients: a.Clients, First: a.First, Last: a.Last}
		// The access record names the file by its host path when known;
		// log findings point at it (Related) by the path on this machine.
		names := map[string]bool{exchange.NormPath(a.File): true}
		for _, f := range fs {
			if f.Kind == finding.KindFile && (exchange.NormPath(f.HostPath) == exchange.NormPath(a.File) || exchange.NormPath(f.Path) == exchange.NormPath(a.File)) {
				names[exchange.NormPath(f.Path)] = true
				if f.HostPath != "" {
					names[exchange.NormPath(f.HostPath)] = true
				}
			}
		}
		var hits []*finding.Finding
		for _, f := range fs {
			if f.Kind != finding.KindLog {
				continue
			}
			hit := false
			for _, r := range f.Related {
				hit = hit || names[exchange.NormPath(r)]
			}
			for _, e := range f.Evidence {
				hit = hit || (a.URL != "" && e.Name == "cs-uri-stem" && strings.EqualFold(e.Value, a.URL))
			}
			if hit {
				hits = append(hits, f)
			}
		}
		sort.SliceStable(hits, func(i, j int) bool { return hits[i].Time().Before(hits[j].Time()) })
		for i, f := range hits {
			if i >= htmlMaxAccess {
				w.MoreHits = len(hits) - i
				break
			}
			w.Hits = append(w.Hits, viewFinding(0, f))
		}
		out = append(out, w)
	}
	return out
}

// campaignKey is how rows, the campaign filter and timeline marks name a
// campaign: lower case, visible escapes, no spaces (keys are space-separated).
func campaignKey(id string) string {
	return strings.ReplaceAll(plainVisible(strings.ToLower(id)), " ", "_")
}

// ---- escaping helpers for the template ----

// visible renders attacker text as HTML: valid text is HTML-escaped;
// control characters, bidi overrides and invalid bytes become marked,
// visible escapes.
func visible(s string) template.HTML {
	var b strings.Builder
	plain := 0
	flush := func(i int) {
		if i > plain {
			b.WriteString(template.HTMLEscapeString(s[plain:i]))
		}
	}
	for i := 0; i < len(s); {
		esc, size := escapeRune(s, i)
		if esc != "" {
			flush(i)
			b.WriteString(`<span class="esc">`)
			b.WriteString(esc)
			b.WriteString(`</span>`)
			plain = i + size
		}
		i += size
	}
	flush(len(s))
	return template.HTML(b.String())
}

// plainVisible is visible for attribute values and SVG titles: the same
// escapes as plain text (html/template escapes the rest for the context).
func plainVisible(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r >= 0x80 && r < 0xa0, isBidi(r), r == '\u2028', r == '\u2029', r == '\ufeff':
			fmt.Fprintf(&b, `\u{%04x}`, r)
		default:
			b.WriteRune(r)
		}
		i += size
	}
	return b.String()
}

func cspHash(s string) string {
	h := sha256.Sum256([]byte(s))
	return "sha256-" + base64.StdEncoding.EncodeToString(h[:])
}

// safeURL passes only http(s) links to href; anything else is shown as text.
func safeURL(s string) template.URL {
	if u, ok := httpURL(s); ok {
		return template.URL(u) // still attribute-escaped by html/template
	}
	return template.URL("#")
}

var htmlTmpl = template.Must(template.New("page").Funcs(template.FuncMap{
	"vis":     visible,
	"plain":   plainVisible,
	"url":     safeURL,
	"entries": entriesWord,
	"isurl":   func(s string) bool { _, ok := httpURL(s); return ok },
	"join":    func(s []string, sep string) string { return strings.Join(s, sep) },
	"host": func(s string) string {
		if u, err := url.Parse(s); err == nil && u.Host != "" {
			return u.Host
		}
		return s
	},
	"add": func(a, b int) int { return a + b },
}).Parse(htmlPageTmpl))
