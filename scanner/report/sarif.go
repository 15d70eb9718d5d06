package report

import (
	"bufio"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"sort"
	"strings"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"exscan/scanner/finding"
)

func init() {
	Register(Format{Name: "sarif", Description: "SARIF 2.1.0: for code scanning dashboards and SIEMs that read SARIF", Extensions: []string{".sarif"}, New: func(w io.Writer) Writer { return &sarifWriter{w: w} }})
}

// sarifWriter buffers results and writes one SARIF log at Finish: SARIF
// is one JSON document, not a stream.
type sarifWriter struct {
	w       io.Writer
	meta    Meta
	results []*sarif.Result
	rules   map[string]*sarif.ReportingDescriptor
	order   []string
}

const sarifFingerprintKey = "exscan/v1"

func (s *sarifWriter) Start(m Meta) error {
	s.meta = m
	s.rules = map[string]*sarif.ReportingDescriptor{}
	return nil
}

func (s *sarifWriter) Finding(f *finding.Finding) error {
	if s.rules == nil {
		s.rules = map[string]*sarif.ReportingDescriptor{}
	}
	c := SafeCopy(f)
	ruleID := c.Rule
	if ruleID == "" {
		ruleID = "exscan.unnamed"
	}
	if _, ok := s.rules[ruleID]; !ok {
		s.rules[ruleID] = sarifRule(ruleID, &c)
		s.order = append(s.order, ruleID)
	}

	r := sarif.NewRuleResult(ruleID).
		WithLevel(sarifLevel(c.Severity)).
		WithMessage(sarif.NewMessage().WithText(sarifMessage(&c)))
	r.Kind = "fail"
	if c.Fingerprint != "" {
		r.WithPartialFingerprints(map[string]string{sarifFingerprintKey: c.Fingerprint})
	}
	if loc := sarifLocation(c.Path, c.Line); loc != nil {
		r.AddLocation(loc)
	}
	for _, rel := range c.Related {
		if loc := sarifLocation(rel, 0); loc != nil {
			r.AddRelatedLocation(loc)
		}
	}
	props := sarif.NewPropertyBag()
	props.Add("severity", c.Severity.String())
	props.Add("kind", c.Kind)
	setIf := func(k, v string) {
		if v != "" {
			props.Add(k, v)
		}
	}
	setIf("title", c.Title)
	setIf("host_path", c.HostPath)
	setIf("timestamp", c.Timestamp)
	setIf("client_ip", c.ClientIP)
	setIf("log_format", c.LogFormat)
	setIf("sha256", c.SHA256)
	setIf("sha1", c.SHA1)
	setIf("md5", c.MD5)
	setIf("mtime", c.MTime)
	setIf("author", c.Author)
	if c.Size != nil {
		props.Add("size", *c.Size)
	}
	if c.Line > 0 {
		props.Add("line", c.Line)
	}
	props.Add("cves", nonNil(c.CVEs))
	props.Add("campaigns", nonNil(c.Campaigns))
	props.Add("attack", nonNil(c.Attack))
	if len(c.Evidence) > 0 {
		props.Add("evidence", c.Evidence)
	}
	var reasons []string
	for _, rs := range c.Reasons {
		reasons = append(reasons, rs.Rule)
	}
	if len(reasons) > 0 {
		props.Add("reasons", reasons)
	}
	props.WithTags(sarifTags(&c))
	r.WithProperties(props)
	s.results = append(s.results, r)
	return nil
}

