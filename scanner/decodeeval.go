package scanner

import (
	"bytes"

	"exscan/scanner/finding"
)

// Decode-then-run: a page that keeps its real code as scrambled text and
// runs it through a decoder it defines itself,
//
//	Execute Dec("%119%136...")  ' Function Dec(s) ... Chr(x-18) ...
//	exs(dec("5566...", "1314")) // function exs(s){return eval(s,"unsafe")}
//
// The decoder is a function of the page whose body works character by
// character (Chr/ChrW/Asc, String.fromCharCode/charCodeAt, StrReverse),
// and the call that runs its result is Eval/Execute/ExecuteGlobal or a
// function of the page that only passes its argument on to one of them.
// Applications do not hide code from themselves this way: they run code
// they can read. Matched on the normalised view, so the names and the
// literal are whatever the author chose.

const (
	// decodeMaxFuncs bounds how many function definitions are read.
	decodeMaxFuncs = 256
	// decodeMaxBody is the longest function body looked at.
	decodeMaxBody = 4 << 10
)

// decoderWords are character-level operations in a decoder's body.
var decoderWords = []string{"chr(", "chrw(", "chrb(", "asc(", "ascw(", "fromcharcode(", "charcodeat(", "strreverse(", "char(int("}

// runWords are the calls that run a string as code.
var runWords = []string{"execute", "executeglobal", "eval"}

// pageFunc is a function the page defines: its lower-case name, first
// parameter and body.
type pageFunc struct {
	name, param, body []byte
}

// pageFuncs returns the VBScript (Function/Sub ... End Function/Sub) and
// JScript (function name(...){...}) functions of low, the lower-cased
// view, at most decodeMaxFuncs.
func pageFuncs(low []byte) []pageFunc {
	var out []pageFunc
	for off := 0; off < len(low) && len(out) < decodeMaxFuncs; {
		i := indexWord(low[off:], "function")
		if i < 0 {
			break
		}
		i += off + len("function")
		off = i
		j := i
		for j < len(low) && low[j] == ' ' {
			j++
		}
		k := j
		for k < len(low) && isIdentByte(low[k]) {
			k++
		}
		if k == j || k >= len(low) || low[k] != '(' {
			continue
		}
		name := low[j:k]
		p := k + 1
		for p < len(low) && (low[p] == ' ' || bytes.HasPrefix(low[p:], []byte("byval ")) || bytes.HasPrefix(low[p:], []byte("byref "))) {
			if low[p] == ' ' {
				p++
			} else {
				p += len("byval ")
			}
		}
		q := p
		for q < len(low) && isIdentByte(low[q]) {
			q++
		}
		param := low[p:q]
		rest := low[k:min(len(low), k+decodeMaxBody)]
		end := bytes.Index(rest, []byte("end function"))
		if brace := bytes.IndexByte(rest, '{'); brace >= 0 && (end < 0 || brace < end) {
			end = braceEnd(rest, brace)
		}
		if end < 0 {
			end = len(rest)
		}
		out = append(out, pageFunc{name: name, param: param, body: rest[:end]})
	}
	return out
}

// braceEnd returns the index of the } that closes the { at open in b, or
// -1.
func braceEnd(b []byte, open int) int {
	depth := 0
	for i := open; i < len(b); i++ {
		switch b[i] {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// runsParam says whether f passes its first parameter to Eval/Execute.
func (f pageFunc) runsParam() bool {
	if len(f.param) == 0 {
		return false
	}
	for _, w := range runWords {
		for off := 0; off < len(f.body); {
			i := indexWord(f.body[off:], w)
			if i < 0 {
				break
			}
			i += off + len(w)
			off = i
			arg := bytes.TrimLeft(sinkArgs(f.body[i:min(len(f.body), i+taintArg)]), "( =")
			if hasPrefixWord(arg, f.param) {
				return true
			}
		}
	}
	return false
}

// decodes says whether f's body works character by character.
func (f pageFunc) decodes() bool {
	for _, w := range decoderWords {
		if bytes.Contains(f.body, []byte(w)) {
			return true
		}
	}
	return false
}

func hasPrefixWord(b, w []byte) bool {
	return bytes.HasPrefix(b, w) && (len(b) == len(w) || !isIdentByte(b[len(w)]))
}

// decodeEvalTrait finds a run call (Eval/Execute/ExecuteGlobal or a page
// function that passes its argument to one) whose argument starts with a
// call of a page function that decodes characters.
func decodeEvalTrait(view []byte) (trait, bool) {
	if !containsFoldASCII(view, "function") {
		return trait{}, false
	}
	low := asciiLower(view)
	funcs := pageFuncs(low)
	decoders := map[string]bool{}
	runners := append([]string(nil), runWords...)
	for _, f := range funcs {
		if f.decodes() {
			decoders[string(f.name)] = true
		}
		if f.runsParam() {
			runners = append(runners, string(f.name))
		}
	}
	if len(decoders) == 0 {
		return trait{}, false
	}
	for _, w := range runners {
		for off := 0; off < len(low); {
			i := indexWord(low[off:], w)
			if i < 0 {
				break
			}
			i += off
			off = i + len(w)
			arg := bytes.TrimLeft(sinkArgs(low[off:min(len(low), off+taintArg)]), "( =")
			k := 0
			for k < len(arg) && isIdentByte(arg[k]) {
				k++
			}
			if k == 0 || k >= len(arg) || arg[k] != '(' || !decoders[string(arg[:k])] {
				continue
			}
			weight := 10
			if len(view) > taintSmallPage {
				weight = 6
			}
			ev := view[i:min(len(view), off+min(len(arg)+1, 80))]
			return trait{name: "exec.eval-decoded", weight: weight, reason: finding.Reason{
				Rule:     "exscan.webshell.capability.eval_page_decoder",
				Title:    "Runs (Eval/Execute) the output of a character decoder the page defines",
				Source:   finding.SourceYARA,
				Severity: finding.Info,
				Attack:   []string{"T1505.003", "T1027", "T1059.005"},
				Evidence: []finding.Evidence{{Name: "view:sink", Value: string(ev), Offset: int64(i)}},
			}}, true
		}
	}
	return trait{}, false
}

// viewTraits are the capability traits the scanner finds in a view with
// code of its own (beside the view's YARA rules): request-to-sink flows
// and decode-then-run.
func viewTraits(view []byte) []trait {
	out := taintTraits(view)
	if t, ok := decodeEvalTrait(view); ok {
		out = append(out, t)
	}
	return out
}
