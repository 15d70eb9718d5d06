package report

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"exscan/scanner/finding"
)

func init() {
	Register(Format{Name: "timesketch", Description: "Timesketch JSON Lines: one timeline event per finding, for import into a Timesketch sketch", Extensions: []string{".timesketch"}, Stream: true, Lines: true, New: func(w io.Writer) Writer { return newTimesketch(w) }})
}

// Timesketch reads JSON Lines where every line is an event with message,
// datetime (ISO 8601) and timestamp_desc; any other field becomes a
// searchable attribute. Each finding is one event at its own time: the log
// record's time, or the file's modification time. A finding with neither
// is placed at the scan's start and says so in timestamp_desc, so it is
// not mistaken for the time of the attack.
//
// The stream ends with one more event, at the scan's start, that carries
// the verdict and the counts (data_type "exscan:scan"): Timesketch imports
// events only, and this keeps the outcome of the scan on the timeline next
// to what it found.
const (
	tsDescLog   = "Log record time"
	tsDescFile  = "File modification time"
	tsDescNone  = "Scan start time (the finding has no time of its own)"
	tsDescScan  = "Scan start time"
	tsTimeValue = "2006-01-02T15:04:05.000000+00:00"
)

type timesketchWriter struct {
	w    *bufio.Writer
	enc  *json.Encoder
	meta Meta
}

func newTimesketch(w io.Writer) *timesketchWriter {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(true)
	return &timesketchWriter{w: bw, enc: enc}
}

// timesketchEvent is one line. Lists are joined into strings: Timesketch
// filters and aggregates string attributes, not arrays.
type timesketchEvent struct {
	Message       string `json:"message"`
	Datetime      string `json:"datetime"`
	Timestamp     int64  `json:"timestamp"` // microseconds since the epoch
	TimestampDesc string `json:"timestamp_desc"`
	DataType      string `json:"data_type"`

	Severity    string `json:"severity,omitempty"`
	Kind        string `json:"kind,omitempty"`
	Rule        string `json:"rule,omitempty"`
	Title       string `json:"title,omitempty"`
	Path        string `json:"path,omitempty"`
	HostPath    string `json:"host_path,omitempty"`
	Line        int    `json:"line,omitempty"`
	LogFormat   string `json:"log_format,omitempty"`
	ClientIP    string `json:"client_ip,omitempty"`
	Evidence    string `json:"evidence,omitempty"`
	SHA256      string `json:"sha256,omitempty"`
	MD5         string `json:"md5,omitempty"`
	Size        *int64 `json:"size,omitempty"`
	CVEs        string `json:"cves,omitempty"`
	Campaigns   string `json:"campaigns,omitempty"`
	Attack      string `json:"attack,omitempty"`
	Related     string `json:"related,omitempty"`
	Reasons     string `json:"reasons,omitempty"`
	Fingerprint string `json:"fingerprint,omitempty"`
	Hostname    string `json:"hostname,omitempty"`    // the scanned host
	ExscanHost  string `json:"exscan_host,omitempty"` // the machine exscan ran on

	Verdict     string `json:"verdict,omitempty"`
	VerdictText string `json:"verdict_text,omitempty"`
	Findings    string `json:"findings,omitempty"`
}

func (t *timesketchWriter) Start(m Meta) error {
	t.meta = m
	return nil
}

func (t *timesketchWriter) Finding(f *finding.Finding) error {
	c := SafeCopy(f)
	e := timesketchEvent{
		DataType: "exscan:finding:" + c.Kind,
		Severity: c.Severity.String(), Kind: c.Kind, Rule: c.Rule, Title: c.Title,
		Path: c.Path, HostPath: c.HostPath, Line: c.Line, LogFormat: c.LogFormat, ClientIP: c.ClientIP,
		SHA256: c.SHA256, MD5: c.MD5, Size: c.Size,
		CVEs: strings.Join(c.CVEs, ", "), Campaigns: strings.Join(c.Campaigns, ", "), Attack: strings.Join(c.Attack, ", "),
		Related: strings.Join(c.Related, ", "), Fingerprint: c.Fingerprint, Hostname: t.meta.ScannedHost, ExscanHost: t.meta.Host,
	}
	var ev, rs []string
	for _, x := range c.Evidence {
		ev = append(ev, x.Name+"="+x.Value)
	}
	for _, r := range c.Reasons {
		rs = append(rs, r.Rule)
	}
	e.Evidence, e.Reasons = strings.Join(ev, " | "), strings.Join(rs, ", ")

	var when time.Time
	switch {
	case c.Kind == finding.KindLog && parseTime(c.Timestamp, &when):
		e.TimestampDesc = tsDescLog
	case parseTime(c.MTime, &when):
		e.TimestampDesc = tsDescFile
	case parseTime(c.Timestamp, &when):
		e.TimestampDesc = tsDescLog
	default:
		when, e.TimestampDesc = t.meta.Started, tsDescNone
	}
	setTime(&e, when)
	e.Message = timesketchMessage(&c)
	if err := t.enc.Encode(e); err != nil {
		return err
	}
	// Flush per event, as jsonl does: a forwarder tailing the file sees
	// each hit at once.
	return t.w.Flush()
}

func (t *timesketchWriter) Finish(s *finding.Summary) error {
	if t.meta.Stream || s == nil {
		return t.w.Flush()
	}
	e := timesketchEvent{DataType: "exscan:scan", TimestampDesc: tsDescScan, Hostname: t.meta.ScannedHost, ExscanHost: t.meta.Host,
		Verdict: s.Verdict, VerdictText: ValidUTF8(s.VerdictText)}
	e.Findings = fmt.Sprintf("critical %d, high %d, medium %d, low %d, info %d",
		s.Findings["critical"], s.Findings["high"], s.Findings["medium"], s.Findings["low"], s.Findings["info"])
	when := t.meta.Started
	if when.IsZero() {
		parseTime(s.Started, &when)
	}
	setTime(&e, when)
	e.Message = fmt.Sprintf("exscan %s %s: %s (%s)", s.Version, s.Command, strings.ReplaceAll(s.Verdict, "-", " "), e.Findings)
	if err := t.enc.Encode(e); err != nil {
		return err
	}
	return t.w.Flush()
}

func timesketchMessage(f *finding.Finding) string {
	var b strings.Builder
	fmt.Fprintf(&b, "[%s] %s", f.Severity, Terminal(f.Title))
	where := f.HostPath
	if where == "" {
		where = f.Path
	}
	if where != "" {
		b.WriteString(": " + Terminal(where))
		if f.Line > 0 {
			fmt.Fprintf(&b, ":%d", f.Line)
		}
	}
	if f.ClientIP != "" {
		b.WriteString(" from " + Terminal(f.ClientIP))
	}
	if len(f.Campaigns) > 0 {
		b.WriteString(" (publicly associated: " + Terminal(strings.Join(f.Campaigns, ", ")) + ")")
	}
	return b.String()
}

func parseTime(s string, t *time.Time) bool {
	if s == "" {
		return false
	}
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return false
	}
	*t = v
	return true
}

func setTime(e *timesketchEvent, t time.Time) {
	if t.IsZero() {
		t = time.Unix(0, 0)
	}
	t = t.UTC()
	e.Datetime = t.Format(tsTimeValue)
	e.Timestamp = t.UnixMicro()
}
