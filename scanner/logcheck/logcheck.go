// Package logcheck checks log records one at a time: the Sigma rules and
// the indicator lookups (client IP, user agent, URL path), and builds the
// log finding for a record that matched.
//
// Indicator severities come from the lists, with two caps to low, because
// the lists describe Exchange campaigns and an address or user agent on
// its own proves little elsewhere:
//
//   - an IP or user-agent hit on a web request outside Exchange's virtual
//     directories (/owa, /ecp, /ews, /autodiscover, /mapi, /rpc, /oab,
//     /powershell, /Microsoft-Server-ActiveSync, /aspnet_client, ...);
//   - an IP or user-agent hit in a record dated before 2021-01-01, when
//     none of these chains had been used yet (Volexity's first ProxyLogon
//     sightings are from early January 2021): the address or agent
//     belonged to someone else then;
//   - a user-agent hit on a GET or HEAD: the user-agent lists (crawler
//     names among them) come from POSTs to Exchange; crawlers fetch OWA
//     pages all the time.
package logcheck

import (
	"slices"
	"strings"
	"time"

	"exscan/internal/exchange"
	"exscan/iocs"
	"exscan/rules"
	"exscan/scanner/finding"
	"exscan/scanner/logs"
)

// Indicators is the lookups the log checks need; *iocs.Set has them.
type Indicators interface {
	IP(ip string) []*iocs.Entry
	UserAgent(ua string) []*iocs.Entry
	URL(uriPath string) []*iocs.Entry
}

// Checker runs a list of log checks. It is safe for concurrent use when
// its checks are.
type Checker struct {
	checks []Check
}

// New returns a Checker for the Sigma rules and indicator set (either may
// be nil) and any further checks.
func New(sigma *rules.SigmaSet, set *iocs.Set, more ...Check) *Checker {
	var ind Indicators
	if set != nil {
		ind = set
	}
	return NewWithIndicators(sigma, ind, more...)
}

// NewWithIndicators is New with any indicator source.
func NewWithIndicators(sigma *rules.SigmaSet, ind Indicators, more ...Check) *Checker {
	c := &Checker{}
	if sigma != nil {
		c.checks = append(c.checks, sigmaCheck{sigma})
	}
	if ind != nil {
		c.checks = append(c.checks, indicatorCheck{ind})
	}
	c.checks = append(c.checks, more...)
	return c
}

// Checks returns the Checker's checks, in the order they run.
func (c *Checker) Checks() []Check { return c.checks }

// campaignsStart: records older than this predate every campaign the
// built-in indicators belong to.
var campaignsStart = time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)

// Check returns every reason the record matches, check by check (Sigma
// rules first, then indicators, then the others). Evidence values are
// copies; the record may be reused.
func (c *Checker) Check(rec *logs.Record) []finding.Reason {
	if c == nil || rec == nil {
		return nil
	}
	var reasons []finding.Reason
	for _, ck := range c.checks {
		reasons = append(reasons, ck.Check(rec)...)
	}
	return reasons
}

// field returns the first non-empty value of a standard field (its log
// column name and value); "-" is empty.
func field(rec *logs.Record, f logs.StdField) (name, value string) {
	for _, n := range rec.StdNames(f) {
		if v, ok := rec.Get(n); ok && v != "" && v != "-" {
			return n, v
		}
	}
	return "", ""
}

type capNote struct {
	applies bool
	why     string
}

func indicatorReasons(ind Indicators, rec *logs.Record) []finding.Reason {
	var out []finding.Reason
	var seen map[*iocs.Entry]bool // most records hit nothing: made on first hit
	add := func(es []*iocs.Entry, fieldName, value, rule, title string, caps ...capNote) {
		for _, e := range es {
			if seen[e] {
				continue
			}
			if seen == nil {
				seen = map[*iocs.Entry]bool{}
			}
			seen[e] = true
			out = append(out, indicatorReason(e, rule, title, fieldName, value, caps...))
		}
	}
	stemName, stem := field(rec, logs.StdStem)
	method := methodOf(rec)
	offExchange := capNote{stem != "" && !exchange.VdirPath(stem),
		"the request is not to an Exchange virtual directory"}
	early := capNote{!rec.Time.IsZero() && rec.Time.Before(campaignsStart),
		"the record predates the 2021-2022 Exchange campaigns (first exploitation January 2021), so the value was someone else's then"}

	// every address field: IIS logs the proxy in c-ip and the client in
	// X-Forwarded-For when a load balancer sits in front
	for _, n := range ipNames(rec) {
		v, ok := rec.Get(n)
		if !ok || v == "" || v == "-" {
			continue
		}
		if !strings.ContainsAny(v, ",+ ") {
			add(ind.IP(v), n, v, "exscan.ioc.ip", "Client IP on an indicator list", offExchange, early)
			continue
		}
		for _, ip := range splitAddrs(v) {
			add(ind.IP(ip), n, ip, "exscan.ioc.ip", "Client IP on an indicator list", offExchange, early)
		}
	}
	// The user-agent lists are ordinary crawler and library agents that
	// attackers used on POSTs to Exchange in 2021-2022; anywhere else (a
	// GET, another site, an older record) they are everyday traffic, and
	// reporting them would bury the real hits. Only POST-like requests to
	// Exchange virtual directories from 2021 on are checked.
	if n, ua := field(rec, logs.StdUserAgent); ua != "" && !offExchange.applies && !early.applies && method != "GET" && method != "HEAD" {
		add(ind.UserAgent(ua), n, ua, "exscan.ioc.useragent", "User agent on an indicator list")
	}
	if stem != "" {
		add(ind.URL(stem), stemName, stem, "exscan.ioc.url", "Request for a known webshell or exploit path")
	}
	return out
}

