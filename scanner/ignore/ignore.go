// Package ignore reads exscan's suppression file (--ignore FILE) and decides
// which findings it suppresses.
//
// The file is YAML. Each entry names what it suppresses, why, and until when:
//
//	# exscan ignore file
//	ignore:
//	  - fingerprint: 9f3c0d1e2a4b5c6d7e8f90a1b2c3d4e5
//	    reason: "IT's own admin page, reviewed in INC-4711"
//	    expires: 2026-06-30
//	  - rule: exscan.file.unexpected-aspnet-page
//	    path: 'C:\Program Files\Microsoft\Exchange Server\V15\FrontEnd\HttpProxy\owa\auth\custom\*.aspx'
//	    reason: "branded logon pages deployed by the mail team"
//	  - rule: sigma.web_exchange_proxyshell
//	    path: "**/W3SVC1/*.log"
//	    client_ip: 10.20.0.0/16
//	    reason: "internal vulnerability scanner"
//	    expires: 2026-01-31
//
// An entry is either a fingerprint (the finding's "fingerprint" field, as
// printed in every output format) or a rule id with a path pattern; a rule
// entry may also name a client_ip (an address or CIDR) that log findings
// must come from. reason is required: a suppression nobody can explain is
// a blind spot. expires (YYYY-MM-DD, valid through that day in UTC, or RFC
// 3339) is optional; an expired entry no longer suppresses anything and is
// reported so that it gets reviewed.
//
// Path patterns are globs on the normalised path: case-insensitive, '/'
// and '\' are the same, '*' and '?' stay within one folder, '**' spans
// folders. A pattern is matched against the finding's Windows path on the
// scanned host (host_path) and against its path on this machine (path);
// either may match. A pattern must match the whole path, so start it with
// "**/" to match anywhere.
//
// The top level may also be a plain list of entries. Unknown keys are
// errors, so that a typo cannot silently widen or narrow a suppression.
package ignore

import (
	"bytes"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"regexp"
	"strings"
	"sync"
	"time"

	"gopkg.in/yaml.v3"

	"exscan/scanner/finding"
)

// Entry is one suppression.
type Entry struct {
	Fingerprint string    // match by fingerprint, or
	Rule        string    // by rule id, with
	Path        string    // a glob on the normalised path, and optionally
	ClientIP    string    // an address or CIDR the finding's client_ip must be in
	Reason      string    // required
	Expires     time.Time // zero: never
	File        string    // where the entry was read
	Line        int

	pathRE *regexp.Regexp
	prefix netip.Prefix
}

// String identifies the entry for warnings: file:line and what it matches.
func (e Entry) String() string {
	var what string
	if e.Fingerprint != "" {
		what = "fingerprint " + e.Fingerprint
	} else {
		what = "rule " + e.Rule + " path " + e.Path
		if e.ClientIP != "" {
			what += " client_ip " + e.ClientIP
		}
	}
	s := fmt.Sprintf("%s:%d: %s (reason: %s)", e.File, e.Line, what, e.Reason)
	if !e.Expires.IsZero() {
		s += " expires " + e.Expires.Add(-time.Nanosecond).Format("2006-01-02")
	}
	return s
}

// expired reports whether the entry no longer applies at now.
func (e *Entry) expired(now time.Time) bool {
	return !e.Expires.IsZero() && !now.Before(e.Expires)
}

func (e *Entry) matches(f *finding.Finding) bool {
	if e.Fingerprint != "" {
		return strings.EqualFold(e.Fingerprint, f.Fingerprint)
	}
	if !strings.EqualFold(e.Rule, f.Rule) {
		return false
	}
	if e.prefix.IsValid() {
		ip, err := netip.ParseAddr(strings.TrimSpace(f.ClientIP))
		if err != nil || !e.prefix.Contains(ip.Unmap()) {
			return false
		}
	}
	for _, p := range []string{f.HostPath, f.Path} {
		if p != "" && e.pathRE.MatchString(normalise(p)) {
			return true
		}
	}
	return false
}

// List is a loaded ignore file. Match is safe for concurrent use.
type List struct {
	entries []Entry

	mu         sync.Mutex
	hits       []int
	suppressed int
}

