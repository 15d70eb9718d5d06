package rules

// The needle automaton: one Aho-Corasick pass finds every rule needle.

import (
	"errors"
	"slices"

	"github.com/coregx/ahocorasick"
)

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
