package scanner

import (
	"bytes"
	"slices"
	"strings"

	"exscan/scanner/finding"
)

// Request-to-sink flow through variables, on the normalised view of a
// script page (scanner/scriptview). YARA sees eval(Request("x")) but not
//
//	x1=request("h") x2=x1 eval x2
//	b=request("p") a=replace(b,"p","eval") eval(a)
//
// so taintTraits follows assignments: a variable is tainted when the
// right-hand side of its assignment holds the word request or a tainted
// variable (a few passes, so chains are followed), and a sink whose first
// argument is a tainted variable is a trait like the YARA capability
// rules'. It is a lexical approximation (no scopes, no functions), bounded
// by the view's size and a fixed number of passes.

const (
	taintRHS    = 160 // longest right-hand side looked at
	taintArg    = 100 // how far a sink's arguments are searched
	taintPasses = 4
	// taintSmallPage is the largest view where a tainted eval counts in
	// full (one-liners and their variants are far smaller).
	taintSmallPage = 4 << 10
	// taintMaxView is the largest view followed at all: in big
	// application libraries the lexical flow, blind to scopes, finds
	// flows that are not there, and the large webshells show stronger
	// traits of their own.
	taintMaxView = 32 << 10
)

// taintSink is one kind of sink: a rule and its trait, and the words
// (calls) that are such a sink. The first word whose call takes a tainted
// variable gives the kind's trait; kinds and words are tried in order.
type taintSink struct {
	rule   string
	trait  string
	title  string
	weight int
	words  []sinkWord
}

type sinkWord struct {
	word string // lower case; a '.' prefix means a method call
	// needs is a list of words one of which must occur in the page (the
	// call is only a sink with that API around).
	needs []string
}

var taintSinks = []taintSink{
	{rule: "exscan.webshell.capability.taint_eval", trait: "exec.eval-request", weight: 10,
		title: "Request input reaches Eval/Execute through variables",
		words: []sinkWord{{word: "eval"}, {word: "execute"}, {word: "executeglobal"}}},
	{rule: "exscan.webshell.capability.taint_process", trait: "exec.process-request", weight: 10,
		title: "Request input reaches a process call through variables",
		words: []sinkWord{
			{word: "process.start"},
			{word: ".exec", needs: []string{"wscript.shell", "72c24dd5-d70a-438b-8a42-98424b88afb8", "f935dc22-1cf0-11d0-adb9-00c04fd58a0b"}},
			{word: ".run", needs: []string{"wscript.shell", "72c24dd5-d70a-438b-8a42-98424b88afb8", "f935dc22-1cf0-11d0-adb9-00c04fd58a0b"}},
			{word: ".shellexecute", needs: []string{"shell.application", "13709620-c279-11ce-a49e-444553540000"}},
			{word: ".arguments", needs: []string{"processstartinfo"}},
			{word: ".addscript", needs: []string{"powershell"}},
		}},
	{rule: "exscan.webshell.capability.taint_file_write", trait: "file.write-request", weight: 3,
		title: "Request input names a file the page writes, through variables",
		words: []sinkWord{{word: ".createtextfile"}, {word: ".savetofile"}, {word: "file.writealltext"}, {word: "file.writeallbytes"}}},
	{rule: "exscan.webshell.capability.taint_file_browse", trait: "file.browse-request", weight: 3,
		title: "Request input names a folder or file the page opens, through variables",
		words: []sinkWord{{word: ".getfolder"}, {word: ".opentextfile"}, {word: ".loadfromfile"}, {word: "directory.getfiles"}}},
	{rule: "exscan.webshell.capability.taint_http", trait: "net.http-request", weight: 3,
		title: "Request input names the URL the page fetches, through variables",
		words: []sinkWord{{word: ".open", needs: []string{"xmlhttp", "winhttprequest"}}}},
	{rule: "exscan.webshell.capability.taint_load", trait: "exec.load-request", weight: 10,
		title: "Request input reaches Assembly.Load through variables",
		words: []sinkWord{{word: "assembly.load"}}},
}

