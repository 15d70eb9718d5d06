package rules

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hillu/go-yara/v4"
)

// guardString renders a guard for comparison: "size<=N" and one
// "u16le@0!=0x5a4d"-style item per check, "any" for no guard.
func guardString(g yaraGuard) string {
	var parts []string
	if g.maxSize != math.MaxInt64 {
		parts = append(parts, fmt.Sprintf("size<=%d", g.maxSize))
	}
	for _, c := range g.checks {
		s := "u"
		if c.signed {
			s = "i"
		}
		s += fmt.Sprint(c.width * 8)
		if c.bigEndian {
			s += "be"
		} else {
			s += "le"
		}
		op := "=="
		if c.notEqual {
			op = "!="
		}
		v := fmt.Sprintf("%#x", c.value)
		if c.value < 0 {
			v = fmt.Sprint(c.value)
		}
		parts = append(parts, fmt.Sprintf("%s@%d%s%s", s, c.off, op, v))
	}
	if len(parts) == 0 {
		return "any"
	}
	return strings.Join(parts, " ")
}

// guardsOf renders every rule of src as "name=guard" (private rules with
// a leading "private "), or "NOT FOLLOWED" when the reader gave up.
func guardsOf(src string) string {
	rs, ok := readYARAGuards(src)
	if !ok {
		return "NOT FOLLOWED"
	}
	var out []string
	for _, r := range rs {
		p := ""
		if r.private {
			p = "private "
		}
		out = append(out, p+r.name+"="+guardString(r.guard))
	}
	return strings.Join(out, "; ")
}