// indicatorReason turns an entry that matched into a Reason, in the shape
// the file checks use.
// IndicatorReason turns an indicator entry that matched value (in the
// field or kind named fieldName) into a Reason; the file checks use it too.
func IndicatorReason(e *iocs.Entry, rule, title, fieldName, value string) finding.Reason {
	return indicatorReason(e, rule, title, fieldName, value)
}

func indicatorReason(e *iocs.Entry, rule, title, fieldName, value string, caps ...capNote) finding.Reason {
	sev, err := finding.ParseSeverity(e.Severity)
	if err != nil {
		sev = finding.Medium
	}
	desc := strings.TrimSpace(e.Description)
	if desc == "" {
		desc = title
	}
	long := "Indicator from " + e.Source
	if e.Date != "" {
		long += " (" + e.Date + ")"
	}
	long += ": " + desc
	for _, c := range caps {
		if c.applies && sev > finding.Low {
			sev = finding.Low
			long += " [capped at low: " + c.why + "]"
		}
	}
	r := finding.Reason{
		Rule:        rule,
		Title:       title + ": " + desc,
		Severity:    sev,
		Source:      finding.SourceIOC,
		Author:      e.Source,
		Description: long,
		Campaigns:   e.Campaigns,
		Evidence:    []finding.Evidence{{Name: fieldName, Value: strings.Clone(value)}},
	}
	if e.Reference != "" {
		r.References = []string{e.Reference}
	}
	if len(r.Campaigns) == 0 {
		r.Campaigns = []string{"webshell-generic"}
	}
	return r
}

// splitAddrs splits an X-Forwarded-For style list ("a, b", IIS writes
// "a,+b").
func splitAddrs(v string) []string {
	if !strings.ContainsAny(v, ",+ ") {
		return []string{v}
	}
	return strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == '+' || r == ' ' })
}

func methodOf(rec *logs.Record) string {
	for _, n := range rec.StdNames(logs.StdMethod) {
		if v, ok := rec.Get(n); ok && v != "" {
			return strings.ToUpper(v)
		}
	}
	return ""
}

// ipNames are the record's client address columns: the client, then the
// forwarded-for lists (IIS logs the proxy in c-ip and the client in
// X-Forwarded-For when a load balancer sits in front).
func ipNames(rec *logs.Record) []string {
	a, b := rec.StdNames(logs.StdClientIP), rec.StdNames(logs.StdForwarded)
	if len(b) == 0 {
		return a
	}
	return append(a[:len(a):len(a)], b...)
}

// Finding builds the one finding for a record and everything it matched:
// kind log, the file and line, the record's format, time and client IP,
// the matched fields as evidence, and the reasons, strongest first, with
// campaigns the record's date rules out set aside (attributeCampaigns).
func (c *Checker) Finding(path string, rec *logs.Record, reasons []finding.Reason) finding.Finding {
	rs := attributeCampaigns(rec.Time, slices.Clone(reasons))
	slices.SortStableFunc(rs, func(a, b finding.Reason) int { return int(b.Severity) - int(a.Severity) })
	f := finding.Finding{
		Kind:      finding.KindLog,
		Path:      path,
		Line:      rec.Line,
		LogFormat: string(rec.Format),
		Reasons:   rs,
	}
	if !rec.Time.IsZero() {
		f.Timestamp = rec.Time.UTC().Format(time.RFC3339Nano)
	}
	if _, ip := field(rec, logs.StdClientIP); ip != "" {
		f.ClientIP = strings.Clone(ip)
	}
	if ch, _, ok := rec.Std(logs.StdChannel); ok {
		f.Channel = strings.Clone(ch)
		id, _, _ := rec.Std(logs.StdEventID)
		f.EventID = strings.Clone(id)
		c, _, _ := rec.Std(logs.StdComputer)
		f.Computer = strings.Clone(c)
	}
	type key struct{ n, v string }
	seen := map[key]bool{}
	names := map[string]bool{}
	for _, r := range rs {
		for _, e := range r.Evidence {
			k := key{e.Name, e.Value}
			names[strings.ToLower(e.Name)] = true
			if seen[k] {
				continue
			}
			seen[k] = true
			f.Evidence = append(f.Evidence, e)
		}
	}
	// The query string of a request, under the log's own name: what was
	// typed into a webshell or sent with an exploit often sits there.
	if q, n, ok := rec.Std(logs.StdQuery); ok && q != "" && q != "-" && !names[strings.ToLower(n)] {
		f.Evidence = append(f.Evidence, finding.Evidence{Name: n, Value: strings.Clone(q)})
	}
	f.Finalize()
	return f
}