// Entries returns the entries in file order.
func (l *List) Entries() []Entry {
	if l == nil {
		return nil
	}
	return append([]Entry(nil), l.entries...)
}

// Match reports whether f is suppressed at now: some entry that has not
// expired matches it. Nil-safe: a nil list suppresses nothing.
func (l *List) Match(f *finding.Finding, now time.Time) bool {
	if l == nil || f == nil {
		return false
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for i := range l.entries {
		e := &l.entries[i]
		if e.expired(now) || !e.matches(f) {
			continue
		}
		l.hits[i]++
		l.suppressed++
		return true
	}
	return false
}

// Expired returns the entries whose expiry has passed at now; they no
// longer suppress anything.
func (l *List) Expired(now time.Time) []Entry {
	if l == nil {
		return nil
	}
	var out []Entry
	for _, e := range l.entries {
		if e.expired(now) {
			out = append(out, e)
		}
	}
	return out
}

// Unused returns the entries that have suppressed nothing so far
// (expired entries included: they suppress nothing by definition).
func (l *List) Unused() []Entry {
	if l == nil {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []Entry
	for i, e := range l.entries {
		if l.hits[i] == 0 {
			out = append(out, e)
		}
	}
	return out
}

// Suppressed returns how many findings Match has suppressed.
func (l *List) Suppressed() int {
	if l == nil {
		return 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.suppressed
}

// Len returns the number of entries.
func (l *List) Len() int {
	if l == nil {
		return 0
	}
	return len(l.entries)
}

// Load reads an ignore file. Errors name the file and line.
func Load(path string) (*List, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, b)
}

// Parse reads an ignore file's content; name is used in error messages.
func Parse(name string, data []byte) (*List, error) {
	l := &List{}
	if len(bytes.TrimSpace(data)) == 0 {
		return l, nil
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %v", name, yamlErr(err))
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return l, nil
	}
	root := doc.Content[0]
	var seq *yaml.Node
	switch root.Kind {
	case yaml.SequenceNode:
		seq = root
	case yaml.MappingNode:
		for i := 0; i+1 < len(root.Content); i += 2 {
			k, v := root.Content[i], root.Content[i+1]
			switch k.Value {
			case "ignore":
				if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
					continue
				}
				if v.Kind != yaml.SequenceNode {
					return nil, fmt.Errorf("%s:%d: \"ignore\" must be a list of entries", name, v.Line)
				}
				seq = v
			case "version":
				if v.Value != "1" {
					return nil, fmt.Errorf("%s:%d: unsupported version %q (this exscan reads version 1)", name, v.Line, v.Value)
				}
			default:
				return nil, fmt.Errorf("%s:%d: unknown key %q at the top level (want \"ignore\")", name, k.Line, k.Value)
			}
		}
	default:
		return nil, fmt.Errorf("%s:%d: want a mapping with an \"ignore\" list, or a list of entries", name, root.Line)
	}
	if seq == nil {
		return l, nil
	}
	for _, n := range seq.Content {
		e, err := parseEntry(name, n)
		if err != nil {
			return nil, err
		}
		l.entries = append(l.entries, e)
	}
	l.hits = make([]int, len(l.entries))
	return l, nil
}

func parseEntry(name string, n *yaml.Node) (Entry, error) {
	e := Entry{File: name, Line: n.Line}
	fail := func(line int, format string, a ...any) (Entry, error) {
		return Entry{}, fmt.Errorf("%s:%d: %s", name, line, fmt.Sprintf(format, a...))
	}
	if n.Kind != yaml.MappingNode {
		return fail(n.Line, "an entry must be a mapping (fingerprint or rule + path, reason, optional expires)")
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if seen[k.Value] {
			return fail(k.Line, "%q given twice", k.Value)
		}
		seen[k.Value] = true
		if v.Kind != yaml.ScalarNode {
			return fail(v.Line, "%q must be a single value", k.Value)
		}
		val := strings.TrimSpace(v.Value)
		switch k.Value {
		case "fingerprint":
			e.Fingerprint = strings.ToLower(val)
		case "rule":
			e.Rule = val
		case "path":
			e.Path = val
		case "client_ip":
			e.ClientIP = val
		case "reason":
			e.Reason = val
		case "expires":
			t, err := parseExpiry(val)
			if err != nil {
				return fail(v.Line, "expires: %v", err)
			}
			e.Expires = t
		default:
			return fail(k.Line, "unknown key %q (want fingerprint, rule, path, client_ip, reason, expires)", k.Value)
		}
	}
	switch {
	case e.Reason == "":
		return fail(n.Line, "reason is required: say why this finding is accepted")
	case e.Fingerprint != "" && (e.Rule != "" || e.Path != "" || e.ClientIP != ""):
		return fail(n.Line, "give either a fingerprint or a rule with a path, not both")
	case e.Fingerprint != "":
		if !isHex(e.Fingerprint) {
			return fail(n.Line, "fingerprint %q is not a hex fingerprint as printed by exscan", e.Fingerprint)
		}
		return e, nil
	case e.Rule == "":
		return fail(n.Line, "an entry needs a fingerprint, or a rule with a path")
	case e.Path == "":
		return fail(n.Line, "rule %s needs a path pattern (\"**\" for every path)", e.Rule)
	}
	re, err := globRE(e.Path)
	if err != nil {
		return fail(n.Line, "path %q: %v", e.Path, err)
	}
	e.pathRE = re
	if e.ClientIP != "" {
		p, err := parsePrefix(e.ClientIP)
		if err != nil {
			return fail(n.Line, "client_ip %q: want an IP address or a CIDR", e.ClientIP)
		}
		e.prefix = p
	}
	return e, nil
}

// parseExpiry reads a date (valid through that day, UTC) or an RFC 3339 time.
func parseExpiry(s string) (time.Time, error) {
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t.AddDate(0, 0, 1), nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("%q is not a date (YYYY-MM-DD or RFC 3339)", s)
}

func parsePrefix(s string) (netip.Prefix, error) {
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, err
		}
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), nil
}

