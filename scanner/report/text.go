package report

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"exscan/iocs"
	"exscan/scanner/finding"
)

func init() {
	Register(Format{Name: "text", Description: "human-readable report: verdict first, findings by severity, campaign context", Stream: true, New: func(w io.Writer) Writer { return &textWriter{w: bufio.NewWriter(w)} }})
}

type textWriter struct {
	w        *bufio.Writer
	meta     Meta
	findings []finding.Finding
	tally    Tally
}

func (t *textWriter) Start(m Meta) error {
	t.meta = m
	if m.Stream {
		fmt.Fprintf(t.w, "exscan %s: watching; each new hit is printed as it is found\n\n", m.Version)
		return t.w.Flush()
	}
	return nil
}

func (t *textWriter) Finding(f *finding.Finding) error {
	t.tally.Add(f)
	if t.meta.Stream {
		t.writeFinding(f, 0)
		return t.w.Flush()
	}
	t.findings = append(t.findings, *f)
	return nil
}

func (t *textWriter) p(format string, a ...any) { fmt.Fprintf(t.w, format, a...) }

func (t *textWriter) Finish(s *finding.Summary) error {
	if t.meta.Stream {
		t.p("\nwatch stopped: %d finding(s) reported\n", sumCounts(s.Findings))
		return t.w.Flush()
	}
	t.writeHeader(s)
	t.writeFindings()
	t.writeContext()
	t.writeTrailer(s)
	return t.w.Flush()
}

// writeHeader writes what ran on what, then the verdict paragraph (what
// was scanned, found, skipped and why), the Exchange build, the next steps
// and the host layout.
func (t *textWriter) writeHeader(s *finding.Summary) {
	what := t.meta.Command
	if t.meta.Root != "" {
		what += " of " + Terminal(t.meta.Root) + ` (mapped as C:\)`
	}
	t.p("exscan %s: %s\n", t.meta.Version, what)
	if s.Command != "files" || s.ScannedHost != nil {
		t.p("%s\n", Terminal(HostLine(s.ScannedHost, s.ExscanHost)))
	}
	t.p("started %s, took %.1fs\n\n", s.Started, s.Duration)

	t.p("VERDICT: %s\n", strings.ToUpper(strings.ReplaceAll(s.Verdict, "-", " ")))
	for _, line := range wrap(verdictText(s), 78) {
		t.p("  %s\n", line)
	}
	t.p("\n")
	if s.Exchange != nil {
		t.p("EXCHANGE BUILD\n")
		for _, line := range wrap(BuildText(s.Exchange), 78) {
			t.p("  %s\n", Terminal(line))
		}
		t.p("\n")
	}
	if len(s.NextSteps) > 0 {
		t.p("NEXT STEPS\n")
		for i, step := range s.NextSteps {
			for j, line := range wrap(step, 74) {
				if j == 0 {
					t.p("  %d. %s\n", i+1, Terminal(line))
				} else {
					t.p("     %s\n", Terminal(line))
				}
			}
		}
		t.p("\n")
	}
	if s.Host != nil {
		t.p("HOST LAYOUT (under %s)\n", Terminal(s.Host.Root))
		for _, e := range s.Host.Found {
			t.p("  found      %-28s %s\n", e.Role, Terminal(e.WinPath))
		}
		for _, e := range s.Host.Missing {
			t.p("  not found  %-28s %s\n", e.Role, Terminal(e.WinPath))
		}
		t.p("\n")
	}
}

// writeFindings writes the buffered findings by severity, worst first,
// grouped as in the other reports.
func (t *textWriter) writeFindings() {
	sort.SliceStable(t.findings, func(i, j int) bool {
		a, b := t.findings[i], t.findings[j]
		if a.Severity != b.Severity {
			return a.Severity > b.Severity
		}
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		return a.Line < b.Line
	})
	fs := make([]*finding.Finding, len(t.findings))
	for i := range t.findings {
		fs[i] = &t.findings[i]
	}
	groups := groupFindings(fs)
	entries := map[finding.Severity]int{}
	for _, g := range groups {
		entries[g.Findings[0].Severity]++
	}
	cur := finding.Severity(-1)
	for n, g := range groups {
		f := g.Findings[0]
		if f.Severity != cur {
			cur = f.Severity
			if k, e := t.tally.BySeverity[cur], entries[cur]; k != e {
				t.p("%s (%d findings in %s: same rule and same client or file)\n", strings.ToUpper(cur.String()), k, entriesWord(e))
			} else {
				t.p("%s (%d)\n", strings.ToUpper(cur.String()), k)
			}
		}
		if len(g.Findings) == 1 {
			t.writeFinding(f, n+1)
		} else {
			t.writeGroup(g, n+1)
		}
	}
}

