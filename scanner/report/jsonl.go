package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"unicode/utf8"

	"exscan/iocs"
	"exscan/scanner/finding"
)

func init() {
	Register(Format{Name: "jsonl", Description: "JSON Lines: each campaign's context once, one finding per line, then a summary line", Extensions: []string{".jsonl", ".json", ".ndjson"}, Stream: true, Lines: true, New: func(w io.Writer) Writer { return newJSONL(w) }})
}

// jsonlWriter writes a finding per line. Campaign context is written once
// per run as a {"type":"context"} record just before the first finding
// that refers to it, so a finding line stays under a SIEM's event limit
// (Splunk's default is 10,000 bytes); Meta.InlineContext puts the full
// context into every finding instead.
type jsonlWriter struct {
	w       *bufio.Writer
	enc     *json.Encoder
	inline  bool
	written map[string]bool // campaign ids whose context record is out
}

func newJSONL(w io.Writer) *jsonlWriter {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(true)
	return &jsonlWriter{w: bw, enc: enc, written: map[string]bool{}}
}

func (j *jsonlWriter) Start(m Meta) error {
	j.inline = m.InlineContext
	return nil
}

// contextRecord is a campaign's public context as its own JSON Lines
// record; findings name it by id in context_refs. Its dated statements
// follow it as statement records (statements null here), so no line of
// the run outgrows a SIEM's event limit however much is on record.
type contextRecord struct {
	Type string `json:"type"` // always "context"
	iocs.Campaign
}

// statementRecord is one dated public statement about a campaign, written
// right after the campaign's context record; id is "<campaign>/<n>",
// numbered from 1 in the context data's order.
type statementRecord struct {
	Type     string `json:"type"` // always "statement"
	ID       string `json:"id"`
	Campaign string `json:"campaign"`
	iocs.Statement
}

func (j *jsonlWriter) writeContext(c iocs.Campaign) error {
	st := c.Statements
	c.Statements = nil
	if err := j.enc.Encode(contextRecord{Type: "context", Campaign: c}); err != nil {
		return err
	}
	for i, s := range st {
		if err := j.enc.Encode(statementRecord{Type: "statement", ID: fmt.Sprintf("%s/%d", c.ID, i+1), Campaign: c.ID, Statement: s}); err != nil {
			return err
		}
	}
	return nil
}

func (j *jsonlWriter) Finding(f *finding.Finding) error {
	c := SafeCopy(f)
	rec := newJSONLFinding(&c)
	if j.inline {
		rec.Context = c.Context
		rec.Reasons = c.Reasons
	} else {
		for _, cc := range c.Context {
			if j.written[cc.ID] {
				continue
			}
			j.written[cc.ID] = true
			if err := j.writeContext(cc); err != nil {
				return err
			}
		}
	}
	line, err := encodeLine(rec, !j.inline)
	if err != nil {
		return err
	}
	if _, err := j.w.Write(line); err != nil {
		return err
	}
	// Flush per finding: a SIEM forwarder tailing the file sees each hit
	// at once, and a crash loses nothing already found.
	return j.w.Flush()
}

func (j *jsonlWriter) Finish(s *finding.Summary) error {
	s.Type = "summary"
	if err := j.enc.Encode(SafeSummary(s)); err != nil {
		return err
	}
	return j.w.Flush()
}

// jsonlFinding is a finding as a JSON Lines record. The fields the README
// promises on every finding are always present, null when empty, so a
// SIEM's field extraction sees one shape; the rest are left out when
// empty. File findings carry the file's modification time as timestamp
// (timestamp_kind "mtime"); log findings the record's time ("log").
type jsonlFinding struct {
	Type          string             `json:"type"` // always "finding"
	Severity      finding.Severity   `json:"severity"`
	Kind          string             `json:"kind"`
	Rule          string             `json:"rule"`
	Title         string             `json:"title"`
	Description   string             `json:"description,omitempty"`
	Path          string             `json:"path"`
	HostPath      *string            `json:"host_path"`
	Line          *int               `json:"line"`
	LogFormat     string             `json:"log_format,omitempty"`
	Channel       string             `json:"channel,omitempty"`
	EventID       string             `json:"event_id,omitempty"`
	Computer      string             `json:"computer,omitempty"`
	Timestamp     *string            `json:"timestamp"`
	TimestampKind *string            `json:"timestamp_kind"`
	ClientIP      *string            `json:"client_ip"`
	Evidence      []finding.Evidence `json:"evidence"`
	// EvidenceOmitted counts evidence entries left out to fit EventLimit.
	EvidenceOmitted int              `json:"evidence_omitted,omitempty"`
	SHA256          *string          `json:"sha256"`
	SHA1            *string          `json:"sha1"`
	MD5             *string          `json:"md5"`
	Size            *int64           `json:"size"`
	MTime           *string          `json:"mtime"`
	CVEs            []string         `json:"cves"`
	Campaigns       []string         `json:"campaigns"`
	Attack          []string         `json:"attack"`
	Attribution     *string          `json:"attribution"`
	ContextRefs     []string         `json:"context_refs"`
	Context         []iocs.Campaign  `json:"context,omitempty"`
	References      []string         `json:"references"`
	Author          *string          `json:"author"`
	Reasons         []finding.Reason `json:"reasons"`
	Fingerprint     string           `json:"fingerprint"`
	Related         []string         `json:"related,omitempty"`
	Scoring         string           `json:"scoring,omitempty"`
}

