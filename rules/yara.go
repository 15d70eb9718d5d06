package rules

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/hillu/go-yara/v4"

	"exscan/internal/loaderr"
	"exscan/iocs"
	"exscan/scanner/finding"
)

// Externals are the YARA external variables exscan defines, with Loki v1's
// meaning, so community rules that use them compile and match unmodified.
var Externals = []string{"filename", "filepath", "extension", "filetype", "owner", "md5"}

// YARARule is what exscan knows about one compiled rule, from its meta.
type YARARule struct {
	Namespace   string           `json:"namespace"`
	Name        string           `json:"name"`
	ID          string           `json:"id"`
	File        string           `json:"file"`
	Builtin     bool             `json:"builtin"`
	Title       string           `json:"title"`
	Description string           `json:"description,omitempty"`
	Author      string           `json:"author,omitempty"`
	Severity    finding.Severity `json:"severity"`
	Campaigns   []string         `json:"campaigns,omitempty"`
	CVEs        []string         `json:"cves,omitempty"`
	Attack      []string         `json:"attack,omitempty"`
	References  []string         `json:"references,omitempty"`
	// Trait and Weight are set on capability rules (meta trait, weight):
	// one thing a page can do, scored together with the page's other
	// traits instead of reported on its own (see scanner/capability.go).
	Trait  string            `json:"trait,omitempty"`
	Weight int               `json:"weight,omitempty"`
	Meta   map[string]string `json:"-"`
}

// YARASet is the compiled rule set shared by all workers (each worker makes
// its own yara.Scanner from it) and the per-rule information.
type YARASet struct {
	Rules *yara.Rules
	// View holds the rules that run on the normalised view of script
	// pages (scanner/scriptview) instead of the raw bytes: the built-in
	// yara/view/*.yar and user rule files in a folder named "view". Nil
	// when there are none.
	View    *yara.Rules
	Infos   []*YARARule
	index   map[string]*YARARule // namespace + "\x00" + rule name
	Files   int
	usesMD5 bool
	guards  *yaraPrefilter
}

// CanMatch reports whether any public rule could match a file of size
// bytes that starts with head (any prefix of the file; the whole file is
// best). When it is false the YARA scan of that file would report nothing,
// because every rule's condition demands a smaller file or other first
// bytes (most built-in rules rule out PE files and large files). It is
// cheap and does not allocate.
func (s *YARASet) CanMatch(size int64, head []byte) bool {
	return s == nil || s.guards.admits(size, head)
}

// UsesMD5 says whether a rule reads the md5 external, so the scanner must
// hash every file with MD5 before the YARA scan.
func (s *YARASet) UsesMD5() bool { return s != nil && s.usesMD5 }

// md5External finds a use of the md5 external variable in rule text (not
// hash.md5(), the hash module's function).
var md5External = regexp.MustCompile(`(^|[^.\w"$])md5\s*(==|!=|contains|icontains|matches|startswith|istartswith|endswith|iendswith|iequals)`)

// Lookup returns the information on a matched rule.
func (s *YARASet) Lookup(namespace, name string) *YARARule {
	if s == nil {
		return nil
	}
	return s.index[namespace+"\x00"+name]
}

// Len is the number of rules.
func (s *YARASet) Len() int {
	if s == nil {
		return 0
	}
	return len(s.Infos)
}

type yaraSource struct {
	name    string // shown in messages and used as namespace
	text    string
	builtin bool
	view    bool // runs on the normalised view of script pages
}

