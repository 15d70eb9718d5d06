package iocs

import (
	"fmt"
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"exscan/internal/exchange"
	"exscan/internal/literal"
)

// rule is one filename or url regular expression with its entry.
type rule struct {
	e       *Entry
	pattern string // as loaded; may hold %Var%
	exclude string // Loki's false-positive regex; a match suppresses the entry
	vars    bool   // pattern or exclude mention %...%: compiled per set
	re, ex  *regexp.Regexp
	need    [][]string // folded literal sets: every match contains a literal of each set
	lits    []string   // the set of need used to index the rule; nil when none is long enough
	whole   string     // folded literal L when the pattern is ^L$: a match is an input that folds to L
	isWhole bool
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
	r.re, r.ex = re, ex
	r.need = requiredLiterals(src)
	r.lits = bestSet(r.need)
	r.whole, r.isWhole = wholeLiteral(src)
	return nil
}

// wholeLiteral returns the folded literal of a pattern that is a literal
// anchored at both ends (^/owa/auth/x\.aspx$). Read case-insensitively,
// such a pattern matches s only if fold(s) is that folded literal: fold
// maps every rune to one representative of its case-folding orbit.
func wholeLiteral(src string) (string, bool) {
	re, err := syntax.Parse("(?i)"+src, syntax.Perl)
	if err != nil {
		return "", false
	}
	re = re.Simplify()
	if re.Op != syntax.OpConcat || len(re.Sub) != 3 || re.Sub[0].Op != syntax.OpBeginText ||
		re.Sub[1].Op != syntax.OpLiteral || re.Sub[2].Op != syntax.OpEndText {
		return "", false
	}
	for _, r := range re.Sub[1].Rune {
		if r == utf8.RuneError {
			return "", false
		}
	}
	return fold(string(re.Sub[1].Rune)), true
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

// regexSet matches many regexps against one string cheaply. Each rule is
// indexed by one set of literals every match must contain one of; one
// pass of a literal.Automaton over the folded input finds the rules with
// such a literal. A rule found that way, or one without a literal of four
// bytes or more to index, runs its regexp only when the input holds a
// literal of each of its literal sets.
type regexSet struct {
	whole   map[string][]int32 // rules whose pattern is ^literal$, by folded literal
	rules   []*rule
	indexed []int32 // rules found through their literals
	always  []int32
	// auto is the automaton over the literals of the indexed rules, built
	// by the first match after a change (loading is not concurrent with
	// matching; matches are with each other).
	auto   atomic.Pointer[literalIndex]
	autoMu sync.Mutex
}

// literalIndex is the automaton, or (when the literals need more states
// than an automaton holds) the rules to run instead.
type literalIndex struct {
	a   *literal.Automaton
	all []int32
}

func (s *regexSet) add(r *rule) {
	s.rules = append(s.rules, r)
	s.indexRule(int32(len(s.rules) - 1))
}

func (s *regexSet) indexRule(i int32) {
	s.auto.Store(nil)
	if r := s.rules[i]; r.isWhole {
		if s.whole == nil {
			s.whole = map[string][]int32{}
		}
		s.whole[r.whole] = append(s.whole[r.whole], i)
		return
	}
	lits := s.rules[i].lits
	if len(lits) == 0 || slices.ContainsFunc(lits, func(l string) bool { return len(l) < 4 }) {
		s.always = append(s.always, i)
		return
	}
	s.indexed = append(s.indexed, i)
}

// automaton returns the literal index of the indexed rules, building it
// when the rules changed.
func (s *regexSet) automaton() *literalIndex {
	if x := s.auto.Load(); x != nil {
		return x
	}
	s.autoMu.Lock()
	defer s.autoMu.Unlock()
	if x := s.auto.Load(); x != nil {
		return x
	}
	var ls literal.Set
	for _, ri := range s.indexed {
		for _, l := range s.rules[ri].lits {
			ls.Add(l, ri)
		}
	}
	a, err := ls.Compile()
	x := &literalIndex{a: a}
	if err != nil {
		x.a, x.all = nil, s.indexed
	}
	s.auto.Store(x)
	return x
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
		s.indexed, s.always, s.whole = nil, nil, nil
		for i := range s.rules {
			s.indexRule(int32(i))
		}
	}
}

// match appends the entries whose regexp matches orig; folded is fold(orig).
// Results keep load order.
func (s *regexSet) match(orig, folded string, out []*Entry) []*Entry {
	if len(s.rules) == 0 {
		return out
	}
	var buf [16]int32
	cand := buf[:0]
	x := s.automaton()
	x.a.ScanString(folded, func(rs []int32) { cand = append(cand, rs...) })
	cand = append(cand, x.all...)
	cand = append(cand, s.always...)
	cand = append(cand, s.whole[folded]...)
	slices.Sort(cand)
	for _, ri := range slices.Compact(cand) {
		r := s.rules[ri]
		if r.holdsLiterals(folded) && r.re.MatchString(orig) && (r.ex == nil || !r.ex.MatchString(orig)) {
			out = append(out, r.e)
		}
	}
	return out
}

func (r *rule) holdsLiterals(folded string) bool {
	for _, set := range r.need {
		if !slices.ContainsFunc(set, func(l string) bool { return strings.Contains(folded, l) }) {
			return false
		}
	}
	return true
}

