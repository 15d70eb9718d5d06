package rules

// Sigma rules for IIS and Exchange logs.
//
// Loading. The built-in rules (sigma/*.yml, embedded) come first, then each
// user directory (--sigma DIR, recursive *.yml/*.yaml; a file path is read
// as one file) in the order given. github.com/bradleyjkemp/sigma-go parses
// each YAML document; a file that is not YAML, a rule that does not parse
// or uses something exscan cannot evaluate (aggregations, correlation or
// filter documents, placeholders, unknown modifiers, a condition naming a
// search that does not exist) is reported as a *SigmaError with the file
// and line and skipped; the other rules load. A rule whose id is already
// taken is skipped the same way.
//
// Condition patterns. sigma-go's condition lexer rejects a wildcard after an
// identifier that ends in a digit ("all of selection_1*", used by SigmaHQ's
// ProxyShell rule). Before a condition is parsed, every "1 of X*", "any of
// X*", "all of X*", "N of X*" and "... of them" is rewritten into an
// explicit "(a or b)" / "(a and b)" over the rule's own search identifiers
// (names matched like path.Match; "them" leaves out names that start with
// "_", as the Sigma spec says), so public rules load unmodified.
//
// Rule ids. A finding's rule id is the rule's "name:" when it has one, else
// its "id:". exscan's built-in rules keep a UUID in "id:" (as SigmaHQ does)
// and put the stable exscan id, exscan.log.<family>.<name>, in "name:".
// Severity is "level:" (informational|low|medium|high|critical; medium when
// absent). Tags give the rest: cve.2021-26855 -> CVE-2021-26855,
// attack.t1505.003 -> T1505.003 (technique tags only), and
// exscan.campaign.<id> -> campaign ids; without campaign tags the campaigns
// come from the CVEs (iocs.CampaignsForCVEs).
//
// Which rules see which records (logsource -> record formats):
//
//	category: webserver (no product)           iis, httperr, w3c, httpproxy, rps
//	category: webserver, product: iis|windows  iis, httperr, w3c
//	product: iis (any category/service)        iis, httperr, w3c
//	product: exchange, service: httpproxy      httpproxy
//	product: exchange, service: ecp            ecp
//	product: exchange, service: oab|oabgenerator  oab
//	product: exchange, service: rps|cmdletinfra    rps
//	product: exchange, category: webserver     httpproxy, rps
//	product: exchange (no service)             httpproxy, ecp, rps, exchange, oab
//	product: windows, service: msexchange-management  rps (the RPS cmdlet
//	    log records the same cmdlets as the MSExchange Management event log;
//	    keyword rules work on it)
//
// Anything else (process creation, file events, proxy, ...) loads but is
// not applied; NotApplicable lists those rules.
//
// Field names. IIS records keep their W3C names; Exchange CSV records keep
// their header names (AnchorMailbox, UrlStem, RoutingHint, BackEndCookie,
// HttpStatus, ...; ECP records also S:CMD, S:URL, ...; OAB records
// Message). Every record that carries a request URL also gets Sigma's
// webserver names, filled from the native columns on Exchange logs:
//
//	cs-uri-stem     the path (IIS cs-uri-stem, Exchange UrlStem)
//	cs-uri-query    the WHOLE URI, stem + "?" + query, because public Sigma
//	                rules test paths against cs-uri-query (SigmaHQ PR #471)
//	c-uri, cs-uri   the whole URI too
//	c-uri-query     the query alone (IIS cs-uri-query, UrlQuery without "?")
//	c-uri-stem      the path
//	decoded-uri     the whole URI URL-decoded twice (%xx, %25xx, %uXXXX, and
//	                "+" as space in the query), so encodings such as
//	                ProxyNotShell's %50owershell do not hide a match
//	cs-method, sc-status, c-ip, cs-username, cs-host, s-computername
//	                from Method, HttpStatus, ClientIpAddress,
//	                AuthenticatedUser, UrlHost, ServerHostName
//	c-useragent, cs-user-agent, cs(User-Agent)
//	                the user agent; IIS writes spaces as "+", so an IIS
//	                value is tested both as logged and with "+" as space
//	cs-referer, cs-cookie, cs-host   from cs(Referer), cs(Cookie), cs(Host)
//
// A field name not found exactly is looked up case-insensitively. Keyword
// searches (a plain list, or a key of only modifiers such as '|all') match
// the raw log line or the record's values joined by spaces (CSV quoting
// would otherwise hide text such as ` -FilePath "\\` from event-log
// keyword rules).
//
// Evidence. A match's evidence is the fields the rule tested, each once,
// in rule order: those of the searches that matched and those of the
// searches it tests under "not" (e.g. the user agent an OWASSRF rule
// excludes); for keywords, the record fields that hold them (or the raw
// line). Fields are named as the log names them (cs(Cookie), UrlStem); a
// field built from the request's path and query (cs-uri-query as the whole
// URI, c-uri, decoded-uri) shows as the log's own path and query columns
// (cs-uri-stem and cs-uri-query, UrlStem and UrlQuery, or cs-uri), as
// logged. Values are copied out of the reader's buffer and kept as logged,
// attacker text included; reporters escape them. One value is cut at 8 KiB.
//
// Matching follows Sigma: case-insensitive (ASCII) unless |cased, "*" and
// "?" wildcards with "\" escapes, null for a missing or empty field,
// modifiers contains, startswith, endswith, all, re (with |i |m |s), cidr,
// gt/gte/lt/lte, exists, base64, base64offset, windash, cased.
//
// Prefilter. Every rule reduces to a set of literal needles at least one of
// which must occur for the rule to be able to match: the literal fragments
// of contains/startswith/endswith/equals values and keywords (split at "*",
// "?" and at the characters where a field can differ from the raw line:
// the "?" joining stem and query, "+" read as a space, the doubled quotes
// of CSV), the best single requirement of an AND, the union over an OR.
// One Aho-Corasick pass over the lower-cased raw line finds the needles of
// all matchers but decoded-uri ones; those are looked for in the decoded
// URI, which is short. Only rules with a needle present, and the rules
// that reduce to no needle (regex-only or negation-only), are evaluated,
// and the Sigma view of the record is built only then. This relies on the
// readers handing out field values that are substrings of Raw apart from
// CSV quote doubling; TestSigmaPrefilterNeverHides checks it on every
// fixture and on re-encoded variants.

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/netip"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
	"unsafe"

	sigma "github.com/bradleyjkemp/sigma-go"
	"github.com/coregx/ahocorasick"
	"gopkg.in/yaml.v3"

	"exscan/iocs"
	"exscan/scanner/finding"
	"exscan/scanner/logs"
)

// SigmaSourceName is the Reason.Source of Sigma matches.
const SigmaSourceName = "sigma"

// maxEvidence caps one evidence value; log fields can be many kilobytes of
// attacker text and a finding only needs enough to show what matched.
const maxEvidence = 8192

// minNeedle is the shortest literal worth a prefilter needle; shorter
// fragments leave the requirement open.
const minNeedle = 3

// SigmaSet is a loaded, compiled set of Sigma rules. It is read-only after
// LoadSigma and safe for concurrent Match calls.
type SigmaSet struct {
	rules   []*sigmaRule
	na      []SigmaRuleInfo
	formats formatMask // union over rules

	raw    needleIndex // needles looked for in the raw line
	dec    needleIndex // needles of decoded-uri matchers, looked for in the decoded URI
	always []int32     // rules with no needle requirement

	noPrefilter bool // tests: evaluate every applicable rule
	pool        sync.Pool
}

// SigmaRuleInfo describes one loaded rule, for "exscan rules list".
type SigmaRuleInfo struct {
	ID          string   `json:"id"`                 // exscan rule id: name: when set, else id:
	SigmaID     string   `json:"sigma_id,omitempty"` // the rule's id:
	Title       string   `json:"title"`
	Level       string   `json:"level"`
	Status      string   `json:"status,omitempty"`
	Author      string   `json:"author,omitempty"`
	Description string   `json:"description,omitempty"`
	File        string   `json:"file"`
	Builtin     bool     `json:"builtin"`
	Logsource   string   `json:"logsource"` // category/product/service
	Formats     []string `json:"formats"`   // record formats the rule is applied to
	CVEs        []string `json:"cves,omitempty"`
	Campaigns   []string `json:"campaigns,omitempty"`
	Attack      []string `json:"attack,omitempty"`
}

// SigmaError is a Sigma file or rule that was not loaded.
type SigmaError struct {
	File string
	Line int    // 1-based, 0 when unknown
	Rule string // title or id, when known
	Err  error
}

func (e *SigmaError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	if e.Rule != "" {
		fmt.Fprintf(&b, ": rule %q", e.Rule)
	}
	fmt.Fprintf(&b, ": %v", e.Err)
	return b.String()
}

func (e *SigmaError) Unwrap() error { return e.Err }

// Len is the number of rules that apply to at least one log format.
func (s *SigmaSet) Len() int {
	if s == nil {
		return 0
	}
	return len(s.rules)
}