// writeTrailer writes webshell access, log coverage, what was skipped,
// warnings and the exit code.
func (t *textWriter) writeTrailer(s *finding.Summary) {
	if len(s.Webshells) > 0 {
		t.p("WEBSHELL ACCESS (requests in the logs to webshells found on disk)\n")
		for _, a := range s.Webshells {
			t.p("  %s (%s): %d request(s) from %s, %s .. %s\n", Terminal(a.File), Terminal(a.URL), a.Requests, Terminal(strings.Join(a.Clients, ", ")), a.First, a.Last)
		}
		t.p("\n")
	}
	if len(s.Coverage) > 0 {
		t.p("LOG COVERAGE (per log family)\n")
		for _, c := range s.Coverage {
			warn := ""
			if c.TooShort {
				warn = "  < 30 days: too short to rule out older attacks"
			}
			t.p("  %-26s %5d file(s) %9d record(s)  %s .. %s  (%.1f days)%s\n", Terminal(c.Family), c.Files, c.Records, orDash(c.Earliest), orDash(c.Latest), c.Days, warn)
		}
		t.p("\n")
	}
	if len(s.Skipped) > 0 {
		t.p("SKIPPED (not checked, or checked only in part)\n")
		for _, k := range sortedKeys(s.Skipped) {
			t.p("  %-22s %d\n", k, s.Skipped[k])
		}
		for _, it := range s.SkippedItems {
			t.p("    %s: %s %s\n", it.Reason, Terminal(it.Path), Terminal(it.Detail))
		}
		if len(s.SkippedItems) == 0 {
			t.p("  (run with --verbose to list each item)\n")
		}
		t.p("\n")
	}
	for _, w := range s.Warnings {
		t.p("warning: %s\n", Terminal(w))
	}
	t.p("exit code %d (--fail-on %s)\n", s.ExitCode, s.FailOn)
}

func (t *textWriter) writeFinding(f *finding.Finding, n int) {
	prefix := "  "
	if n > 0 {
		t.p("  [%d] %s\n", n, Terminal(f.Title))
	} else {
		t.p("%s %s: %s\n", strings.ToUpper(f.Severity.String()), f.Kind, Terminal(f.Title))
	}
	in := prefix + "    "
	loc := f.Path
	if f.HostPath != "" && f.HostPath != f.Path {
		loc = f.HostPath + "  (" + f.Path + ")"
	}
	if f.Line > 0 {
		loc += f.LineLabel()
	}
	t.p("%s%-9s %s\n", in, f.Kind, Terminal(loc))
	if f.Timestamp != "" || f.ClientIP != "" {
		t.p("%s%-9s %s  client %s\n", in, "time", orDash(f.Timestamp), Terminal(orDash(f.ClientIP)))
	}
	for _, r := range f.Reasons {
		by := ""
		if r.Author != "" {
			by = " by " + Terminal(r.Author)
		}
		t.p("%s%-9s [%s] %s: %s%s\n", in, "why", r.Severity, r.Rule, Terminal(r.Title), by)
	}
	if f.Scoring != "" {
		t.p("%s%-9s %s\n", in, "severity", f.Scoring)
	}
	for i, e := range f.Evidence {
		if i >= 6 {
			t.p("%s%-9s ... %d more\n", in, "", len(f.Evidence)-i)
			break
		}
		v := e.Value
		if len(v) > 200 {
			v = v[:200] + "..."
		}
		t.p("%s%-9s %s: %s\n", in, "evidence", Terminal(e.Name), Terminal(v))
	}
	if f.SHA256 != "" {
		size := int64(0)
		if f.Size != nil {
			size = *f.Size
		}
		t.p("%s%-9s sha256 %s  %d bytes  modified %s\n", in, "file", f.SHA256, size, f.MTime)
	}
	if tags := contextTags(f); tags != "" {
		t.p("%s%-9s %s\n", in, "context", Terminal(tags))
	}
	for _, rel := range f.Related {
		t.p("%s%-9s %s\n", in, "related", Terminal(rel))
	}
	t.p("%s%-9s %s\n\n", in, "id", f.Fingerprint)
}

