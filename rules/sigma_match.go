package rules

// Matching: candidate rules from the needle scan, condition evaluation
// and evidence.

import (
	"slices"
	"strings"
	"unicode/utf8"

	"exscan/internal/literal"
	"exscan/scanner/finding"
	"exscan/scanner/logs"
)

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
	if s.raw != nil {
		sc.scan(s, s.raw, rec.Raw, fb)
	}
	if s.dec != nil {
		if stem, query, ok := uriParts(rec); ok {
			sc.tmp = appendURI(sc.tmp[:0], stem, query)
			sc.dec = decodeURIInto(sc.dec[:0], sc.tmp, len(stem), &sc.tmp2)
			sc.scan(s, s.dec, sc.dec, fb)
		}
	}
	return len(sc.cand) > 0
}

// scan adds the rules of every needle of a in hay, without copying hay
// or allocating.
func (sc *sigmaScratch) scan(s *SigmaSet, a *literal.Automaton, hay []byte, fb formatMask) {
	a.Scan(hay, func(rules []int32) {
		for _, ri := range rules {
			sc.add(s, ri, fb)
		}
	})
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