// requiredLiterals returns folded literal sets such that every match of the
// case-insensitive pattern contains a literal of each set; nil when the
// pattern gives none.
func requiredLiterals(src string) [][]string {
	re, err := syntax.Parse("(?i)"+src, syntax.Perl)
	if err != nil {
		return nil
	}
	in := literalsOf(re)
	var out [][]string
	for _, set := range append(in.all, in.exact) {
		if minLen(set) == 0 {
			continue
		}
		f := make([]string, len(set))
		for i, l := range set {
			f[i] = fold(l)
		}
		slices.Sort(f)
		f = slices.Compact(f)
		if !slices.ContainsFunc(out, func(o []string) bool { return slices.Equal(o, f) }) {
			out = append(out, f)
		}
	}
	return out
}

// maxLiterals bounds the sets literalsOf builds (cross products of
// alternations and small classes).
const maxLiterals = 16

// litInfo describes what a sub-expression matches: exact, when non-nil, is
// every string it can match (a small set); all are literal sets such that
// each match contains a literal of every set.
type litInfo struct {
	exact []string
	all   [][]string
}

func literalsOf(re *syntax.Regexp) litInfo {
	switch re.Op {
	case syntax.OpLiteral:
		return litInfo{exact: []string{string(re.Rune)}}
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return litInfo{exact: []string{""}}
	case syntax.OpCharClass:
		var set []string
		for i := 0; i+1 < len(re.Rune); i += 2 {
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				if set = appendFolded(set, string(r)); len(set) > 4 {
					return litInfo{}
				}
			}
		}
		return litInfo{exact: set}
	case syntax.OpCapture:
		return literalsOf(re.Sub[0])
	case syntax.OpPlus:
		return litInfo{all: literalsOf(re.Sub[0]).sets()}
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return litInfo{all: literalsOf(re.Sub[0]).sets()}
		}
	case syntax.OpAlternate:
		// Exact when every branch is; otherwise each branch contributes its
		// best set, and the union is required.
		var exact, union []string
		exactOK, unionOK := true, true
		for _, sub := range re.Sub {
			in := literalsOf(sub)
			exactOK = exactOK && in.exact != nil && len(exact)+len(in.exact) <= maxLiterals
			if exactOK {
				exact = append(exact, in.exact...)
			}
			b := bestSet(in.sets())
			unionOK = unionOK && minLen(b) > 0 && len(union)+len(b) <= maxLiterals
			if unionOK {
				union = append(union, b...)
			}
		}
		var out litInfo
		if exactOK {
			out.exact = exact
		}
		if unionOK {
			out.all = [][]string{union}
		}
		return out
	case syntax.OpConcat:
		// Extend a run of exact parts by cross product; a part that is not
		// exact (or too large to multiply) ends the run, and its own sets and
		// the run's set are all required.
		var out litInfo
		run := []string{""}
		for _, sub := range re.Sub {
			in := literalsOf(sub)
			if in.exact != nil && len(run)*len(in.exact) <= maxLiterals {
				run = cross(run, in.exact)
				continue
			}
			out.all = append(out.all, run)
			out.all = append(out.all, in.all...)
			run = []string{""}
			if in.exact != nil {
				run = in.exact
			}
		}
		if len(out.all) == 0 {
			out.exact = run
		} else {
			out.all = append(out.all, run)
		}
		return out
	}
	return litInfo{}
}

// sets is every required set of in, its exact set included.
func (in litInfo) sets() [][]string {
	if in.exact != nil {
		return append(in.all, in.exact)
	}
	return in.all
}

// bestSet picks the set most worth indexing.
func bestSet(sets [][]string) []string {
	var b []string
	for _, s := range sets {
		if better(s, b) {
			b = s
		}
	}
	return b
}

// better prefers the set more worth indexing: the one whose weakest literal
// scores higher (see selectivity), then the smaller set. A set holding ""
// tells nothing.
func better(a, b []string) bool {
	sa, sb := setScore(a), setScore(b)
	return sa > sb || sa == sb && sa > 0 && len(a) < len(b)
}

func setScore(set []string) int {
	if minLen(set) == 0 {
		return 0
	}
	return minOf(set, selectivity)
}

// selectivity ranks a literal for indexing paths and URLs: its length, with
// the characters after the last separator (a file name, rarer than folder
// names such as \FrontEnd\HttpProxy\owa\auth) counting five times.
func selectivity(l string) int {
	return len(l) + 4*(len(l)-1-strings.LastIndexAny(l, `\/`))
}

func minLen(set []string) int { return minOf(set, func(l string) int { return len(l) }) }

// minOf is the least f(l) over the set; 0 for an empty set.
func minOf(set []string, f func(string) int) int {
	if len(set) == 0 {
		return 0
	}
	m := f(set[0])
	for _, l := range set[1:] {
		m = min(m, f(l))
	}
	return m
}

func cross(a, b []string) []string {
	out := make([]string, 0, len(a)*len(b))
	for _, x := range a {
		for _, y := range b {
			out = append(out, x+y)
		}
	}
	return out
}

func appendFolded(set []string, s string) []string {
	f := fold(s)
	if slices.Contains(set, f) {
		return set
	}
	return append(set, f)
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
	return literal.Lower(s)
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

// isBaselinePage reports whether a folded path is a page Microsoft ships
// under FrontEnd\HttpProxy (exchange.ShippedProxyPage): an indicator that
// names one of them is not evidence by itself.
func isBaselinePage(folded string) bool {
	return exchange.ShippedProxyPage(strings.ReplaceAll(folded, `\`, "/"))
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