// writeGroup prints findings with the same rule and client (or file) as
// one entry: the count, first and last time, the rules that matched and a
// few example records; every finding is still its own JSON Lines record.
func (t *textWriter) writeGroup(g *group, n int) {
	f := g.Findings[0]
	in := "      "
	t.p("  [%d] %s\n", n, Terminal(f.Title))
	t.p("%s%-9s %d findings, %s\n", in, "count", len(g.Findings), Terminal(g.By))
	if !g.First.IsZero() {
		t.p("%s%-9s %s .. %s\n", in, "seen", g.First.UTC().Format(time.RFC3339), g.Last.UTC().Format(time.RFC3339))
	}
	for _, r := range f.Reasons {
		by := ""
		if r.Author != "" {
			by = " by " + Terminal(r.Author)
		}
		t.p("%s%-9s [%s] %s: %s%s\n", in, "why", r.Severity, r.Rule, Terminal(r.Title), by)
	}
	show := g.telling()
	for _, x := range g.examples() {
		loc := x.HostPath
		if loc == "" {
			loc = x.Path
		}
		if x.Line > 0 {
			loc = fmt.Sprintf("%s:%d", loc, x.Line)
		}
		ev := ""
		for _, e := range x.Evidence {
			if e.Name == show {
				v := e.Value
				if len(v) > 120 {
					v = v[:120] + "..."
				}
				ev = "  " + e.Name + ": " + v
				break
			}
		}
		t.p("%s%-9s %s  %s%s\n", in, "example", Terminal(loc), orDash(x.Timestamp), Terminal(ev))
	}
	if more := len(g.Findings) - len(g.examples()); more > 0 {
		t.p("%s%-9s ... %d more: each finding is its own record in --format jsonl or csv\n", in, "", more)
	}
	if tags := contextTags(f); tags != "" {
		t.p("%s%-9s %s\n", in, "context", Terminal(tags))
	}
	t.p("\n")
}

