package rules

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/hillu/go-yara/v4"

	"exscan/scanner/finding"
)

// ErrYARATimeout marks a scan that YARA gave up on (ScanTimeout): the
// matches found until then are still returned.
var ErrYARATimeout = errors.New("YARA scan timed out")

// YARAScanner runs a YARASet's rules on files and returns one Reason per
// matching rule, as SigmaSet.Match does for log records. A libyara scanner
// holds the state of one scan at a time: make one YARAScanner per
// goroutine, and Close it.
type YARAScanner struct {
	set       *YARASet
	raw, view *yara.Scanner
}

// YARAFile is what the rules' external variables (Externals) say about
// the scanned file.
type YARAFile struct {
	Name string // filename: the base name; extension is its lower-case extension
	Dir  string // filepath: the folder of the host path, without the final separator
	Type string // filetype, e.g. "EXE" (scanner.FileType)
	MD5  string // md5, hex; "" when not computed (see UsesMD5)
}

// YARAMatch is one matching rule: its Reason, and for a capability rule
// the trait it stands for and its weight (see YARARule.Trait).
type YARAMatch struct {
	finding.Reason
	Trait  string
	Weight int
}

// NewScanner makes a scanner for the set's raw and view rules that gives
// up on a file after timeout (0: never). Each error is a scanner that
// could not be made; its rules then report nothing.
func (s *YARASet) NewScanner(timeout time.Duration) (*YARAScanner, []error) {
	sc := &YARAScanner{set: s}
	if s == nil {
		return sc, nil
	}
	var errs []error
	for _, x := range []struct {
		rules *yara.Rules
		dst   **yara.Scanner
		what  string
	}{{s.Rules, &sc.raw, "YARA scanner"}, {s.View, &sc.view, "YARA scanner for the script view"}} {
		if x.rules == nil {
			continue
		}
		ys, err := yara.NewScanner(x.rules)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s could not be created: %w", x.what, err))
			continue
		}
		ys.SetTimeout(timeout)
		*x.dst = ys
	}
	return sc, errs
}

// Close releases the libyara scanners.
func (sc *YARAScanner) Close() {
	for _, ys := range []*yara.Scanner{sc.raw, sc.view} {
		if ys != nil {
			ys.Destroy()
		}
	}
}

// HasRules says whether the set has raw rules (a scanner for them).
func (sc *YARAScanner) HasRules() bool { return sc.raw != nil }

// HasView says whether the set has view rules (for the normalised view of
// script pages, scanner/scriptview).
func (sc *YARAScanner) HasView() bool { return sc.view != nil }

// Scan runs the raw rules on a file's bytes.
func (sc *YARAScanner) Scan(data []byte, f YARAFile) ([]YARAMatch, error) {
	return sc.scan(sc.raw, data, f, "")
}

// ScanView runs the view rules on the normalised view of a script page;
// evidence names get the prefix "view:" (their offsets are in the view).
func (sc *YARAScanner) ScanView(view []byte, f YARAFile) ([]YARAMatch, error) {
	return sc.scan(sc.view, view, f, "view:")
}

// scan runs ys on buf. An error from defining the variables means no
// scan; an error from the scan itself (ErrYARATimeout included) comes
// with the matches found before it.
func (sc *YARAScanner) scan(ys *yara.Scanner, buf []byte, f YARAFile, evPrefix string) ([]YARAMatch, error) {
	if ys == nil {
		return nil, nil
	}
	vars := map[string]string{"filename": f.Name, "filepath": f.Dir, "extension": strings.ToLower(filepath.Ext(f.Name)),
		"filetype": f.Type, "owner": "dummy", "md5": f.MD5}
	for k, v := range vars {
		if err := ys.DefineVariable(k, v); err != nil {
			return nil, err
		}
	}
	var matches yara.MatchRules
	err := ys.SetCallback(&matches).ScanMem(buf)
	if err != nil && strings.Contains(err.Error(), "timeout") {
		err = fmt.Errorf("%w: %w", ErrYARATimeout, err)
	}
	out := make([]YARAMatch, 0, len(matches))
	for _, m := range matches {
		out = append(out, sc.set.reason(m, evPrefix))
	}
	return out, err
}

// reason describes a match from the rule's meta; a rule not in the index
// (cannot happen for public rules) is reported by its name at medium.
func (s *YARASet) reason(m yara.MatchRule, evPrefix string) YARAMatch {
	info := s.Lookup(m.Namespace, m.Rule)
	r := finding.Reason{Rule: "yara." + m.Rule, Title: m.Rule, Severity: finding.Medium, Source: finding.SourceYARA}
	var out YARAMatch
	if info != nil {
		r.Rule, r.Title, r.Severity, r.Author = info.ID, info.Title, info.Severity, info.Author
		r.Description = info.Description
		r.CVEs, r.Campaigns, r.Attack, r.References = info.CVEs, info.Campaigns, info.Attack, info.References
		out.Trait, out.Weight = info.Trait, info.Weight
	}
	if len(r.Campaigns) == 0 {
		r.Campaigns = []string{"webshell-generic"}
	}
	r.Evidence = yaraEvidence(m.Strings, evPrefix)
	out.Reason = r
	return out
}

// yaraEvidence keeps the first few matched strings, each cut to 160 bytes.
func yaraEvidence(ms []yara.MatchString, prefix string) []finding.Evidence {
	var out []finding.Evidence
	seen := map[string]int{}
	for _, s := range ms {
		if seen[s.Name] >= 2 || len(out) >= 8 {
			continue
		}
		seen[s.Name]++
		d := s.Data
		if len(d) > 160 {
			d = d[:160]
		}
		out = append(out, finding.Evidence{Name: prefix + s.Name, Value: string(d), Offset: int64(s.Offset + s.Base)})
	}
	return out
}
