package iocs

import (
	"net/netip"
	"slices"
	"strings"
	"unicode/utf8"

	"exscan/internal/exchange"
	"exscan/internal/literal"
)

// Kind is the type of an indicator.
type Kind string

const (
	KindSHA256    Kind = "sha256"
	KindSHA1      Kind = "sha1"
	KindMD5       Kind = "md5"
	KindFilename  Kind = "filename"  // Go regexp on the Windows full path (Loki filename IOC), case-insensitive
	KindPath      Kind = "path"      // a Windows path, may start with %Var%; a trailing \ makes it a folder prefix
	KindIP        Kind = "ip"        // IPv4 or IPv6 address, or CIDR
	KindUserAgent Kind = "useragent" // exact, or *substring* / prefix* / *suffix; IIS '+' read as space
	KindURL       Kind = "url"       // Go regexp on the requested URL path, case-insensitive
	KindDomain    Kind = "domain"    // a host name; matches it and its subdomains (Loki c2 domains)
)

// Entry is one indicator with where it comes from. Entries are immutable once
// loaded and may be shared between sets.
type Entry struct {
	Kind        Kind
	Value       string // as loaded; hashes lower-case hex, paths with their %Var% kept
	Severity    string // critical, high, medium, low or info
	Campaigns   []string
	Source      string // short source name
	Reference   string // URL of the source, when known
	Date        string // when the source published it: YYYY-MM-DD or YYYY-MM
	Description string
	Score       int    // Loki-style score: the list's own, or derived from Severity
	File        string // where it was loaded from
	Line        int
}

// Set is a collection of indicators with an index per kind. Lookups are safe
// for concurrent use; loading, Merge and SetVars are not.
type Set struct {
	entries []*Entry
	md5     index[[16]byte]
	sha1    index[[20]byte]
	sha256  index[[32]byte]
	paths   index[string] // folded, expanded full path
	dirs    index[string] // folded, expanded folder, ending in \
	ips     index[netip.Addr]
	nets    index[netip.Prefix]
	netBits []int // distinct prefix lengths in nets, longest first
	uas     index[string]
	uaWild  []uaPattern
	domains index[string]
	files   regexSet
	urls    regexSet
	vars    map[string]string // folded name -> value without trailing \
}

// Windows variables path and filename indicators may use, with the values of
// a default install. SetVars overrides them with the scanned host's.
var defaultVars = func() map[string]string {
	m := map[string]string{"exchangeinstallpath": exchange.InstallV15}
	for k, v := range exchange.WindowsEnv {
		m[strings.ToLower(k)] = v
	}
	return m
}()

// NewSet returns an empty set using the default Windows variables.
func NewSet() *Set {
	s := &Set{}
	s.vars = mergeVars(nil)
	return s
}

