package report

import (
	"bufio"
	"encoding/json"
	"io"

	"exscan/scanner/finding"
)

func init() {
	Register(Format{Name: "jsonl", Description: "JSON Lines: one finding per line, then a summary line", New: func(w io.Writer) Writer { return newJSONL(w) }})
}

type jsonlWriter struct {
	w   *bufio.Writer
	enc *json.Encoder
}

func newJSONL(w io.Writer) *jsonlWriter {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(true)
	return &jsonlWriter{w: bw, enc: enc}
}

func (j *jsonlWriter) Start(Meta) error { return nil }

func (j *jsonlWriter) Finding(f *finding.Finding) error {
	c := SafeCopy(f)
	if err := j.enc.Encode(c); err != nil {
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
