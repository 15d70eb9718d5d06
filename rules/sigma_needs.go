package rules

// Prefilter requirements: the literal needles a rule needs, the index of
// all rules' needles, and the line requirements the log prefilter is
// built from.

import (
	"strings"

	"exscan/internal/literal"
	"exscan/scanner/logs"
)

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
		for _, p := range strings.FieldsFunc(literal.Lower(f), func(r rune) bool { return strings.ContainsRune(seps, r) }) {
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

// build indexes the needles of all rules: one automaton over the raw
// line's needles, one over the decoded URI's.
func (s *SigmaSet) build() {
	var raw, dec literal.Set
	for ri, r := range s.rules {
		s.formats |= r.formats
		if r.req.open {
			s.always = append(s.always, int32(ri))
			continue
		}
		for _, n := range r.req.needles {
			if d, ok := strings.CutPrefix(n, decMark); ok {
				dec.Add(d, int32(ri))
			} else {
				raw.Add(n, int32(ri))
			}
		}
	}
	var rawErr, decErr error
	s.raw, rawErr = raw.Compile()
	s.dec, decErr = dec.Compile()
	if rawErr != nil || decErr != nil {
		// too many needle states: evaluate every rule rather than miss one
		s.raw, s.dec, s.always = nil, nil, nil
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
	out := append([]string(nil), s.raw.Needles()...)
	for _, n := range s.dec.Needles() {
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
