// Package finding holds the one Finding type every check produces and every
// reporter writes, with its severity scale and the scan summary.
package finding

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Severity orders findings; the zero value is Info.
type Severity int

const (
	Info Severity = iota
	Low
	Medium
	High
	Critical
)

var severityNames = [...]string{"info", "low", "medium", "high", "critical"}

func (s Severity) String() string {
	if s < Info || s > Critical {
		return "info"
	}
	return severityNames[s]
}

// ParseSeverity accepts the names above (any case) and Sigma's "informational".
func ParseSeverity(v string) (Severity, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "info", "informational":
		return Info, nil
	case "low":
		return Low, nil
	case "medium":
		return Medium, nil
	case "high":
		return High, nil
	case "critical":
		return Critical, nil
	}
	return Info, fmt.Errorf("unknown severity %q (want critical, high, medium, low or info)", v)
}

func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	*s = v
	return err
}

// Kinds of finding.
const (
	KindFile = "file"
	KindLog  = "log"
)

// Evidence is one matched string or log field. Value is attacker-controlled
// text: reporters escape it for their medium.
type Evidence struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	Offset int64  `json:"offset,omitempty"`
	// Truncated is how many bytes of Value a JSON Lines record left out to
	// stay under a SIEM's event limit (--collect keeps the whole line).
	Truncated int `json:"truncated,omitempty"`
}

// Reason is one rule or indicator that matched. A finding has one or more;
// the finding's own rule and severity come from its strongest reason.
type Reason struct {
	Rule        string     `json:"rule"`
	Title       string     `json:"title"`
	Severity    Severity   `json:"severity"`
	Source      string     `json:"source"` // yara, sigma, ioc, heuristic
	Author      string     `json:"author,omitempty"`
	Description string     `json:"description,omitempty"`
	CVEs        []string   `json:"cves,omitempty"`
	Campaigns   []string   `json:"campaigns,omitempty"`
	Attack      []string   `json:"attack,omitempty"`
	References  []string   `json:"references,omitempty"`
	Evidence    []Evidence `json:"evidence,omitempty"`
	// Outcome is "success" when the rule matches only what succeeded
	// (exploitation that went through, a webshell that answered).
	Outcome string `json:"outcome,omitempty"`
}

// Finding is one hit: a file, or one log record, with everything that matched
// on it and the public context of the campaigns those matches belong to.
type Finding struct {
	Type        string     `json:"type"` // always "finding"
	Severity    Severity   `json:"severity"`
	Kind        string     `json:"kind"`
	Rule        string     `json:"rule"`
	Title       string     `json:"title"`
	Description string     `json:"description,omitempty"`
	Path        string     `json:"path"`
	HostPath    string     `json:"host_path,omitempty"` // the Windows path on the scanned host, when known
	Line        int        `json:"line,omitempty"`
	LogFormat   string     `json:"log_format,omitempty"`
	Channel     string     `json:"channel,omitempty"`  // event logs: the channel; Line is the event record id
	EventID     string     `json:"event_id,omitempty"` // event logs: the event id
	Computer    string     `json:"computer,omitempty"` // event logs: the machine that wrote the event
	Timestamp   string     `json:"timestamp,omitempty"`
	ClientIP    string     `json:"client_ip,omitempty"`
	Evidence    []Evidence `json:"evidence,omitempty"`
	SHA256      string     `json:"sha256,omitempty"`
	SHA1        string     `json:"sha1,omitempty"`
	MD5         string     `json:"md5,omitempty"`
	Size        *int64     `json:"size,omitempty"`
	MTime       string     `json:"mtime,omitempty"`
	CVEs        []string   `json:"cves,omitempty"`
	Campaigns   []string   `json:"campaigns,omitempty"`
	Attack      []string   `json:"attack,omitempty"`
	Context     []Campaign `json:"context,omitempty"`
	Attribution string     `json:"attribution,omitempty"` // one line per campaign, added with Context (iocs.Enrich)
	References  []string   `json:"references,omitempty"`
	Author      string     `json:"author,omitempty"`
	Reasons     []Reason   `json:"reasons"`
	Fingerprint string     `json:"fingerprint"`
	Related     []string   `json:"related,omitempty"` // e.g. the webshell file a log request reached
	Scoring     string     `json:"scoring,omitempty"` // why the severity is above its strongest reason's
}