func isHex(s string) bool {
	if len(s) < 8 {
		return false
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// normalise lower-cases a path and writes every separator as one '/'.
func normalise(p string) string {
	p = strings.ToLower(strings.ReplaceAll(p, `\`, "/"))
	for strings.Contains(p, "//") {
		p = strings.ReplaceAll(p, "//", "/")
	}
	return p
}

// globRE compiles a path glob: '*' and '?' within one folder, '**' across
// folders ("**/" also matches no folder at all), '[...]' a character class.
func globRE(pattern string) (*regexp.Regexp, error) {
	p := normalise(strings.TrimSpace(pattern))
	if p == "" {
		return nil, errors.New("empty pattern")
	}
	var b strings.Builder
	b.WriteString(`^`)
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch c {
		case '*':
			if i+1 < len(p) && p[i+1] == '*' {
				i++
				if i+1 < len(p) && p[i+1] == '/' {
					i++
					b.WriteString(`(?:.*/)?`)
				} else {
					b.WriteString(`.*`)
				}
			} else {
				b.WriteString(`[^/]*`)
			}
		case '?':
			b.WriteString(`[^/]`)
		case '[':
			j := strings.IndexByte(p[i+1:], ']')
			if j < 0 {
				return nil, errors.New("unclosed '['")
			}
			class := p[i+1 : i+1+j]
			if strings.HasPrefix(class, "!") {
				class = "^" + class[1:]
			}
			b.WriteString("[" + strings.ReplaceAll(class, `\`, `\\`) + "]")
			i += j + 1
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString(`$`)
	return regexp.Compile(b.String())
}

func yamlErr(err error) string {
	// yaml.v3 says "yaml: line N: ..."; keep the line, drop the prefix, so
	// the caller's "file:" prefix reads as file:line.
	s := err.Error()
	s = strings.TrimPrefix(s, "yaml: ")
	if strings.HasPrefix(s, "line ") {
		if i := strings.Index(s, ":"); i > 0 {
			return strings.TrimPrefix(s[:i], "line ") + ":" + s[i+1:]
		}
	}
	return s
}
