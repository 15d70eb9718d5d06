package rules

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// libyara runs its string search over every byte of a file before it
// evaluates any condition, yet nearly every webshell rule opens with
// conjuncts such as `uint16(0) != 0x5A4D and filesize < 2MB`: a DLL or a
// large file can never match, but is searched all the same. The guards
// read here let the scanner ask, from a file's size and first bytes alone,
// whether any public rule could match it, and leave libyara out when none
// can.
//
// The reader is conservative by design. A guard is only taken from a
// top-level conjunct it fully understands (`filesize < N`, `filesize <= N`,
// `uintXX(OFF) == N` / `!= N` and the intXX and big-endian forms, a
// parenthesised group of those, a reference to an earlier rule of the same
// file); any other conjunct is left out, which can only make a guard
// weaker (the file gets scanned). A top-level `or` keeps only what every
// branch demands. A rule file the reader does not follow from start to end
// (an include, a construct it does not know, a comment inside a hex
// string) makes every file scannable.

// headCheck is one fixed-offset integer test from a condition, such as
// `uint16(0) != 0x5A4D`: the little- (or big-) endian integer of width
// bytes at off, sign-extended for intXX, is (or is not) value.
type headCheck struct {
	off       int
	width     int // 1, 2 or 4
	bigEndian bool
	signed    bool
	notEqual  bool
	value     int64
}

// holds says whether the check can be true for a file that starts with
// head. A check that reaches past head is taken to hold: head may be only
// a prefix of the file.
func (c headCheck) holds(head []byte) bool {
	if c.off+c.width > len(head) {
		return true
	}
	var v uint64
	for i := 0; i < c.width; i++ {
		b := uint64(head[c.off+i])
		if c.bigEndian {
			v = v<<8 | b
		} else {
			v |= b << (8 * i)
		}
	}
	x := int64(v)
	if c.signed {
		shift := 64 - 8*c.width
		x = x << shift >> shift
	}
	return (x == c.value) != c.notEqual
}

// yaraGuard is what a rule demands of every file it matches: a size no
// larger than maxSize and every check true. The zero value is not a valid
// guard; use noGuard.
type yaraGuard struct {
	maxSize int64
	checks  []headCheck // sorted, no duplicates
}

// noGuard is the guard of a rule the reader learnt nothing about.
var noGuard = yaraGuard{maxSize: math.MaxInt64}

func (g yaraGuard) unbounded() bool { return g.maxSize == math.MaxInt64 && len(g.checks) == 0 }

func (g yaraGuard) admits(size int64, head []byte) bool {
	if size > g.maxSize {
		return false
	}
	for _, c := range g.checks {
		if !c.holds(head) {
			return false
		}
	}
	return true
}

// and is the guard of "g and h": both sets of demands.
func (g yaraGuard) and(h yaraGuard) yaraGuard {
	out := yaraGuard{maxSize: min(g.maxSize, h.maxSize)}
	out.checks = append(append(out.checks, g.checks...), h.checks...)
	sort.Slice(out.checks, func(i, j int) bool { return checkKey(out.checks[i]) < checkKey(out.checks[j]) })
	n := 0
	for i, c := range out.checks {
		if i == 0 || c != out.checks[n-1] {
			out.checks[n] = c
			n++
		}
	}
	out.checks = out.checks[:n]
	return out
}

// or is the guard of "g or h": only what both demand, the larger size.
func (g yaraGuard) or(h yaraGuard) yaraGuard {
	out := yaraGuard{maxSize: max(g.maxSize, h.maxSize)}
	for _, c := range g.checks {
		for _, d := range h.checks {
			if c == d {
				out.checks = append(out.checks, c)
				break
			}
		}
	}
	return out
}

// checkKey orders checks and tells sets of them apart.
func checkKey(c headCheck) string { return fmt.Sprintf("%+v", c) }

// yaraPrefilter answers, for a whole compiled rule set, whether any public
// rule could match a file of a given size and start. Its zero value
// admits every file.
type yaraPrefilter struct {
	bounded bool        // false: some rule or rule file has no usable guard
	alts    []yaraGuard // one per distinct set of checks, with the largest size among the rules that share it
}

