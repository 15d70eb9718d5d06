package iocs

import (
	"fmt"
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// rule is one filename or url regular expression with its entry.
type rule struct {
	e       *Entry
	pattern string // as loaded; may hold %Var%
	exclude string // Loki's false-positive regex; a match suppresses the entry
	vars    bool   // pattern or exclude mention %...%: compiled per set
	re, ex  *regexp.Regexp
	lit     string // folded literal every match contains; "" when none
}

func newRule(e *Entry, pattern, exclude string, vars map[string]string) (*rule, error) {
	r := &rule{e: e, pattern: pattern, exclude: exclude,
		vars: strings.Count(pattern, "%") >= 2 || strings.Count(exclude, "%") >= 2}
	return r, r.compile(vars)
}

// compile compiles the pattern case-insensitively, with %Var% replaced by the
// quoted value of the variable.
func (r *rule) compile(vars map[string]string) error {
	src := expandVars(r.pattern, vars, regexp.QuoteMeta)
	re, err := regexp.Compile("(?i)" + src)
	if err != nil {
		return err
	}
	var ex *regexp.Regexp
	if r.exclude != "" {
		if ex, err = regexp.Compile("(?i)" + expandVars(r.exclude, vars, regexp.QuoteMeta)); err != nil {
			return fmt.Errorf("exclude pattern: %w", err)
		}
	}
	r.re, r.ex, r.lit = re, ex, requiredLiteral(src)
	return nil
}

// share returns the rule for a set with the given variables: r itself when
// it uses none (compiled rules are safe to share), otherwise a recompiled copy.
func (r *rule) share(vars map[string]string) *rule {
	if !r.vars {
		return r
	}
	c := *r
	if c.compile(vars) != nil {
		return r // values are quoted, so this only fails on odd %...% placement
	}
	return &c
}

// regexSet matches many regexps against one string cheaply: each rule is
// indexed by the first four bytes of a literal every match must contain, so a
// lookup costs one map probe per byte of input, and only rules whose literal
// occurs run their regexp. Rules without such a literal run on every input.
type regexSet struct {
	rules  []*rule
	byKey  map[uint32][]int32
	always []int32
}

func (s *regexSet) add(r *rule) {
	s.rules = append(s.rules, r)
	s.indexRule(int32(len(s.rules) - 1))
}

func (s *regexSet) indexRule(i int32) {
	lit := s.rules[i].lit
	if len(lit) < 4 {
		s.always = append(s.always, i)
		return
	}
	if s.byKey == nil {
		s.byKey = map[uint32][]int32{}
	}
	k := key4(lit)
	s.byKey[k] = append(s.byKey[k], i)
}

// expand recompiles the rules that use variables and rebuilds the index.
func (s *regexSet) expand(vars map[string]string) {
	changed := false
	for i, r := range s.rules {
		if r.vars {
			s.rules[i] = r.share(vars)
			changed = true
		}
	}
	if changed {
		s.byKey, s.always = nil, nil
		for i := range s.rules {
			s.indexRule(int32(i))
		}
	}
}

func key4(s string) uint32 {
	return uint32(s[0]) | uint32(s[1])<<8 | uint32(s[2])<<16 | uint32(s[3])<<24
}

// match appends the entries whose regexp matches orig; folded is fold(orig).
// Results keep load order.
func (s *regexSet) match(orig, folded string, out []*Entry) []*Entry {
	if len(s.rules) == 0 {
		return out
	}
	var buf [16]int32
	cand := buf[:0]
	if len(s.byKey) > 0 {
		for i := 0; i+4 <= len(folded); i++ {
			for _, ri := range s.byKey[key4(folded[i:])] {
				if strings.HasPrefix(folded[i:], s.rules[ri].lit) {
					cand = append(cand, ri)
				}
			}
		}
	}
	cand = append(cand, s.always...)
	slices.Sort(cand)
	for _, ri := range slices.Compact(cand) {
		r := s.rules[ri]
		if r.re.MatchString(orig) && (r.ex == nil || !r.ex.MatchString(orig)) {
			out = append(out, r.e)
		}
	}
	return out
}

// requiredLiteral returns the longest literal that every match of the
// case-insensitive pattern contains, folded; "" when there is none.
func requiredLiteral(src string) string {
	re, err := syntax.Parse("(?i)"+src, syntax.Perl)
	if err != nil {
		return ""
	}
	return fold(literalOf(re))
}

func literalOf(re *syntax.Regexp) string {
	switch re.Op {
	case syntax.OpLiteral:
		return string(re.Rune)
	case syntax.OpCapture, syntax.OpPlus:
		return literalOf(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return literalOf(re.Sub[0])
		}
	case syntax.OpConcat:
		best := ""
		for _, sub := range re.Sub {
			if l := literalOf(sub); len(l) > len(best) {
				best = l
			}
		}
		return best
	}
	return ""
}

// fold maps s to a case-folded form such that two strings are equal under
// regexp's (?i) matching exactly when their folds are equal: every rune
// becomes the smallest rune of its Unicode simple-fold orbit, ASCII
// lower-cased. ASCII input, the usual case, is just lower-cased.
func fold(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return foldSlow(s)
		}
	}
	return strings.ToLower(s)
}

func foldSlow(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		if r == utf8.RuneError && n == 1 {
			b.WriteRune(utf8.RuneError) // regexp reads an invalid byte as U+FFFD
			continue
		}
		m := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			m = min(m, f)
		}
		if m < utf8.RuneSelf {
			m = unicode.ToLower(m)
		}
		b.WriteRune(m)
	}
	return b.String()
}

// Pages and handlers Microsoft ships under FrontEnd\HttpProxy (from the
// CSS-Exchange per-build baselines): an indicator that names one of them is
// not evidence by itself.
var baselinePages = map[string]bool{
	`owa\auth\errorfe.aspx`:                true,
	`owa\auth\expiredpassword.aspx`:        true,
	`owa\auth\frowny.aspx`:                 true,
	`owa\auth\logoff.aspx`:                 true,
	`owa\auth\logon.aspx`:                  true,
	`owa\auth\outlookcn.aspx`:              true,
	`owa\auth\redirsuiteserviceproxy.aspx`: true,
	`owa\auth\signout.aspx`:                true,
	`owa\auth\svmfeedback.aspx`:            true,
	`ecp\auth\timeoutlogout.aspx`:          true,
}

const httpProxyDir = `\frontend\httpproxy\`

// isBaselinePage reports whether a folded path is one of the baseline pages
// or the global.asax of a FrontEnd\HttpProxy virtual directory.
func isBaselinePage(folded string) bool {
	i := strings.LastIndex(folded, httpProxyDir)
	if i < 0 {
		return false
	}
	rest := folded[i+len(httpProxyDir):]
	if baselinePages[rest] {
		return true
	}
	vdir, file, ok := strings.Cut(rest, `\`)
	return ok && vdir != "" && file == "global.asax"
}

// capAtLow replaces entries above low by low copies that say why.
func capAtLow(es []*Entry) []*Entry {
	for i, e := range es {
		if severityRank(e.Severity) > severityRank(SeverityLow) {
			c := *e
			c.Severity, c.Score = SeverityLow, min(c.Score, scoreFor(SeverityLow))
			c.Description = strings.TrimSpace(c.Description +
				" [capped at low: this is a page Microsoft ships with Exchange; its path proves nothing without a hash or content hit]")
			es[i] = &c
		}
	}
	return es
}