func mergeVars(vars map[string]string) map[string]string {
	m := make(map[string]string, len(defaultVars)+len(vars))
	for k, v := range defaultVars {
		m[k] = v
	}
	for k, v := range vars {
		m[strings.ToLower(strings.Trim(k, "%"))] = strings.TrimRight(strings.ReplaceAll(v, "/", `\`), `\`)
	}
	return m
}

// SetVars sets the Windows variables (%ExchangeInstallPath%, %SystemDrive%,
// %SystemRoot%, %ProgramData%, ...) that path and filename indicators are
// written against, so that they match the scanned host's layout. Names are
// case-insensitive; variables not given keep their default-install value.
func (s *Set) SetVars(vars map[string]string) {
	s.vars = mergeVars(vars)
	s.paths, s.dirs = index[string]{}, index[string]{}
	for _, e := range s.entries {
		if e.Kind == KindPath {
			s.indexPath(e)
		}
	}
	s.files.expand(s.vars)
	s.urls.expand(s.vars)
}

// Merge adds every entry of o to s. Entries and compiled patterns are shared.
func (s *Set) Merge(o *Set) {
	if o == nil {
		return
	}
	if s.vars == nil {
		s.vars = mergeVars(nil)
	}
	for _, e := range o.entries {
		if e.Kind != KindFilename && e.Kind != KindURL {
			s.add(e)
		} else {
			s.entries = append(s.entries, e)
		}
	}
	for _, r := range o.files.rules {
		s.files.add(r.share(s.vars))
	}
	for _, r := range o.urls.rules {
		s.urls.add(r.share(s.vars))
	}
}

// Len is the number of entries.
func (s *Set) Len() int { return len(s.entries) }

// Counts is the number of entries per kind.
func (s *Set) Counts() map[Kind]int {
	m := map[Kind]int{}
	for _, e := range s.entries {
		m[e.Kind]++
	}
	return m
}

// add indexes an entry of a kind that needs no pattern compilation.
func (s *Set) add(e *Entry) {
	s.entries = append(s.entries, e)
	switch e.Kind {
	case KindMD5, KindSHA1, KindSHA256:
		var b [32]byte
		n, _ := decodeHex(b[:], e.Value)
		switch n {
		case 16:
			s.md5.add([16]byte(b[:16]), e)
		case 20:
			s.sha1.add([20]byte(b[:20]), e)
		case 32:
			s.sha256.add(b, e)
		}
	case KindPath:
		s.indexPath(e)
	case KindIP:
		if p, err := netip.ParsePrefix(e.Value); err == nil {
			p = p.Masked()
			if !slices.Contains(s.netBits, p.Bits()) {
				s.netBits = append(s.netBits, p.Bits())
				slices.SortFunc(s.netBits, func(a, b int) int { return b - a })
			}
			s.nets.add(p, e)
		} else if a, err := netip.ParseAddr(e.Value); err == nil {
			s.ips.add(a, e)
		}
	case KindUserAgent:
		if p, ok := newUAPattern(e); ok {
			s.uaWild = append(s.uaWild, p)
		} else {
			s.uas.add(normUA(e.Value), e)
		}
	case KindDomain:
		s.domains.add(e.Value, e)
	}
}

func (s *Set) indexPath(e *Entry) {
	p := fold(normPath(expandVars(e.Value, s.vars, nil)))
	if strings.HasSuffix(p, `\`) {
		s.dirs.add(p, e)
	} else {
		s.paths.add(p, e)
	}
}

// Hash returns the entries for an MD5, SHA-1 or SHA-256 digest in hex, any case.
func (s *Set) Hash(hexDigest string) []*Entry {
	var b [32]byte
	n, ok := decodeHex(b[:], strings.TrimSpace(hexDigest))
	if !ok {
		return nil
	}
	switch n {
	case 16:
		return s.md5.get([16]byte(b[:16]), nil)
	case 20:
		return s.sha1.get([20]byte(b[:20]), nil)
	case 32:
		return s.sha256.get(b, nil)
	}
	return nil
}

// Path returns the path and filename entries that match a Windows full path
// such as C:\inetpub\wwwroot\aspnet_client\x.aspx ('/' is read as '\'),
// case-insensitively. On a page Microsoft ships with Exchange (for example
// FrontEnd\HttpProxy\ecp\auth\TimeoutLogout.aspx) every entry is capped at
// low: its name alone proves nothing without a hash or content hit.
func (s *Set) Path(winPath string) []*Entry {
	p := normPath(winPath)
	f := fold(p)
	out := s.paths.get(f, nil)
	for i := 0; i < len(f); i++ {
		if f[i] == '\\' {
			out = s.dirs.get(f[:i+1], out)
		}
	}
	out = s.files.match(p, f, out)
	if len(out) > 0 && isBaselinePage(f) {
		out = capAtLow(out)
	}
	return out
}

// IP returns the entries for an IPv4 or IPv6 address, exact or inside a CIDR.
func (s *Set) IP(ip string) []*Entry {
	a, err := netip.ParseAddr(strings.Trim(strings.TrimSpace(ip), "[]"))
	if err != nil {
		ap, err := netip.ParseAddrPort(strings.TrimSpace(ip))
		if err != nil {
			return nil
		}
		a = ap.Addr()
	}
	a = a.WithZone("").Unmap()
	out := s.ips.get(a, nil)
	for _, bits := range s.netBits {
		if p, err := a.Prefix(bits); err == nil {
			out = s.nets.get(p, out)
		}
	}
	return out
}

// UserAgent returns the user-agent entries matching ua. IIS writes spaces as
// '+': both sides are read with '+' as a space, case-insensitively.
func (s *Set) UserAgent(ua string) []*Entry {
	n := normUA(ua)
	if n == "" {
		return nil
	}
	out := s.uas.get(n, nil)
	for _, w := range s.uaWild {
		if w.match(n) {
			out = append(out, w.e)
		}
	}
	return out
}

// URL returns the url entries matching a requested URL path (an IIS
// cs-uri-stem such as /owa/auth/x.aspx); a query string is ignored.
func (s *Set) URL(uriPath string) []*Entry {
	p, _, _ := strings.Cut(uriPath, "?")
	p = collapse(strings.TrimSpace(p), '/')
	return s.urls.match(p, fold(p), nil)
}

// Domain returns the domain entries for a host name or any of its parent
// domains; a port is ignored.
func (s *Set) Domain(host string) []*Entry {
	h := strings.ToLower(strings.TrimSpace(host))
	if strings.Count(h, ":") == 1 {
		h, _, _ = strings.Cut(h, ":")
	}
	h = strings.TrimSuffix(h, ".")
	var out []*Entry
	for h != "" {
		out = s.domains.get(h, out)
		_, rest, ok := strings.Cut(h, ".")
		if !ok {
			break
		}
		h = rest
	}
	return out
}

// decodeHex decodes a hex string of up to len(dst) bytes without allocating.
func decodeHex(dst []byte, s string) (int, bool) {
	if len(s)%2 != 0 || len(s)/2 > len(dst) {
		return 0, false
	}
	for i := 0; i < len(s); i += 2 {
		hi, ok1 := fromHex(s[i])
		lo, ok2 := fromHex(s[i+1])
		if !ok1 || !ok2 {
			return 0, false
		}
		dst[i/2] = hi<<4 | lo
	}
	return len(s) / 2, true
}

func fromHex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// index maps a key to one or more entries; most keys have one, so the rare
// extra entries live in a second map instead of a slice per key.
type index[K comparable] struct {
	one  map[K]*Entry
	more map[K][]*Entry
}

func (m *index[K]) add(k K, e *Entry) {
	if m.one == nil {
		m.one = map[K]*Entry{}
	}
	if _, ok := m.one[k]; !ok {
		m.one[k] = e
		return
	}
	if m.more == nil {
		m.more = map[K][]*Entry{}
	}
	m.more[k] = append(m.more[k], e)
}

func (m *index[K]) get(k K, out []*Entry) []*Entry {
	e, ok := m.one[k]
	if !ok {
		return out
	}
	out = append(out, e)
	return append(out, m.more[k]...)
}

// normPath makes '/' a '\' and collapses repeated separators (a leading \\ of
// a UNC path is kept).
func normPath(p string) string {
	p = strings.ReplaceAll(strings.TrimSpace(p), "/", `\`)
	if strings.HasPrefix(p, `\\`) {
		return `\` + collapse(p[1:], '\\')
	}
	return collapse(p, '\\')
}

func collapse(s string, sep byte) string {
	d := string([]byte{sep, sep})
	if !strings.Contains(s, d) {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == sep && i > 0 && s[i-1] == sep {
			continue
		}
		b = append(b, s[i])
	}
	return string(b)
}

// expandVars replaces %Name% with its value (names are folded in vars);
// quote (regexp.QuoteMeta for patterns) is applied to the value. Unknown
// names are left as written.
func expandVars(s string, vars map[string]string, quote func(string) string) string {
	return exchange.ExpandVars(s, func(name string) (string, bool) {
		v, ok := vars[strings.ToLower(name)]
		if ok && quote != nil {
			v = quote(v)
		}
		return v, ok
	})
}

// uaPattern is a user agent written with a leading and/or trailing '*'.
type uaPattern struct {
	e                        *Entry
	lit                      string
	prefix, suffix, contains bool // "lit*", "*lit", "*lit*"
}

func newUAPattern(e *Entry) (uaPattern, bool) {
	v := strings.TrimSpace(e.Value)
	pre, suf := strings.HasSuffix(v, "*"), strings.HasPrefix(v, "*")
	if !pre && !suf {
		return uaPattern{}, false
	}
	lit := normUA(strings.Trim(v, "*"))
	return uaPattern{e: e, lit: lit, prefix: pre && !suf, suffix: suf && !pre, contains: pre && suf}, true
}

func (p uaPattern) match(n string) bool {
	switch {
	case p.contains:
		return strings.Contains(n, p.lit)
	case p.prefix:
		return strings.HasPrefix(n, p.lit)
	default:
		return strings.HasSuffix(n, p.lit)
	}
}

// normUA reads IIS's '+' as a space, folds case and collapses white space.
func normUA(ua string) string {
	for i := 0; i < len(ua); i++ {
		if ua[i] >= utf8.RuneSelf {
			return strings.Join(strings.Fields(fold(strings.ReplaceAll(ua, "+", " "))), " ")
		}
	}
	// ASCII: the same in one pass ('+' read as a space, lower case, runs
	// of white space made one space, none at either end), without a copy
	// when nothing changes
	var arr [256]byte
	b := arr[:0]
	space := false
	for i := 0; i < len(ua); i++ {
		c := ua[i]
		switch c {
		case '+', ' ', '\t', '\n', '\v', '\f', '\r':
			space = len(b) > 0
			continue
		}
		if space {
			b = append(b, ' ')
			space = false
		}
		b = append(b, literal.LowerByte(c))
	}
	if string(b) == ua {
		return ua
	}
	return string(b)
}

// LogNeedles returns literals such that a log line holding a value that
// IP, UserAgent or URL could match contains at least one of them, ASCII
// case-insensitively (lines with bytes outside ASCII are not covered:
// Unicode case folding can turn them into ASCII letters). ok is false when
// some entry has no such literal: an address range, an IPv6 address, or a
// user agent or url pattern without a usable literal.
func (s *Set) LogNeedles() (needles []string, ok bool) {
	if len(s.nets.one) > 0 {
		return nil, false
	}
	add := func(lit string, path bool) bool {
		var f string
		if path {
			f = PathFragment(lit)
		} else {
			f = longestRun(lit, " +?\t,\"")
		}
		if len(f) < minLogNeedle {
			return false
		}
		needles = append(needles, f)
		return true
	}
	if len(s.ips.one) > 0 {
		// An IPv4-mapped IPv6 address ("::ffff:102:304", also spelt
		// "0:0:0:0:0:FFFF:102:304") is the IPv4 address too: lines with
		// ":ffff:" are kept whatever follows.
		needles = append(needles, ":ffff:")
	}
	for a := range s.ips.one {
		if !a.Is4() {
			return nil, false
		}
		needles = append(needles, a.String())
	}
	for ua := range s.uas.one {
		if !add(ua, false) {
			return nil, false
		}
	}
	for _, w := range s.uaWild {
		if !add(w.lit, false) {
			return nil, false
		}
	}
	for _, r := range s.urls.rules {
		switch {
		case r.isWhole:
			if !add(r.whole, true) {
				return nil, false
			}
		case len(r.lits) > 0:
			for _, l := range r.lits {
				if !add(l, true) {
					return nil, false
				}
			}
		default:
			return nil, false
		}
	}
	return needles, true
}

// minLogNeedle is the shortest literal the log line prefilter indexes.
const minLogNeedle = 4

// longestRun returns the longest run of s free of the bytes in seps.
func longestRun(s, seps string) string {
	best := ""
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(seps, r) }) {
		if len(f) > len(best) {
			best = f
		}
	}
	return best
}

// PathFragment returns a literal that every logged request for the URL
// path u holds, ASCII case-insensitively: its longest '/'-led segment
// free of the characters a logged path may write differently. It may be
// empty or short.
func PathFragment(u string) string { return longestFragment(u, " +?\t,\"") }

// longestFragment returns the longest run of s free of the bytes in seps
// and of "//" (URL paths are compared with repeated slashes collapsed, so
// a literal is only sure to occur up to a '/', which it may start with).
func longestFragment(s, seps string) string {
	best := ""
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(seps, r) }) {
		for i := 0; i < len(f); {
			j := strings.IndexByte(f[i+1:], '/')
			if j < 0 {
				j = len(f)
			} else {
				j += i + 1
			}
			if seg := f[i:j]; len(seg) > len(best) {
				best = seg
			}
			i = j
		}
	}
	return best
}
