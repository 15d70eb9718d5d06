package report

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"exscan/scanner/finding"
)

// The report's timelines: findings placed on a time axis, one lane per
// campaign, drawn as inline SVG by the page template.

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

// chartItem is one finding with a time, in UTC.
type chartItem struct {
	t time.Time
	f *finding.Finding
}

// chartKey is one mark: a time bucket in a lane, for one severity and kind.
type chartKey struct {
	lane, bucket int
	sev          finding.Severity
	kind         string
}

// chartAgg is what one mark stands for: how many findings and their span.
type chartAgg struct {
	n        int
	from, to time.Time
}

// buildChart lays findings out on a time axis: one lane per campaign (a
// finding with several campaigns is drawn in each) and one for findings
// with none; within a lane, one mark per time bucket, severity and kind,
// its size growing with the count. Log records are circles, file
// modification times squares.
func buildChart(fs []*finding.Finding, campaigns []string) (*htmlChart, int) {
	var items []chartItem
	noTime := 0
	for _, f := range fs {
		t := f.Time()
		if t.IsZero() {
			noTime++
			continue
		}
		items = append(items, chartItem{t.UTC(), f})
	}
	if len(items) == 0 {
		return nil, noTime
	}
	lo, hi := chartRange(items)
	c := &htmlChart{Width: 1200, Left: 190, Right: 20, Top: 10}
	c.PlotW = c.Width - c.Left - c.Right
	c.From, c.To = lo.Format("2006-01-02 15:04"), hi.Format("2006-01-02 15:04")
	laneOf, none := c.addLanes(items, campaigns)
	c.addDots(items, laneOf, none, lo, hi)
	c.Ticks = timeTicks(lo, hi, c.Left, c.PlotW)
	return c, noTime
}

// chartRange is the time axis: the items' first to last time, padded by a
// fortieth on each side (a day around a single instant).
func chartRange(items []chartItem) (lo, hi time.Time) {
	lo, hi = items[0].t, items[0].t
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
	pad := hi.Sub(lo) / 40
	return lo.Add(-pad), hi.Add(pad)
}

// addLanes adds one lane per campaign that has a finding on this chart (in
// the order of campaigns), then one for findings without a campaign when
// there are any. It returns the lane of each campaign (by lower-case id)
// and the no-campaign lane (-1 when there is none).
func (c *htmlChart) addLanes(items []chartItem, campaigns []string) (map[string]int, int) {
	const laneH = 46
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
	return laneOf, none
}

// addDots counts the items into marks (a finding with several campaigns
// counts in each of their lanes) and places the marks.
func (c *htmlChart) addDots(items []chartItem, laneOf map[string]int, none int, lo, hi time.Time) {
	span := hi.Sub(lo)
	buckets := map[chartKey]*chartAgg{}
	var keys []chartKey
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
			k := chartKey{l, bucketOf(it.t), it.f.Severity, it.f.Kind}
			a := buckets[k]
			if a == nil {
				a = &chartAgg{from: it.t, to: it.t}
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
	for _, k := range keys {
		c.Dots = append(c.Dots, c.dot(k, buckets[k], none))
	}
}

// dot places one mark: its bucket sets x, its severity the height in the
// lane (critical at the top), its count the size.
func (c *htmlChart) dot(k chartKey, a *chartAgg, none int) htmlDot {
	bw := float64(c.PlotW) / htmlBuckets
	x := float64(c.Left) + (float64(k.bucket)+0.5)*bw
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
	return d
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
