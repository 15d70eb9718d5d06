package logcheck

import (
	"bytes"
	"math/bits"
	"slices"
	"sync"

	"exscan/iocs"
	"exscan/rules"
	"exscan/scanner/logs"
)

// Prefilter decides from a raw log line alone whether its record could
// get a finding from the Checker, so that the lines it rules out need not
// be split into fields and checked (logs.Reader.SetFilter).
//
// A line is kept when it contains, ASCII case-insensitively, a literal of
// each required group of some Sigma rule that applies to the format
// (rules.SigmaSet.LineRequirements), an indicator
// literal (iocs.Set.LogNeedles: the IPv4 addresses, the user-agent and
// url fragments) or one of the extra literals the caller adds (the file
// names of webshells found on disk); or when the URL decoding of a line
// with '%' in it contains one; or when the line has bytes outside ASCII,
// where Unicode case folding can make ASCII letters. Needles are fragments
// free of the characters where a field value can differ from the raw line
// ('?', '+', space, quotes, separators), so a line with a field a check
// matches always holds one.
//
// When some check has no such literal (a Sigma rule without a needle, an
// address range or IPv6 address on an indicator list, a pattern without a
// literal), Keep for the affected formats is nil: every line is parsed.
type Prefilter struct {
	byFormat map[logs.Format]*lineFilter
	pool     sync.Pool
}

// lineFilter is the prefilter of one format: the needles, and per Sigma
// rule the groups of needle ids a line must all touch (indexed) and the
// groups checked only on lines that touch all of those (lazy).
type lineFilter struct {
	ns    *needleSet
	words int
	rules []lineRule
	// byNeedle: per needle id, the rules whose first group holds it
	byNeedle [][]int32
}

type lineRule struct {
	groups [][]uint64 // needle-id masks
	lazy   [][]string // lower case
}

type decodeScratch struct{ dec, tmp []byte }

// Prefilter builds the line prefilter for the Checker's rules and
// indicators, plus extra literals (each at least 4 bytes; shorter ones
// turn the filter off).
//
// Of a rule's literal groups, those whose literals are all long enough
// for the fast index (indexMin bytes, or a file name such as "/x.aspx")
// are indexed, and the others are checked only on lines that hold all
// indexed groups; a rule with no such group has its group with the
// longest literals indexed.
func (c *Checker) Prefilter(extra []string) *Prefilter {
	p := &Prefilter{byFormat: map[logs.Format]*lineFilter{}}
	p.pool.New = func() any { return &decodeScratch{} }
	var alone []string
	if c.ind != nil {
		src, ok := c.ind.(interface{ LogNeedles() ([]string, bool) })
		if !ok {
			return p
		}
		n, ok := src.LogNeedles()
		if !ok {
			return p
		}
		alone = n
	}
	alone = append(alone, extra...)
	for _, f := range prefilterFormats {
		reqs, ok := c.sigma.LineRequirements(f, minNeedle)
		if !ok {
			continue
		}
		var grouped []string
		ids := map[string]int{}
		lf := &lineFilter{}
		for _, groups := range reqs {
			var indexed [][]string
			var lr lineRule
			for _, g := range groups {
				if slices.ContainsFunc(g, shortNeedle) {
					lr.lazy = append(lr.lazy, foldAll(g))
				} else {
					indexed = append(indexed, g)
				}
			}
			if len(indexed) == 0 {
				best := 0
				for i, g := range lr.lazy {
					if minLen(g) > minLen(lr.lazy[best]) {
						best = i
					}
				}
				indexed = append(indexed, lr.lazy[best])
				lr.lazy = slices.Delete(lr.lazy, best, best+1)
			}
			for _, g := range indexed {
				var ns []int
				for _, n := range g {
					n = foldString(n)
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
		lf.ns = newNeedleSet(grouped, alone)
		if !lf.ns.exact {
			continue
		}
		p.byFormat[f] = lf
	}
	return p
}

// shortNeedle: short enough to slow the whole index down (see needleSet).
func shortNeedle(n string) bool {
	if _, ok := fileExt(foldString(n)); ok {
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
		out[i] = foldString(n)
	}
	return out
}

// minNeedle is the shortest literal the prefilter can index.
const minNeedle = 4

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

// prefilterFormats are the formats whose readers can skim lines.
var prefilterFormats = []logs.Format{
	logs.FormatIIS, logs.FormatHTTPErr, logs.FormatW3C,
	logs.FormatHttpProxy, logs.FormatRPS, logs.FormatExchange,
}

// Keep returns the line filter for a format, or nil when every line of it
// must be parsed.
func (p *Prefilter) Keep(f logs.Format) func([]byte) bool {
	if p == nil {
		return nil
	}
	lf := p.byFormat[f]
	if lf == nil {
		return nil
	}
	return func(line []byte) bool { return p.keep(lf, line) }
}

func (p *Prefilter) keep(lf *lineFilter, line []byte) bool {
	var arr [4]uint64
	found := arr[:]
	if lf.words > len(arr) {
		found = make([]uint64, lf.words)
	}
	found = found[:lf.words]
	if lf.ns.scan(line, found) {
		return true
	}
	var sc *decodeScratch
	var dec []byte
	if bytes.IndexByte(line, '%') >= 0 {
		sc = p.pool.Get().(*decodeScratch)
		defer p.pool.Put(sc)
		sc.dec = rules.DecodeLine(sc.dec[:0], line, &sc.tmp)
		dec = sc.dec
		if lf.ns.scan(dec, found) {
			return true
		}
	}
	return lf.satisfied(found, line, dec)
}

// satisfied reports whether some rule has a found needle in each indexed
// group, and a needle of each lazy group in line or dec.
func (lf *lineFilter) satisfied(found []uint64, line, dec []byte) bool {
	for w, word := range found {
		for word != 0 {
			id := w*64 + bits.TrailingZeros64(word)
			word &= word - 1
			for _, ri := range lf.byNeedle[id] {
				if lf.rules[ri].holds(found, line, dec) {
					return true
				}
			}
		}
	}
	return false
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
		if !slices.ContainsFunc(g, func(n string) bool { return containsFold(line, n) || containsFold(dec, n) }) {
			return false
		}
	}
	return true
}

// containsFold: b contains the folded needle n (see foldByte).
func containsFold(b []byte, n string) bool {
	if len(n) == 0 {
		return true
	}
	for i := 0; i+len(n) <= len(b); i++ {
		if foldByte(b[i]) == n[0] && hasFoldPrefix(b[i:], []byte(n)) {
			return true
		}
	}
	return false
}

// Formats lists the formats the prefilter can skim, for diagnostics.
func (p *Prefilter) Formats() []logs.Format {
	var out []logs.Format
	for _, f := range prefilterFormats {
		if p != nil && p.byFormat[f] != nil {
			out = append(out, f)
		}
	}
	return out
}

// PathNeedle returns a literal that every log line requesting the URL path
// u holds (see iocs.PathFragment). It may be shorter than 4 bytes; the
// prefilter then keeps every line.
func PathNeedle(u string) string { return iocs.PathFragment(u) }