// taintTraits returns the traits of request input reaching a sink
// through variables in view.
func taintTraits(view []byte) []trait {
	if len(view) > taintMaxView || !containsFoldASCII(view, "request") {
		return nil
	}
	low := asciiLower(view)
	type assign struct{ name, rhs []byte }
	var as []assign
	// Assignments: ident= (not ==, <=, >=, !=), the name not a member.
	var starts []int
	for i := 1; i < len(low)-1; i++ {
		if low[i] != '=' || low[i+1] == '=' || strings.IndexByte("=<>!+-*/&|^", low[i-1]) >= 0 {
			continue
		}
		j := i
		for j > 0 && isIdentByte(low[j-1]) {
			j--
		}
		if j == i || low[j] >= '0' && low[j] <= '9' || j > 0 && low[j-1] == '.' {
			continue
		}
		starts = append(starts, j)
		as = append(as, assign{name: low[j:i], rhs: low[i+1:]})
	}
	for k := range as {
		end := len(as[k].rhs)
		if k+1 < len(as) {
			// Up to the next assignment's name.
			end = min(end, starts[k+1]-(starts[k]+len(as[k].name)+1))
		}
		end = min(end, taintRHS)
		rhs := as[k].rhs[:max(end, 0)]
		if i := bytes.IndexAny(rhs, ";\n"); i >= 0 {
			rhs = rhs[:i]
		}
		if i := bytes.Index(rhs, []byte("%>")); i >= 0 {
			rhs = rhs[:i]
		}
		as[k].rhs = rhs
	}
	tainted := map[string]bool{}
	for pass := 0; pass < taintPasses; pass++ {
		changed := false
		for _, a := range as {
			if tainted[string(a.name)] {
				continue
			}
			if hasWord(a.rhs, "request") || anyTainted(a.rhs, tainted) {
				tainted[string(a.name)] = true
				changed = true
			}
		}
		if !changed {
			break
		}
	}
	var out []trait
	for _, s := range taintSinks {
		if t, ok := s.find(view, low, tainted); ok {
			out = append(out, t)
		}
	}
	// Text files the page creates or opens (FileSystemObject handles):
	// request text written into one is content from the request.
	// Handles in the order the page assigns them, so the evidence shown
	// is the same on every run.
	var handles []string
	for _, a := range as {
		if bytes.Contains(a.rhs, []byte(".createtextfile(")) || bytes.Contains(a.rhs, []byte(".opentextfile(")) {
			if h := string(a.name); !slices.Contains(handles, h) {
				handles = append(handles, h)
			}
		}
	}
	content := -1 // offset of a write of request text into a file
	for _, h := range handles {
		for _, m := range []string{h + ".write", h + ".writeline"} {
			i := indexWord(low, m)
			if i < 0 {
				continue
			}
			arg := sinkArgs(low[i+len(m) : min(len(low), i+len(m)+taintArg)])
			if !hasWord(arg, "request") && !anyTainted(arg, tainted) {
				continue
			}
			content = i
			out = append(out, trait{name: "file.write-content", weight: 4, reason: finding.Reason{
				Rule: "exscan.webshell.capability.taint_file_content", Title: "Request text written into a text file the page creates or opens",
				Source: finding.SourceYARA, Severity: finding.Info, Attack: []string{"T1505.003", "T1105"},
				Evidence: []finding.Evidence{{Name: "view:sink", Value: string(view[i:min(len(view), i+len(m)+len(arg))]), Offset: int64(i)}},
			}})
			break
		}
		if content >= 0 {
			break
		}
	}
	if t, ok := dropTrait(view, low, tainted, content); ok {
		out = append(out, t)
	}
	return out
}

// dropMaxView is the largest view a remote file writer is looked for
// in: the writers are small pages; in applications (upload classes,
// remote-image catchers) the lexical flow joins inputs and files that
// the code keeps apart.
const dropMaxView = 4 << 10

// dropWrites are calls that put text into a stream or file, and
// dropSaves the calls that name the file written.
var (
	dropWrites = []string{".writetext", ".write"}
	dropSaves  = []string{".savetofile", ".createtextfile", ".opentextfile", ".saveas", "file.writealltext", "file.appendalltext", "streamwriter("}
)

// dropTrait: the page writes request text (a form field, not an upload)
// into a file whose name also comes from the request: both what is
// written and where, the dropper a small webshell is. content is the
// offset of a request-text write into a FileSystemObject handle found
// already, or -1; ADODB.Stream WriteText/Write of request text counts
// too. Upload handlers save an uploaded file's bytes under a name the
// server decides; a page where the request names the file and gives its
// text is a remote file writer.
func dropTrait(view, low []byte, tainted map[string]bool, content int) (trait, bool) {
	if len(view) > dropMaxView || bytes.Contains(low, []byte("request.binaryread")) {
		// A multipart upload parser: what it writes is an uploaded
		// file, the work of every upload handler.
		return trait{}, false
	}
	fromRequest := func(arg []byte) bool { return hasWord(arg, "request") || anyTainted(arg, tainted) }
	if content < 0 && bytes.Contains(low, []byte("adodb.stream")) {
		for _, w := range dropWrites {
			if i := findCall(low, w, fromRequest); i >= 0 {
				content = i
				break
			}
		}
	}
	if content < 0 {
		return trait{}, false
	}
	for _, w := range dropSaves {
		i := findCall(low, w, fromRequest)
		if i < 0 {
			continue
		}
		end := min(len(view), i+len(w)+taintArg)
		return trait{name: "file.drop-request", weight: 6, reason: finding.Reason{
			Rule: "exscan.webshell.capability.taint_file_drop", Title: "Request text written into a file the request names (remote file writer)",
			Source: finding.SourceYARA, Severity: finding.Info, Attack: []string{"T1505.003", "T1105"},
			Evidence: []finding.Evidence{{Name: "view:sink", Value: string(view[i:end]), Offset: int64(i)}},
		}}, true
	}
	return trait{}, false
}