var guardCases = []struct {
	name, src, want string
}{
	{"plain guards",
		`rule a { strings: $x = "eval" condition: uint16(0) != 0x5A4D and filesize < 2MB and $x }`,
		"a=size<=2097151 u16le@0!=0x5a4d"},
	{"size forms",
		`rule a { condition: filesize <= 10KB } rule b { condition: filesize < 100 } rule c { condition: filesize < 0x10 }`,
		"a=size<=10240; b=size<=99; c=size<=15"},
	{"integer functions and offsets",
		`rule a { condition: uint32be(4) == 0x30820100 and int8(0) == 127 and uint8(3) != 0o17 and int32(8) == 0xffffffff }`,
		"a=i8le@0==0x7f u8le@3!=0xf u32be@4==0x30820100 i32le@8==0xffffffff"},
	{"other comparisons are not guards",
		`rule a { condition: filesize > 10 and uint16(0) < 5 and uint16(0) == 0x5A4D + 1 and filesize < 1KB * 2 and filesize < 1.5 and uint16(0) == -1 and uint16(1 + 1) == 3 }`,
		"a=any"},
	{"not binds to its comparison",
		`rule a { condition: not uint16(0) == 0x5A4D and filesize < 1KB }`,
		"a=size<=1023"},
	{"top-level or keeps only what every branch demands",
		`rule a { condition: filesize < 1KB or uint16(0) == 0x5A4D }
			 rule b { condition: uint16(0) != 0x5A4D and filesize < 1KB or uint16(0) != 0x5A4D and filesize < 2KB and $x }
			 rule c { condition: uint16(0) != 0x5A4D and filesize < 1KB and $x or $y }`,
		"a=any; b=size<=2047 u16le@0!=0x5a4d; c=any"},
	{"parenthesised conjuncts",
		`rule a { condition: (uint16(0) != 0x5A4D and (filesize < 1KB)) and ($x or filesize < 10) and (filesize < 5 or $y) }`,
		"a=size<=1023 u16le@0!=0x5a4d"},
	{"and inside a group or a for loop is not top level",
		`rule a { condition: for any i in (0..2) : ( uint16(i) == 1 and filesize < 10 ) and any of ($a, $b) }`,
		"a=any"},
	{"comments",
		`// rule fake { condition: filesize < 1 }
			 /* rule fake2 { condition: filesize < 1 } } */
			 rule a // c
			 { /* { */ meta: d = "x" // }
			   strings: $x = "y" /* } */ condition: /* or */ filesize < 10 // or 1
			   and uint16(0) != 0 }`,
		"a=size<=9 u16le@0!=0x0"},
	{"strings with escapes and braces",
		`rule a { meta: d = "a \" } rule b { condition: true }" n = -10 f = false
			 strings: $a = "\"}{ or rule x {\\" nocase ascii wide $b = "\x41}" fullword private
			 condition: $a and filesize < 5 and filename == "a or \" } b" }`,
		"a=size<=4"},
	{"regular expressions",
		`rule a { strings: $r = /a\/b}{[\/]c\s{0,3}/is wide $s = /x}/ nocase
			 condition: filename matches /}or\/ and/ and filesize < 7 }`,
		"a=size<=6"},
	{"hex strings and modifier arguments",
		`rule a { strings: $h = { 4D 5A [2-4] ( 90 | ?? ) ~00 } $x = "abc" xor(0x01-0xff) $b = "q" base64("!@#$%^&*(){}[].,|ABCDEFGHIJ\x09LMNOPQRSTUVWXYZabcdefghijklmnopqrstu")
			 condition: any of them and uint16(0) == 0x8230 }`,
		"a=u16le@0==0x8230"},
	{"private rules are kept for references",
		`private rule notpe { condition: uint16(0) != 0x5A4D }
			 private rule code { strings: $a = "<%" condition: any of them }
			 rule a { condition: notpe and code and filesize < 3MB }
			 rule b { condition: a and uint8(2) == 1 }
			 rule c { condition: not notpe and filesize < 1KB }`,
		"private notpe=u16le@0!=0x5a4d; private code=any; a=size<=3145727 u16le@0!=0x5a4d; b=size<=3145727 u16le@0!=0x5a4d u8le@2==0x1; c=size<=1023"},
	{"a later rule or an external is not a reference",
		`rule a { condition: b and filename and filesize < 9 } rule b { condition: filesize < 1 }`,
		"a=size<=8; b=size<=0"},
	{"global, tags, imports",
		`import "pe"
			 global rule g : t1 t2 { condition: filesize < 10MB }
			 private global rule pg { condition: true }
			 rule a : tag { condition: pe.is_pe and filesize < 5 and pe.number_of_sections == 1 }`,
		"g=size<=10485759; private pg=any; a=size<=4"},
	{"Windows line ends",
		"rule a\r\n{\r\n  strings:\r\n    $a = \"x\" // c\r\n  condition:\r\n    uint16(0) != 0x5A4D and\r\n    filesize < 1KB\r\n}\r\n",
		"a=size<=1023 u16le@0!=0x5a4d"},
	{"include: rules not in the text", `include "other.yar" rule a { condition: filesize < 5 }`, "NOT FOLLOWED"},
	{"unknown top-level word", `rule a { condition: filesize < 5 } something`, "NOT FOLLOWED"},
	{"unclosed comment", `rule a { condition: filesize < 5 } /* `, "NOT FOLLOWED"},
	{"comment inside a hex string", `rule a { strings: $h = { 4D /* } */ 5A } condition: $h and filesize < 5 }`, "NOT FOLLOWED"},
	{"line break inside a string", "rule a { strings: $a = \"x\ny\" condition: $a and filesize < 5 }", "NOT FOLLOWED"},
	{"unbalanced condition", `rule a { condition: (filesize < 5 }`, "NOT FOLLOWED"},
	{"brace in a condition", `rule a { condition: filesize < 5 { }`, "NOT FOLLOWED"},
	{"no condition", `rule a { meta: x = 1 }`, "NOT FOLLOWED"},
	{"byte order mark", "\ufeffrule a { condition: filesize < 5 }", "NOT FOLLOWED"},
}