func (s *sarifWriter) Finish(sum *finding.Summary) error {
	rep := sarif.NewReport()
	run := sarif.NewRun()
	driver := sarif.NewToolComponent().WithName("exscan").
		WithFullName("exscan: Microsoft Exchange compromise scanner").
		WithShortDescription(sarif.NewMultiformatMessageString().WithText("Finds webshells, attack tools and exploitation traces of ProxyLogon, ProxyShell, ProxyNotShell and OWASSRF in files and IIS/Exchange logs."))
	if v := s.meta.Version; v != "" {
		driver.WithVersion(v)
	}
	sort.Strings(s.order)
	index := map[string]int{}
	for i, id := range s.order {
		driver.AddRule(s.rules[id])
		index[id] = i
	}
	run.WithTool(sarif.NewTool())
	run.Tool.Driver = driver
	for _, r := range s.results {
		if r.RuleID != nil {
			r.WithRuleIndex(index[*r.RuleID])
		}
	}
	if s.results == nil {
		s.results = []*sarif.Result{} // the schema wants an array, even empty
	}
	run.WithResults(s.results)

	inv := sarif.NewInvocation().WithExecutionSuccessful(sum == nil || sum.ExitCode != 2)
	if !s.meta.Started.IsZero() {
		inv.WithStartTimeUtc(s.meta.Started.UTC().Format("2006-01-02T15:04:05.000Z"))
	}
	if s.meta.Host != "" {
		inv.WithMachine(s.meta.Host)
	}
	if sum != nil {
		inv.WithExitCode(sum.ExitCode)
		ip := sarif.NewPropertyBag()
		ip.Add("verdict", sum.Verdict)
		ip.Add("verdict_text", ValidUTF8(sum.VerdictText))
		if sum.ScannedHost != nil {
			ip.Add("scanned_host", sum.ScannedHost)
		}
		ip.Add("exscan_host", sum.ExscanHost)
		if sum.Exchange != nil {
			ip.Add("exchange", sum.Exchange)
		}
		if len(sum.NextSteps) > 0 {
			ip.Add("next_steps", sum.NextSteps)
		}
		ip.Add("files_seen", sum.FilesSeen)
		ip.Add("files_scanned", sum.FilesScanned)
		if sum.LogRuledOut > 0 {
			ip.Add("log_records_ruled_out", sum.LogRuledOut)
		}
		if sum.YARARuledOut.Files > 0 {
			ip.Add("yara_ruled_out", sum.YARARuledOut)
		}
		ip.Add("log_files", sum.LogFiles)
		ip.Add("skipped", nonNilCounts(sum.Skipped))
		ip.Add("findings", nonNilCounts(sum.Findings))
		if sum.Suppressed > 0 {
			ip.Add("suppressed", sum.Suppressed)
		}
		if len(sum.Coverage) > 0 {
			ip.Add("log_coverage", sum.Coverage)
		}
		inv.WithProperties(ip)
		for _, w := range sum.Warnings {
			inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications,
				sarif.NewNotification().WithLevel(sarif.LevelWarning).WithMessage(sarif.NewMessage().WithText(Terminal(w))))
		}
	}
	run.AddInvocation(inv)
	rep.AddRun(run)
	bw := bufio.NewWriter(s.w)
	if err := rep.PrettyWrite(bw); err != nil {
		return err
	}
	if _, err := bw.WriteString("\n"); err != nil {
		return err
	}
	return bw.Flush()
}

// sarifLevel maps severity to SARIF's level: critical and high are errors
// (a compromise or a successful attempt), medium a warning, the rest notes.
func sarifLevel(s finding.Severity) string {
	switch {
	case s >= finding.High:
		return sarif.LevelError
	case s == finding.Medium:
		return sarif.LevelWarning
	}
	return sarif.LevelNote
}

// securitySeverity is the CVSS-like score code scanning dashboards sort by.
func securitySeverity(s finding.Severity) string {
	if s < finding.Info || s > finding.Critical {
		s = finding.Info
	}
	return [...]string{"1.0", "3.0", "5.5", "8.0", "9.5"}[s]
}

func sarifRule(id string, f *finding.Finding) *sarif.ReportingDescriptor {
	r := sarif.NewRule(id)
	title, desc := f.Title, f.Description
	var rs *finding.Reason
	for i := range f.Reasons {
		if f.Reasons[i].Rule == id {
			rs = &f.Reasons[i]
			break
		}
	}
	cves, campaigns, attack, refs, author := f.CVEs, f.Campaigns, f.Attack, f.References, f.Author
	if rs != nil {
		title, desc = rs.Title, rs.Description
		cves, campaigns, attack, refs, author = rs.CVEs, rs.Campaigns, rs.Attack, rs.References, rs.Author
	}
	if title == "" {
		title = id
	}
	r.WithName(sarifRuleName(id))
	r.WithShortDescription(sarif.NewMultiformatMessageString().WithText(Terminal(title)))
	if desc == "" {
		desc = title
	}
	r.WithFullDescription(sarif.NewMultiformatMessageString().WithText(Terminal(desc)))

	var help, md strings.Builder
	fmt.Fprintf(&help, "%s\n", Terminal(desc))
	fmt.Fprintf(&md, "%s\n", mdEscape(Terminal(desc)))
	line := func(label string, vals []string) {
		if len(vals) == 0 {
			return
		}
		fmt.Fprintf(&help, "\n%s: %s", label, Terminal(strings.Join(vals, ", ")))
		fmt.Fprintf(&md, "\n**%s:** %s  ", label, mdEscape(Terminal(strings.Join(vals, ", "))))
	}
	line("CVEs", cves)
	line("Campaigns (public reporting; context, not attribution of this host)", campaigns)
	line("ATT&CK", attack)
	if author != "" {
		line("Rule author", []string{author})
	}
	var links []string
	for _, ref := range refs {
		if u, ok := httpURL(ref); ok {
			links = append(links, u)
		}
	}
	if len(links) > 0 {
		help.WriteString("\n\nReferences:")
		md.WriteString("\n\n**References:**\n")
		for _, u := range links {
			fmt.Fprintf(&help, "\n- %s", u)
			fmt.Fprintf(&md, "\n- <%s>", u)
		}
		r.WithHelpURI(links[0])
	}
	r.WithHelp(sarif.NewMultiformatMessageString().WithText(help.String()).WithMarkdown(md.String()))
	r.WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(sarifLevel(f.Severity)))
	p := sarif.NewPropertyBag()
	p.Add("security-severity", securitySeverity(f.Severity))
	p.Add("precision", "high")
	if len(refs) > 0 {
		p.Add("references", refs)
	}
	p.WithTags(uniqueStrings(append(append([]string{"security", "exchange"}, cves...), attack...)))
	r.WithProperties(p)
	return r
}

