package literal

import (
	"errors"
	"slices"
	"unsafe"
)

// Set collects needles, each standing for one or more values (rule
// indexes, say), and compiles them into an Automaton. The zero Set is
// ready to use.
type Set struct {
	needles []string
	values  [][]int32
	ids     map[string]int
}

// Add records that needle (folded with Lower) stands for v.
func (s *Set) Add(needle string, v int32) {
	needle = Lower(needle)
	if s.ids == nil {
		s.ids = map[string]int{}
	}
	id, ok := s.ids[needle]
	if !ok {
		id = len(s.needles)
		s.ids[needle] = id
		s.needles = append(s.needles, needle)
		s.values = append(s.values, nil)
	}
	s.values[id] = append(s.values[id], v)
}

// Len is the number of distinct needles added.
func (s *Set) Len() int { return len(s.needles) }

// ErrTooLarge: the needles need more automaton states than fit.
var ErrTooLarge = errors.New("literal: too many needle states")

// Compile builds the automaton; nil (which finds nothing) when no needle
// was added. An empty needle is never reported.
func (s *Set) Compile() (*Automaton, error) {
	if len(s.needles) == 0 {
		return nil, nil
	}
	a := newAutomaton(s.needles, s.values)
	if a == nil {
		return nil, ErrTooLarge
	}
	return a, nil
}

// Automaton finds every needle of a Set in one pass over a byte string,
// ASCII case-insensitively: a full Aho-Corasick DFA over the lower-case
// needles that folds ASCII upper case as it reads, so the haystack needs
// no lower-case copy. Bytes are mapped to equivalence classes (one per
// distinct folded byte of the needles, plus one for every other byte) to
// keep the transition table small enough for the L1/L2 cache. Transition
// entries hold the target state premultiplied by the class count, with
// dfaMatch set when some needle ends at the target state. It is read-only
// once built and safe for concurrent use.
type Automaton struct {
	class   [256]uint8
	stride  uint32
	trans   []uint32
	out     [][]int32 // state -> values of every needle ending there (deduplicated, sorted)
	root    [256]bool // bytes that leave the start state
	needles []string
}

const dfaMatch = 1 << 31

// trie is the automaton under construction; -1 = no edge.
type trieNode struct {
	next []int32
	fail int32
	out  []int32
}

func newAutomaton(needles []string, values [][]int32) *Automaton {
	a := &Automaton{needles: needles}
	// class 0: bytes that occur in no needle
	n := 1
	for _, ne := range needles {
		for i := 0; i < len(ne); i++ {
			c := LowerByte(ne[i])
			if a.class[c] == 0 {
				if n == 256 {
					return nil
				}
				a.class[c] = uint8(n)
				n++
			}
		}
	}
	for b := 0; b < 256; b++ {
		a.class[b] = a.class[LowerByte(byte(b))]
	}
	nodes := a.trie(needles, values, n)
	if uint64(len(nodes))*uint64(n) >= dfaMatch {
		return nil
	}
	a.fill(nodes, n)
	return a
}

// trie builds the goto function of the needles over byte classes, then
// (breadth first) the failure links, the full transitions and the
// outputs each state inherits through its failure link.
func (a *Automaton) trie(needles []string, values [][]int32, stride int) []trieNode {
	newNode := func() trieNode {
		nx := make([]int32, stride)
		for i := range nx {
			nx[i] = -1
		}
		return trieNode{next: nx}
	}
	nodes := []trieNode{newNode()}
	for id, ne := range needles {
		if ne == "" {
			continue
		}
		cur := int32(0)
		for i := 0; i < len(ne); i++ {
			c := a.class[ne[i]]
			if nodes[cur].next[c] < 0 {
				nodes = append(nodes, newNode())
				nodes[cur].next[c] = int32(len(nodes) - 1)
			}
			cur = nodes[cur].next[c]
		}
		nodes[cur].out = append(nodes[cur].out, values[id]...)
	}
	var queue []int32
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
	return nodes
}

// fill lays the trie out as the flat transition table scan reads.
func (a *Automaton) fill(nodes []trieNode, stride int) {
	for b := 0; b < 256; b++ {
		a.root[b] = nodes[0].next[a.class[b]] != 0
	}
	a.stride = uint32(stride)
	a.trans = make([]uint32, len(nodes)*stride)
	a.out = make([][]int32, len(nodes))
	for i := range nodes {
		o := slices.Clone(nodes[i].out)
		slices.Sort(o)
		a.out[i] = slices.Compact(o)
		for c := 0; c < stride; c++ {
			t := nodes[i].next[c]
			v := uint32(t) * uint32(stride)
			if len(nodes[t].out) > 0 {
				v |= dfaMatch
			}
			a.trans[i*stride+c] = v
		}
	}
}

// Needles returns the distinct lower-case needles, in the order added.
func (a *Automaton) Needles() []string {
	if a == nil {
		return nil
	}
	return a.needles
}

// Scan calls hit with the values of the needles ending at each position
// of hay where at least one needle ends (a value can come more than
// once). It does not allocate; hit must not keep the slice.
//
// In the start state, bytes that keep the automaton there are skipped with
// a table test per byte: no state chain, so the CPU overlaps them.
func (a *Automaton) Scan(hay []byte, hit func([]int32)) {
	if a == nil {
		return
	}
	trans, class, root := a.trans, &a.class, &a.root
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
			hit(a.out[s/a.stride])
		}
	}
}

// ScanString is Scan over a string, without copying it.
func (a *Automaton) ScanString(hay string, hit func([]int32)) {
	a.Scan(unsafe.Slice(unsafe.StringData(hay), len(hay)), hit)
}