func TestReadYARAGuards(t *testing.T) {
	for _, tc := range guardCases {
		t.Run(tc.name, func(t *testing.T) {
			if got := guardsOf(tc.src); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestHeadCheck(t *testing.T) {
	for _, tc := range []struct {
		fn   string
		val  int64
		head []byte
		want bool
	}{
		{"uint16", 0x5A4D, []byte("MZ\x90\x00"), true},
		{"uint16", 0x5A4D, []byte("ZM"), false},
		{"uint16be", 0x4D5A, []byte("MZ"), true},
		{"uint32", 0x4e444221, []byte("!BDN\x00"), true},
		{"uint32be", 0x4e444221, []byte("!BDN"), false},
		{"uint8", 0xff, []byte{0xff}, true},
		{"int8", 0xff, []byte{0xff}, false}, // int8 reads -1
		{"int8", -1, []byte{0xff}, true},
		{"int16be", -2, []byte{0xff, 0xfe}, true},
		{"int32", 0x7fffffff, []byte{0xff, 0xff, 0xff, 0x7f}, true},
		{"uint32", 0x5A4D, []byte("MZ"), true}, // past the head: could hold
	} {
		c, ok := intFunction(tc.fn)
		if !ok {
			t.Fatalf("%s not read", tc.fn)
		}
		c.value = tc.val
		if got := c.holds(tc.head); got != tc.want {
			t.Errorf("%s(0) == %#x on % x: %v, want %v", tc.fn, tc.val, tc.head, got, tc.want)
		}
		c.notEqual = true
		if got := c.holds(tc.head); got != (!tc.want || len(tc.head) < c.width) {
			t.Errorf("%s(0) != %#x on % x: %v", tc.fn, tc.val, tc.head, got)
		}
	}
}

// builtinGuards reads every built-in rule file, failing when the reader
// does not follow one.
func builtinGuards(t *testing.T) map[string]ruleGuard {
	t.Helper()
	out := map[string]ruleGuard{}
	for fam, src := range ytSources(t) {
		rs, ok := readYARAGuards(src)
		if !ok {
			t.Fatalf("yara/%s.yar: the guard reader does not follow it", fam)
		}
		for _, r := range rs {
			out[r.name] = r
		}
	}
	return out
}

func TestBuiltinYARAGuards(t *testing.T) {
	gs := builtinGuards(t)
	for name, want := range map[string]string{
		"exscan_antsword_custom_handler":             "size<=2097151 u16le@0!=0x5a4d",
		"exscan_behinder_asp_xor_execute":            "size<=102399 u16le@0!=0x5a4d",
		"exscan_china_chopper_jscript_obfuscated":    "size<=307199 u16le@0!=0x5a4d",
		"exscan_classic_asp_execute_decoded":         "size<=307199 u16le@0!=0x5a4d", // every branch of its "or" has a size
		"exscan_classic_asp_tiny_eval":               "size<=2047 u16le@0!=0x5a4d",
		"exscan_generic_aspnet_not_pe":               "u16le@0!=0x5a4d",
		"exscan_generic_aspnet_process_from_request": "size<=3145727 u16le@0!=0x5a4d", // through the private rule
		"exscan_generic_aspnet_edr_recon":            "size<=51199 u16le@0!=0x5a4d",
		"exscan_proxyshell_export_pst_page":          "size<=20971519 u32le@0==0x4e444221",
		"exscan_proxyshell_export_der_page":          "size<=65535 u16le@0==0x8230",
		"exscan_upload_dropper_simpleseesharp":       "size<=4095 u16le@0!=0x5a4d",
		"exscan_tunnel_asp_http_proxy":               "size<=204799 u16le@0!=0x5a4d",
	} {
		r, ok := gs[name]
		if !ok {
			t.Errorf("no rule %s", name)
			continue
		}
		if got := guardString(r.guard); got != want {
			t.Errorf("%s: %s, want %s", name, got, want)
		}
	}
	for name, r := range gs {
		if !r.private && r.guard.unbounded() {
			t.Errorf("%s: public built-in rule without a guard: every file would need a YARA scan", name)
		}
	}

	set, errs := LoadYARA(true, nil)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	pad := func(head string, size int) []byte {
		b := make([]byte, size)
		copy(b, head)
		return b
	}
	for _, tc := range []struct {
		name string
		data []byte
		want bool
	}{
		{"DLL", pad("MZ\x90\x00", 300<<10), false},
		{"two-byte MZ", []byte("MZ"), true}, // uint32(0) of the PST rule reaches past it: taken as possible
		{"page", []byte(`<%@ Page Language="C#" %>`), true},
		{"empty file", nil, true},
		{"one byte", []byte("M"), true},
		{"PNG", pad("\x89PNG\r\n\x1a\n", 100<<10), true},
		{"text of 5 MB - 1", pad("<%", 5<<20-1), true},
		{"text of 5 MB", pad("<%", 5<<20), false},
		{"PST export of 10 MB", pad("!BDN", 10<<20), true},
		{"PST export of 20 MB", pad("!BDN", 20<<20), false},
		{"certificate export of 60 KB", pad("\x30\x82", 60<<10), true},
		{"certificate-like file of 6 MB", pad("\x30\x82", 6<<20), false},
	} {
		if got := set.CanMatch(int64(len(tc.data)), tc.data); got != tc.want {
			t.Errorf("CanMatch(%s) = %v, want %v", tc.name, got, tc.want)
		}
	}
	if n := testing.AllocsPerRun(100, func() { set.CanMatch(300<<10, []byte("MZ\x90\x00")) }); n != 0 {
		t.Errorf("CanMatch allocates: %v per call", n)
	}
}

func TestYARAPrefilterUserRules(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) string {
		d := filepath.Join(dir, strings.TrimSuffix(name, ".yar"))
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(d, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		return d
	}
	dll := append([]byte("MZ\x90\x00"), make([]byte, 1000)...)
	guarded := write("guarded.yar", `rule g { strings: $a = "x" condition: uint16(0) != 0x5A4D and $a }`)
	open := write("open.yar", `rule o { strings: $a = "MZ" condition: $a at 0 }`)
	broken := write("broken.yar", `rule b { condition: filesize < 10 and nosuchthing }`)
	for _, tc := range []struct {
		name string
		dirs []string
		want bool
	}{
		{"built-in and a guarded user rule", []string{guarded}, false},
		{"a user rule without a guard", []string{guarded, open}, true},
		{"a user file that did not compile adds nothing", []string{guarded, broken}, false},
	} {
		set, _ := LoadYARA(true, tc.dirs)
		if set == nil {
			t.Fatalf("%s: no rules", tc.name)
		}
		if got := set.CanMatch(int64(len(dll)), dll); got != tc.want {
			t.Errorf("%s: CanMatch(DLL) = %v, want %v", tc.name, got, tc.want)
		}
	}
	var nilSet *YARASet
	if !nilSet.CanMatch(1, []byte("MZ")) || !(&YARASet{}).CanMatch(1, []byte("MZ")) {
		t.Error("a set without guards must admit every file")
	}
}

// TestYARAGuardSoundness scans every fixture, and variants of it behind an
// MZ or PNG header or padded past a rule's size limit, with the built-in
// rules: a rule libyara reports must admit the file by its guard, and no
// rule may be reported when the set's CanMatch says none can match.
func TestYARAGuardSoundness(t *testing.T) {
	srcs := ytSources(t)
	all := ytCompile(t, srcs)
	defer all.Destroy()
	set, errs := LoadYARA(true, nil)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	gs := builtinGuards(t)
	limits := map[int64]bool{}
	for _, r := range gs {
		if r.guard.maxSize != math.MaxInt64 {
			limits[r.guard.maxSize+1] = true
		}
	}
	sizes := make([]int64, 0, len(limits))
	for n := range limits {
		sizes = append(sizes, n)
	}
	sort.Slice(sizes, func(i, j int) bool { return sizes[i] < sizes[j] })

	files, _ := filepath.Glob(filepath.Join(ytFixtureDir(t), "*", "*", "*"))
	if len(files) < 50 {
		t.Fatalf("only %d fixtures", len(files))
	}
	var scans, ruledOut, hits int
	check := func(label string, b []byte) {
		scans++
		matched := ytScan(t, all, label, b)
		hits += len(matched)
		can := set.CanMatch(int64(len(b)), b)
		if !can {
			ruledOut++
		}
		for _, h := range matched {
			if !can {
				t.Errorf("%s (%d bytes): CanMatch false, but %s matched", label, len(b), h.rule)
			}
			if r, ok := gs[h.rule]; !ok || !r.guard.admits(int64(len(b)), b) {
				t.Errorf("%s (%d bytes): %s matched, but its guard %s rules the file out", label, len(b), h.rule, guardString(r.guard))
			}
		}
	}
	for _, f := range files {
		if !strings.Contains(f, string(filepath.Separator)+"tp"+string(filepath.Separator)) &&
			!strings.Contains(f, string(filepath.Separator)+"fp"+string(filepath.Separator)) {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		check(f, b)
		check(f+" behind MZ", append([]byte("MZ"), b...))
		check(f+" with MZ in place", append([]byte("MZ"), b[min(2, len(b)):]...))
		check(f+" behind a PNG header", append([]byte("\x89PNG\r\n\x1a\n"), b...))
		// Padded with spaces just past the size limit of each rule that
		// matched, and to the first size at which no rule can match: the
		// matching text stays, only the size grows.
		pads := map[int64]bool{}
		for _, h := range ytScan(t, all, f, b) {
			if n := gs[h.rule].guard.maxSize; n != math.MaxInt64 {
				pads[n+1] = true
			}
		}
		for _, n := range sizes {
			if !set.CanMatch(n, b) {
				pads[n] = true
				break
			}
		}
		for n := range pads {
			if int64(len(b)) < n && (!testing.Short() || n <= 1<<20) {
				check(fmt.Sprintf("%s padded to %d", f, n), append(b, bytes.Repeat([]byte(" "), int(n)-len(b))...))
			}
		}
	}
	// The test proves nothing unless both outcomes occur.
	if ruledOut == 0 || hits == 0 || ruledOut == scans {
		t.Errorf("%d scans, %d ruled out, %d rule hits: the variants do not exercise the guards", scans, ruledOut, hits)
	}
	t.Logf("%d scans, %d ruled out by CanMatch, %d rule hits", scans, ruledOut, hits)
}

// FuzzYARAGuards reads arbitrary rule text: the reader must not panic, and
// when libyara compiles the text, no rule it reports on data (or on data
// behind an MZ header) may be one whose guard rules that data out.
func FuzzYARAGuards(f *testing.F) {
	for _, src := range ytSources(f) {
		f.Add(src, []byte("<%@ Page Language=\"C#\" %><% eval(Request[\"x\"]) %>"))
	}
	for _, tc := range guardCases {
		f.Add(tc.src, []byte("x"))
		f.Add(tc.src, []byte("MZ\x90\x00\x03"))
	}
	f.Fuzz(func(t *testing.T, src string, data []byte) {
		rs, ok := readYARAGuards(src)
		if !ok {
			return
		}
		c, err := yara.NewCompiler()
		if err != nil {
			t.Fatal(err)
		}
		defer c.Destroy()
		c.DisableIncludes()
		for _, v := range Externals {
			c.DefineVariable(v, "")
		}
		if c.AddString(src, "fuzz") != nil {
			return
		}
		r, err := c.GetRules()
		if err != nil {
			return
		}
		defer r.Destroy()
		guards := map[string]yaraGuard{}
		for _, rg := range rs {
			guards[rg.name] = rg.guard
		}
		for _, b := range [][]byte{data, append([]byte("MZ"), data...)} {
			var m yara.MatchRules
			s, err := yara.NewScanner(r)
			if err != nil {
				t.Fatal(err)
			}
			err = s.SetCallback(&m).SetTimeout(5 * time.Second).ScanMem(b)
			s.Destroy()
			if err != nil {
				continue
			}
			for _, hit := range m {
				g, ok := guards[hit.Rule]
				if !ok {
					t.Fatalf("rule %s matched, but the reader did not see it", hit.Rule)
				}
				if !g.admits(int64(len(b)), b) {
					t.Fatalf("rule %s matched %q, but its guard %s rules it out", hit.Rule, b, guardString(g))
				}
			}
		}
	})
}
