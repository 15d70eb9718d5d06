package logcheck

import (
	"bytes"
	"math/bits"
	"slices"
	"sync"

	"exscan/internal/literal"
	"exscan/rules"
	"exscan/scanner/finding"
	"exscan/scanner/logs"
)

// Prefilter decides from a raw log line alone whether its record could
// get a finding from the Checker, so that the lines it rules out need not
// be split into fields and checked (logs.Reader.SetFilter). It is built
// from what each check needs (Check.Needs), for the formats that can be
// skimmed (logs.FormatSpec.Skimmable).
//
// A line is kept when it contains, ASCII case-insensitively, a literal of
// each group of some check's unit (a Sigma rule that applies to the
// format: rules.SigmaSet.LineRequirements), a literal some check takes
// alone (indicators: iocs.Set.LogNeedles, the IPv4 addresses, the
// user-agent and url fragments; webshells found on disk: their file
// names) or one of the extra literals the caller adds; or when the URL decoding of a line
// with '%' in it contains one; or when the line has bytes outside ASCII,
// where Unicode case folding can make ASCII letters. Needles are fragments
// free of the characters where a field value can differ from the raw line
// ('?', quotes, separators; '+' and space only where the prefilter's
// reading of '+' as a space does not cover the difference), so a line with
// a field a check matches always holds one.
//
// When some check has no such literal (Needs.Every: a Sigma rule without a
// needle, an address range or IPv6 address on an indicator list, a
// pattern without a literal), Keep for the affected formats is nil: every
// line is parsed.
type Prefilter struct {
	byFormat map[logs.Format]*lineFilter
	checks   []Check
	pool     sync.Pool
}

// lineFilter is the prefilter of one format: the needles, and per unit
// (a Sigma rule) the groups of needle ids a line must all touch (indexed)
// and the groups checked only on lines that touch all of those (lazy).
type lineFilter struct {
	ns    *literal.LineSet
	words int
	rules []lineRule
	units []unitRef // rule -> the check and its unit id
	// byNeedle: per needle id, the rules whose first group holds it
	byNeedle [][]int32
}

// unitRef names a unit of a check.
type unitRef struct {
	check int // index in the Checker's checks
	id    int32
}

type lineRule struct {
	groups [][]uint64 // needle-id masks
	lazy   [][]literal.LineNeedle
}

type decodeScratch struct{ dec, tmp []byte }

// Prefilter builds the line prefilter for the Checker's checks, plus
// extra literals (each at least 4 bytes; shorter ones
// turn the filter off).
//
// Of a rule's literal groups, those whose literals are all long enough
// for the fast index (indexMin bytes, or a file name such as "/x.aspx")
// are indexed, and the others are checked only on lines that hold all
// indexed groups; a rule with no such group has its group with the
// longest literals indexed.
func (c *Checker) Prefilter(extra []string) *Prefilter {
	p := &Prefilter{byFormat: map[logs.Format]*lineFilter{}, checks: c.checks}
	p.pool.New = func() any { return &decodeScratch{} }
formats:
	for _, spec := range logs.Formats() {
		if !spec.Skimmable {
			continue
		}
		f := spec.Name
		var alone []string
		var reqs [][][]string
		var units []unitRef
		for ci, ck := range c.checks {
			n := ck.Needs(f)
			if n.Every {
				continue formats
			}
			alone = append(alone, n.Any...)
			for _, u := range n.Units {
				reqs = append(reqs, u.Groups)
				units = append(units, unitRef{ci, u.ID})
			}
		}
		alone = append(alone, extra...)
		var grouped []string
		ids := map[string]int{}
		lf := &lineFilter{units: units}
		for _, groups := range reqs {
			var indexed, lazy [][]string
			var lr lineRule
			for _, g := range groups {
				if slices.ContainsFunc(g, shortNeedle) {
					lazy = append(lazy, foldAll(g))
				} else {
					indexed = append(indexed, g)
				}
			}
			if len(indexed) == 0 {
				best := 0
				for i, g := range lazy {
					if minLen(g) > minLen(lazy[best]) {
						best = i
					}
				}
				indexed = append(indexed, lazy[best])
				lazy = slices.Delete(lazy, best, best+1)
			}
			for _, g := range lazy {
				var ln []literal.LineNeedle
				for _, n := range g {
					ln = append(ln, literal.NewLineNeedle(n))
				}
				lr.lazy = append(lr.lazy, ln)
			}
			for _, g := range indexed {
				var ns []int
				for _, n := range g {
					n = literal.LineFoldString(n)
					id, ok := ids[n]
					if !ok {
						id = len(grouped)
						ids[n] = id
						grouped = append(grouped, n)
					}
					ns = append(ns, id)
				}
				lr.groups = append(lr.groups, ns2mask(ns))
			}
			lf.rules = append(lf.rules, lr)
		}
		lf.words = (len(grouped) + 63) / 64
		for _, r := range lf.rules {
			for i := range r.groups {
				r.groups[i] = append(r.groups[i], make([]uint64, lf.words-len(r.groups[i]))...)
			}
		}
		lf.byNeedle = make([][]int32, len(grouped))
		for ri, r := range lf.rules {
			for id := range len(grouped) {
				if r.groups[0][id/64]&(1<<(id%64)) != 0 {
					lf.byNeedle[id] = append(lf.byNeedle[id], int32(ri))
				}
			}
		}
		lf.ns = literal.NewLineSet(grouped, alone)
		if !lf.ns.Exact() {
			continue
		}
		p.byFormat[f] = lf
	}
	return p
}