// findCall returns the offset in low of the first call of w (a '.'
// prefix: a method) whose arguments satisfy ok, or -1.
func findCall(low []byte, w string, ok func(arg []byte) bool) int {
	for off := 0; off < len(low); {
		i := bytes.Index(low[off:], []byte(w))
		if i < 0 {
			return -1
		}
		i += off
		off = i + len(w)
		if w[0] != '.' && i > 0 && (isIdentByte(low[i-1]) || low[i-1] == '.') || off < len(low) && isIdentByte(low[off]) {
			continue
		}
		if ok(sinkArgs(low[off:min(len(low), off+taintArg)])) {
			return i
		}
	}
	return -1
}

// indexWord finds w in b where it does not continue a longer name on
// either side.
func indexWord(b []byte, w string) int {
	for off := 0; ; {
		i := bytes.Index(b[off:], []byte(w))
		if i < 0 {
			return -1
		}
		i += off
		end := i + len(w)
		if (i == 0 || !isIdentByte(b[i-1]) && b[i-1] != '.') && (end >= len(b) || !isIdentByte(b[end])) {
			return i
		}
		off = end
	}
}

// sinkArgs cuts the argument text of a call from what follows the
// sink's name: a balanced (...) list, or, for a VBScript call without
// parentheses or an assignment (=), the expression up to the next space
// (the view keeps spaces only between two words).
func sinkArgs(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	switch b[0] {
	case '(':
		depth := 0
		for i, c := range b {
			switch c {
			case '(':
				depth++
			case ')':
				depth--
				if depth == 0 {
					return b[:i+1]
				}
			case ';', '%':
				return b[:i]
			}
		}
		return b
	case ' ', '=':
		rest := b[1:]
		if i := bytes.IndexAny(rest, " ;%"); i >= 0 {
			rest = rest[:i]
		}
		return rest
	}
	return nil
}

func pageHasAny(low []byte, words []string) bool {
	if len(words) == 0 {
		return true
	}
	for _, w := range words {
		if bytes.Contains(low, []byte(w)) {
			return true
		}
	}
	return false
}

// anyTainted says whether b holds a tainted name as a whole word.
func anyTainted(b []byte, tainted map[string]bool) bool {
	for i := 0; i < len(b); {
		if !isIdentByte(b[i]) {
			i++
			continue
		}
		j := i
		for j < len(b) && isIdentByte(b[j]) {
			j++
		}
		if (i == 0 || b[i-1] != '.') && tainted[string(b[i:j])] {
			return true
		}
		i = j
	}
	return false
}

func hasWord(b []byte, w string) bool {
	for off := 0; ; {
		i := bytes.Index(b[off:], []byte(w))
		if i < 0 {
			return false
		}
		i += off
		end := i + len(w)
		if (i == 0 || !isIdentByte(b[i-1])) && (end >= len(b) || !isIdentByte(b[end])) {
			return true
		}
		off = end
	}
}

func isIdentByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

// containsFoldASCII is a case-insensitive bytes.Contains for a lower-case
// ASCII needle, without allocating.
func containsFoldASCII(b []byte, needle string) bool {
	first := needle[0]
	for i := 0; i+len(needle) <= len(b); i++ {
		if b[i]|0x20 != first {
			continue
		}
		j := 1
		for j < len(needle) && b[i+j]|0x20 == needle[j] {
			j++
		}
		if j == len(needle) {
			return true
		}
	}
	return false
}

func asciiLower(b []byte) []byte {
	out := make([]byte, len(b))
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		out[i] = c
	}
	return out
}

// find returns the trait of the first of s's words whose call in low (the
// lower-cased view) takes a tainted variable as its argument.
func (s taintSink) find(view, low []byte, tainted map[string]bool) (trait, bool) {
	for _, w := range s.words {
		if !pageHasAny(low, w.needs) {
			continue
		}
		for off := 0; off < len(low); {
			i := bytes.Index(low[off:], []byte(w.word))
			if i < 0 {
				break
			}
			i += off
			off = i + len(w.word)
			if w.word[0] != '.' && i > 0 && (isIdentByte(low[i-1]) || low[i-1] == '.') {
				continue
			}
			if off < len(low) && isIdentByte(low[off]) {
				continue
			}
			arg := sinkArgs(low[off:min(len(low), off+taintArg)])
			if !anyTainted(arg, tainted) {
				continue
			}
			name, weight := s.trait, s.weight
			if s.trait == "exec.eval-request" {
				// Eval of a tainted variable must start with it
				// (eval(x), not eval("literal"&x)), and only a small page
				// gets the full weight: big applications build code
				// for Execute from many inputs; there the flow is only
				// dynamic evaluation.
				if a := bytes.TrimLeft(arg, "( ="); len(a) == 0 || !isIdentByte(a[0]) {
					continue
				}
				if len(view) > taintSmallPage {
					name, weight = "exec.eval-dynamic", 3
				}
			}
			ev := view[i:min(len(view), off+len(arg))]
			return trait{name: name, weight: weight, reason: finding.Reason{
				Rule: s.rule, Title: s.title, Source: finding.SourceYARA, Severity: finding.Info,
				Attack:   []string{"T1505.003"},
				Evidence: []finding.Evidence{{Name: "view:sink", Value: string(ev), Offset: int64(i)}},
			}}, true
		}
	}
	return trait{}, false
}
