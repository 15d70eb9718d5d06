package rules

// Loading: LoadSigma reads the built-in and user rule files, decodes each
// YAML document and compiles it into a sigmaRule (see the package
// comment in sigma.go).

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	sigma "github.com/bradleyjkemp/sigma-go"
	"gopkg.in/yaml.v3"

	"exscan/internal/loaderr"
	"exscan/iocs"
	"exscan/scanner/finding"
)

// LoadSigma loads the built-in rules (when builtin is set) and the rules in
// dirs. Errors are per file or rule; what loaded is returned either way.
func LoadSigma(builtin bool, dirs []string) (*SigmaSet, []error) {
	l := &sigmaLoader{set: &SigmaSet{}, ids: map[string]string{}}
	if builtin {
		matches, err := fs.Glob(Builtin, "sigma/*.yml")
		if err != nil {
			l.errs = append(l.errs, err)
		}
		sort.Strings(matches)
		for _, m := range matches {
			data, err := fs.ReadFile(Builtin, m)
			if err != nil {
				l.errs = append(l.errs, &loaderr.Error{File: m, Err: err})
				continue
			}
			l.loadFile(m, data, true)
		}
	}
	for _, d := range dirs {
		l.loadPath(d)
	}
	l.set.build()
	return l.set, l.errs
}

type sigmaLoader struct {
	set  *SigmaSet
	ids  map[string]string // rule id -> file
	errs []error
}

func (l *sigmaLoader) loadPath(root string) {
	st, err := os.Stat(root)
	if err != nil {
		l.errs = append(l.errs, &loaderr.Error{File: root, Err: err})
		return
	}
	if !st.IsDir() {
		l.readFile(root)
		return
	}
	var files []string
	werr := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			l.errs = append(l.errs, &loaderr.Error{File: p, Err: err})
			return nil
		}
		if d.IsDir() {
			return nil
		}
		switch strings.ToLower(filepath.Ext(p)) {
		case ".yml", ".yaml":
			files = append(files, p)
		}
		return nil
	})
	if werr != nil {
		l.errs = append(l.errs, &loaderr.Error{File: root, Err: werr})
	}
	sort.Strings(files)
	for _, f := range files {
		l.readFile(f)
	}
}

func (l *sigmaLoader) readFile(p string) {
	data, err := os.ReadFile(p)
	if err != nil {
		l.errs = append(l.errs, &loaderr.Error{File: p, Err: err})
		return
	}
	l.loadFile(p, data, false)
}

// loadFile loads every YAML document of one file as a rule.
func (l *sigmaLoader) loadFile(file string, data []byte, builtin bool) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			l.errs = append(l.errs, &loaderr.Error{File: file, Line: yamlErrLine(err), Err: err})
			return // the decoder cannot resynchronise after a syntax error
		}
		if len(doc.Content) == 0 {
			continue
		}
		if err := l.loadDoc(file, doc.Content[0], builtin); err != nil {
			l.errs = append(l.errs, err)
		}
	}
}

var yamlLineRe = regexp.MustCompile(`line (\d+)`)

func yamlErrLine(err error) int {
	if m := yamlLineRe.FindStringSubmatch(err.Error()); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	return 0
}

// ruleHead is what is needed before the detection is compiled.
type ruleHead struct {
	Title       string          `yaml:"title"`
	ID          string          `yaml:"id"`
	Name        string          `yaml:"name"`
	Level       string          `yaml:"level"`
	Status      string          `yaml:"status"`
	Logsource   sigma.Logsource `yaml:"logsource"`
	Action      string          `yaml:"action"`
	Correlation yaml.Node       `yaml:"correlation"`
	Filter      yaml.Node       `yaml:"filter"`
	Detection   yaml.Node       `yaml:"detection"`
}