// IsViewRuleFile says whether a rule file (a path with / or \) runs on
// the normalised view: it sits in a folder named "view".
func IsViewRuleFile(p string) bool {
	p = strings.ReplaceAll(p, `\`, "/")
	return strings.Contains(p, "/view/") || strings.HasPrefix(p, "view/")
}

// BuiltinYARASources returns the embedded rule files, sorted by name.
func BuiltinYARASources() (map[string]string, error) {
	out := map[string]string{}
	err := fs.WalkDir(Builtin, "yara", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || (path.Ext(p) != ".yar" && path.Ext(p) != ".yara") {
			return nil
		}
		b, err := Builtin.ReadFile(p)
		if err != nil {
			return err
		}
		out[p] = string(b)
		return nil
	})
	return out, err
}

// UserYARAFiles lists the .yar/.yara files under dir (recursive), skipping
// names that start with '.', '~' or '_' like Loki does.
func UserYARAFiles(dir string) ([]string, error) {
	var files []string
	st, err := os.Stat(dir)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return []string{dir}, nil
	}
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if p != dir && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "~") || strings.HasPrefix(name, "_")) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		ext := strings.ToLower(filepath.Ext(name))
		if ext == ".yar" || ext == ".yara" {
			files = append(files, p)
		}
		return nil
	})
	sort.Strings(files)
	return files, err
}

func newCompiler() (*yara.Compiler, error) {
	c, err := yara.NewCompiler()
	if err != nil {
		return nil, err
	}
	for _, v := range Externals {
		if err := c.DefineVariable(v, ""); err != nil {
			c.Destroy()
			return nil, err
		}
	}
	return c, nil
}

func compileOne(src yaraSource) []*loaderr.Error {
	c, err := newCompiler()
	if err != nil {
		return []*loaderr.Error{{File: src.name, Err: err}}
	}
	defer c.Destroy()
	if err := c.AddString(src.text, "test"); err != nil {
		var errs []*loaderr.Error
		for _, m := range c.Errors {
			errs = append(errs, &loaderr.Error{File: src.name, Line: m.Line, Err: errors.New(m.Text)})
		}
		if len(errs) == 0 {
			errs = append(errs, &loaderr.Error{File: src.name, Err: err})
		}
		return errs
	}
	return nil
}

// LoadYARA compiles the built-in rules (unless builtin is false) and the
// user's rule folders. Each file is compiled on its own first, so a broken
// user file is reported with file:line and left out; the good files are
// then compiled together, one namespace per file. Built-in rules that do
// not compile are a bug and always an error (and no set is returned).
func LoadYARA(builtin bool, dirs []string) (*YARASet, []error) {
	var sources []yaraSource
	if builtin {
		b, err := BuiltinYARASources()
		if err != nil {
			return nil, []error{err}
		}
		names := make([]string, 0, len(b))
		for n := range b {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			sources = append(sources, yaraSource{name: "builtin:" + n, text: b[n], builtin: true, view: IsViewRuleFile(n)})
		}
	}
	user, errs := userYARASources(dirs)
	sources = append(sources, user...)
	var good []yaraSource
	for _, s := range sources {
		if e := compileOne(s); len(e) > 0 {
			for _, le := range e {
				errs = append(errs, le)
			}
			if s.builtin {
				return nil, errs
			}
			continue
		}
		good = append(good, s)
	}
	return buildYARASet(good, errs)
}

// userYARASources reads the rule files of the user's folders (or files).
func userYARASources(dirs []string) ([]yaraSource, []error) {
	var sources []yaraSource
	var errs []error
	for _, dir := range dirs {
		files, err := UserYARAFiles(dir)
		if err != nil {
			errs = append(errs, &loaderr.Error{File: dir, Err: err})
			continue
		}
		if len(files) == 0 {
			errs = append(errs, &loaderr.Error{File: dir, Err: errors.New("no .yar or .yara files found")})
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				errs = append(errs, &loaderr.Error{File: f, Err: err})
				continue
			}
			rel, err := filepath.Rel(dir, f)
			if err != nil {
				rel = f
			}
			sources = append(sources, yaraSource{name: f, text: string(b), view: IsViewRuleFile(filepath.ToSlash(rel))})
		}
	}
	return sources, errs
}

// buildYARASet compiles the files that compiled alone into the raw and
// view rule sets and describes their rules.
func buildYARASet(good []yaraSource, errs []error) (*YARASet, []error) {
	fileOf := map[string]yaraSource{}
	var raw, view []yaraSource
	for _, g := range good {
		fileOf[g.name] = g
		if g.view {
			view = append(view, g)
		} else {
			raw = append(raw, g)
		}
	}
	compiled, err := compileAll(raw)
	if err != nil {
		return nil, append(errs, err)
	}
	var viewRules *yara.Rules
	if len(view) > 0 {
		if viewRules, err = compileAll(view); err != nil {
			return nil, append(errs, err)
		}
	}
	set := &YARASet{Rules: compiled, View: viewRules, index: map[string]*YARARule{}, Files: len(good)}
	texts := make([]string, 0, len(raw))
	for _, g := range good {
		if md5External.MatchString(g.text) {
			set.usesMD5 = true
		}
		if !g.view {
			texts = append(texts, g.text)
		}
	}
	// Guards come from exactly the raw files compiled: a skipped file's
	// rules cannot match, so they need no say, and view rules run on the
	// view of script pages whatever the raw bytes start with.
	set.guards = newYARAPrefilter(texts)
	for _, rs := range []*yara.Rules{compiled, viewRules} {
		if rs == nil {
			continue
		}
		for _, r := range rs.GetRules() {
			r := r
			if r.IsPrivate() {
				continue
			}
			info := ruleInfo(&r, fileOf[r.Namespace()])
			set.Infos = append(set.Infos, info)
			set.index[info.Namespace+"\x00"+info.Name] = info
		}
	}
	return set, errs
}

// compileAll compiles rule files that each compiled alone into one rule
// set, one namespace per file.
func compileAll(srcs []yaraSource) (*yara.Rules, error) {
	c, err := newCompiler()
	if err != nil {
		return nil, err
	}
	defer c.Destroy()
	for _, s := range srcs {
		if err := c.AddString(s.text, s.name); err != nil {
			// Only possible through an interaction between files that each
			// compiled alone; report and give up on YARA altogether.
			return nil, &loaderr.Error{File: s.name, Err: fmt.Errorf("does not compile together with the other rule files: %w", err)}
		}
	}
	return c.GetRules()
}

var splitList = regexp.MustCompile(`[,;\s]+`)

func list(v string) []string {
	var out []string
	for _, s := range splitList.Split(strings.TrimSpace(v), -1) {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// SeverityFromScore maps a Loki/THOR `score` meta to a severity.
func SeverityFromScore(score int) finding.Severity {
	switch {
	case score >= 100:
		return finding.Critical
	case score >= 80:
		return finding.High
	case score >= 60:
		return finding.Medium
	case score >= 40:
		return finding.Low
	}
	return finding.Info
}

func ruleInfo(r *yara.Rule, src yaraSource) *YARARule {
	meta := map[string]string{}
	for _, m := range r.Metas() {
		if _, seen := meta[m.Identifier]; seen {
			continue
		}
		meta[m.Identifier] = fmt.Sprint(m.Value)
	}
	info := &YARARule{
		Namespace:   r.Namespace(),
		Name:        r.Identifier(),
		File:        strings.TrimPrefix(src.name, "builtin:"),
		Builtin:     src.builtin,
		Description: meta["description"],
		Author:      meta["author"],
		Meta:        meta,
	}
	info.ID = meta["id"]
	if info.ID == "" || !src.builtin && !strings.Contains(info.ID, ".") {
		info.ID = "yara." + r.Identifier()
	}
	info.Title = info.Description
	if info.Title == "" {
		info.Title = "YARA rule " + r.Identifier()
	}
	switch {
	case meta["severity"] != "":
		info.Severity, _ = finding.ParseSeverity(meta["severity"])
	case meta["score"] != "":
		n, _ := strconv.Atoi(meta["score"])
		info.Severity = SeverityFromScore(n)
	default:
		info.Severity = SeverityFromScore(70) // Loki's default YARA score
	}
	info.Campaigns = list(strings.ToLower(meta["campaign"]))
	info.CVEs = list(strings.ToUpper(meta["cves"]))
	for _, k := range []string{"cve"} {
		info.CVEs = append(info.CVEs, list(strings.ToUpper(meta[k]))...)
	}
	info.Trait = meta["trait"]
	if info.Trait != "" {
		info.Weight, _ = strconv.Atoi(meta["weight"])
	}
	info.Attack = list(meta["attack"])
	for _, k := range []string{"references", "reference"} {
		info.References = append(info.References, list(meta[k])...)
	}
	if len(info.Campaigns) == 0 {
		info.Campaigns = iocs.CampaignsForCVEs(info.CVEs)
	}
	return info
}