// Succeeded says whether a reason of at least high severity records a
// success (exploitation that went through, a webshell that answered).
func (f *Finding) Succeeded() bool {
	for _, r := range f.Reasons {
		if r.Outcome == "success" && r.Severity >= High {
			return true
		}
	}
	return false
}

// Time returns the event time of the finding, or the zero time.
func (f *Finding) Time() time.Time {
	for _, v := range []string{f.Timestamp, f.MTime} {
		if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
			return t
		}
	}
	return time.Time{}
}

// Finalize derives the finding's headline fields from its reasons: the
// strongest reason gives rule, title and severity; CVEs, campaigns, ATT&CK
// ids and references are the union over all reasons; the fingerprint is
// stable across runs for the same hit. The campaigns' public context is
// added later, by the enrichment stage (iocs.Enrich).
func (f *Finding) Finalize() {
	f.Type = "finding"
	if len(f.Reasons) == 0 {
		return
	}
	// The strongest reason names the finding; on a tie, content rules
	// (YARA, Sigma) say more than heuristics, and heuristics more than a
	// bare indicator match.
	rank := map[string]int{SourceYARA: 3, SourceSigma: 3, SourceHeuristic: 2, SourceIOC: 1}
	best := 0
	for i, r := range f.Reasons {
		b := f.Reasons[best]
		if r.Severity > b.Severity || r.Severity == b.Severity && rank[r.Source] > rank[b.Source] {
			best = i
		}
	}
	b := f.Reasons[best]
	if f.Severity < b.Severity {
		f.Severity = b.Severity
	}
	f.Rule, f.Title = b.Rule, b.Title
	if f.Description == "" {
		f.Description = b.Description
	}
	f.Author = b.Author
	f.CVEs, f.Campaigns, f.Attack, f.References = nil, nil, nil, nil
	for _, r := range f.Reasons {
		f.CVEs = appendUnique(f.CVEs, r.CVEs...)
		f.Campaigns = appendUnique(f.Campaigns, r.Campaigns...)
		f.Attack = appendUnique(f.Attack, r.Attack...)
		f.References = appendUnique(f.References, r.References...)
	}
	if len(f.Evidence) == 0 {
		seen := map[Evidence]bool{}
		for _, r := range f.Reasons {
			for _, e := range r.Evidence {
				if !seen[e] {
					seen[e] = true
					f.Evidence = append(f.Evidence, e)
				}
			}
		}
	}
	if f.Fingerprint == "" {
		f.Fingerprint = f.computeFingerprint()
	}
}

// LineLabel is how reports write where in its log a finding is: ":N" for
// a line, " record N (Channel event E)" for an event-log record.
func (f *Finding) LineLabel() string {
	switch {
	case f.Line <= 0:
		return ""
	case f.Channel != "":
		return fmt.Sprintf(" record %d (%s event %s)", f.Line, f.Channel, f.EventID)
	}
	return fmt.Sprintf(":%d", f.Line)
}

// computeFingerprint: rule + normalised path + (file hash | line content).
// Line numbers are left out so a log that is re-read after rotation or
// restart gives the same fingerprint for the same record.
func (f *Finding) computeFingerprint() string {
	h := sha256.New()
	p := f.HostPath
	if p == "" {
		p = f.Path
	}
	fmt.Fprintf(h, "%s\x00%s\x00", f.Rule, strings.ToLower(strings.ReplaceAll(p, "\\", "/")))
	if f.Kind == KindFile {
		fmt.Fprintf(h, "%s", f.SHA256)
	} else {
		fmt.Fprintf(h, "%s\x00%s\x00", f.Timestamp, f.ClientIP)
		if f.Channel != "" {
			// event record ids stay with their event when the log is
			// read again
			fmt.Fprintf(h, "%s\x00%d\x00", f.Channel, f.Line)
		}
		for _, e := range f.Evidence {
			fmt.Fprintf(h, "%s=%s\x00", e.Name, e.Value)
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

func appendUnique(dst []string, vals ...string) []string {
outer:
	for _, v := range vals {
		if v == "" {
			continue
		}
		for _, d := range dst {
			if strings.EqualFold(d, v) {
				continue outer
			}
		}
		dst = append(dst, v)
	}
	return dst
}

// MarshalJSON keeps the contract's field order and guarantees the type tag.
func (f Finding) MarshalJSON() ([]byte, error) {
	type plain Finding
	f.Type = "finding"
	return json.Marshal(plain(f))
}