// Rules describes the applied rules in load order (built-in first).
func (s *SigmaSet) Rules() []SigmaRuleInfo {
	if s == nil {
		return nil
	}
	out := make([]SigmaRuleInfo, len(s.rules))
	for i, r := range s.rules {
		out[i] = r.info
	}
	return out
}

// NotApplicable describes the rules that loaded but whose logsource no log
// format exscan reads fits (e.g. process_creation rules in a SigmaHQ tree).
func (s *SigmaSet) NotApplicable() []SigmaRuleInfo {
	if s == nil {
		return nil
	}
	return append([]SigmaRuleInfo(nil), s.na...)
}

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
				l.errs = append(l.errs, &SigmaError{File: m, Err: err})
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
		l.errs = append(l.errs, &SigmaError{File: root, Err: err})
		return
	}
	if !st.IsDir() {
		l.readFile(root)
		return
	}
	var files []string
	werr := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			l.errs = append(l.errs, &SigmaError{File: p, Err: err})
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
		l.errs = append(l.errs, &SigmaError{File: root, Err: werr})
	}
	sort.Strings(files)
	for _, f := range files {
		l.readFile(f)
	}
}

func (l *sigmaLoader) readFile(p string) {
	data, err := os.ReadFile(p)
	if err != nil {
		l.errs = append(l.errs, &SigmaError{File: p, Err: err})
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
			l.errs = append(l.errs, &SigmaError{File: file, Line: yamlErrLine(err), Err: err})
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

func (l *sigmaLoader) loadDoc(file string, node *yaml.Node, builtin bool) *SigmaError {
	fail := func(line int, rule string, format string, args ...any) *SigmaError {
		return &SigmaError{File: file, Line: line, Rule: rule, Err: fmt.Errorf(format, args...)}
	}
	if node.Kind != yaml.MappingNode {
		return fail(node.Line, "", "not a Sigma rule (expected a mapping)")
	}
	var head ruleHead
	if err := node.Decode(&head); err != nil {
		return &SigmaError{File: file, Line: yamlErrLine(err), Err: err}
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
		return &SigmaError{File: file, Line: err.line, Rule: label, Err: err}
	}
	var rule sigma.Rule
	if err := node.Decode(&rule); err != nil {
		// sigma-go's condition errors carry no line: point at the condition
		return &SigmaError{File: file, Line: nonzero(yamlErrLine(err), condLine(&head.Detection)), Rule: label, Err: err}
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
		Source:      SigmaSourceName,
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

// --- log formats -------------------------------------------------------

type formatMask uint16

// formatOrder is the registry's order of formats (logs.Formats).
var formatOrder = func() []logs.Format {
	var out []logs.Format
	for _, f := range logs.Formats() {
		out = append(out, f.Name)
	}
	return out
}()

func formatBit(f logs.Format) formatMask {
	for i, x := range formatOrder {
		if x == f {
			return 1 << i
		}
	}
	return 0
}

func (m formatMask) names() []string {
	var out []string
	for i, f := range formatOrder {
		if m&(1<<i) != 0 {
			out = append(out, string(f))
		}
	}
	return out
}

// formatsFor maps a rule's logsource to the record formats it is applied
// to (each format's FormatSpec.Serves; the table in the package comment
// above), and to the test that narrows it to some of a format's records
// (event-log channels and event ids).
func formatsFor(ls sigma.Logsource) (m, onlyMask formatMask, only func(*logs.Record) bool) {
	cat := strings.ToLower(strings.TrimSpace(ls.Category))
	prod := strings.ToLower(strings.TrimSpace(ls.Product))
	svc := strings.ToLower(strings.TrimSpace(ls.Service))
	for i, f := range logs.Formats() {
		ok, o := f.Serves(prod, svc, cat)
		if !ok {
			continue
		}
		m |= 1 << i
		if o != nil {
			only, onlyMask = o, onlyMask|1<<i
		}
	}
	return m, onlyMask, only
}

// --- condition pattern expansion ----------------------------------------

type condError struct {
	line int
	msg  string
}

func (e *condError) Error() string { return e.msg }

var ofPatternRe = regexp.MustCompile(`(?i)\b(\d+|all|any)\s+of\s+([A-Za-z0-9_*]+)`)

// expandConditionPatterns rewrites "N of name*" and "N of them" in the
// detection's condition(s) into explicit and/or over the search names.
func expandConditionPatterns(det *yaml.Node) *condError {
	if det.Kind != yaml.MappingNode {
		return &condError{det.Line, "detection is not a mapping"}
	}
	var names []string
	var cond *yaml.Node
	for i := 0; i+1 < len(det.Content); i += 2 {
		k := det.Content[i].Value
		switch k {
		case "condition":
			cond = det.Content[i+1]
		case "timeframe":
		default:
			names = append(names, k)
		}
	}
	if cond == nil {
		return &condError{det.Line, "detection has no condition"}
	}
	var scalars []*yaml.Node
	switch cond.Kind {
	case yaml.ScalarNode:
		scalars = []*yaml.Node{cond}
	case yaml.SequenceNode:
		scalars = cond.Content
	}
	for _, n := range scalars {
		if n.Kind != yaml.ScalarNode {
			continue
		}
		if strings.Contains(n.Value, "|") {
			return &condError{n.Line, fmt.Sprintf("condition %q: aggregation conditions are not supported", n.Value)}
		}
		out, err := expandCondition(n.Value, names)
		if err != nil {
			return &condError{n.Line, err.Error()}
		}
		n.Value = out
	}
	return nil
}

func expandCondition(cond string, names []string) (string, error) {
	var ferr error
	out := ofPatternRe.ReplaceAllStringFunc(cond, func(m string) string {
		sub := ofPatternRe.FindStringSubmatch(m)
		quant, target := strings.ToLower(sub[1]), sub[2]
		var matched []string
		switch {
		case strings.EqualFold(target, "them"):
			for _, n := range names {
				if !strings.HasPrefix(n, "_") {
					matched = append(matched, n)
				}
			}
		case strings.Contains(target, "*"):
			for _, n := range names {
				if ok, _ := path.Match(target, n); ok {
					matched = append(matched, n)
				}
			}
		default:
			if quant == "1" || quant == "any" {
				return target // "1 of sel" is sel
			}
			return m // "all of sel": handled when compiling
		}
		if len(matched) == 0 {
			ferr = fmt.Errorf("condition %q: %q matches no search identifier", cond, target)
			return m
		}
		switch quant {
		case "1", "any":
			return "(" + strings.Join(matched, " or ") + ")"
		case "all":
			return "(" + strings.Join(matched, " and ") + ")"
		}
		n, _ := strconv.Atoi(quant)
		if n <= 0 || n > len(matched) {
			ferr = fmt.Errorf("condition %q: %d of %d search identifiers", cond, n, len(matched))
			return m
		}
		if n == 1 {
			return "(" + strings.Join(matched, " or ") + ")"
		}
		combos := combinations(matched, n, 64)
		if combos == nil {
			ferr = fmt.Errorf("condition %q: too many combinations for %q", cond, m)
			return m
		}
		parts := make([]string, len(combos))
		for i, c := range combos {
			parts[i] = "(" + strings.Join(c, " and ") + ")"
		}
		return "(" + strings.Join(parts, " or ") + ")"
	})
	return out, ferr
}

// combinations lists the k-subsets of s in order, or nil beyond max.
func combinations(s []string, k, max int) [][]string {
	var out [][]string
	cur := make([]string, 0, k)
	var rec func(start int) bool
	rec = func(start int) bool {
		if len(cur) == k {
			if len(out) >= max {
				return false
			}
			out = append(out, append([]string(nil), cur...))
			return true
		}
		for i := start; i < len(s); i++ {
			cur = append(cur, s[i])
			ok := rec(i + 1)
			cur = cur[:len(cur)-1]
			if !ok {
				return false
			}
		}
		return true
	}
	if !rec(0) {
		return nil
	}
	return out
}

// --- compiled rules -----------------------------------------------------

type sigmaRule struct {
	info     SigmaRuleInfo
	reason   finding.Reason
	formats  formatMask
	only     func(*logs.Record) bool // narrows the rule to some records of the onlyMask formats (event-log channel, event id)
	onlyMask formatMask
	searches []*cSearch // in YAML order
	conds    []*cNode
	req      requirement
	cnf      []requirement // requirements that must all hold; none: nothing required
	// per search: referenced outside / under a "not"
	positive, negated []bool
}

type cSearch struct {
	name     string
	keywords []*cValue     // a keyword list: any of them in the raw line
	matchers [][]*cMatcher // OR of ANDs
}

type matchOp uint8

const (
	opEq matchOp = iota
	opContains
	opStarts
	opEnds
	opRe
	opCIDR
	opGt
	opGte
	opLt
	opLte
	opExists
)

type cMatcher struct {
	field  string // "" = the raw line (keywords)
	op     matchOp
	all    bool
	cased  bool
	values []*cValue
}

type cValue struct {
	lit    string // unescaped literal; lower-cased unless cased
	glob   *globPat
	null   bool
	re     *regexp.Regexp
	prefix netip.Prefix
	num    float64
	exists bool
	orig   string // for evidence of keyword hits
}

type nodeOp uint8

const (
	nAnd nodeOp = iota
	nOr
	nNot
	nSearch
	nSearchAll // "all of X" over a list-of-maps search
)

type cNode struct {
	op     nodeOp
	kids   []*cNode
	search int
}

func compileRule(rule *sigma.Rule, det *yaml.Node) (*sigmaRule, *SigmaError) {
	r := &sigmaRule{}
	// search order and lines from the YAML node
	index := map[string]int{}
	lines := map[string]int{}
	for i := 0; i+1 < len(det.Content); i += 2 {
		k := det.Content[i].Value
		if k == "condition" || k == "timeframe" {
			continue
		}
		lines[k] = det.Content[i].Line
		index[k] = len(r.searches)
		s, err := compileSearch(k, rule.Detection.Searches[k], det.Content[i+1])
		if err != nil {
			err.Line = nonzero(err.Line, det.Content[i].Line)
			return nil, err
		}
		r.searches = append(r.searches, s)
	}
	if len(rule.Detection.Conditions) == 0 {
		return nil, &SigmaError{Line: det.Line, Err: errors.New("no condition")}
	}
	for _, c := range rule.Detection.Conditions {
		line := condLine(det)
		if c.Aggregation != nil {
			return nil, &SigmaError{Line: line, Err: errors.New("aggregation conditions are not supported")}
		}
		n, err := compileCond(c.Search, r, index)
		if err != nil {
			return nil, &SigmaError{Line: line, Err: err}
		}
		r.conds = append(r.conds, n)
	}
	r.positive = make([]bool, len(r.searches))
	r.negated = make([]bool, len(r.searches))
	for _, c := range r.conds {
		markUse(c, false, r)
	}
	var reqs []requirement
	for _, c := range r.conds {
		reqs = append(reqs, nodeReq(c, r))
	}
	r.req = reqUnion(reqs...)
	if len(r.conds) == 1 {
		r.cnf = nodeCNF(r.conds[0], r)
	} else if !r.req.open {
		r.cnf = []requirement{r.req}
	}
	return r, nil
}

func nonzero(a, b int) int {
	if a != 0 {
		return a
	}
	return b
}

func condLine(det *yaml.Node) int {
	for i := 0; i+1 < len(det.Content); i += 2 {
		if det.Content[i].Value == "condition" {
			return det.Content[i].Line
		}
	}
	return det.Line
}

func markUse(n *cNode, neg bool, r *sigmaRule) {
	switch n.op {
	case nSearch, nSearchAll:
		if neg {
			r.negated[n.search] = true
		} else {
			r.positive[n.search] = true
		}
	case nNot:
		markUse(n.kids[0], !neg, r)
	default:
		for _, k := range n.kids {
			markUse(k, neg, r)
		}
	}
}

func compileCond(e sigma.SearchExpr, r *sigmaRule, index map[string]int) (*cNode, error) {
	lookup := func(name string) (int, error) {
		i, ok := index[name]
		if !ok {
			return 0, fmt.Errorf("condition names %q, which is not a search in this rule", name)
		}
		return i, nil
	}
	switch x := e.(type) {
	case sigma.And, sigma.Or:
		var items []sigma.SearchExpr
		op := nAnd
		if a, ok := x.(sigma.And); ok {
			items = a
		} else {
			items = x.(sigma.Or)
			op = nOr
		}
		n := &cNode{op: op}
		for _, it := range items {
			k, err := compileCond(it, r, index)
			if err != nil {
				return nil, err
			}
			n.kids = append(n.kids, k)
		}
		return n, nil
	case sigma.Not:
		k, err := compileCond(x.Expr, r, index)
		if err != nil {
			return nil, err
		}
		return &cNode{op: nNot, kids: []*cNode{k}}, nil
	case sigma.SearchIdentifier:
		i, err := lookup(x.Name)
		if err != nil {
			return nil, err
		}
		return &cNode{op: nSearch, search: i}, nil
	case sigma.OneOfIdentifier:
		i, err := lookup(x.Ident.Name)
		if err != nil {
			return nil, err
		}
		return &cNode{op: nSearch, search: i}, nil
	case sigma.AllOfIdentifier:
		i, err := lookup(x.Ident.Name)
		if err != nil {
			return nil, err
		}
		return &cNode{op: nSearchAll, search: i}, nil
	case sigma.OneOfThem, sigma.AllOfThem, sigma.OneOfPattern, sigma.AllOfPattern:
		// normally rewritten before parsing; kept for completeness
		var pat string
		all := false
		switch y := x.(type) {
		case sigma.OneOfThem:
		case sigma.AllOfThem:
			all = true
		case sigma.OneOfPattern:
			pat = y.Pattern
		case sigma.AllOfPattern:
			pat, all = y.Pattern, true
		}
		n := &cNode{op: nOr}
		if all {
			n.op = nAnd
		}
		for _, s := range r.searches {
			ok := false
			if pat == "" {
				ok = !strings.HasPrefix(s.name, "_")
			} else {
				ok, _ = path.Match(pat, s.name)
			}
			if ok {
				n.kids = append(n.kids, &cNode{op: nSearch, search: index[s.name]})
			}
		}
		if len(n.kids) == 0 {
			return nil, fmt.Errorf("%q matches no search identifier", pat)
		}
		return n, nil
	}
	return nil, fmt.Errorf("unsupported condition element %T", e)
}

func compileSearch(name string, s sigma.Search, node *yaml.Node) (*cSearch, *SigmaError) {
	cs := &cSearch{name: name}
	if len(s.Keywords) > 0 {
		for _, k := range s.Keywords {
			v, err := compileValue(k, opContains, false)
			if err != nil {
				return nil, &SigmaError{Line: node.Line, Err: fmt.Errorf("search %s: %v", name, err)}
			}
			v.orig = k
			cs.keywords = append(cs.keywords, v)
		}
		return cs, nil
	}
	if len(s.EventMatchers) == 0 {
		return nil, &SigmaError{Line: node.Line, Err: fmt.Errorf("search %s is empty", name)}
	}
	for _, em := range s.EventMatchers {
		var and []*cMatcher
		for _, fm := range em {
			m, err := compileMatcher(fm)
			if err != nil {
				l, _ := fm.Position()
				line := l + 1
				return nil, &SigmaError{Line: line, Err: fmt.Errorf("search %s, field %s: %v", name, fm.Field, err)}
			}
			and = append(and, m)
		}
		// all must hold: try the cheap comparisons before regexes
		slices.SortStableFunc(and, func(a, b *cMatcher) int { return matcherCost(a) - matcherCost(b) })
		cs.matchers = append(cs.matchers, and)
	}
	return cs, nil
}

func matcherCost(m *cMatcher) int {
	switch m.op {
	case opRe:
		return 2
	case opCIDR, opGt, opGte, opLt, opLte:
		return 1
	}
	return 0
}

func compileMatcher(fm sigma.FieldMatcher) (*cMatcher, error) {
	m := &cMatcher{field: fm.Field, op: opEq}
	if m.field == "" {
		m.op = opContains // '|all' keyword lists: substrings of the line
	}
	var valueMods []string
	reFlags := ""
	isRe := false
	for _, mod := range fm.Modifiers {
		switch strings.ToLower(mod) {
		case "contains":
			m.op = opContains
		case "startswith":
			m.op = opStarts
		case "endswith":
			m.op = opEnds
		case "all":
			m.all = true
		case "cased":
			m.cased = true
		case "re":
			m.op, isRe = opRe, true
		case "i", "m", "s":
			if !isRe {
				return nil, fmt.Errorf("modifier %s only follows re", mod)
			}
			reFlags += strings.ToLower(mod)
		case "cidr":
			m.op = opCIDR
		case "gt":
			m.op = opGt
		case "gte":
			m.op = opGte
		case "lt":
			m.op = opLt
		case "lte":
			m.op = opLte
		case "exists":
			m.op = opExists
		case "base64", "base64offset", "windash":
			valueMods = append(valueMods, strings.ToLower(mod))
		default:
			return nil, fmt.Errorf("unsupported modifier %q", mod)
		}
	}
	if len(fm.Values) == 0 {
		return nil, errors.New("no value")
	}
	for _, raw := range fm.Values {
		strs, isNull, err := scalarStrings(raw)
		if err != nil {
			return nil, err
		}
		if isNull {
			m.values = append(m.values, &cValue{null: true})
			continue
		}
		for _, vm := range valueMods {
			strs = applyValueModifier(vm, strs)
			if vm == "base64offset" && m.op == opEq {
				m.op = opContains
			}
		}
		for _, str := range strs {
			var v *cValue
			switch m.op {
			case opRe:
				flags := reFlags
				pat := str
				if flags != "" {
					pat = "(?" + flags + ")" + pat
				}
				re, err := regexp.Compile(pat)
				if err != nil {
					return nil, fmt.Errorf("regex %q: %v", str, err)
				}
				v = &cValue{re: re, orig: str}
			case opCIDR:
				p, err := netip.ParsePrefix(strings.TrimSpace(str))
				if err != nil {
					return nil, fmt.Errorf("cidr %q: %v", str, err)
				}
				v = &cValue{prefix: p.Masked(), orig: str}
			case opGt, opGte, opLt, opLte:
				f, err := strconv.ParseFloat(strings.TrimSpace(str), 64)
				if err != nil {
					return nil, fmt.Errorf("number %q: %v", str, err)
				}
				v = &cValue{num: f, orig: str}
			case opExists:
				b, err := strconv.ParseBool(strings.TrimSpace(str))
				if err != nil {
					return nil, fmt.Errorf("exists wants true or false, not %q", str)
				}
				v = &cValue{exists: b, orig: str}
			default:
				v, err = compileValue(str, m.op, m.cased)
				if err != nil {
					return nil, err
				}
			}
			m.values = append(m.values, v)
		}
	}
	return m, nil
}

// scalarStrings turns a YAML value into its string form(s).
func scalarStrings(v any) ([]string, bool, error) {
	switch x := v.(type) {
	case nil:
		return nil, true, nil
	case string:
		return []string{x}, false, nil
	case int:
		return []string{strconv.Itoa(x)}, false, nil
	case int64:
		return []string{strconv.FormatInt(x, 10)}, false, nil
	case uint64:
		return []string{strconv.FormatUint(x, 10)}, false, nil
	case float64:
		return []string{strconv.FormatFloat(x, 'f', -1, 64)}, false, nil
	case bool:
		return []string{strconv.FormatBool(x)}, false, nil
	}
	return nil, false, fmt.Errorf("value %v (%T) is not a scalar", v, v)
}

func applyValueModifier(mod string, in []string) []string {
	var out []string
	for _, s := range in {
		switch mod {
		case "base64":
			out = append(out, base64.StdEncoding.EncodeToString([]byte(s)))
		case "base64offset":
			for i := 0; i < 3; i++ {
				pre := strings.Repeat(" ", i)
				enc := base64.StdEncoding.EncodeToString([]byte(pre + s))
				start := [3]int{0, 2, 3}[i]
				end := len(enc) - [3]int{0, 3, 2}[(len(s)+i)%3]
				if (len(s)+i)%3 == 0 {
					end = len(enc)
				}
				if start < end {
					out = append(out, enc[start:end])
				}
			}
		case "windash":
			out = append(out, s)
			for _, d := range []string{"/", "\u2013", "\u2014", "\u2015"} {
				if v := windash(s, d); v != s {
					out = append(out, v)
				}
			}
		}
	}
	return out
}

// windash swaps a dash that starts a command-line flag for another dash.
func windash(s, d string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '-' && (i == 0 || s[i-1] == ' ') {
			b.WriteString(d)
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// compileValue resolves Sigma's escapes and wildcards in a string value.
func compileValue(s string, op matchOp, cased bool) (*cValue, error) {
	var segs []globSeg
	var cur []byte
	var qm []bool
	wild := false
	flush := func() {
		segs = append(segs, globSeg{lit: string(cur), q: qm})
		cur, qm = nil, nil
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && (s[i+1] == '*' || s[i+1] == '?' || s[i+1] == '\\'):
			i++
			cur = append(cur, s[i])
			qm = append(qm, false)
		case c == '*':
			wild = true
			flush()
			segs = append(segs, globSeg{star: true})
		case c == '?':
			wild = true
			cur = append(cur, '?')
			qm = append(qm, true)
		default:
			cur = append(cur, c)
			qm = append(qm, false)
		}
	}
	flush()
	if !cased {
		for i := range segs {
			segs[i].lit = lowerASCII(segs[i].lit)
		}
	}
	v := &cValue{orig: s}
	if !wild {
		v.lit = segs[0].lit
		return v, nil
	}
	g := &globPat{}
	switch op {
	case opContains:
		g.leadStar, g.tailStar = true, true
	case opStarts:
		g.tailStar = true
	case opEnds:
		g.leadStar = true
	}
	pendingStar := false
	for _, sg := range segs {
		if sg.star {
			if len(g.segs) == 0 {
				g.leadStar = true
			}
			pendingStar = true
			continue
		}
		if sg.lit == "" {
			continue
		}
		g.segs = append(g.segs, sg)
		pendingStar = false
	}
	if pendingStar {
		g.tailStar = true
	}
	v.glob = g
	return v, nil
}

// --- glob matching ------------------------------------------------------

type globSeg struct {
	lit  string
	q    []bool // per byte: "?" wildcard
	star bool
}

// globPat is a Sigma wildcard value: literal segments (with "?" for one
// byte) between "*"s.
type globPat struct {
	segs               []globSeg
	leadStar, tailStar bool
}

func (sg *globSeg) matchAt(s string, i int, fold bool) bool {
	if i+len(sg.lit) > len(s) {
		return false
	}
	for j := 0; j < len(sg.lit); j++ {
		if sg.q[j] {
			continue
		}
		c := s[i+j]
		if fold && 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != sg.lit[j] {
			return false
		}
	}
	return true
}

func (sg *globSeg) find(s string, from int, fold bool) int {
	for i := from; i+len(sg.lit) <= len(s); i++ {
		if sg.matchAt(s, i, fold) {
			return i
		}
	}
	return -1
}

// match reports whether s matches the pattern: segments separated by "*",
// matched leftmost-first, which is exact for star-separated globs.
func (g *globPat) match(s string, fold bool) bool {
	if len(g.segs) == 0 {
		return g.leadStar || g.tailStar || s == ""
	}
	pos := 0
	segs := g.segs
	if !g.leadStar {
		if !segs[0].matchAt(s, 0, fold) {
			return false
		}
		pos = len(segs[0].lit)
		segs = segs[1:]
		if len(segs) == 0 {
			return g.tailStar || pos == len(s)
		}
	}
	last := len(segs) - 1
	for i := 0; i < last; i++ {
		at := segs[i].find(s, pos, fold)
		if at < 0 {
			return false
		}
		pos = at + len(segs[i].lit)
	}
	ls := &segs[last]
	if g.tailStar {
		return ls.find(s, pos, fold) >= 0
	}
	at := len(s) - len(ls.lit)
	return at >= pos && ls.matchAt(s, at, fold)
}

// --- prefilter requirements --------------------------------------------

// requirement: nil needles with open=true means "no needle can be
// required"; otherwise at least one of the needles must be present. A
// needle that starts with decMark is looked for in the decoded URI.
type requirement struct {
	open    bool
	needles []string
}

var openReq = requirement{open: true}

// decMark prefixes needles of decoded-uri matchers.
const decMark = "\x01"

func reqUnion(rs ...requirement) requirement {
	var out requirement
	for _, r := range rs {
		if r.open {
			return openReq
		}
		for _, n := range r.needles {
			out.needles = appendOnce(out.needles, n)
		}
	}
	if len(out.needles) == 0 {
		return openReq
	}
	return out
}

// reqBest picks the most selective of requirements that must all hold.
func reqBest(rs ...requirement) requirement {
	best := openReq
	for _, r := range rs {
		if r.open {
			continue
		}
		if best.open || reqBetter(r, best) {
			best = r
		}
	}
	return best
}

// reqBetter: a requirement without common needles beats one with them;
// then the longer shortest needle wins; then the fewer needles.
func reqBetter(a, b requirement) bool {
	ca, cb := hasCommon(a.needles), hasCommon(b.needles)
	if ca != cb {
		return !ca
	}
	ma, mb := minLen(a.needles), minLen(b.needles)
	if ma != mb {
		return ma > mb
	}
	return len(a.needles) < len(b.needles)
}

// commonNeedles occur on a large share of an Exchange server's log lines
// (virtual directory prefixes, methods, status codes, common extensions):
// a requirement made of them keeps few lines away from evaluation, so an
// AND prefers any other requirement.
var commonNeedles = map[string]bool{
	"get": true, "post": true, "head": true, "200": true, "301": true, "302": true, "304": true,
	"401": true, "403": true, "404": true, "440": true, "500": true,
	"/owa": true, "/owa/": true, "/ecp": true, "/ecp/": true, "/ews": true, "/ews/": true,
	"/mapi": true, "/mapi/": true, "/rpc": true, "/rpc/": true, "/oab": true, "/oab/": true,
	"/autodiscover": true, "/autodiscover/": true, "autodiscover": true, "/powershell": true,
	"/powershell/": true, "powershell": true, "/microsoft-server-activesync": true,
	"/microsoft-server-activesync/": true, "/owa/auth/": true, "/aspnet_client/": true,
	".as": true, ".asp": true, ".aspx": true, ".ashx": true, ".asmx": true, ".js": true, ".css": true,
	"mozilla": true, "http": true, "https": true,
}

func hasCommon(ns []string) bool {
	for _, n := range ns {
		if commonNeedles[strings.TrimPrefix(n, decMark)] {
			return true
		}
	}
	return false
}

func minLen(ns []string) int {
	m := 1 << 30
	for _, n := range ns {
		l := len(strings.TrimPrefix(n, decMark))
		if l < m {
			m = l
		}
	}
	return m
}

// sepChars are where a field value may differ from the raw line: the "?"
// that joins stem and query, "+" read as a space, CSV quote doubling, and
// the separators between fields.
const sepChars = "? +\"\t,"

// lineSepChars are sepChars for the line prefilter's needles of matchers
// on one field: a field value is one piece of the raw line (quotes and the
// stem/query join aside), and the prefilter reads '+' as a space, so a
// space in the value is a space or '+' in the line. Field-less (keyword)
// matchers also test the record's values joined by spaces, where a space
// may stand for a separator: they keep sepChars.
const lineSepChars = "?\"\t,"

// valueNeedle is the longest separator-free literal fragment of a value.
func valueNeedle(v *cValue) (string, bool) { return valueNeedleSeps(v, sepChars) }

func valueNeedleSeps(v *cValue, seps string) (string, bool) {
	if v == nil || v.null || v.re != nil || v.prefix.IsValid() {
		return "", false
	}
	var frags []string
	if v.glob != nil {
		for _, sg := range v.glob.segs {
			// split at "?" wildcards too
			start := 0
			for j := 0; j <= len(sg.lit); j++ {
				if j == len(sg.lit) || sg.q[j] {
					frags = append(frags, sg.lit[start:j])
					start = j + 1
				}
			}
		}
	} else {
		frags = []string{v.lit}
	}
	best := ""
	for _, f := range frags {
		for _, p := range strings.FieldsFunc(lowerASCII(f), func(r rune) bool { return strings.ContainsRune(seps, r) }) {
			if len(p) > len(best) {
				best = p
			}
		}
	}
	if len(best) < minNeedle {
		return "", false
	}
	return best, true
}

func matcherReq(m *cMatcher) requirement { return matcherReqSeps(m, sepChars) }

func matcherReqSeps(m *cMatcher, seps string) requirement {
	switch m.op {
	case opEq, opContains, opStarts, opEnds:
	default:
		return openReq
	}
	mark := ""
	if strings.EqualFold(m.field, "decoded-uri") {
		mark = decMark
	}
	var reqs []requirement
	for _, v := range m.values {
		n, ok := valueNeedleSeps(v, seps)
		if !ok {
			reqs = append(reqs, openReq)
			continue
		}
		reqs = append(reqs, requirement{needles: []string{mark + n}})
	}
	if m.all {
		return reqBest(reqs...)
	}
	return reqUnion(reqs...)
}

func searchReq(s *cSearch) requirement {
	if s.keywords != nil {
		var reqs []requirement
		for _, v := range s.keywords {
			n, ok := valueNeedle(v)
			if !ok {
				return openReq
			}
			reqs = append(reqs, requirement{needles: []string{n}})
		}
		return reqUnion(reqs...)
	}
	var ors []requirement
	for _, and := range s.matchers {
		ors = append(ors, andReq(and))
	}
	return reqUnion(ors...)
}

// andReq is the most selective requirement of matchers that must all hold.
func andReq(and []*cMatcher) requirement {
	var reqs []requirement
	for _, m := range and {
		reqs = append(reqs, matcherReq(m))
	}
	return reqBest(reqs...)
}

func nodeReq(n *cNode, r *sigmaRule) requirement {
	switch n.op {
	case nSearch:
		return searchReq(r.searches[n.search])
	case nSearchAll:
		var reqs []requirement
		for _, and := range r.searches[n.search].matchers {
			reqs = append(reqs, andReq(and))
		}
		return reqBest(reqs...)
	case nNot:
		return openReq
	case nAnd:
		var reqs []requirement
		for _, k := range n.kids {
			reqs = append(reqs, nodeReq(k, r))
		}
		return reqBest(reqs...)
	default:
		var reqs []requirement
		for _, k := range n.kids {
			reqs = append(reqs, nodeReq(k, r))
		}
		return reqUnion(reqs...)
	}
}

// nodeCNF returns requirements that must all hold for n to be true, for
// the line prefilter, which can afford to test several; none when nothing
// can be required. An OR keeps one requirement per alternative, merged.
// Needles of one-field matchers keep spaces (the line prefilter reads
// '+' as a space); keyword needles do not (see lineSepChars).
func nodeCNF(n *cNode, r *sigmaRule) []requirement {
	switch n.op {
	case nSearch:
		s := r.searches[n.search]
		if s.keywords == nil && len(s.matchers) == 1 {
			return andCNF(s.matchers[0])
		}
		if q := searchReq(s); !q.open {
			return []requirement{q}
		}
		return nil
	case nSearchAll:
		var out []requirement
		for _, and := range r.searches[n.search].matchers {
			out = append(out, andCNF(and)...)
		}
		return out
	case nNot:
		return nil
	case nAnd:
		var out []requirement
		for _, k := range n.kids {
			out = append(out, nodeCNF(k, r)...)
		}
		return out
	default:
		var alts []requirement
		for _, k := range n.kids {
			c := nodeCNF(k, r)
			if len(c) == 0 {
				return nil
			}
			alts = append(alts, reqBest(c...))
		}
		if q := reqUnion(alts...); !q.open {
			return []requirement{q}
		}
		return nil
	}
}

func andCNF(and []*cMatcher) []requirement {
	var out []requirement
	for _, m := range and {
		seps := lineSepChars
		if m.field == "" {
			seps = sepChars
		}
		if q := matcherReqSeps(m, seps); !q.open {
			out = append(out, q)
		}
	}
	return out
}

// needleIndex is one automaton over a set of needles and the rules each
// needle stands for.
type needleIndex struct {
	ac      *ahocorasick.Automaton // reference automaton (tests, diagnostics)
	dfa     *foldDFA               // what scan runs
	needles []string
	rules   [][]int32 // needle id -> rule indexes
	ids     map[string]int
}

func (x *needleIndex) add(n string, ri int32) {
	if x.ids == nil {
		x.ids = map[string]int{}
	}
	id, ok := x.ids[n]
	if !ok {
		id = len(x.needles)
		x.ids[n] = id
		x.needles = append(x.needles, n)
		x.rules = append(x.rules, nil)
	}
	x.rules[id] = append(x.rules[id], ri)
}

func (x *needleIndex) compile() error {
	x.ids = nil
	if len(x.needles) == 0 {
		return nil
	}
	ac, err := ahocorasick.NewBuilder().AddStrings(x.needles).Build()
	if err != nil {
		return err
	}
	x.ac = ac
	x.dfa = newFoldDFA(x.needles, x.rules)
	if x.dfa == nil {
		return errors.New("sigma prefilter: too many needle states")
	}
	return nil
}

// scan adds the rules of every needle in hay, ASCII case-insensitively,
// without copying hay. It does not allocate.
func (x *needleIndex) scan(hay []byte, sc *sigmaScratch, s *SigmaSet, fb formatMask) {
	if x.dfa == nil {
		return
	}
	x.dfa.scan(hay, func(rules []int32) {
		for _, ri := range rules {
			sc.add(s, ri, fb)
		}
	})
}

// foldDFA is a full Aho-Corasick DFA over lower-case needles that folds
// ASCII upper case as it reads, so the haystack needs no lower-case copy.
// Bytes are mapped to equivalence classes (one per distinct folded byte
// of the needles, plus one for every other byte) to keep the transition
// table small enough for the L1/L2 cache. Transition entries hold the
// target state premultiplied by the class count, with dfaMatch set when
// some needle ends at the target state.
type foldDFA struct {
	class  [256]uint8
	stride uint32
	trans  []uint32
	out    [][]int32 // state -> rules of every needle ending there (deduplicated)
	root   [256]bool // bytes that leave the start state
}

const dfaMatch = 1 << 31

func newFoldDFA(needles []string, rules [][]int32) *foldDFA {
	d := &foldDFA{}
	// class 0: bytes that occur in no needle
	n := 1
	for _, ne := range needles {
		for i := 0; i < len(ne); i++ {
			c := foldByte(ne[i])
			if d.class[c] == 0 {
				if n == 256 {
					return nil
				}
				d.class[c] = uint8(n)
				n++
			}
		}
	}
	for b := 0; b < 256; b++ {
		d.class[b] = d.class[foldByte(byte(b))]
	}
	stride := n
	// trie; -1 = no edge
	type node struct {
		next []int32
		fail int32
		out  []int32
	}
	newNode := func() node {
		nx := make([]int32, stride)
		for i := range nx {
			nx[i] = -1
		}
		return node{next: nx}
	}
	nodes := []node{newNode()}
	for id, ne := range needles {
		cur := int32(0)
		for i := 0; i < len(ne); i++ {
			c := d.class[ne[i]]
			if nodes[cur].next[c] < 0 {
				nodes = append(nodes, newNode())
				nodes[cur].next[c] = int32(len(nodes) - 1)
			}
			cur = nodes[cur].next[c]
		}
		nodes[cur].out = append(nodes[cur].out, rules[id]...)
	}
	// BFS: failure links, full transitions, inherited outputs
	queue := []int32{}
	for c := 0; c < stride; c++ {
		if t := nodes[0].next[c]; t >= 0 {
			nodes[t].fail = 0
			queue = append(queue, t)
		} else {
			nodes[0].next[c] = 0
		}
	}
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		f := nodes[u].fail
		nodes[u].out = append(nodes[u].out, nodes[f].out...)
		for c := 0; c < stride; c++ {
			if t := nodes[u].next[c]; t >= 0 {
				nodes[t].fail = nodes[f].next[c]
				queue = append(queue, t)
			} else {
				nodes[u].next[c] = nodes[f].next[c]
			}
		}
	}
	if uint64(len(nodes))*uint64(stride) >= dfaMatch {
		return nil
	}
	for b := 0; b < 256; b++ {
		d.root[b] = nodes[0].next[d.class[b]] != 0
	}
	d.stride = uint32(stride)
	d.trans = make([]uint32, len(nodes)*stride)
	d.out = make([][]int32, len(nodes))
	for i := range nodes {
		o := slices.Clone(nodes[i].out)
		slices.Sort(o)
		d.out[i] = slices.Compact(o)
		for c := 0; c < stride; c++ {
			t := nodes[i].next[c]
			v := uint32(t) * uint32(stride)
			if len(nodes[t].out) > 0 {
				v |= dfaMatch
			}
			d.trans[i*stride+c] = v
		}
	}
	return d
}

func foldByte(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// scan calls hit with the rules of the needles ending at each position
// of hay where at least one needle ends.
//
// In the start state, bytes that keep the automaton there are skipped with
// a table test per byte: no state chain, so the CPU overlaps them.
func (d *foldDFA) scan(hay []byte, hit func([]int32)) {
	trans, class, root := d.trans, &d.class, &d.root
	var s uint32
	for i := 0; i < len(hay); i++ {
		if s == 0 {
			for !root[hay[i]] {
				if i++; i == len(hay) {
					return
				}
			}
		}
		s = trans[s+uint32(class[hay[i]])]
		if s&dfaMatch != 0 {
			s &^= dfaMatch
			hit(d.out[s/d.stride])
		}
	}
}

// build indexes the needles of all rules.
func (s *SigmaSet) build() {
	for ri, r := range s.rules {
		s.formats |= r.formats
		if r.req.open {
			s.always = append(s.always, int32(ri))
			continue
		}
		for _, n := range r.req.needles {
			if d, ok := strings.CutPrefix(n, decMark); ok {
				s.dec.add(d, int32(ri))
			} else {
				s.raw.add(n, int32(ri))
			}
		}
	}
	if s.raw.compile() != nil || s.dec.compile() != nil {
		// cannot happen with non-empty needles; stay correct regardless
		s.raw, s.dec, s.always = needleIndex{}, needleIndex{}, nil
		for ri := range s.rules {
			s.always = append(s.always, int32(ri))
		}
	}
	n := len(s.rules)
	s.pool.New = func() any {
		return &sigmaScratch{mark: make([]uint32, n)}
	}
}

// Needles returns the prefilter's literal needles (lower case), the
// decoded-URI ones marked with a leading "decoded:", for tests and
// diagnostics.
func (s *SigmaSet) Needles() []string {
	if s == nil {
		return nil
	}
	out := append([]string(nil), s.raw.needles...)
	for _, n := range s.dec.needles {
		out = append(out, "decoded:"+n)
	}
	return out
}

// LineRequirements returns, for each rule that applies to format f, the
// literal groups a raw log line must all hold (a literal of each group,
// ASCII case-insensitively, as written or in DecodeLine's decoding of the
// line, '+' read as a space) for the rule to be able to match, and each
// such rule's index (for MatchRules). Groups with a literal shorter than
// shortest are left out. ok is false when a rule that applies to f has
// no group left, or when prefiltering is off.
func (s *SigmaSet) LineRequirements(f logs.Format, shortest int) (reqs [][][]string, idx []int32, ok bool) {
	if s == nil {
		return nil, nil, true
	}
	if s.noPrefilter {
		return nil, nil, false
	}
	fb := formatBit(f)
	for ri, r := range s.rules {
		if r.formats&fb == 0 {
			continue
		}
		var groups [][]string
		for _, q := range r.cnf {
			var g []string
			for _, n := range q.needles {
				n = strings.TrimPrefix(n, decMark)
				if len(n) < shortest {
					g = nil
					break
				}
				g = append(g, n)
			}
			if g != nil {
				groups = append(groups, g)
			}
		}
		if len(groups) == 0 {
			return nil, nil, false
		}
		reqs = append(reqs, groups)
		idx = append(idx, int32(ri))
	}
	return reqs, idx, true
}

// DecodeLine appends to dst the URL decoding of a whole raw log line, the
// way decoded-uri reads a request URI: twice (%25xx -> %xx -> x), %uXXXX
// too, and "+" as a space. tmp is scratch for the first pass.
func DecodeLine(dst, line []byte, tmp *[]byte) []byte {
	return decodeURIInto(dst, line, 0, tmp)
}

// --- matching -----------------------------------------------------------

type sigmaScratch struct {
	dec, tmp, tmp2 []byte
	mark           []uint32
	gen            uint32
	cand           []int32
	memo           []int16
	ev             sigmaEvent // reused by Match; evidence copies its values
}

// Match runs the rules that apply to the record's format and returns one
// Reason per matching rule, in load order. Evidence values are copies; the
// record may be reused by its reader afterwards.
func (s *SigmaSet) Match(rec *logs.Record) []finding.Reason {
	if s == nil || rec == nil || len(s.rules) == 0 {
		return nil
	}
	fb := formatBit(rec.Format)
	if fb&s.formats == 0 {
		return nil
	}
	sc := s.pool.Get().(*sigmaScratch)
	defer s.pool.Put(sc)
	if !s.candidates(rec, fb, sc) {
		return nil
	}
	return s.matchCands(rec, sc)
}

// MatchRules is Match restricted to the rules of the given indexes (from
// LineRequirements), without the per-record prefilter: for a caller that
// already knows which rules the line can satisfy.
func (s *SigmaSet) MatchRules(rec *logs.Record, idx []int32) []finding.Reason {
	if s == nil || rec == nil || len(idx) == 0 {
		return nil
	}
	fb := formatBit(rec.Format)
	sc := s.pool.Get().(*sigmaScratch)
	defer s.pool.Put(sc)
	sc.cand = sc.cand[:0]
	for _, ri := range idx {
		if int(ri) < len(s.rules) && s.rules[ri].formats&fb != 0 {
			sc.cand = append(sc.cand, ri)
		}
	}
	if len(sc.cand) == 0 {
		return nil
	}
	return s.matchCands(rec, sc)
}

func (s *SigmaSet) matchCands(rec *logs.Record, sc *sigmaScratch) []finding.Reason {
	slices.Sort(sc.cand)
	ev := newSigmaEventInto(&sc.ev, rec)
	defer func() { // keep no reference to the record
		clear(sc.ev.extra)
		sc.ev = sigmaEvent{extra: sc.ev.extra[:0]}
	}()
	var out []finding.Reason
	fb := formatBit(rec.Format)
	for _, ri := range sc.cand {
		r := s.rules[ri]
		if r.onlyMask&fb != 0 && !r.only(rec) {
			continue
		}
		if cap(sc.memo) < len(r.searches) {
			sc.memo = make([]int16, len(r.searches))
		}
		memo := sc.memo[:len(r.searches)]
		for i := range memo {
			memo[i] = memoUnset
		}
		if !r.eval(ev, memo) {
			continue
		}
		reason := r.reason
		reason.Evidence = r.evidence(ev, memo)
		out = append(out, reason)
	}
	return out
}

// candidates fills sc.cand with the rules to evaluate on rec: those whose
// needles occur in the raw line (or, for decoded-uri matchers, in the
// decoded URI) and those without needles, restricted to the record's
// format.
func (s *SigmaSet) candidates(rec *logs.Record, fb formatMask, sc *sigmaScratch) bool {
	sc.gen++
	if sc.gen == 0 {
		clear(sc.mark)
		sc.gen = 1
	}
	sc.cand = sc.cand[:0]
	if s.noPrefilter {
		for ri := range s.rules {
			sc.add(s, int32(ri), fb)
		}
		return len(sc.cand) > 0
	}
	for _, ri := range s.always {
		sc.add(s, ri, fb)
	}
	if s.raw.dfa != nil {
		s.raw.scan(rec.Raw, sc, s, fb)
	}
	if s.dec.dfa != nil {
		if stem, query, ok := uriParts(rec); ok {
			sc.tmp = appendURI(sc.tmp[:0], stem, query)
			sc.dec = decodeURIInto(sc.dec[:0], sc.tmp, len(stem), &sc.tmp2)
			s.dec.scan(sc.dec, sc, s, fb)
		}
	}
	return len(sc.cand) > 0
}

func (sc *sigmaScratch) add(s *SigmaSet, ri int32, fb formatMask) {
	if sc.mark[ri] != sc.gen && s.rules[ri].formats&fb != 0 {
		sc.mark[ri] = sc.gen
		sc.cand = append(sc.cand, ri)
	}
}

const (
	memoUnset int16 = -2
	memoFalse int16 = -1
)

func (r *sigmaRule) eval(ev *sigmaEvent, memo []int16) bool {
	for _, c := range r.conds {
		if r.evalNode(c, ev, memo) {
			return true
		}
	}
	return false
}

func (r *sigmaRule) evalNode(n *cNode, ev *sigmaEvent, memo []int16) bool {
	switch n.op {
	case nAnd:
		for _, k := range n.kids {
			if !r.evalNode(k, ev, memo) {
				return false
			}
		}
		return true
	case nOr:
		for _, k := range n.kids {
			if r.evalNode(k, ev, memo) {
				return true
			}
		}
		return false
	case nNot:
		return !r.evalNode(n.kids[0], ev, memo)
	case nSearchAll:
		s := r.searches[n.search]
		if s.keywords != nil {
			for _, k := range s.keywords {
				if !ev.keyword(k) {
					return false
				}
			}
			return true
		}
		for _, and := range s.matchers {
			if !ev.matchAll(and) {
				return false
			}
		}
		if memo[n.search] == memoUnset {
			memo[n.search] = 0
		}
		return true
	default:
		if m := memo[n.search]; m != memoUnset {
			return m >= 0
		}
		res := memoFalse
		s := r.searches[n.search]
		if s.keywords != nil {
			for i, k := range s.keywords {
				if ev.keyword(k) {
					res = int16(i)
					break
				}
			}
		} else {
			for i, and := range s.matchers {
				if ev.matchAll(and) {
					res = int16(i)
					break
				}
			}
		}
		memo[n.search] = res
		return res >= 0
	}
}

// evidence lists the fields the rule tested: those of the searches that
// matched (and are used positively) and those of the searches used under
// "not", in rule order, each field once.
func (r *sigmaRule) evidence(ev *sigmaEvent, memo []int16) []finding.Evidence {
	var out []finding.Evidence
	seen := map[string]bool{}
	addField := func(name string) {
		vals := ev.get(name)
		if len(vals) == 0 || vals[0] == "" {
			return
		}
		shown := ev.nativeName(name)
		if shown == uriNative {
			// a whole or decoded URI: shown as the log's own request
			// columns, as logged
			for _, f := range []logs.StdField{logs.StdStem, logs.StdQuery, logs.StdURI} {
				if v, n, ok := ev.rec.Std(f); ok && v != "" && v != "-" && !seen[strings.ToLower(n)] {
					seen[strings.ToLower(n)] = true
					out = append(out, finding.Evidence{Name: n, Value: clip(v)})
				}
			}
			return
		}
		key := strings.ToLower(shown)
		if seen[key] {
			return
		}
		seen[key] = true
		out = append(out, finding.Evidence{Name: shown, Value: clip(vals[0])})
	}
	for i, s := range r.searches {
		m := memo[i]
		usePos := r.positive[i] && m >= 0
		useNeg := r.negated[i] && m != memoUnset
		if !usePos && !useNeg {
			continue
		}
		if s.keywords != nil {
			if m >= 0 {
				out = append(out, ev.keywordEvidence(s.keywords[m], seen)...)
			}
			continue
		}
		idx := int(m)
		if idx < 0 {
			idx = 0
		}
		for _, fm := range s.matchers[idx] {
			if fm.field == "" {
				for _, v := range fm.values {
					if m >= 0 && ev.keyword(v) {
						out = append(out, ev.keywordEvidence(v, seen)...)
					}
				}
				continue
			}
			addField(fm.field)
		}
	}
	if len(out) == 0 {
		out = append(out, finding.Evidence{Name: "raw", Value: clip(string(ev.rec.Raw))})
	}
	return out
}

func clip(s string) string {
	if len(s) > maxEvidence {
		cut := maxEvidence
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return strings.Clone(s)
}

// --- events -------------------------------------------------------------

// kv is a derived field; native names the log's own column when the
// field is only another name for it (evidence uses the log's name), or is
// uriNative for a field built from the request's path and query.
type kv struct{ name, val, native string }

// uriNative marks the fields built from a request's path and query (the
// whole URI, decoded-uri): their evidence is the log's own request
// columns.
const uriNative = "\x00uri"

// sigmaEvent is a record seen through Sigma's field names.
type sigmaEvent struct {
	rec      *logs.Record
	extra    []kv // derived fields; several entries with one name are alternatives
	low      string
	lowOK    bool
	joined   string
	joinedOK bool
}

// uriParts returns the request path and query of a record that has a
// URL (logs.Record.URL: IIS/HTTPERR/W3C cs-uri-stem and cs-uri-query or
// cs-uri split at "?", Exchange CSV UrlStem and UrlQuery without its
// leading "?").
func uriParts(rec *logs.Record) (stem, query string, ok bool) {
	return rec.URL()
}

// appendURI appends stem?query (the stem alone without a query).
func appendURI(dst []byte, stem, query string) []byte {
	dst = append(dst, stem...)
	if query != "" {
		if query[0] != '?' {
			dst = append(dst, '?')
		}
		dst = append(dst, query...)
	}
	return dst
}

func newSigmaEvent(rec *logs.Record) *sigmaEvent {
	return newSigmaEventInto(&sigmaEvent{extra: make([]kv, 0, 24)}, rec)
}

// newSigmaEventInto resets ev (keeping its buffer of derived fields) and
// fills it for rec.
func newSigmaEventInto(ev *sigmaEvent, rec *logs.Record) *sigmaEvent {
	clear(ev.extra)
	*ev = sigmaEvent{rec: rec, extra: ev.extra[:0]}
	alias := func(name, val, native string) {
		ev.extra = append(ev.extra, kv{name, val, native})
	}
	addUA := func(ua string, plus bool, native string) {
		alt := ""
		if plus && strings.IndexByte(ua, '+') >= 0 {
			alt = strings.ReplaceAll(ua, "+", " ")
		}
		for _, n := range []string{"c-useragent", "cs-user-agent", "cs(User-Agent)"} {
			alias(n, ua, native)
			if alt != "" {
				alias(n, alt, native)
			}
		}
	}
	stem, query, hasURL := uriParts(rec)
	spec := rec.FormatSpec()
	// Sigma's webserver names from the standard view: W3C logs name most
	// columns the Sigma way already; Exchange CSV logs get them when the
	// record is a request
	if spec != nil && spec.Web && (hasURL || spec.PlusIsSpace) {
		if ua, native, ok := rec.Std(logs.StdUserAgent); ok {
			addUA(ua, spec.PlusIsSpace, native)
		}
		for _, p := range webAliases {
			if v, native, ok := rec.Std(p.f); ok && native != p.name {
				alias(p.name, v, native)
			}
		}
	}
	if spec != nil && spec.SigmaAliases != nil {
		spec.SigmaAliases(rec, alias)
	}
	if hasURL {
		full := string(appendURI(nil, stem, query))
		stemName := "cs-uri-stem"
		if _, native, ok := rec.Std(logs.StdStem); ok {
			stemName = native
		}
		alias("cs-uri-stem", stem, stemName)
		alias("c-uri-stem", stem, stemName)
		alias("cs-uri-query", full, uriNative)
		alias("c-uri", full, uriNative)
		alias("cs-uri", full, uriNative)
		alias("c-uri-query", strings.TrimPrefix(query, "?"), uriNative)
		alias("decoded-uri", decodeURI(full, len(stem)), uriNative)
	}
	return ev
}

// webAliases are Sigma's webserver field names filled from the standard
// view (the user agent has its own handling).
var webAliases = []struct {
	name string
	f    logs.StdField
}{
	{"cs-method", logs.StdMethod}, {"sc-status", logs.StdStatus}, {"c-ip", logs.StdClientIP},
	{"cs-username", logs.StdUser}, {"s-computername", logs.StdComputer},
	{"cs-referer", logs.StdReferer}, {"cs-cookie", logs.StdCookie}, {"cs-host", logs.StdHost},
}

// get returns the field's value(s): derived names first, then the record.
func (ev *sigmaEvent) get(name string) []string {
	return ev.getInto(nil, name)
}

// getInto appends the field's value(s) to dst (nil when the field is
// absent), so hot paths can pass a stack buffer.
func (ev *sigmaEvent) getInto(dst []string, name string) []string {
	n := len(dst)
	for _, e := range ev.extra {
		if e.name == name {
			dst = append(dst, e.val)
		}
	}
	if len(dst) == n {
		for _, e := range ev.extra {
			if strings.EqualFold(e.name, name) {
				dst = append(dst, e.val)
			}
		}
	}
	if len(dst) > n {
		return dst
	}
	if v, ok := ev.rec.Get(name); ok {
		return append(dst, v)
	}
	return nil
}

// nativeName is the log's own name for a field that is an alias of one of
// its columns, else the name itself.
func (ev *sigmaEvent) nativeName(name string) string {
	for _, e := range ev.extra {
		if strings.EqualFold(e.name, name) {
			if e.native != "" {
				return e.native
			}
			return name
		}
	}
	return name
}

func (ev *sigmaEvent) lowRaw() string {
	if !ev.lowOK {
		ev.low = string(appendLowerASCII(nil, ev.rec.Raw))
		ev.lowOK = true
	}
	return ev.low
}

// keyword matches a keyword against the raw line, then against the
// record's values joined by spaces: CSV quoting hides text that event-log
// keyword rules expect (RPS cmdlet rows hold the cmdlet and its
// parameters in separate, quoted columns; the MSExchange Management event
// reads "New-MailboxExportRequest -Mailbox ...").
func (ev *sigmaEvent) keyword(v *cValue) bool {
	if v.glob != nil {
		return v.glob.match(unsafe.String(unsafe.SliceData(ev.rec.Raw), len(ev.rec.Raw)), true) ||
			v.glob.match(ev.joinedValues(), true)
	}
	return strings.Contains(ev.lowRaw(), v.lit) || containsFold(ev.joinedValues(), v.lit)
}

func (ev *sigmaEvent) joinedValues() string {
	if !ev.joinedOK {
		ev.joined = strings.Join(ev.rec.Values, " ")
		ev.joinedOK = true
	}
	return ev.joined
}

// keywordEvidence names the record fields that hold a matched keyword.
func (ev *sigmaEvent) keywordEvidence(v *cValue, seen map[string]bool) []finding.Evidence {
	var out []finding.Evidence
	for i, n := range ev.rec.Names {
		if i >= len(ev.rec.Values) || seen[strings.ToLower(n)] {
			continue
		}
		val := ev.rec.Values[i]
		var hit bool
		if v.glob != nil {
			hit = v.glob.match(val, true)
		} else {
			hit = containsFold(val, v.lit)
		}
		if hit {
			seen[strings.ToLower(n)] = true
			out = append(out, finding.Evidence{Name: n, Value: clip(val)})
		}
	}
	if len(out) == 0 && !seen["raw"] {
		seen["raw"] = true
		out = append(out, finding.Evidence{Name: "raw", Value: clip(string(ev.rec.Raw))})
	}
	return out
}

func (ev *sigmaEvent) matchAll(and []*cMatcher) bool {
	for _, m := range and {
		if !ev.matcher(m) {
			return false
		}
	}
	return true
}

func (ev *sigmaEvent) matcher(m *cMatcher) bool {
	var buf [4]string
	var vals []string
	present := true
	if m.field == "" {
		// keywords under modifiers ('|all'): the raw line and the joined values
		buf[0] = unsafe.String(unsafe.SliceData(ev.rec.Raw), len(ev.rec.Raw))
		buf[1] = ev.joinedValues()
		vals = buf[:2]
	} else {
		vals = ev.getInto(buf[:0], m.field)
		if vals == nil {
			present = false
		}
	}
	if m.op == opExists {
		has := present && len(vals) > 0 && vals[0] != ""
		for _, v := range m.values {
			if v.exists == has {
				return true
			}
		}
		return false
	}
	if m.all {
		for _, v := range m.values {
			if !matchValue(m, v, vals, present) {
				return false
			}
		}
		return true
	}
	for _, v := range m.values {
		if matchValue(m, v, vals, present) {
			return true
		}
	}
	return false
}

func matchValue(m *cMatcher, v *cValue, vals []string, present bool) bool {
	if v.null {
		return !present || len(vals) == 0 || vals[0] == ""
	}
	if !present {
		// a missing field equals only the empty string
		return m.op == opEq && v.glob == nil && v.lit == ""
	}
	fold := !m.cased
	for _, a := range vals {
		if matchOne(m.op, v, a, fold) {
			return true
		}
	}
	return false
}

func matchOne(op matchOp, v *cValue, a string, fold bool) bool {
	switch op {
	case opRe:
		return v.re.MatchString(a)
	case opCIDR:
		ip, err := netip.ParseAddr(strings.Trim(strings.TrimSpace(a), "[]"))
		return err == nil && v.prefix.Contains(ip.Unmap())
	case opGt, opGte, opLt, opLte:
		f, err := strconv.ParseFloat(strings.TrimSpace(a), 64)
		if err != nil {
			return false
		}
		switch op {
		case opGt:
			return f > v.num
		case opGte:
			return f >= v.num
		case opLt:
			return f < v.num
		}
		return f <= v.num
	}
	if v.glob != nil {
		return v.glob.match(a, fold)
	}
	switch op {
	case opContains:
		if fold {
			return containsFold(a, v.lit)
		}
		return strings.Contains(a, v.lit)
	case opStarts:
		return len(a) >= len(v.lit) && eqFold(a[:len(v.lit)], v.lit, fold)
	case opEnds:
		return len(a) >= len(v.lit) && eqFold(a[len(a)-len(v.lit):], v.lit, fold)
	}
	return len(a) == len(v.lit) && eqFold(a, v.lit, fold)
}

// --- byte helpers (ASCII case folding, as the prefilter does) -----------

func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			return string(appendLowerASCII(nil, []byte(s)))
		}
	}
	return s
}

func appendLowerASCII(dst, src []byte) []byte {
	for _, c := range src {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

// eqFold compares a with the already lower-cased b.
func eqFold(a, b string, fold bool) bool {
	if !fold {
		return a == b
	}
	for i := 0; i < len(b); i++ {
		c := a[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != b[i] {
			return false
		}
	}
	return true
}

// containsFold reports whether s contains the lower-case needle, ignoring
// ASCII case in s.
func containsFold(s, needle string) bool {
	n := len(needle)
	if n == 0 {
		return true
	}
	first := needle[0]
	upper := first
	if 'a' <= first && first <= 'z' {
		upper = first - ('a' - 'A')
	}
	for i := 0; i+n <= len(s); i++ {
		c := s[i]
		if c != first && c != upper {
			continue
		}
		if eqFold(s[i:i+n], needle, true) {
			return true
		}
	}
	return false
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// urlDecode appends one pass of %xx / %uXXXX decoding of src to dst;
// invalid escapes stay as they are. A "+" at or after offset plusFrom
// (when >= 0) becomes a space.
func urlDecode(dst, src []byte, plusFrom int) []byte {
	for i := 0; i < len(src); {
		// copy the run up to the next byte that may need decoding
		j := i
		for j < len(src) && src[j] != '%' && (src[j] != '+' || plusFrom < 0 || j < plusFrom) {
			j++
		}
		dst = append(dst, src[i:j]...)
		if j == len(src) {
			break
		}
		i = j
		c := src[i]
		if c == '+' {
			dst = append(dst, ' ')
			i++
			continue
		}
		if i+2 < len(src) {
			if h, ok := unhex(src[i+1]); ok {
				if l, ok := unhex(src[i+2]); ok {
					dst = append(dst, h<<4|l)
					i += 3
					continue
				}
			}
		}
		if i+5 < len(src) && (src[i+1] == 'u' || src[i+1] == 'U') {
			var r rune
			ok := true
			for k := 2; k <= 5; k++ {
				d, good := unhex(src[i+k])
				if !good {
					ok = false
					break
				}
				r = r<<4 | rune(d)
			}
			if ok {
				dst = utf8.AppendRune(dst, r)
				i += 6
				continue
			}
		}
		dst = append(dst, c)
		i++
	}
	return dst
}

// decodeURI decodes the whole URI twice (%25xx -> %xx -> x); "+" in the
// query (after the stem's stemLen bytes) reads as a space.
func decodeURI(full string, stemLen int) string {
	if strings.IndexByte(full, '%') < 0 && strings.IndexByte(full[stemLen:], '+') < 0 {
		return full
	}
	var tmp []byte
	return string(decodeURIInto(nil, []byte(full), stemLen, &tmp))
}

// decodeURIInto appends the decoded form of full to dst, using *tmp as
// scratch for the first pass.
func decodeURIInto(dst, full []byte, stemLen int, tmp *[]byte) []byte {
	if bytes.IndexByte(full, '%') < 0 && bytes.IndexByte(full[stemLen:], '+') < 0 {
		return append(dst, full...)
	}
	*tmp = urlDecode((*tmp)[:0], full, stemLen)
	if bytes.IndexByte(*tmp, '%') < 0 {
		return append(dst, *tmp...)
	}
	return urlDecode(dst, *tmp, -1)
}