// sarifRuleName turns a rule id into a PascalCase name, as SARIF viewers
// expect of reportingDescriptor.name.
func sarifRuleName(id string) string {
	var b strings.Builder
	up := true
	for _, r := range id {
		if r == '.' || r == '-' || r == '_' || r == ' ' {
			up = true
			continue
		}
		if up && r >= 'a' && r <= 'z' {
			r -= 'a' - 'A'
		}
		up = false
		b.WriteRune(r)
	}
	return b.String()
}

func sarifMessage(f *finding.Finding) string {
	var b strings.Builder
	b.WriteString(Terminal(f.Title))
	if f.Kind == finding.KindLog {
		if f.Timestamp != "" {
			b.WriteString(" at " + Terminal(f.Timestamp))
		}
		if f.ClientIP != "" {
			b.WriteString(" from " + Terminal(f.ClientIP))
		}
	}
	if f.HostPath != "" {
		b.WriteString(" in " + Terminal(f.HostPath))
	}
	if f.Line > 0 {
		fmt.Fprintf(&b, " (line %d)", f.Line)
	}
	for i, e := range f.Evidence {
		if i == 0 {
			b.WriteString(". Evidence: ")
		} else {
			b.WriteString("; ")
		}
		if i >= 3 {
			fmt.Fprintf(&b, "%d more", len(f.Evidence)-i)
			break
		}
		v := e.Value
		if len(v) > 200 {
			v = truncUTF8(v, 200) + "..."
		}
		b.WriteString(Terminal(e.Name) + "=" + Terminal(v))
	}
	if len(f.Campaigns) > 0 {
		b.WriteString(". Publicly associated campaigns: " + Terminal(strings.Join(f.Campaigns, ", ")))
	}
	b.WriteString(".")
	return b.String()
}

func sarifLocation(p string, line int) *sarif.Location {
	if p == "" {
		return nil
	}
	al := sarif.NewArtifactLocation().WithURI(fileURI(p))
	pl := sarif.NewPhysicalLocation().WithArtifactLocation(al)
	if line > 0 {
		reg := sarif.NewRegion().WithStartLine(line)
		pl.WithRegion(reg)
	}
	return sarif.NewLocation().WithPhysicalLocation(pl)
}

// fileURI writes a local path as a URI: absolute paths as file:// URIs,
// relative ones as relative references; every byte that is not plain is
// percent-encoded (spaces, '#', '?', '%', invalid UTF-8).
func fileURI(p string) string {
	slash := filepath.ToSlash(p)
	if strings.Contains(p, `\`) {
		slash = strings.ReplaceAll(p, `\`, "/") // a Windows path read on another OS
	}
	abs := strings.HasPrefix(slash, "/")
	if len(slash) >= 3 && slash[1] == ':' && slash[2] == '/' { // C:/...
		slash, abs = "/"+slash, true
	}
	if abs {
		return (&url.URL{Scheme: "file", Path: slash}).String()
	}
	u := (&url.URL{Path: slash}).String()
	// A relative path whose first segment holds ':' must not read as a scheme.
	if i := strings.IndexAny(u, ":/"); i >= 0 && u[i] == ':' {
		u = "./" + u
	}
	return u
}

func sarifTags(f *finding.Finding) []string {
	tags := []string{f.Severity.String(), f.Kind}
	tags = append(tags, f.CVEs...)
	tags = append(tags, f.Campaigns...)
	return uniqueStrings(tags)
}

func uniqueStrings(in []string) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, s := range in {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func nonNilCounts(m map[string]int64) map[string]int64 {
	if m == nil {
		return map[string]int64{}
	}
	return m
}

// httpURL accepts only http(s) URLs: references come from rule files,
// and user rules are not trusted to point anywhere else.
func httpURL(s string) (string, bool) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", false
	}
	return u.String(), true
}

// mdEscape keeps rule text from being read as Markdown or HTML by viewers
// that render the markdown help.
func mdEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune("\\`*_{}[]()<>#+-.!|&", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

func truncUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xc0 == 0x80 {
		n--
	}
	return s[:n]
}