// writeContext prints each campaign's public context once.
func (t *textWriter) writeContext() {
	var ids []string
	for id := range t.tally.Campaigns {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	cs := iocs.Context(ids)
	if len(cs) == 0 {
		return
	}
	t.p("CAMPAIGN CONTEXT (public reporting; context for the hits above, not a verdict on who attacked this host)\n")
	for _, c := range cs {
		t.p("  %s", c.Name)
		if len(c.CVEs) > 0 {
			t.p(" [%s]", strings.Join(c.CVEs, ", "))
		}
		t.p(" (%d finding(s))\n", t.tally.Campaigns[c.ID])
		for _, l := range wrap(c.Summary, 74) {
			t.p("    %s\n", l)
		}
		if len(c.Actors) > 0 {
			t.p("    Publicly associated with:\n")
			for _, a := range c.Actors {
				name := a.Name
				if len(a.Aliases) > 0 {
					name += " (" + strings.Join(a.Aliases, ", ") + ")"
				}
				if a.MitreID != "" {
					name += " [" + a.MitreID + "]"
				}
				t.p("      - %s: %s\n", name, a.Association)
			}
		}
		if len(c.Statements) > 0 {
			t.p("    Statements:\n")
			max := 4
			for i, st := range c.Statements {
				if i >= max {
					t.p("      ... %d more in the JSON output\n", len(c.Statements)-max)
					break
				}
				via := ""
				if st.Via != "" {
					via = " (wording read from " + st.Via + ")"
				}
				t.p("      - %s %s: %s [%s] %s%s\n", st.Date, st.Who, st.Claim, st.Confidence, st.URL, via)
			}
		}
		if c.Caution != "" {
			for _, l := range wrap("Caution: "+c.Caution, 74) {
				t.p("    %s\n", l)
			}
		}
		t.p("\n")
	}
}

// contextTags is a finding's campaigns, CVEs and ATT&CK ids on one line.
func contextTags(f *finding.Finding) string {
	var tags []string
	if len(f.Campaigns) > 0 {
		tags = append(tags, "campaigns "+strings.Join(f.Campaigns, ", "))
	}
	if len(f.CVEs) > 0 {
		tags = append(tags, strings.Join(f.CVEs, ", "))
	}
	if len(f.Attack) > 0 {
		tags = append(tags, "ATT&CK "+strings.Join(f.Attack, ", "))
	}
	return strings.Join(tags, "; ")
}

func verdictText(s *finding.Summary) string {
	var b strings.Builder
	b.WriteString(s.VerdictText)
	fmt.Fprintf(&b, " Checked %d of %d file(s) (%s)", s.FilesScanned, s.FilesSeen, humanBytes(s.Bytes))
	if n := s.YARARuledOut; n.Files > 0 {
		fmt.Fprintf(&b, ", %d of them (%s) without YARA because no rule can match their size and first bytes", n.Files, humanBytes(n.Bytes))
	}
	if s.LogFiles > 0 || s.Command == "logs" || s.Command == "scan" {
		fmt.Fprintf(&b, " and %d log file(s) with %d record(s)", s.LogFiles, sumCounts(s.LogRecords))
		if s.BeforeSince > 0 {
			fmt.Fprintf(&b, ", %d of them before --since %s and not checked", s.BeforeSince, s.Since)
		}
		if s.LogRuledOut > 0 {
			fmt.Fprintf(&b, ", %d of them cleared from the raw line alone (it holds no string any log rule or indicator looks for)", s.LogRuledOut)
		}
	}
	b.WriteString(".")
	if s.Since != "" {
		fmt.Fprintf(&b, " Log records before %s were read but not checked (--since); coverage counts only the records checked.", s.Since)
	}
	if n := sumCounts(s.Malformed); n > 0 {
		var parts []string
		for _, k := range sortedKeys(s.Malformed) {
			parts = append(parts, fmt.Sprintf("%s %d", k, s.Malformed[k]))
		}
		fmt.Fprintf(&b, " Malformed log records skipped: %d (%s).", n, strings.Join(parts, ", "))
	}
	if n := sumCounts(s.Skipped); n > 0 {
		var parts []string
		for _, k := range sortedKeys(s.Skipped) {
			parts = append(parts, fmt.Sprintf("%s %d", k, s.Skipped[k]))
		}
		fmt.Fprintf(&b, " Skipped or only partly checked: %d (%s).", n, strings.Join(parts, ", "))
	}
	fmt.Fprintf(&b, " Findings: %d critical, %d high, %d medium, %d low, %d info.", s.Findings["critical"], s.Findings["high"], s.Findings["medium"], s.Findings["low"], s.Findings["info"])
	if s.Suppressed > 0 {
		fmt.Fprintf(&b, " %d suppressed by the ignore file.", s.Suppressed)
	}
	return b.String()
}

func sumCounts(m map[string]int64) int64 {
	var n int64
	for _, v := range m {
		n += v
	}
	return n
}

func sortedKeys(m map[string]int64) []string {
	var k []string
	for s := range m {
		k = append(k, s)
	}
	sort.Strings(k)
	return k
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

func wrap(s string, width int) []string {
	var lines []string
	var cur strings.Builder
	for _, w := range strings.Fields(s) {
		if cur.Len() > 0 && cur.Len()+1+len(w) > width {
			lines = append(lines, cur.String())
			cur.Reset()
		}
		if cur.Len() > 0 {
			cur.WriteByte(' ')
		}
		cur.WriteString(w)
	}
	if cur.Len() > 0 {
		lines = append(lines, cur.String())
	}
	return lines
}
