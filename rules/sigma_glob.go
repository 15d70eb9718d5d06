package rules

import "exscan/internal/literal"

// Glob matching: Sigma's "*" and "?" wildcards with "\\" escapes.

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
		if fold {
			c = literal.LowerByte(c)
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
