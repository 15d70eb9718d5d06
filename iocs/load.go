package iocs

import (
	"bufio"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"regexp"
	"strconv"
	"strings"

	"exscan/internal/loaderr"
)

// LoadFile adds the indicators of one list file to s and returns how many
// were loaded and what was wrong with the other lines. The format is
// detected:
//
//   - exscan TSV: a header line "kind value severity campaigns source date
//     description [exclude]" (tab-separated), then one entry per line;
//     "#@source NAME URL NOTE" lines give the URL of a source name;
//   - Loki hash list (a name containing "hash"): HASH;DESCRIPTION or
//     HASH;SCORE;DESCRIPTION, MD5/SHA-1/SHA-256 by length;
//   - Loki filename list (a name containing "filename"):
//     REGEX;SCORE[;FALSE_POSITIVE_REGEX], described by the comment above it;
//   - Loki c2 list (a name containing "c2"): IP|CIDR|DOMAIN[;SCORE].
//
// Without such a name the first entry line decides. Blank lines and lines
// starting with # are skipped. Hashes of an empty or newline-only file are
// dropped, as Loki does. Loki's false-positive lists ("falsepositive" in the
// name) hold known-good hashes and are refused.
func (s *Set) LoadFile(path string) (loaded int, errs []*loaderr.Error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, []*loaderr.Error{{File: path, Err: err}}
	}
	defer f.Close()
	return s.load(path, f)
}

type format int

const (
	fmtUnknown format = iota
	fmtTSV
	fmtLokiHash
	fmtLokiFilename
	fmtLokiC2
	fmtLokiFalsePositive
)

// formatFromName applies Loki's convention: the list type is a word in the
// file name.
func formatFromName(base string) format {
	base = strings.ToLower(base)
	switch {
	case strings.Contains(base, "falsepositive"):
		return fmtLokiFalsePositive
	case strings.Contains(base, "hash"):
		return fmtLokiHash
	case strings.Contains(base, "filename"):
		return fmtLokiFilename
	case strings.Contains(base, "c2"):
		return fmtLokiC2
	}
	return fmtUnknown
}

var tsvColumns = []string{"kind", "value", "severity", "campaigns", "source", "date", "description", "exclude"}

const maxLine = 1 << 20

type parser struct {
	set         *Set
	file        string
	format      format
	decided     bool
	cols        int               // TSV columns in the header: 7, or 8 with exclude
	sources     map[string]string // #@source name -> URL
	lastComment string
	strs        map[string]string // interned descriptions and source names
	source      string            // source name of Loki entries: the file's base name
	slab        []Entry
	loaded      int
	errs        []*loaderr.Error
}