func (l *sigmaLoader) loadDoc(file string, node *yaml.Node, builtin bool) *loaderr.Error {
	fail := func(line int, rule string, format string, args ...any) *loaderr.Error {
		return &loaderr.Error{File: file, Line: line, Rule: rule, Err: fmt.Errorf(format, args...)}
	}
	if node.Kind != yaml.MappingNode {
		return fail(node.Line, "", "not a Sigma rule (expected a mapping)")
	}
	var head ruleHead
	if err := node.Decode(&head); err != nil {
		return &loaderr.Error{File: file, Line: yamlErrLine(err), Err: err}
	}
	label := head.Title
	if label == "" {
		label = head.ID
	}
	switch {
	case head.Action != "":
		return fail(node.Line, label, "action: %s documents (rule collections) are not supported", head.Action)
	case head.Correlation.Kind != 0:
		return fail(head.Correlation.Line, label, "correlation rules are not supported")
	case head.Filter.Kind != 0:
		return fail(head.Filter.Line, label, "Sigma filter documents are not supported")
	case head.Title == "":
		return fail(node.Line, label, "no title")
	case head.Detection.Kind == 0:
		return fail(node.Line, label, "no detection")
	}
	formats, onlyMask, only := formatsFor(head.Logsource)
	if formats == 0 {
		// not for a log exscan reads: list it, do not judge its detection
		id := head.Name
		if id == "" {
			id = head.ID
		}
		l.set.na = append(l.set.na, SigmaRuleInfo{
			ID: id, SigmaID: head.ID, Title: head.Title, Level: strings.ToLower(head.Level), Status: head.Status,
			File: file, Builtin: builtin, Logsource: logsourceString(head.Logsource),
		})
		return nil
	}

	// Rewrite "N of pattern*" before sigma-go sees the condition.
	if err := expandConditionPatterns(&head.Detection); err != nil {
		return &loaderr.Error{File: file, Line: err.line, Rule: label, Err: err}
	}
	var rule sigma.Rule
	if err := node.Decode(&rule); err != nil {
		// sigma-go's condition errors carry no line: point at the condition
		return &loaderr.Error{File: file, Line: nonzero(yamlErrLine(err), condLine(&head.Detection)), Rule: label, Err: err}
	}
	info := SigmaRuleInfo{
		ID:          head.Name,
		SigmaID:     rule.ID,
		Title:       rule.Title,
		Level:       strings.ToLower(strings.TrimSpace(rule.Level)),
		Status:      rule.Status,
		Author:      rule.Author,
		Description: strings.TrimSpace(rule.Description),
		File:        file,
		Builtin:     builtin,
		Logsource:   logsourceString(rule.Logsource),
		Formats:     formats.names(),
	}
	if info.ID == "" {
		info.ID = rule.ID
	}
	if info.ID == "" {
		base := strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
		info.ID = "sigma." + base
	}
	if info.Level == "" {
		info.Level = "medium"
	}
	sev, err := finding.ParseSeverity(info.Level)
	if err != nil {
		return fail(node.Line, label, "level: %v", err)
	}
	if builtin && (head.Name == "" || !strings.HasPrefix(head.Name, "exscan.log.")) {
		return fail(node.Line, label, "built-in rule without name: exscan.log.<family>.<name>")
	}
	cr, serr := compileRule(&rule, &head.Detection)
	if serr != nil {
		serr.File, serr.Rule = file, label
		return serr
	}
	if prev, dup := l.ids[info.ID]; dup {
		return fail(node.Line, label, "rule id %s is already loaded from %s; skipped", info.ID, prev)
	}
	l.ids[info.ID] = file

	cves, attack, camps := tagsOf(rule.Tags)
	outcome := ""
	for _, t := range rule.Tags {
		if strings.EqualFold(strings.TrimSpace(t), "exscan.outcome.success") {
			outcome = "success"
		}
	}
	if len(camps) == 0 {
		camps = iocs.CampaignsForCVEs(cves)
	}
	info.CVEs, info.Attack, info.Campaigns = cves, attack, camps
	cr.info = info
	cr.formats = formats
	cr.only, cr.onlyMask = only, onlyMask
	cr.reason = finding.Reason{
		Rule:        info.ID,
		Title:       info.Title,
		Severity:    sev,
		Source:      finding.SourceSigma,
		Author:      info.Author,
		Description: info.Description,
		CVEs:        cves,
		Campaigns:   camps,
		Attack:      attack,
		References:  rule.References,
		Outcome:     outcome,
	}
	l.set.rules = append(l.set.rules, cr)
	return nil
}

func logsourceString(ls sigma.Logsource) string {
	return strings.Join([]string{ls.Category, ls.Product, ls.Service}, "/")
}

var attackTechRe = regexp.MustCompile(`^t\d{4}(\.\d{3})?$`)
var cveTagRe = regexp.MustCompile(`^(\d{4})[-.](\d{4,})$`)

// tagsOf splits Sigma tags into CVE ids, ATT&CK technique ids and exscan
// campaign ids.
func tagsOf(tags []string) (cves, attack, camps []string) {
	for _, t := range tags {
		t = strings.ToLower(strings.TrimSpace(t))
		switch {
		case strings.HasPrefix(t, "cve."):
			if m := cveTagRe.FindStringSubmatch(t[4:]); m != nil {
				cves = appendOnce(cves, "CVE-"+m[1]+"-"+m[2])
			}
		case strings.HasPrefix(t, "attack."):
			if v := t[7:]; attackTechRe.MatchString(v) {
				attack = appendOnce(attack, strings.ToUpper(v))
			}
		case strings.HasPrefix(t, "exscan.campaign."):
			if v := t[16:]; v != "" {
				camps = appendOnce(camps, v)
			}
		}
	}
	return
}

func appendOnce(s []string, v string) []string {
	for _, x := range s {
		if x == v {
			return s
		}
	}
	return append(s, v)
}