// admits reports whether some public rule could match. It does not allocate.
func (p *yaraPrefilter) admits(size int64, head []byte) bool {
	if p == nil || !p.bounded {
		return true
	}
	for _, g := range p.alts {
		if g.admits(size, head) {
			return true
		}
	}
	return false
}

// newYARAPrefilter reads the guards of the public rules in the given rule
// files (exactly the files that were compiled).
func newYARAPrefilter(texts []string) *yaraPrefilter {
	p := &yaraPrefilter{bounded: true}
	byChecks := map[string]int{}
	for _, text := range texts {
		rs, ok := readYARAGuards(text)
		if !ok {
			return &yaraPrefilter{}
		}
		for _, r := range rs {
			if r.private {
				continue
			}
			if r.guard.unbounded() {
				return &yaraPrefilter{}
			}
			var key strings.Builder
			for _, c := range r.guard.checks {
				key.WriteString(checkKey(c) + ";")
			}
			if i, seen := byChecks[key.String()]; seen {
				p.alts[i].maxSize = max(p.alts[i].maxSize, r.guard.maxSize)
				continue
			}
			byChecks[key.String()] = len(p.alts)
			p.alts = append(p.alts, r.guard)
		}
	}
	return p
}

// ruleGuard is one rule and its guard, as read from the source.
type ruleGuard struct {
	name    string
	private bool
	guard   yaraGuard
}

// readYARAGuards reads every rule in one YARA source file with its guard.
// ok is false when the reader could not follow the file; then nothing it
// returns may be used.
func readYARAGuards(src string) (rules []ruleGuard, ok bool) {
	l := &yaraLexer{src: src}
	known := map[string]yaraGuard{} // rules defined so far, for references
	private := false
	for {
		if !l.skipSpace() {
			return nil, false
		}
		if l.eof() {
			return rules, true
		}
		switch w := l.word(); w {
		case "import":
			if !l.skipSpace() || !l.quoted() {
				return nil, false
			}
		case "private":
			private = true
		case "global":
			// A global rule only restricts the others; as a rule of its
			// own it is read like any other.
		case "rule":
			name, cond, ok := l.rule()
			if !ok {
				return nil, false
			}
			g := guardOf(cond, known)
			known[name] = g
			rules = append(rules, ruleGuard{name: name, private: private, guard: g})
			private = false
		default:
			// include (rules not in this text), or something unknown.
			return nil, false
		}
	}
}

// guardOf reads the guard of a condition (a token list) from its
// top-level conjuncts; known holds the rules it may reference.
func guardOf(toks []condToken, known map[string]yaraGuard) yaraGuard {
	if alts := splitTop(toks, "or"); len(alts) > 1 {
		g := guardOf(alts[0], known)
		for _, a := range alts[1:] {
			g = g.or(guardOf(a, known))
		}
		return g
	}
	g := noGuard
	for _, c := range splitTop(toks, "and") {
		g = g.and(conjunctGuard(c, known))
	}
	return g
}

// conjunctGuard is the guard of one conjunct, noGuard unless it is one of
// the few shapes understood.
func conjunctGuard(t []condToken, known map[string]yaraGuard) yaraGuard {
	switch {
	case len(t) >= 2 && t[0].is("(") && closingParen(t, 0) == len(t)-1:
		return guardOf(t[1:len(t)-1], known)
	case len(t) == 1 && t[0].kind == tokIdent:
		// A reference to an earlier rule in the same file: it is true
		// only when that rule's condition is.
		if g, ok := known[t[0].text]; ok && !isExternal(t[0].text) {
			return g
		}
	case len(t) == 3 && t[0].is("filesize") && (t[1].is("<") || t[1].is("<=")):
		n, ok := yaraInt(t[2])
		if !ok {
			break
		}
		if t[1].is("<") {
			n--
		}
		return yaraGuard{maxSize: n}
	case len(t) == 6 && t[0].kind == tokIdent && t[1].is("(") && t[3].is(")") && (t[4].is("==") || t[4].is("!=")):
		c, ok := intFunction(t[0].text)
		if !ok {
			break
		}
		off, ok1 := yaraInt(t[2])
		v, ok2 := yaraInt(t[5])
		if !ok1 || !ok2 || off > 1<<16 {
			break
		}
		c.off, c.value, c.notEqual = int(off), v, t[4].is("!=")
		return yaraGuard{maxSize: math.MaxInt64, checks: []headCheck{c}}
	}
	return noGuard
}