func (s *Set) load(name string, r io.Reader) (int, []*loaderr.Error) {
	if s.vars == nil {
		s.vars = mergeVars(nil)
	}
	base := name[strings.LastIndexAny(name, `/\`)+1:]
	p := &parser{set: s, file: name, format: formatFromName(base), strs: map[string]string{}, source: base}
	if p.format == fmtLokiFalsePositive {
		return 0, []*loaderr.Error{loaderr.New(name, 0, `a Loki false-positive list ("falsepositive" in the name) holds known-good hashes: not loaded as indicators`)}
	}
	br := bufio.NewReaderSize(r, 64<<10)
	for n := 1; ; n++ {
		line, tooLong, err := readLine(br)
		if tooLong {
			p.fail(n, "line longer than %d bytes: skipped", maxLine)
		} else if line != "" {
			if n == 1 {
				line = strings.TrimPrefix(line, "\ufeff")
			}
			if !p.line(n, line) {
				break
			}
		}
		if err != nil {
			if !errors.Is(err, io.EOF) {
				p.fail(0, "read error after line %d: %v", n, err)
			}
			break
		}
	}
	return p.loaded, p.errs
}

// readLine returns the next line without its end of line; a line over
// maxLine is consumed and reported as too long.
func readLine(br *bufio.Reader) (string, bool, error) {
	var long []byte
	for {
		b, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			if len(long)+len(b) <= maxLine {
				long = append(long, b...)
			} else {
				for errors.Is(err, bufio.ErrBufferFull) {
					_, err = br.ReadSlice('\n')
				}
				return "", true, err
			}
			continue
		}
		if long != nil {
			b = append(long, b...)
			if len(b) > maxLine {
				return "", true, err
			}
		}
		return strings.TrimRight(string(b), "\r\n"), false, err
	}
}

func (p *parser) fail(n int, format string, args ...any) {
	p.errs = append(p.errs, loaderr.New(p.file, n, format, args...))
}

func (p *parser) intern(s string) string {
	if v, ok := p.strs[s]; ok {
		return v
	}
	s = strings.Clone(s)
	p.strs[s] = s
	return s
}

// line handles one line; false stops the file (its format is unknown).
func (p *parser) line(n int, l string) bool {
	t := strings.TrimSpace(l)
	if t == "" {
		return true
	}
	if t[0] == '#' {
		p.comment(n, t)
		return true
	}
	if !p.decided {
		p.decided = true
		if cols, ok := tsvHeader(t); ok {
			p.format, p.cols = fmtTSV, cols
			return true
		}
		if p.format == fmtUnknown {
			p.format = sniff(t)
		}
		if p.format == fmtUnknown {
			p.fail(n, "unknown list format: want an exscan TSV header (%s) or a Loki hash, filename or c2 list", strings.Join(tsvColumns[:7], " "))
			return false
		}
	}
	switch p.format {
	case fmtTSV:
		p.tsvRow(n, l)
	case fmtLokiHash:
		p.lokiHash(n, t)
	case fmtLokiFilename:
		p.lokiFilename(n, t)
	case fmtLokiC2:
		p.lokiC2(n, t)
	}
	return true
}

func (p *parser) comment(n int, t string) {
	if rest, ok := strings.CutPrefix(t, "#@source"); ok {
		f := strings.Split(strings.TrimSpace(rest), "\t")
		if len(f) < 2 || f[0] == "" || f[1] == "" {
			p.fail(n, "#@source wants: NAME<TAB>URL[<TAB>NOTE]")
			return
		}
		if p.sources == nil {
			p.sources = map[string]string{}
		}
		p.sources[f[0]] = f[1]
		return
	}
	p.lastComment = strings.TrimSpace(strings.TrimLeft(t, "#"))
}

func tsvHeader(t string) (int, bool) {
	f := strings.Split(t, "\t")
	if len(f) < 7 || len(f) > 8 {
		return 0, false
	}
	for i, c := range f {
		if !strings.EqualFold(strings.TrimSpace(c), tsvColumns[i]) {
			return 0, false
		}
	}
	return len(f), true
}

// sniff guesses a Loki list type from its first entry line.
func sniff(t string) format {
	f := strings.Split(t, ";")
	if hashKind(strings.TrimSpace(f[0])) != "" {
		return fmtLokiHash
	}
	if strings.Contains(t, "\t") {
		return fmtUnknown
	}
	if _, ok := c2Value(strings.ToLower(strings.TrimSpace(f[0]))); ok && len(f) <= 2 {
		return fmtLokiC2
	}
	if len(f) == 2 || len(f) == 3 {
		if _, err := strconv.Atoi(strings.TrimSpace(f[1])); err == nil {
			return fmtLokiFilename
		}
	}
	return fmtUnknown
}

func (p *parser) tsvRow(n int, l string) {
	f := strings.Split(l, "\t")
	if len(f) < 6 || len(f) > p.cols {
		p.fail(n, "want %d tab-separated columns (%s), got %d", p.cols, strings.Join(tsvColumns[:p.cols], ", "), len(f))
		return
	}
	for len(f) < p.cols {
		f = append(f, "")
	}
	for i := range f {
		f[i] = strings.TrimSpace(f[i])
	}
	kind := Kind(strings.ToLower(f[0]))
	sev := strings.ToLower(f[2])
	if sev == "" {
		sev = defaultSeverity(kind)
	} else if severityRank(sev) < 0 {
		p.fail(n, "unknown severity %q (want critical, high, medium, low or info)", f[2])
		return
	}
	var camps []string
	for _, c := range strings.Split(f[3], ",") {
		if c = strings.ToLower(strings.TrimSpace(c)); c != "" && c != "-" {
			camps = append(camps, p.intern(c))
		}
	}
	if f[5] != "" && !validDate(f[5]) {
		p.fail(n, "date %q: want YYYY-MM-DD or YYYY-MM", f[5])
		return
	}
	ref := p.sources[f[4]]
	if ref == "" && (strings.HasPrefix(f[4], "https://") || strings.HasPrefix(f[4], "http://")) {
		ref = f[4]
	}
	e := p.entry()
	*e = Entry{Kind: kind, Severity: sev, Campaigns: camps, Source: p.intern(f[4]), Reference: p.intern(ref),
		Date: p.intern(f[5]), Description: p.intern(f[6]), Score: scoreFor(sev), File: p.file, Line: n}
	exclude := ""
	if p.cols == 8 {
		exclude = f[7]
	}
	p.add(n, e, f[1], exclude)
}

var dateRE = regexp.MustCompile(`^[0-9]{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?$`)

func validDate(s string) bool { return dateRE.MatchString(s) }

func (p *parser) lokiHash(n int, t string) {
	h, rest, hasRest := strings.Cut(t, ";")
	h = strings.TrimSpace(h)
	kind := hashKinds[len(h)] // addValue checks the digits
	if kind == "" {
		p.fail(n, "%q is not an MD5, SHA-1 or SHA-256 hex digest (want HASH;DESCRIPTION or HASH;SCORE;DESCRIPTION)", clip(h))
		return
	}
	score, desc := 100, rest
	if sc, d, ok := strings.Cut(rest, ";"); ok {
		if v, err := strconv.Atoi(strings.TrimSpace(sc)); err == nil {
			score, desc = v, d
		}
	} else if !hasRest {
		desc = ""
	}
	e := p.entry()
	*e = Entry{Kind: kind, Severity: severityForScore(kind, score), Score: score, Source: p.source,
		Description: p.intern(strings.TrimSpace(desc)), File: p.file, Line: n}
	p.add(n, e, h, "")
}

func (p *parser) lokiFilename(n int, t string) {
	f := strings.Split(t, ";")
	if len(f) < 2 || len(f) > 3 {
		p.fail(n, "want REGEX;SCORE[;FALSE_POSITIVE_REGEX], got %d fields", len(f))
		return
	}
	score, err := strconv.Atoi(strings.TrimSpace(f[1]))
	if err != nil {
		p.fail(n, "score %q is not a number (want REGEX;SCORE[;FALSE_POSITIVE_REGEX])", clip(f[1]))
		return
	}
	exclude := ""
	if len(f) == 3 {
		exclude = strings.TrimSpace(f[2])
	}
	e := p.entry()
	*e = Entry{Kind: KindFilename, Severity: severityForScore(KindFilename, score), Score: score, Source: p.source,
		Description: p.intern(p.lastComment), File: p.file, Line: n}
	p.add(n, e, f[0], exclude)
}

func (p *parser) lokiC2(n int, t string) {
	f := strings.Split(t, ";")
	if len(f) > 2 {
		p.fail(n, "want IP, CIDR or DOMAIN, optionally ;SCORE")
		return
	}
	v := strings.TrimSuffix(strings.ToLower(strings.TrimSpace(f[0])), ".")
	if len(v) < 4 {
		p.fail(n, "%q is shorter than 4 characters (Loki rejects these)", v)
		return
	}
	kind, ok := c2Value(v)
	if !ok {
		p.fail(n, "%q is not an IP address, CIDR or domain name", clip(v))
		return
	}
	score, sev := scoreFor(SeverityHigh), SeverityHigh
	if len(f) == 2 {
		sc, err := strconv.Atoi(strings.TrimSpace(f[1]))
		if err != nil {
			p.fail(n, "score %q is not a number", clip(f[1]))
			return
		}
		score, sev = sc, severityForScore(kind, sc)
	}
	e := p.entry()
	*e = Entry{Kind: kind, Severity: sev, Score: score, Source: p.source,
		Description: p.intern(p.lastComment), File: p.file, Line: n}
	p.add(n, e, v, "")
}

// entry hands out entries from a slab: lists can hold millions of them.
func (p *parser) entry() *Entry {
	if len(p.slab) == 0 {
		p.slab = make([]Entry, 512)
	}
	e := &p.slab[0]
	p.slab = p.slab[1:]
	return e
}

func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "..."
	}
	return s
}

// add checks and normalises value for e.Kind and indexes the entry.
func (p *parser) add(n int, e *Entry, value, exclude string) {
	if err := p.set.addValue(e, value, exclude); err != nil {
		p.fail(n, "%s", err)
		return
	}
	p.loaded++
}

var errEmptyValue = errors.New("empty value")

func (s *Set) addValue(e *Entry, v, exclude string) error {
	if v == "" {
		return errEmptyValue
	}
	if exclude != "" && e.Kind != KindFilename && e.Kind != KindURL {
		return fmt.Errorf("an exclude pattern only applies to filename and url entries")
	}
	switch e.Kind {
	case KindMD5, KindSHA1, KindSHA256:
		if k := hashKind(v); k != e.Kind {
			return fmt.Errorf("%q is not a %s hex digest", clip(v), e.Kind)
		}
		v = strings.ToLower(v)
		if emptyFileHashes[v] {
			return fmt.Errorf("%s is the hash of an empty or newline-only file: dropped, as Loki does", v)
		}
		e.Value = v // a substring of its line, which is not kept otherwise
	case KindFilename, KindURL:
		r, err := newRule(e, v, exclude, s.vars)
		if err != nil {
			return fmt.Errorf("bad regular expression %q: %v", clip(v), err)
		}
		e.Value = strings.Clone(v)
		s.entries = append(s.entries, e)
		if e.Kind == KindFilename {
			s.files.add(r)
		} else {
			s.urls.add(r)
		}
		return nil
	case KindPath:
		v = normPath(v)
		if !(v[0] == '%' || v[0] == '\\' || len(v) >= 3 && v[1] == ':' && v[2] == '\\') {
			return fmt.Errorf("path %q is not absolute: want X:\\..., \\... or %%Var%%\\...", clip(v))
		}
		e.Value = strings.Clone(v)
	case KindIP:
		if pr, err := netip.ParsePrefix(v); err == nil {
			a, bits := pr.Addr(), pr.Bits()
			if a.Is4In6() {
				a, bits = a.Unmap(), bits-96
			}
			if pr = netip.PrefixFrom(a, bits).Masked(); !pr.IsValid() {
				return fmt.Errorf("%q is not a usable CIDR", clip(v))
			}
			if e.Value = pr.String(); bits == a.BitLen() {
				e.Value = a.String()
			}
			break
		}
		a, err := netip.ParseAddr(v)
		if err != nil {
			return fmt.Errorf("%q is not an IP address or CIDR", clip(v))
		}
		e.Value = a.WithZone("").Unmap().String()
	case KindUserAgent:
		if normUA(strings.Trim(v, "*")) == "" {
			return errEmptyValue
		}
		e.Value = strings.Clone(v)
	case KindDomain:
		d := strings.TrimSuffix(strings.ToLower(v), ".")
		if !validDomain(d) {
			return fmt.Errorf("%q is not a domain name", clip(v))
		}
		e.Value = strings.Clone(d)
	default:
		return fmt.Errorf("unknown kind %q (want sha256, sha1, md5, filename, path, ip, useragent, url or domain)", clip(string(e.Kind)))
	}
	s.add(e)
	return nil
}

var hashKinds = map[int]Kind{32: KindMD5, 40: KindSHA1, 64: KindSHA256}

// hashKind is the kind of a hex digest by its length, "" if h is not one.
func hashKind(h string) Kind {
	k := hashKinds[len(h)]
	if k == "" {
		return ""
	}
	for i := 0; i < len(h); i++ {
		c := h[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return ""
		}
	}
	return k
}

// c2Value tells an IP or CIDR from a domain name.
func c2Value(v string) (Kind, bool) {
	if _, err := netip.ParseAddr(v); err == nil {
		return KindIP, true
	}
	if _, err := netip.ParsePrefix(v); err == nil {
		return KindIP, true
	}
	if validDomain(v) {
		return KindDomain, true
	}
	return "", false
}

// validDomain accepts lower-case host names with at least two labels.
func validDomain(d string) bool {
	if len(d) > 253 || !strings.Contains(d, ".") {
		return false
	}
	for _, label := range strings.Split(d, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
				return false
			}
		}
	}
	return true
}

// emptyFileHashes are the MD5, SHA-1 and SHA-256 of an empty file and of a
// file holding only a newline (LF or CRLF): lists that contain them would
// flag every empty file (Loki issues #99 and #100).
var emptyFileHashes = func() map[string]bool {
	m := map[string]bool{}
	for _, c := range []string{"", "\n", "\r\n"} {
		a, b, d := md5.Sum([]byte(c)), sha1.Sum([]byte(c)), sha256.Sum256([]byte(c))
		m[hex.EncodeToString(a[:])], m[hex.EncodeToString(b[:])], m[hex.EncodeToString(d[:])] = true, true, true
	}
	return m
}()
