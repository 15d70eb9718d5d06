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

	for _, sev := range []string{"critical", "high", "medium", "low", "info"} {
		n := s.Findings[sev]
		if len(s.Findings) == 0 {
			sv, _ := finding.ParseSeverity(sev)
			n = int64(h.tally.BySeverity[sv])
		}
		p.Counts = append(p.Counts, htmlCount{sev, n})
	}
	p.Stats = []htmlStat{
		{"Files checked", fmt.Sprintf("%d of %d seen (%s)", s.FilesScanned, s.FilesSeen, humanBytes(s.Bytes))},
		{"Log files", fmt.Sprintf("%d (%s), %d record(s)", s.LogFiles, humanBytes(s.LogBytes), sumCounts(s.LogRecords))},
		{"Skipped or partly checked", fmt.Sprint(sumCounts(s.Skipped))},
		{"Rules", fmt.Sprintf("%d YARA, %d Sigma, %d indicators", s.Rules.YARA, s.Rules.Sigma, s.Rules.IOCs)},
	}
	if n := s.YARARuledOut; n.Files > 0 {
		p.Stats = append(p.Stats, htmlStat{"Checked without YARA (no rule can match their size and first bytes)", fmt.Sprintf("%d (%s)", n.Files, humanBytes(n.Bytes))})
	}
	if s.LogRuledOut > 0 {
		p.Stats = append(p.Stats, htmlStat{"Log records cleared from the raw line alone (no string any log rule or indicator looks for)", fmt.Sprint(s.LogRuledOut)})
	}
	if n := sumCounts(s.Malformed); n > 0 {
		p.Stats = append(p.Stats, htmlStat{"Malformed log records", fmt.Sprint(n)})
	}
	if s.Suppressed > 0 {
		p.Stats = append(p.Stats, htmlStat{"Suppressed by the ignore file", fmt.Sprint(s.Suppressed)})
	}
	if s.Rules.UserErrors > 0 {
		p.Stats = append(p.Stats, htmlStat{"User rule files with errors", fmt.Sprint(s.Rules.UserErrors)})
	}

	// Findings, worst first, then by time.
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
			return tb.IsZero() // findings without a time last
		}
		if !ta.Equal(tb) {
			return ta.Before(tb)
		}
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		return a.Line < b.Line
	})
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

	// Campaigns seen, most findings first.
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

	p.Charts, p.NoTime = buildCharts(fs, ids)
	p.Webshells = buildWebshells(s.Webshells, fs)

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
	return p
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
		names := map[string]bool{normPath(a.File): true}
		for _, f := range fs {
			if f.Kind == finding.KindFile && (normPath(f.HostPath) == normPath(a.File) || normPath(f.Path) == normPath(a.File)) {
				names[normPath(f.Path)] = true
				if f.HostPath != "" {
					names[normPath(f.HostPath)] = true
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
				hit = hit || names[normPath(r)]
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

func normPath(p string) string { return strings.ToLower(strings.ReplaceAll(p, `\`, "/")) }

// ---- timeline ----

// htmlChartPanel is one timeline: log record times and file modification
// times each get their own, with their own time axis, so months of logs
// are not squashed against files modified years apart.
type htmlChartPanel struct {
	Title, Note string
	Chart       *htmlChart
}

// buildCharts draws log findings by record time and file findings by
// modification time on separate timelines.
func buildCharts(fs []*finding.Finding, campaigns []string) ([]htmlChartPanel, int) {
	var logs, files []*finding.Finding
	for _, f := range fs {
		if f.Kind == finding.KindFile {
			files = append(files, f)
		} else {
			logs = append(logs, f)
		}
	}
	var out []htmlChartPanel
	noTime := 0
	for _, part := range []struct {
		title, note string
		fs          []*finding.Finding
	}{
		{"Log records", "(circles: the time of each log record)", logs},
		{"Files", "(squares: each file's modification time, which an attacker can set)", files},
	} {
		c, n := buildChart(part.fs, campaigns)
		noTime += n
		if c != nil {
			out = append(out, htmlChartPanel{Title: part.title, Note: part.note, Chart: c})
		}
	}
	return out, noTime
}

type htmlChart struct {
	Width, Height, Left, Right, Top, PlotW int
	Lanes                                  []htmlLane
	Ticks                                  []htmlTick
	Dots                                   []htmlDot
	From, To                               string
}

type htmlLane struct {
	Y, H, LabelY int
	Label        string
	N            int
}

type htmlTick struct {
	X     int
	Label string
}

type htmlDot struct {
	X, Y, R          float64
	Sev, Kind, Label string
	Campaign         string
	From, To         string
	Square           bool
	Side             float64
}

// buildChart lays findings out on a time axis: one lane per campaign (a
// finding with several campaigns is drawn in each) and one for findings
// with none; within a lane, one mark per time bucket, severity and kind,
// its size growing with the count. Log records are circles, file
// modification times squares.
func buildChart(fs []*finding.Finding, campaigns []string) (*htmlChart, int) {
	type item struct {
		t time.Time
		f *finding.Finding
	}
	var items []item
	noTime := 0
	for _, f := range fs {
		t := f.Time()
		if t.IsZero() {
			noTime++
			continue
		}
		items = append(items, item{t.UTC(), f})
	}
	if len(items) == 0 {
		return nil, noTime
	}
	lo, hi := items[0].t, items[0].t
	for _, it := range items {
		if it.t.Before(lo) {
			lo = it.t
		}
		if it.t.After(hi) {
			hi = it.t
		}
	}
	if !hi.After(lo) {
		lo, hi = lo.Add(-12*time.Hour), hi.Add(12*time.Hour)
	}
	span := hi.Sub(lo)
	pad := span / 40
	lo, hi = lo.Add(-pad), hi.Add(pad)
	span = hi.Sub(lo)

	c := &htmlChart{Width: 1200, Left: 190, Right: 20, Top: 10}
	c.PlotW = c.Width - c.Left - c.Right
	c.From, c.To = lo.Format("2006-01-02 15:04"), hi.Format("2006-01-02 15:04")
	laneH := 46
	// One lane per campaign that has a finding on this chart.
	present := map[string]bool{}
	for _, it := range items {
		for _, cp := range it.f.Campaigns {
			present[strings.ToLower(cp)] = true
		}
	}
	laneOf := map[string]int{}
	for _, id := range campaigns {
		if !present[strings.ToLower(id)] {
			continue
		}
		laneOf[strings.ToLower(id)] = len(c.Lanes)
		c.Lanes = append(c.Lanes, htmlLane{Label: id})
	}
	none := -1
	for _, it := range items {
		if len(it.f.Campaigns) == 0 {
			none = len(c.Lanes)
			c.Lanes = append(c.Lanes, htmlLane{Label: "no campaign"})
			break
		}
	}
	for i := range c.Lanes {
		c.Lanes[i].Y = c.Top + i*laneH
		c.Lanes[i].H = laneH - 4
		c.Lanes[i].LabelY = c.Lanes[i].Y + laneH/2
	}
	c.Height = c.Top + len(c.Lanes)*laneH + 28

	type key struct {
		lane, bucket int
		sev          finding.Severity
		kind         string
	}
	type agg struct {
		n        int
		from, to time.Time
	}
	buckets := map[key]*agg{}
	var keys []key
	bucketOf := func(t time.Time) int {
		b := int(float64(t.Sub(lo)) / float64(span) * htmlBuckets)
		if b >= htmlBuckets {
			b = htmlBuckets - 1
		}
		return b
	}
	for _, it := range items {
		lanes := []int{}
		for _, cp := range it.f.Campaigns {
			if l, ok := laneOf[strings.ToLower(cp)]; ok {
				lanes = append(lanes, l)
			}
		}
		if len(lanes) == 0 && none >= 0 {
			lanes = append(lanes, none)
		}
		for _, l := range lanes {
			k := key{l, bucketOf(it.t), it.f.Severity, it.f.Kind}
			a := buckets[k]
			if a == nil {
				a = &agg{from: it.t, to: it.t}
				buckets[k] = a
				keys = append(keys, k)
			}
			a.n++
			if it.t.Before(a.from) {
				a.from = it.t
			}
			if it.t.After(a.to) {
				a.to = it.t
			}
			c.Lanes[l].N++
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.lane != b.lane {
			return a.lane < b.lane
		}
		if a.bucket != b.bucket {
			return a.bucket < b.bucket
		}
		if a.sev != b.sev {
			return a.sev < b.sev // worst drawn last, on top
		}
		return a.kind < b.kind
	})
	bw := float64(c.PlotW) / htmlBuckets
	for _, k := range keys {
		a := buckets[k]
		x := float64(c.Left) + (float64(k.bucket)+0.5)*bw
		// Severity sets the height in the lane: critical at the top.
		y := float64(c.Lanes[k.lane].Y) + 6 + float64(finding.Critical-k.sev)*7.5
		r := 3.5 + 1.6*math.Log2(float64(a.n))
		if r > 11 {
			r = 11
		}
		label := fmt.Sprintf("%d %s %s finding(s), %s", a.n, k.sev, kindWord(k.kind), timeSpan(a.from, a.to))
		d := htmlDot{X: round1(x), Y: round1(y), R: round1(r), Sev: k.sev.String(), Kind: k.kind, Label: label,
			Campaign: "-", From: a.from.Format(time.RFC3339Nano), To: a.to.Format(time.RFC3339Nano)}
		if k.lane != none {
			d.Campaign = campaignKey(c.Lanes[k.lane].Label)
		}
		if k.kind == finding.KindFile {
			d.Square, d.Side = true, round1(2*r*0.9)
			d.X, d.Y = round1(x-d.Side/2), round1(y-d.Side/2)
		}
		c.Dots = append(c.Dots, d)
	}
	c.Ticks = timeTicks(lo, hi, c.Left, c.PlotW)
	return c, noTime
}

func kindWord(k string) string {
	if k == finding.KindFile {
		return "file (modification time)"
	}
	return "log record"
}

func timeSpan(a, b time.Time) string {
	if a.Equal(b) {
		return a.Format("2006-01-02 15:04:05 UTC")
	}
	if a.Format("2006-01-02") == b.Format("2006-01-02") {
		return a.Format("2006-01-02 15:04:05") + " to " + b.Format("15:04:05 UTC")
	}
	return a.Format("2006-01-02 15:04") + " to " + b.Format("2006-01-02 15:04 UTC")
}

// timeTicks picks at most seven round tick times between lo and hi:
// minutes or hours, days, weeks, or calendar months.
func timeTicks(lo, hi time.Time, left, width int) []htmlTick {
	span := hi.Sub(lo)
	const day = 24 * time.Hour
	type step struct {
		d      time.Duration // fixed steps, or
		months int           // calendar months
	}
	steps := []step{{d: time.Minute}, {d: 5 * time.Minute}, {d: 15 * time.Minute}, {d: time.Hour}, {d: 3 * time.Hour},
		{d: 6 * time.Hour}, {d: 12 * time.Hour}, {d: day}, {d: 2 * day}, {d: 7 * day}, {d: 14 * day},
		{months: 1}, {months: 3}, {months: 6}, {months: 12}, {months: 24}, {months: 60}, {months: 120}}
	st := steps[len(steps)-1]
	for _, s := range steps {
		d := s.d
		if s.months > 0 {
			d = time.Duration(s.months) * 30 * day
		}
		if span/d <= 7 {
			st = s
			break
		}
	}
	var t time.Time
	var layout string
	switch {
	case st.months > 0:
		t, layout = time.Date(lo.Year(), lo.Month(), 1, 0, 0, 0, 0, time.UTC), "2006-01"
	case st.d >= day:
		t, layout = time.Date(lo.Year(), lo.Month(), lo.Day(), 0, 0, 0, 0, time.UTC), "2006-01-02"
	default:
		t, layout = lo.Truncate(st.d), "01-02 15:04"
	}
	var out []htmlTick
	for ; !t.After(hi); t = next(t, st.d, st.months) {
		if t.Before(lo) {
			continue
		}
		x := left + int(float64(width)*float64(t.Sub(lo))/float64(span))
		out = append(out, htmlTick{x, t.Format(layout)})
	}
	return out
}

func next(t time.Time, d time.Duration, months int) time.Time {
	if months > 0 {
		return t.AddDate(0, months, 0)
	}
	return t.Add(d)
}

func round1(f float64) float64 { return math.Round(f*10) / 10 }

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

const htmlPageTmpl = `<!DOCTYPE html>
<html lang="en" data-js="pending">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{{.CSP}}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="exscan {{.Version}}">
<title>{{plain .Title}}</title>
<style>{{.CSS}}</style>
</head>
<body>
<header>
<h1>exscan report</h1>
<div class="meta"><span>exscan {{.Version}}</span><span>{{.Command}}{{if .Root}} of <code>{{vis .Root}}</code> (mapped as C:\){{end}}</span>{{if .ScannedHost}}<span>host <b>{{vis .ScannedHost}}</b>{{if .HostSource}} <span class="muted">({{vis .HostSource}})</span>{{end}}</span>{{end}}{{if .Host}}<span>exscan ran on {{vis .Host}}</span>{{end}}<span>started {{.Started}}</span><span>took {{.Duration}}</span></div>
{{if .Args}}<div class="meta small"><code>{{vis .Args}}</code></div>{{end}}
</header>
<div class="jserror">A script error occurred: sorting and filtering may not work. Every finding is still listed below.</div>

<section class="banner v-{{.Verdict}}" id="verdict">
<div class="label">{{.VerdictLabel}}</div>
<p>{{vis .VerdictText}}</p>
<div class="exit">verdict <code>{{.Verdict}}</code> · exit code {{.ExitCode}}{{if .FailOn}} (--fail-on {{.FailOn}}){{end}}</div>
</section>
{{if .NextSteps}}<section class="panel" id="next-steps"><h2>Next steps</h2><ol>{{range .NextSteps}}<li>{{vis .}}</li>{{end}}</ol></section>{{end}}
{{if .Build}}<section class="panel" id="exchange-build"><h2>Exchange build</h2><p>{{vis .Build}}</p>{{if .BuildSeen}}<div class="small muted">Read: {{range $i, $s := .BuildSeen}}{{if $i}}; {{end}}{{vis $s}}{{end}}</div>{{end}}</section>{{end}}

<div class="cards" id="counts">
{{range .Counts}}<div class="card s-{{.Sev}}"><div class="n">{{.N}}</div><div class="l">{{.Sev}}</div></div>
{{end}}</div>
<div class="panel stats">
{{range .Stats}}<div><span>{{.Label}}:</span> {{.Value}}</div>
{{end}}</div>
{{range .Warnings}}<div class="note">Warning: {{vis .}}</div>
{{end}}

<h2 id="timeline">Timeline</h2>
{{range .Charts}}{{$c := .Chart}}<div class="panel">
<h3>{{.Title}} <span class="muted small">{{.Note}}</span></h3>
<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {{$c.Width}} {{$c.Height}}" width="{{$c.Width}}" height="{{$c.Height}}" role="img" aria-label="{{.Title}} over time by campaign and severity">
{{range $c.Lanes}}<rect class="lane-bg" x="0" y="{{.Y}}" width="{{$c.Width}}" height="{{.H}}"></rect>
<text class="lane-label" x="8" y="{{.LabelY}}" dominant-baseline="middle">{{plain .Label}} ({{.N}})</text>
{{end}}{{range $c.Ticks}}<line class="grid" x1="{{.X}}" x2="{{.X}}" y1="{{$c.Top}}" y2="{{add $c.Height -22}}"></line>
<text class="axis" x="{{.X}}" y="{{add $c.Height -8}}" text-anchor="middle">{{.Label}}</text>
{{end}}{{range $c.Dots}}{{if .Square}}<rect class="dot sev-{{.Sev}}" x="{{.X}}" y="{{.Y}}" width="{{.Side}}" height="{{.Side}}" data-campaign="{{.Campaign}}" data-from="{{.From}}" data-to="{{.To}}" data-label="{{.Label}}"><title>{{.Label}}</title></rect>{{else}}<circle class="dot sev-{{.Sev}}" cx="{{.X}}" cy="{{.Y}}" r="{{.R}}" data-campaign="{{.Campaign}}" data-from="{{.From}}" data-to="{{.To}}" data-label="{{.Label}}"><title>{{.Label}}</title></circle>{{end}}
{{end}}</svg>
<div class="legend">UTC, {{$c.From}} to {{$c.To}}.<span class="sw sev-critical"></span>critical<span class="sw sev-high"></span>high<span class="sw sev-medium"></span>medium<span class="sw sev-low"></span>low<span class="sw sev-info"></span>info. Larger marks stand for more findings; click one to filter the table.</div>
</div>
{{else}}<p class="muted">No finding has a time (log record time or file modification time).</p>{{end}}
{{if .NoTime}}<p class="muted small">{{.NoTime}} finding(s) without a time are not on the chart.</p>{{end}}

<h2 id="findings-h">Findings ({{.Total}}{{if ne .Total .Entries}} in {{entries .Entries}}: same rule and same client or file{{end}})</h2>
{{if .Findings}}<div class="filters">
<input type="search" id="f-text" placeholder="Filter: path, IP, rule, evidence..." aria-label="Filter text">
<label>Severity <select id="f-sev"><option value="0">all</option><option value="4">critical</option><option value="3">high and above</option><option value="2">medium and above</option><option value="1">low and above</option></select></label>
<label>Kind <select id="f-kind"><option value="">all</option><option value="file">files</option><option value="log">log records</option></select></label>
<label>Campaign <select id="f-campaign"><option value="">all</option>{{range .CampaignOptions}}<option value="{{.Value}}">{{plain .Label}} ({{.N}})</option>{{end}}</select></label>
<span class="range" id="f-range">Time: <span id="f-range-text"></span> <button type="button" id="f-range-clear">clear</button></span>
<button type="button" id="f-reset">reset</button>
<span class="muted">showing <span id="f-shown">{{len .Findings}}</span></span>
</div>
{{if .Truncated}}<div class="note">The page lists the first {{len .Findings}} entries; {{.Truncated}} more are in the JSON Lines or CSV output.</div>{{end}}
<div class="tablewrap">
<table id="findings">
<thead><tr><th data-sort="n">#</th><th data-sort="sev">Severity</th><th data-sort="kind">Kind</th><th data-sort="time">Time (UTC)</th><th data-sort="rule">Finding</th><th data-sort="loc">Location</th><th data-sort="ip">Client</th><th>Campaigns</th><th>Fingerprint</th></tr></thead>
<tbody>
{{range .Findings}}<tr data-n="{{.N}}" data-sev="{{.SevRank}}" data-kind="{{.Kind}}" data-time="{{.TimeISO}}"{{if .TimeLastISO}} data-time-last="{{.TimeLastISO}}"{{end}} data-count="{{.Count}}" data-rule="{{plain .Rule}}" data-loc="{{plain .Location}}" data-ip="{{plain .ClientIP}}" data-campaigns="{{.CampaignKey}}">
<td>{{.N}}</td><td><span class="sev sev-{{.Sev}}">{{.Sev}}</span></td><td>{{.Kind}}</td>
<td class="mono">{{if .TimeLast}}{{.Time}}<div class="muted small">to {{.TimeLast}}</div>{{else if .Time}}{{.Time}}<div class="muted small">{{.TimeKind}}</div>{{else}}<span class="muted">-</span>{{end}}</td>
<td class="title"><details><summary>{{vis .Title}}{{if gt .Count 1}} <span class="tag count">×{{.Count}}</span>{{end}}</summary><dl class="more">
{{if gt .Count 1}}<dt>Entry</dt><dd>{{.Count}} findings with this rule, {{vis .By}}{{if .TimeLast}}, {{.Time}} to {{.TimeLast}}{{end}}; each is its own record in the JSON Lines and CSV output.</dd>
<dt>Examples</dt><dd>{{range .Examples}}<div class="ev mono">{{vis .Location}}{{if .Time}} · {{.Time}}{{end}}{{range .Evidence}} · <b>{{vis .Name}}</b>: {{vis .Value}}{{end}}</div>{{end}}{{if .MoreExamples}}<div class="muted">... {{.MoreExamples}} more</div>{{end}}</dd>
<dt>First of them</dt><dd></dd>{{end}}
<dt>Rule</dt><dd><code>{{vis .Rule}}</code>{{if .Author}} by {{vis .Author}}{{end}}</dd>
{{if .Description}}<dt>Description</dt><dd>{{vis .Description}}</dd>{{end}}
{{if .Reasons}}<dt>Why</dt><dd><ul class="plain">{{range .Reasons}}<li><span class="sev sev-{{.Sev}}">{{.Sev}}</span> <code>{{vis .Rule}}</code> {{vis .Title}}{{if .Source}} <span class="muted">({{vis .Source}})</span>{{end}}{{if .Author}} <span class="muted">by {{vis .Author}}</span>{{end}}</li>{{end}}</ul></dd>{{end}}
{{if .Evidence}}<dt>Evidence</dt><dd>{{range .Evidence}}<div class="ev mono"><b>{{vis .Name}}</b>: {{vis .Value}}</div>{{end}}{{if .MoreEvidence}}<div class="muted">... {{.MoreEvidence}} more</div>{{end}}</dd>{{end}}
{{if .HostPath}}<dt>Path on this machine</dt><dd class="mono">{{vis .Path}}</dd>{{end}}
{{if .LogFormat}}<dt>Log format</dt><dd>{{.LogFormat}}</dd>{{end}}
{{if .SHA256}}<dt>File</dt><dd class="mono">sha256 {{.SHA256}}{{if .SHA1}}<br>sha1 {{.SHA1}}{{end}}{{if .MD5}}<br>md5 {{.MD5}}{{end}}{{if .Size}}<br>{{.Size}}{{end}}{{if .MTime}}, modified {{.MTime}}{{end}}</dd>{{end}}
{{if .CVEs}}<dt>CVEs</dt><dd>{{range .CVEs}}<span class="tag">{{vis .}}</span>{{end}}</dd>{{end}}
{{if .Attack}}<dt>ATT&amp;CK</dt><dd>{{range .Attack}}<span class="tag">{{vis .}}</span>{{end}}</dd>{{end}}
{{if .Related}}<dt>Related</dt><dd class="mono">{{range .Related}}<div>{{vis .}}</div>{{end}}</dd>{{end}}
{{if or .Links .OtherRefs}}<dt>References</dt><dd>{{range .Links}}<div><a href="{{url .}}" rel="noopener noreferrer" target="_blank">{{vis .}}</a></div>{{end}}{{range .OtherRefs}}<div>{{vis .}}</div>{{end}}</dd>{{end}}
<dt>Fingerprint</dt><dd class="mono">{{.Fingerprint}}</dd>
{{if .GroupPrints}}<dt>Fingerprints of the entry's {{.Count}} findings</dt><dd class="mono small">{{range .GroupPrints}}{{.}} {{end}}</dd>{{end}}
</dl></details></td>
<td class="loc mono">{{vis .Location}}</td>
<td class="mono">{{vis .ClientIP}}</td>
<td>{{range .Campaigns}}<span class="tag">{{vis .}}</span>{{end}}</td>
<td class="fp mono" title="{{.Fingerprint}}">{{.ShortPrint}}</td>
</tr>
{{end}}</tbody>
</table>
</div>{{else}}<p class="muted">No findings at or above the reporting threshold.</p>{{end}}

{{if .Webshells}}<h2 id="webshells">Webshell access</h2>
<p class="muted">Requests in the logs to webshells found on disk: who reached each one, and when.</p>
{{range .Webshells}}<div class="panel">
<h3 class="mono">{{vis .File}}</h3>
<div>URL <code>{{vis .URL}}</code> · {{.Requests}} request(s){{if .First}} · first {{vis .First}}{{end}}{{if .Last}} · last {{vis .Last}}{{end}}</div>
<div>Clients: {{range .Clients}}<span class="tag mono">{{vis .}}</span>{{else}}<span class="muted">none recorded</span>{{end}}</div>
{{if .Hits}}<table class="small"><thead><tr><th>Time (UTC)</th><th>Client</th><th>Severity</th><th>Finding</th><th>Log</th><th>Evidence</th></tr></thead><tbody>
{{range .Hits}}<tr><td class="mono">{{.Time}}</td><td class="mono">{{vis .ClientIP}}</td><td><span class="sev sev-{{.Sev}}">{{.Sev}}</span></td><td>{{vis .Title}}</td><td class="loc mono">{{vis .Location}}</td><td class="mono ev">{{range .Evidence}}<div><b>{{vis .Name}}</b>: {{vis .Value}}</div>{{end}}</td></tr>
{{end}}</tbody></table>{{if .MoreHits}}<p class="muted">{{.MoreHits}} more request(s) in the findings table.</p>{{end}}{{end}}
</div>
{{end}}{{end}}

{{if .Campaigns}}<h2 id="context">Campaign context</h2>
<p class="note">Public reporting on the campaigns these indicators belong to. This is context for the hits above, not a verdict on who attacked this host: many groups used these exploits after they became public. Open a campaign for its actors, dated statements and sources.</p>
<div class="campaigns">
{{range .Campaigns}}<details class="panel campaign">
<summary><h3>{{vis .Name}} <span class="count">{{.Count}} finding(s)</span></h3>{{if .Attribution}}<div class="small">{{.Attribution}}</div>{{end}}</summary>
{{if .Known}}{{if .Period}}<div class="muted small">{{.Period}}</div>{{end}}
{{if .CVEs}}<div>{{range .CVEs}}<span class="tag">{{.}}</span>{{end}}</div>{{end}}
{{if .Summary}}<p>{{.Summary}}</p>{{end}}
{{if .Actors}}<div><b>Publicly associated with</b><ul>{{range .Actors}}<li>{{.Name}}{{if .Aliases}} ({{join .Aliases ", "}}){{end}}{{if .MitreID}} [{{.MitreID}}]{{end}}: {{.Association}}{{if .URL}} <a href="{{url .URL}}" rel="noopener noreferrer" target="_blank">{{if .Source}}{{.Source}}{{else}}source{{end}}</a>{{else if .Source}} ({{.Source}}){{end}}</li>{{end}}</ul></div>{{end}}
{{if .Statements}}<div><b>Statements</b><ul>{{range .Statements}}<li>{{.Date}} {{.Who}}: {{.Claim}} <span class="muted">[{{.Confidence}}]</span>{{if isurl .URL}} <a href="{{url .URL}}" rel="noopener noreferrer" target="_blank">{{host .URL}}</a>{{end}}{{if isurl .Via}} <span class="muted">(wording read from <a href="{{url .Via}}" rel="noopener noreferrer" target="_blank">{{host .Via}}</a>)</span>{{end}}</li>{{end}}</ul></div>{{end}}
{{if .References}}<div><b>Sources</b><ul>{{range .References}}<li>{{if isurl .}}<a href="{{url .}}" rel="noopener noreferrer" target="_blank">{{.}}</a>{{else}}{{.}}{{end}}</li>{{end}}</ul></div>{{end}}
{{if .Caution}}<div class="caution">Caution: {{.Caution}}</div>{{end}}
{{else}}<p class="muted">No public context record for <code>{{plain .ID}}</code> in this build.</p>{{end}}
</details>
{{end}}</div>{{end}}

<h2 id="coverage">Log coverage</h2>
{{if .Coverage}}<table>
<thead><tr><th>Log family</th><th>Files</th><th>Records</th><th>Earliest</th><th>Latest</th><th>Days</th><th>Span (dashed line: 30 days)</th></tr></thead>
<tbody>{{range .Coverage}}<tr><td class="mono">{{vis .Family}}</td><td>{{.Files}}</td><td>{{.Records}}</td><td class="mono">{{.Earliest}}</td><td class="mono">{{.Latest}}</td><td>{{printf "%.1f" .Days}}{{if .TooShort}} <span class="short">too short</span>{{end}}</td>
<td><svg xmlns="http://www.w3.org/2000/svg" width="210" height="14" viewBox="0 0 210 14"><rect class="covbar{{if .TooShort}} short{{end}}" x="0" y="2" width="{{.Width}}" height="10"></rect><line class="covmark" x1="{{.Mark}}" x2="{{.Mark}}" y1="0" y2="14"></line></svg></td></tr>
{{end}}</tbody></table>
<p class="muted small">Less than 30 days of logs is too short to rule out older attacks; the bars run to {{.CoverageAxis}} days.</p>
{{else}}<p class="muted">No log was read{{if eq .Command "files"}} (file checks only){{end}}. Without logs, exploitation that left no file behind cannot be seen.</p>{{end}}

<h2 id="skipped">Skipped</h2>
{{if .Skipped}}<table class="small"><thead><tr><th>Reason</th><th>Items</th></tr></thead><tbody>
{{range .Skipped}}<tr><td>{{vis .Label}}</td><td>{{.Value}}</td></tr>
{{end}}</tbody></table>
{{if .SkippedItems}}<details><summary>Each skipped item ({{len .SkippedItems}}{{if .SkippedMore}} of {{add (len .SkippedItems) .SkippedMore}}{{end}})</summary>
<table class="small"><thead><tr><th>Reason</th><th>Path</th><th>Detail</th></tr></thead><tbody>
{{range .SkippedItems}}<tr><td>{{vis .Reason}}</td><td class="loc mono">{{vis .Path}}</td><td>{{vis .Detail}}</td></tr>
{{end}}</tbody></table></details>{{else}}<p class="muted small">Run with --verbose to list each item.</p>{{end}}
{{else}}<p class="muted">Nothing was skipped.</p>{{end}}

{{with .Layout}}<h2 id="layout">Host layout</h2>
<p class="muted small">Well-known Exchange and IIS locations under <code>{{vis .Root}}</code>.</p>
<table class="small"><thead><tr><th></th><th>Role</th><th>Windows path</th><th>Here</th></tr></thead><tbody>
{{range .Found}}<tr><td>found</td><td>{{.Role}}</td><td class="mono">{{vis .WinPath}}</td><td class="mono loc">{{vis .Path}}</td></tr>
{{end}}{{range .Missing}}<tr><td class="muted">not found</td><td>{{.Role}}</td><td class="mono">{{vis .WinPath}}</td><td></td></tr>
{{end}}</tbody></table>{{end}}

<footer>Generated by exscan {{.Version}}. Findings are leads for an investigation, not proof on their own; campaign names are public context, not attribution of this host.{{if .Suppressed}} {{.Suppressed}} finding(s) were suppressed by the ignore file and are not shown.{{end}}</footer>
<script>{{.JS}}</script>
</body>
</html>
`