// shortNeedle: short enough to slow the whole index down (see literal.LineSet).
func shortNeedle(n string) bool {
	if literal.IsPageNeedle(n) {
		return false
	}
	return len(n) < indexMin
}

// indexMin is the shortest needle that keeps the index at a stride of 2.
const indexMin = 5

func minLen(g []string) int {
	m := 1 << 30
	for _, n := range g {
		m = min(m, len(n))
	}
	return m
}

func foldAll(g []string) []string {
	out := make([]string, len(g))
	for i, n := range g {
		out[i] = literal.LineFoldString(n)
	}
	return out
}

// minNeedle is the shortest literal the prefilter can index.
const minNeedle = literal.MinLineNeedle

func ns2mask(ids []int) []uint64 {
	var m []uint64
	for _, id := range ids {
		for len(m) <= id/64 {
			m = append(m, 0)
		}
		m[id/64] |= 1 << (id % 64)
	}
	return m
}

// Keep returns the line filter for a format (see logs.Reader.SetFilter),
// or nil when every line of it must be parsed. The hint of a kept line
// names the Sigma rules it can satisfy; see Check.
func (p *Prefilter) Keep(f logs.Format) func([]byte) (bool, uint64) {
	if p == nil {
		return nil
	}
	lf := p.byFormat[f]
	if lf == nil {
		return nil
	}
	return func(line []byte) (bool, uint64) { return p.keep(lf, line) }
}

// maxHintRules: with more rules for a format, kept lines carry no hint.
const maxHintRules = 64

func (p *Prefilter) keep(lf *lineFilter, line []byte) (bool, uint64) {
	var arr [4]uint64
	found := arr[:]
	if lf.words > len(arr) {
		found = make([]uint64, lf.words)
	}
	found = found[:lf.words]
	if lf.ns.Scan(line, found) {
		return true, logs.NoHint
	}
	var sc *decodeScratch
	var dec []byte
	if bytes.IndexByte(line, '%') >= 0 {
		sc = p.pool.Get().(*decodeScratch)
		defer p.pool.Put(sc)
		sc.dec = rules.DecodeLine(sc.dec[:0], line, &sc.tmp)
		dec = sc.dec
		if lf.ns.Scan(dec, found) {
			return true, logs.NoHint
		}
	}
	m := lf.satisfied(found, line, dec)
	return m != 0, m
}

// Check runs the Checker on a record the reader kept: when the line's hint
// names the units it can satisfy, only those are evaluated (through
// UnitChecker), and checks with no unit hinted are left out (no literal
// they take alone is in the line, or the hint would be logs.NoHint).
// Other records get the whole Check.
func (p *Prefilter) Check(c *Checker, rec *logs.Record) []finding.Reason {
	if p == nil || rec == nil || rec.Hint == logs.NoHint {
		return c.Check(rec)
	}
	lf := p.byFormat[rec.Format]
	if lf == nil || len(lf.rules) > maxHintRules {
		return c.Check(rec)
	}
	var out []finding.Reason
	var arr [maxHintRules]int32
	for ci, ck := range p.checks {
		idx := arr[:0]
		for h := rec.Hint; h != 0; h &= h - 1 {
			if u := lf.units[bits.TrailingZeros64(h)]; u.check == ci {
				idx = append(idx, u.id)
			}
		}
		if len(idx) == 0 {
			continue
		}
		if uc, ok := ck.(UnitChecker); ok {
			out = append(out, uc.CheckUnits(rec, idx)...)
		} else {
			out = append(out, ck.Check(rec)...)
		}
	}
	return out
}

// satisfied returns the set of rules (bit i for rule i) that have a
// found needle in each indexed group and a needle of each lazy group in
// line or dec; with more than maxHintRules rules, any nonzero value
// means some rule does.
func (lf *lineFilter) satisfied(found []uint64, line, dec []byte) uint64 {
	var m uint64
	for w, word := range found {
		for word != 0 {
			id := w*64 + bits.TrailingZeros64(word)
			word &= word - 1
			for _, ri := range lf.byNeedle[id] {
				if ri < maxHintRules && m&(1<<ri) != 0 {
					continue
				}
				if lf.rules[ri].holds(found, line, dec) {
					if ri >= maxHintRules {
						return logs.NoHint
					}
					m |= 1 << ri
				}
			}
		}
	}
	return m
}

func (r *lineRule) holds(found []uint64, line, dec []byte) bool {
	for _, g := range r.groups {
		hit := false
		for i, w := range g {
			if w&found[i] != 0 {
				hit = true
				break
			}
		}
		if !hit {
			return false
		}
	}
	for _, g := range r.lazy {
		hit := false
		for i := range g {
			if g[i].In(line) || g[i].In(dec) {
				hit = true
				break
			}
		}
		if !hit {
			return false
		}
	}
	return true
}