func newJSONLFinding(f *finding.Finding) jsonlFinding {
	r := jsonlFinding{
		Type: "finding", Severity: f.Severity, Kind: f.Kind, Rule: f.Rule, Title: f.Title,
		Description: f.Description, Path: f.Path, HostPath: nullable(f.HostPath),
		LogFormat: f.LogFormat, Channel: f.Channel, EventID: f.EventID, Computer: f.Computer, ClientIP: nullable(f.ClientIP), Evidence: nonEmpty(f.Evidence),
		SHA256: nullable(f.SHA256), SHA1: nullable(f.SHA1), MD5: nullable(f.MD5), Size: f.Size,
		MTime: nullable(f.MTime), CVEs: nonEmpty(f.CVEs), Campaigns: nonEmpty(f.Campaigns),
		Attack: nonEmpty(f.Attack), Attribution: nullable(f.Attribution),
		References: nonEmpty(f.References), Author: nullable(f.Author), Reasons: compactReasons(f.Reasons),
		Fingerprint: f.Fingerprint, Related: f.Related, Scoring: f.Scoring,
	}
	if f.Line > 0 {
		r.Line = &f.Line
	}
	for _, c := range f.Context {
		r.ContextRefs = append(r.ContextRefs, c.ID)
	}
	switch {
	case f.Timestamp != "":
		r.Timestamp, r.TimestampKind = nullable(f.Timestamp), nullable("log")
	case f.Kind == finding.KindFile && f.MTime != "":
		r.Timestamp, r.TimestampKind = nullable(f.MTime), nullable("mtime")
	}
	return r
}

// EventLimit is the size a finding line stays under (newline included)
// unless the full shape is asked for: Splunk's default event limit.
const EventLimit = 10000

// evidenceCuts are the lengths long evidence values are cut to, in turn,
// while a finding line is still at or over EventLimit.
var evidenceCuts = []int{2048, 512, 128}

// encodeLine encodes one finding. With limit, it shrinks the line until it
// fits EventLimit, in steps that lose the least first: long evidence values
// are cut (longest first, each marked with the bytes left out); then a
// reason's evidence that the finding's own evidence already lists goes;
// then the reasons' evidence altogether; then the finding's evidence from
// the end. What goes is counted in evidence_omitted, and --collect or
// --inline-context keep the whole finding.
func encodeLine(rec jsonlFinding, limit bool) ([]byte, error) {
	line, err := marshalLine(rec)
	if err != nil || !limit {
		return line, err
	}
	steps := make([]func(*jsonlFinding) bool, 0, len(evidenceCuts)+3)
	for _, n := range evidenceCuts {
		steps = append(steps, func(r *jsonlFinding) bool {
			r.Evidence = cutEvidence(r.Evidence, n)
			r.Reasons = mapReasons(r.Reasons, func(e []finding.Evidence) []finding.Evidence { return cutEvidence(e, n) })
			return true
		})
	}
	steps = append(steps,
		func(r *jsonlFinding) bool { // reason evidence the finding lists already
			own := make(map[finding.Evidence]bool, len(r.Evidence))
			for _, e := range r.Evidence {
				own[e] = true
			}
			r.Reasons = mapReasons(r.Reasons, func(ev []finding.Evidence) []finding.Evidence {
				var keep []finding.Evidence
				for _, e := range ev {
					if !own[e] {
						keep = append(keep, e)
					}
				}
				return keep
			})
			return true
		},
		func(r *jsonlFinding) bool { // every reason's evidence
			r.Reasons = mapReasons(r.Reasons, func(ev []finding.Evidence) []finding.Evidence {
				r.EvidenceOmitted += len(ev)
				return nil
			})
			return true
		},
		func(r *jsonlFinding) bool { // the finding's evidence, last first
			if len(r.Evidence) == 0 {
				return false
			}
			r.Evidence = r.Evidence[:len(r.Evidence)-1]
			r.EvidenceOmitted++
			return true
		},
	)
	for i := 0; i < len(steps) && len(line) >= EventLimit; {
		if !steps[i](&rec) {
			i++
			continue
		}
		if line, err = marshalLine(rec); err != nil {
			return nil, err
		}
		if i < len(steps)-1 {
			i++
		}
	}
	return line, nil
}