func isExternal(name string) bool {
	for _, v := range Externals {
		if v == name {
			return true
		}
	}
	return false
}

// intFunction maps uint16, int32be, ... to the check it reads.
func intFunction(name string) (headCheck, bool) {
	var c headCheck
	s := name
	if strings.HasSuffix(s, "be") {
		c.bigEndian = true
		s = strings.TrimSuffix(s, "be")
	}
	if strings.HasPrefix(s, "u") {
		s = s[1:]
	} else {
		c.signed = true
	}
	switch s {
	case "int8":
		c.width = 1
	case "int16":
		c.width = 2
	case "int32":
		c.width = 4
	default:
		return c, false
	}
	return c, true
}

// yaraInt reads a YARA integer literal: decimal (with an optional KB or
// MB suffix), 0x hex or 0o octal. Anything else (floats, huge numbers) is
// not read.
func yaraInt(t condToken) (int64, bool) {
	if t.kind != tokNumber {
		return 0, false
	}
	s, mult := t.text, int64(1)
	switch {
	case strings.HasPrefix(s, "0x"):
		n, err := strconv.ParseInt(s[2:], 16, 64)
		return n, err == nil
	case strings.HasPrefix(s, "0o"):
		n, err := strconv.ParseInt(s[2:], 8, 64)
		return n, err == nil
	case strings.HasSuffix(s, "KB"):
		s, mult = strings.TrimSuffix(s, "KB"), 1<<10
	case strings.HasSuffix(s, "MB"):
		s, mult = strings.TrimSuffix(s, "MB"), 1<<20
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n > math.MaxInt64/mult {
		return 0, false
	}
	return n * mult, true
}

// splitTop splits a token list at the keyword op outside parentheses.
func splitTop(t []condToken, op string) [][]condToken {
	var out [][]condToken
	depth, start := 0, 0
	for i, tok := range t {
		switch {
		case tok.is("(") || tok.is("["):
			depth++
		case tok.is(")") || tok.is("]"):
			depth--
		case depth == 0 && tok.kind == tokIdent && tok.text == op:
			out = append(out, t[start:i])
			start = i + 1
		}
	}
	return append(out, t[start:])
}

// closingParen is the index of the parenthesis that closes t[open].
func closingParen(t []condToken, open int) int {
	depth := 0
	for i := open; i < len(t); i++ {
		switch {
		case t[i].is("("):
			depth++
		case t[i].is(")"):
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

type tokKind int

const (
	tokOther  tokKind = iota // operators, punctuation, string references
	tokIdent                 // identifiers and keywords
	tokNumber                // integer or float literal
	tokString                // "text" or /regex/ literal
)

type condToken struct {
	kind tokKind
	text string
}

func (t condToken) is(s string) bool { return t.kind != tokString && t.text == s }

// yaraLexer walks YARA source just far enough to find each rule's name and
// condition; every method reports false on anything it does not follow.
type yaraLexer struct {
	src string
	pos int
}

func (l *yaraLexer) eof() bool { return l.pos >= len(l.src) }

func (l *yaraLexer) peek() byte {
	if l.eof() {
		return 0
	}
	return l.src[l.pos]
}

// skipSpace skips white space and comments; false on an unclosed comment.
func (l *yaraLexer) skipSpace() bool {
	for !l.eof() {
		switch c := l.src[l.pos]; {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v':
			l.pos++
		case strings.HasPrefix(l.src[l.pos:], "//"):
			i := strings.IndexByte(l.src[l.pos:], '\n')
			if i < 0 {
				l.pos = len(l.src)
			} else {
				l.pos += i + 1
			}
		case strings.HasPrefix(l.src[l.pos:], "/*"):
			i := strings.Index(l.src[l.pos+2:], "*/")
			if i < 0 {
				return false
			}
			l.pos += 2 + i + 2
		default:
			return true
		}
	}
	return true
}

func isIdentStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isIdentChar(c byte) bool { return isIdentStart(c) || c >= '0' && c <= '9' }

// word reads an identifier or keyword ("" when there is none).
func (l *yaraLexer) word() string {
	start := l.pos
	if l.eof() || !isIdentStart(l.src[l.pos]) {
		return ""
	}
	for !l.eof() && isIdentChar(l.src[l.pos]) {
		l.pos++
	}
	return l.src[start:l.pos]
}

// quoted skips a "text string" with its escapes.
func (l *yaraLexer) quoted() bool { return l.delimited('"') }

// regex skips a /regular expression/ and its i/s flags. Like YARA's own
// lexer, the first unescaped slash ends it, also inside [...].
func (l *yaraLexer) regex() bool {
	if !l.delimited('/') {
		return false
	}
	for l.peek() == 'i' || l.peek() == 's' {
		l.pos++
	}
	return true
}

// delimited skips a literal that opens and closes with q, on one line,
// where a backslash escapes the next character.
func (l *yaraLexer) delimited(q byte) bool {
	if l.peek() != q {
		return false
	}
	for l.pos++; !l.eof(); l.pos++ {
		switch l.src[l.pos] {
		case '\\':
			l.pos++
		case '\n':
			return false
		case q:
			l.pos++
			return true
		}
	}
	return false
}

// hex skips a { hex string }. Anything beyond hex digits, wildcards,
// jumps and alternatives (a comment, a quote) is not followed.
func (l *yaraLexer) hex() bool {
	if l.peek() != '{' {
		return false
	}
	for l.pos++; !l.eof(); l.pos++ {
		c := l.src[l.pos]
		switch {
		case c == '}':
			l.pos++
			return true
		case c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F',
			strings.IndexByte(" \t\r\n?[]-()|~", c) >= 0:
		default:
			return false
		}
	}
	return false
}

// parens skips a balanced (...) group of string-modifier arguments, such
// as xor(0x01-0xff) or base64("alphabet").
func (l *yaraLexer) parens() bool {
	depth := 0
	for !l.eof() {
		if !l.skipSpace() {
			return false
		}
		switch l.peek() {
		case '"':
			if !l.quoted() {
				return false
			}
			continue
		case '(':
			depth++
		case ')':
			depth--
		case '{', '}', '/':
			return false
		}
		l.pos++
		if depth == 0 {
			return true
		}
	}
	return false
}

// sectionStart reads "meta:", "strings:" or "condition:" if that is what
// comes next, and returns the section name.
func (l *yaraLexer) sectionStart() string {
	save := l.pos
	w := l.word()
	if w == "meta" || w == "strings" || w == "condition" {
		if l.skipSpace() && l.peek() == ':' {
			l.pos++
			return w
		}
	}
	l.pos = save
	return ""
}

// rule reads a rule after the keyword "rule": its name, tags and body,
// and returns the condition's tokens.
func (l *yaraLexer) rule() (name string, cond []condToken, ok bool) {
	if !l.skipSpace() {
		return "", nil, false
	}
	if name = l.word(); name == "" || !l.skipSpace() {
		return "", nil, false
	}
	if l.peek() == ':' {
		l.pos++
		for {
			if !l.skipSpace() {
				return "", nil, false
			}
			if l.peek() == '{' {
				break
			}
			if l.word() == "" {
				return "", nil, false
			}
		}
	}
	if l.peek() != '{' {
		return "", nil, false
	}
	l.pos++
	section := ""
	for {
		if !l.skipSpace() {
			return "", nil, false
		}
		if s := l.sectionStart(); s != "" {
			section = s
			if s == "condition" {
				cond, ok = l.condition()
				return name, cond, ok
			}
			continue
		}
		var good bool
		switch section {
		case "meta":
			good = l.metaEntry()
		case "strings":
			good = l.stringEntry()
		}
		if !good {
			return "", nil, false
		}
	}
}

// metaEntry skips `name = "text" | number | true | false`.
func (l *yaraLexer) metaEntry() bool {
	if l.word() == "" || !l.skipSpace() || l.peek() != '=' {
		return false
	}
	l.pos++
	if !l.skipSpace() {
		return false
	}
	switch c := l.peek(); {
	case c == '"':
		return l.quoted()
	case c == '-' || c >= '0' && c <= '9':
		l.pos++
		for !l.eof() && isIdentChar(l.src[l.pos]) {
			l.pos++
		}
		return true
	default:
		w := l.word()
		return w == "true" || w == "false"
	}
}

// stringEntry skips `$name = "text" | /regex/ | { hex }` and its modifiers.
func (l *yaraLexer) stringEntry() bool {
	if l.peek() != '$' {
		return false
	}
	l.pos++
	l.word() // anonymous strings have no name
	if !l.skipSpace() || l.peek() != '=' {
		return false
	}
	l.pos++
	if !l.skipSpace() {
		return false
	}
	var good bool
	switch l.peek() {
	case '"':
		good = l.quoted()
	case '/':
		good = l.regex()
	case '{':
		good = l.hex()
	}
	if !good {
		return false
	}
	for {
		if !l.skipSpace() {
			return false
		}
		save := l.pos
		if l.peek() == '$' || l.sectionStart() != "" {
			l.pos = save
			return true
		}
		if l.word() == "" {
			return false
		}
		save = l.pos
		if !l.skipSpace() {
			return false
		}
		if l.peek() == '(' {
			if !l.parens() {
				return false
			}
		} else {
			l.pos = save
		}
	}
}

// condition reads the condition's tokens up to the brace that closes the
// rule.
func (l *yaraLexer) condition() ([]condToken, bool) {
	var toks []condToken
	depth := 0
	for {
		if !l.skipSpace() || l.eof() {
			return nil, false
		}
		start := l.pos
		c := l.peek()
		switch {
		case c == '}':
			l.pos++
			return toks, depth == 0
		case c == '"':
			if !l.quoted() {
				return nil, false
			}
			toks = append(toks, condToken{tokString, l.src[start:l.pos]})
		case c == '/':
			if !l.regex() {
				return nil, false
			}
			toks = append(toks, condToken{tokString, l.src[start:l.pos]})
		case isIdentStart(c):
			toks = append(toks, condToken{tokIdent, l.word()})
		case c >= '0' && c <= '9':
			for !l.eof() && (isIdentChar(l.src[l.pos]) || l.src[l.pos] == '.' && l.pos+1 < len(l.src) && l.src[l.pos+1] != '.') {
				l.pos++
			}
			toks = append(toks, condToken{tokNumber, l.src[start:l.pos]})
		case c == '$' || c == '#' || c == '@' || c == '!' && l.pos+1 < len(l.src) && l.src[l.pos+1] != '=':
			// String references: $a, #a, @a, !a, $a*, and the bare $.
			l.pos++
			l.word()
			if l.peek() == '*' {
				l.pos++
			}
			toks = append(toks, condToken{tokOther, l.src[start:l.pos]})
		case c == '(' || c == ')' || c == '[' || c == ']':
			if c == '(' || c == '[' {
				depth++
			} else {
				depth--
			}
			l.pos++
			toks = append(toks, condToken{tokOther, string(c)})
		default:
			op := ""
			for _, o := range []string{"<<", ">>", "<=", ">=", "==", "!=", "..", "<", ">", "+", "-", "*", `\`, "%", "&", "|", "^", "~", ",", ".", ":"} {
				if strings.HasPrefix(l.src[l.pos:], o) {
					op = o
					break
				}
			}
			if op == "" {
				return nil, false
			}
			l.pos += len(op)
			toks = append(toks, condToken{tokOther, op})
		}
		if depth < 0 {
			return nil, false
		}
	}
}
