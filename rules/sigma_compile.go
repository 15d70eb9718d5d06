package rules

// Compiling: a parsed rule's searches, field matchers, modifiers and
// condition become a sigmaRule that Match evaluates without allocating.

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/netip"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	sigma "github.com/bradleyjkemp/sigma-go"
	"gopkg.in/yaml.v3"

	"exscan/internal/literal"
	"exscan/internal/loaderr"
	"exscan/scanner/finding"
	"exscan/scanner/logs"
)

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

func compileRule(rule *sigma.Rule, det *yaml.Node) (*sigmaRule, *loaderr.Error) {
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
		return nil, &loaderr.Error{Line: det.Line, Err: errors.New("no condition")}
	}
	for _, c := range rule.Detection.Conditions {
		line := condLine(det)
		if c.Aggregation != nil {
			return nil, &loaderr.Error{Line: line, Err: errors.New("aggregation conditions are not supported")}
		}
		n, err := compileCond(c.Search, r, index)
		if err != nil {
			return nil, &loaderr.Error{Line: line, Err: err}
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

func compileSearch(name string, s sigma.Search, node *yaml.Node) (*cSearch, *loaderr.Error) {
	cs := &cSearch{name: name}
	if len(s.Keywords) > 0 {
		for _, k := range s.Keywords {
			v, err := compileValue(k, opContains, false)
			if err != nil {
				return nil, &loaderr.Error{Line: node.Line, Err: fmt.Errorf("search %s: %v", name, err)}
			}
			v.orig = k
			cs.keywords = append(cs.keywords, v)
		}
		return cs, nil
	}
	if len(s.EventMatchers) == 0 {
		return nil, &loaderr.Error{Line: node.Line, Err: fmt.Errorf("search %s is empty", name)}
	}
	for _, em := range s.EventMatchers {
		var and []*cMatcher
		for _, fm := range em {
			m, err := compileMatcher(fm)
			if err != nil {
				l, _ := fm.Position()
				line := l + 1
				return nil, &loaderr.Error{Line: line, Err: fmt.Errorf("search %s, field %s: %v", name, fm.Field, err)}
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
			segs[i].lit = literal.Lower(segs[i].lit)
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