// mapReasons returns a copy of rs with each reason's evidence replaced by
// f of it.
func mapReasons(rs []finding.Reason, f func([]finding.Evidence) []finding.Evidence) []finding.Reason {
	out := make([]finding.Reason, len(rs))
	for i, r := range rs {
		r.Evidence = f(r.Evidence)
		out[i] = r
	}
	return out
}

func marshalLine(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(true)
	err := enc.Encode(v)
	return b.Bytes(), err
}

// cutEvidence returns ev with values longer than n bytes cut at a UTF-8
// boundary, Truncated counting what was left out.
func cutEvidence(ev []finding.Evidence, n int) []finding.Evidence {
	out := make([]finding.Evidence, len(ev))
	for i, e := range ev {
		if len(e.Value) > n {
			k := n
			for k > 0 && !utf8.RuneStart(e.Value[k]) {
				k--
			}
			e.Truncated += len(e.Value) - k
			e.Value = e.Value[:k]
		}
		out[i] = e
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// compactReasons leaves out of each reason its rule's description and
// references: the description is the rule's own text (exscan rules list,
// SARIF), and the finding's references are the union of the reasons'.
func compactReasons(rs []finding.Reason) []finding.Reason {
	out := make([]finding.Reason, len(rs))
	for i, r := range rs {
		r.Description, r.References = "", nil
		out[i] = r
	}
	return out
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func nonEmpty[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return s
}

// SafeCopy returns a copy of f whose attacker-controlled strings hold only
// valid UTF-8 (invalid bytes written as \xNN), so JSON output keeps them.
func SafeCopy(f *finding.Finding) finding.Finding {
	c := *f
	c.Path = ValidUTF8(c.Path)
	c.HostPath = ValidUTF8(c.HostPath)
	c.ClientIP = ValidUTF8(c.ClientIP)
	c.Title = ValidUTF8(c.Title)
	c.Evidence = safeEvidence(c.Evidence)
	c.Related = append([]string(nil), c.Related...)
	for i := range c.Related {
		c.Related[i] = ValidUTF8(c.Related[i])
	}
	c.Reasons = append([]finding.Reason(nil), c.Reasons...)
	for i := range c.Reasons {
		c.Reasons[i].Title = ValidUTF8(c.Reasons[i].Title)
		c.Reasons[i].Evidence = safeEvidence(c.Reasons[i].Evidence)
	}
	return c
}

func safeEvidence(ev []finding.Evidence) []finding.Evidence {
	out := make([]finding.Evidence, len(ev))
	for i, e := range ev {
		out[i] = finding.Evidence{Name: ValidUTF8(e.Name), Value: ValidUTF8(e.Value), Offset: e.Offset}
	}
	return out
}

// SafeSummary returns a copy of s whose attacker-influenced strings (skipped
// paths, webshell clients, warnings) hold only valid UTF-8, as SafeCopy does
// for findings.
func SafeSummary(s *finding.Summary) *finding.Summary {
	c := *s
	c.SkippedItems = make([]finding.Skip, len(s.SkippedItems))
	for i, it := range s.SkippedItems {
		c.SkippedItems[i] = finding.Skip{Path: ValidUTF8(it.Path), Reason: it.Reason, Detail: ValidUTF8(it.Detail)}
	}
	c.Webshells = make([]finding.WebshellAccess, len(s.Webshells))
	for i, a := range s.Webshells {
		a.File, a.URL = ValidUTF8(a.File), ValidUTF8(a.URL)
		a.Clients = append([]string(nil), a.Clients...)
		for k := range a.Clients {
			a.Clients[k] = ValidUTF8(a.Clients[k])
		}
		c.Webshells[i] = a
	}
	c.Warnings = make([]string, len(s.Warnings))
	for i, w := range s.Warnings {
		c.Warnings[i] = ValidUTF8(w)
	}
	return &c
}
