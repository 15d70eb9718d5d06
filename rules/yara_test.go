package rules

import (
	"bytes"
	"fmt"
	"io/fs"
	"math/rand"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/hillu/go-yara/v4"

	"exscan/internal/corpus"
	"exscan/scanner/scriptview"
)

// Tests for the built-in YARA webshell rules (rules/yara/*.yar): they must
// compile cleanly (no warnings, so no slow strings), carry the documented
// meta, hit their hand-written fixtures and stay quiet on the benign ones,
// and, when the shared research corpus is present, meet the detection and
// false-positive targets on real webshells and real ASP.NET code.

var (
	ytExternals = []string{"filename", "filepath", "extension", "filetype", "owner", "md5"}
	ytMetaKeys  = []string{"id", "author", "description", "severity", "campaign", "cves", "attack", "references", "date"}
	ytSeverity  = map[string]int{"info": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}
	ytCampaigns = map[string]bool{"proxylogon": true, "proxyshell": true, "proxynotshell": true, "owassrf": true, "webshell-generic": true}
	ytCVE       = regexp.MustCompile(`^CVE-\d{4}-\d+$`)
	ytAttack    = regexp.MustCompile(`^T\d{4}(\.\d{3})?$`)
	ytDate      = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	ytID        = regexp.MustCompile(`^exscan\.[a-z0-9_]+(\.[a-z0-9_]+)+$`)
	ytURL       = regexp.MustCompile(`^https?://\S+$`)
	ytTrait     = regexp.MustCompile(`^[a-z]+\.[a-z][a-z-]*$`)
)

// ytSources returns the embedded raw-byte rule files keyed by family
// (file base name).
func ytSources(tb testing.TB) map[string]string { return ytSourcesOf(tb, false, true) }

// ytViewSources returns the embedded rule files that run on the
// normalised view of script pages (yara/view/*.yar).
func ytViewSources(tb testing.TB) map[string]string { return ytSourcesOf(tb, true, false) }

// ytAllSources returns both.
func ytAllSources(tb testing.TB) map[string]string { return ytSourcesOf(tb, true, true) }

func ytSourcesOf(tb testing.TB, view, raw bool) map[string]string {
	tb.Helper()
	out := map[string]string{}
	err := fs.WalkDir(Builtin, "yara", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || path.Ext(p) != ".yar" || IsViewRuleFile(p) && !view || !IsViewRuleFile(p) && !raw {
			return nil
		}
		b, err := Builtin.ReadFile(p)
		if err != nil {
			return err
		}
		out[strings.TrimSuffix(path.Base(p), ".yar")] = string(b)
		return nil
	})
	if err != nil {
		tb.Fatalf("reading embedded rules: %v", err)
	}
	if len(out) == 0 {
		tb.Fatal("no embedded yara/*.yar files of that kind")
	}
	return out
}

// ytCompile compiles the given families (all when none are named) into one
// rule set, each file in its own namespace, and fails on any error or warning.
func ytCompile(tb testing.TB, srcs map[string]string, families ...string) *yara.Rules {
	tb.Helper()
	if len(families) == 0 {
		for f := range srcs {
			families = append(families, f)
		}
		sort.Strings(families)
	}
	c, err := yara.NewCompiler()
	if err != nil {
		tb.Fatal(err)
	}
	defer c.Destroy()
	for _, v := range ytExternals {
		if err := c.DefineVariable(v, ""); err != nil {
			tb.Fatal(err)
		}
	}
	for _, f := range families {
		src, ok := srcs[f]
		if !ok {
			tb.Fatalf("no rule file yara/%s.yar", f)
		}
		if err := c.AddString(src, f); err != nil {
			for _, e := range c.Errors {
				tb.Errorf("yara/%s.yar:%d: %s", f, e.Line, e.Text)
			}
			tb.Fatalf("compiling yara/%s.yar: %v", f, err)
		}
	}
	for _, w := range c.Warnings {
		tb.Errorf("compiler warning: %s:%d: %s", w.Filename, w.Line, w.Text)
	}
	r, err := c.GetRules()
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

type ytHit struct {
	rule     string
	family   string
	severity int
}

// ytScan scans buf and returns the matching rules. name sets the Loki-style
// externals (basename, lower-case extension with the dot).
func ytScan(tb testing.TB, r *yara.Rules, name string, buf []byte) []ytHit {
	tb.Helper()
	s, err := yara.NewScanner(r)
	if err != nil {
		tb.Fatal(err)
	}
	defer s.Destroy()
	base := filepath.Base(name)
	vars := map[string]string{
		"filename":  base,
		"filepath":  filepath.Dir(name),
		"extension": strings.ToLower(filepath.Ext(base)),
		"filetype":  "UNKNOWN",
		"owner":     "",
		"md5":       "",
	}
	for k, v := range vars {
		if err := s.DefineVariable(k, v); err != nil {
			tb.Fatal(err)
		}
	}
	var m yara.MatchRules
	if err := s.SetCallback(&m).SetTimeout(30 * time.Second).ScanMem(buf); err != nil {
		tb.Fatalf("scanning %s: %v", name, err)
	}
	hits := make([]ytHit, 0, len(m))
	for _, mr := range m {
		h := ytHit{rule: mr.Rule, family: mr.Namespace, severity: -1}
		for _, meta := range mr.Metas {
			if meta.Identifier == "severity" {
				if v, ok := meta.Value.(string); ok {
					if sv, ok := ytSeverity[v]; ok {
						h.severity = sv
					}
				}
			}
		}
		hits = append(hits, h)
	}
	return hits
}

// ytScanView scans the normalised view of buf, as exscan does for
// script pages with the rules in yara/view.
func ytScanView(tb testing.TB, r *yara.Rules, name string, buf []byte) []ytHit {
	tb.Helper()
	return ytScan(tb, r, name, scriptview.View(filepath.Base(name), buf))
}

func ytDetected(hits []ytHit) bool {
	for _, h := range hits {
		if h.severity >= ytSeverity["medium"] {
			return true
		}
	}
	return false
}

func ytNames(hits []ytHit) string {
	var s []string
	for _, h := range hits {
		s = append(s, h.rule)
	}
	return strings.Join(s, ",")
}

func TestBuiltinYARACompilesWithoutWarnings(t *testing.T) {
	srcs := ytAllSources(t)
	// Each file must stand on its own (the loader compiles per file) ...
	for f := range srcs {
		r := ytCompile(t, srcs, f)
		if len(r.GetRules()) == 0 {
			t.Errorf("yara/%s.yar defines no rules", f)
		}
		r.Destroy()
	}
	// ... and all of them together.
	start := time.Now()
	r := ytCompile(t, srcs)
	defer r.Destroy()
	t.Logf("compiled %d built-in rules from %d files in %v", len(r.GetRules()), len(srcs), time.Since(start))
}

func TestBuiltinYARAMeta(t *testing.T) {
	srcs := ytAllSources(t)
	views := ytViewSources(t)
	r := ytCompile(t, srcs)
	defer r.Destroy()
	ids := map[string]string{}
	names := map[string]string{}
	public := 0
	for _, rule := range r.GetRules() {
		where := rule.Namespace() + ":" + rule.Identifier()
		if other, dup := names[rule.Identifier()]; dup {
			t.Errorf("%s: rule name also used in %s (Loki-style single-namespace loading would fail)", where, other)
		}
		names[rule.Identifier()] = where
		if rule.IsPrivate() {
			// Helper traits shared by rules of one file; never reported.
			if len(rule.Metas()) != 0 {
				t.Errorf("%s: private helper rules carry no meta", where)
			}
			continue
		}
		public++
		meta := map[string]string{}
		for _, m := range rule.Metas() {
			v, ok := m.Value.(string)
			if !ok {
				t.Errorf("%s: meta %s is not a string", where, m.Identifier)
				continue
			}
			if _, dup := meta[m.Identifier]; dup {
				t.Errorf("%s: meta %s given twice", where, m.Identifier)
			}
			meta[m.Identifier] = v
		}
		for _, k := range ytMetaKeys {
			if _, ok := meta[k]; !ok {
				t.Errorf("%s: missing meta %q", where, k)
			}
		}
		id := meta["id"]
		if !ytID.MatchString(id) {
			t.Errorf("%s: id %q is not exscan.<area>.<family>.<variant>", where, id)
		}
		if other, dup := ids[id]; dup {
			t.Errorf("%s: id %q already used by %s", where, id, other)
		}
		ids[id] = where
		if want := "exscan.webshell." + rule.Namespace() + "."; !strings.HasPrefix(id, want) {
			t.Errorf("%s: id %q should start with %q (family = file name)", where, id, want)
		}
		if meta["author"] != "exscan" {
			t.Errorf("%s: author %q, want exscan", where, meta["author"])
		}
		if strings.TrimSpace(meta["description"]) == "" {
			t.Errorf("%s: empty description", where)
		}
		if _, ok := ytSeverity[meta["severity"]]; !ok {
			t.Errorf("%s: severity %q not in critical/high/medium/low/info", where, meta["severity"])
		}
		for _, c := range strings.Split(meta["campaign"], ",") {
			if !ytCampaigns[c] {
				t.Errorf("%s: unknown campaign %q", where, c)
			}
		}
		if cves := meta["cves"]; cves != "" {
			for _, c := range strings.Split(cves, ",") {
				if !ytCVE.MatchString(c) {
					t.Errorf("%s: bad CVE id %q", where, c)
				}
			}
		}
		webshell := false
		for _, a := range strings.Split(meta["attack"], ",") {
			if !ytAttack.MatchString(a) {
				t.Errorf("%s: bad ATT&CK id %q", where, a)
			}
			webshell = webshell || a == "T1505.003"
		}
		if !webshell {
			t.Errorf("%s: attack %q lacks T1505.003", where, meta["attack"])
		}
		refs := strings.Fields(meta["references"])
		if len(refs) == 0 {
			t.Errorf("%s: no references", where)
		}
		for _, u := range refs {
			if !ytURL.MatchString(u) {
				t.Errorf("%s: reference %q is not a URL", where, u)
			}
		}
		// Capability rules (in yara/view) are traits scored together: each
		// has a trait name and an integer weight, and reports nothing on
		// its own (severity info).
		if _, view := views[rule.Namespace()]; view {
			if !ytTrait.MatchString(meta["trait"]) {
				t.Errorf("%s: view rule trait %q is not group.name", where, meta["trait"])
			}
			if w, err := strconv.Atoi(meta["weight"]); err != nil || w < -5 || w > 10 || w == 0 {
				t.Errorf("%s: weight %q is not an integer in -5..10 other than 0", where, meta["weight"])
			}
			if meta["severity"] != "info" {
				t.Errorf("%s: a trait rule has severity info (the score decides), not %q", where, meta["severity"])
			}
		} else if meta["trait"] != "" {
			t.Errorf("%s: trait %q on a raw-byte rule; traits live in yara/view", where, meta["trait"])
		}
		if d := meta["date"]; !ytDate.MatchString(d) {
			t.Errorf("%s: date %q is not YYYY-MM-DD", where, d)
		} else if _, err := time.Parse("2006-01-02", d); err != nil {
			t.Errorf("%s: date %q: %v", where, d, err)
		}
	}
	if public == 0 {
		t.Error("no public rules")
	}
}

// ytUTF16LE re-encodes UTF-8 text as UTF-16LE with a byte-order mark.
func ytUTF16LE(b []byte) []byte {
	out := []byte{0xff, 0xfe}
	for _, u := range utf16.Encode([]rune(string(b))) {
		out = append(out, byte(u), byte(u>>8))
	}
	return out
}

func ytFixtureDir(t *testing.T) string {
	dir := filepath.Join("..", "testdata", "rules", "yara")
	if _, err := os.Stat(dir); err != nil {
		t.Fatalf("fixtures: %v", err)
	}
	return dir
}

func TestBuiltinYARAFixtures(t *testing.T) {
	srcs := ytAllSources(t)
	views := ytViewSources(t)
	all := ytCompile(t, ytSources(t))
	defer all.Destroy()
	root := ytFixtureDir(t)
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		family := e.Name()
		seen[family] = true
		if _, ok := srcs[family]; !ok {
			t.Errorf("fixture family %s has no yara/%s.yar", family, family)
			continue
		}
		t.Run(family, func(t *testing.T) {
			fam := ytCompile(t, srcs, family)
			defer fam.Destroy()
			tps, _ := filepath.Glob(filepath.Join(root, family, "tp", "*"))
			fps, _ := filepath.Glob(filepath.Join(root, family, "fp", "*"))
			if len(tps) == 0 || len(fps) == 0 {
				t.Errorf("family %s needs tp and fp fixtures (have %d tp, %d fp)", family, len(tps), len(fps))
			}
			for _, f := range tps {
				b, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				scan := ytScan
				if _, ok := views[family]; ok {
					// View rules see the normalised view; whether the traits
					// add up to medium is scanner's test (capability_test.go).
					scan = ytScanView
				}
				if hits := scan(t, fam, f, b); len(hits) == 0 {
					t.Errorf("tp %s: no %s rule matched", f, family)
				}
				// Text fixtures must still match once saved by an editor
				// with a UTF-8 BOM or as UTF-16LE (how Windows tools write).
				if family == "proxyshell_export" || !utf8.Valid(b) || bytes.HasPrefix(b, []byte{0xef, 0xbb, 0xbf}) {
					continue
				}
				if hits := scan(t, fam, f, append([]byte{0xef, 0xbb, 0xbf}, b...)); len(hits) == 0 {
					t.Errorf("tp %s with a UTF-8 BOM: no %s rule matched", f, family)
				}
				if hits := scan(t, fam, f, ytUTF16LE(b)); len(hits) == 0 {
					t.Errorf("tp %s as UTF-16LE: no %s rule matched", f, family)
				}
			}
			for _, f := range fps {
				b, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				for _, h := range ytScan(t, all, f, b) {
					if h.severity >= ytSeverity["medium"] {
						t.Errorf("fp %s: matched %s:%s (severity >= medium)", f, h.family, h.rule)
					}
				}
			}
		})
	}
	for f := range srcs {
		if !seen[f] {
			t.Errorf("yara/%s.yar has no fixtures under testdata/rules/yara/%s", f, f)
		}
	}
}

// ytCorpusDir finds ../shared/corpus/webshells next to the repository root
// (the directory holding go.mod above the test's working directory).
func ytCorpusDir(t *testing.T) string {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	root := wd
	for {
		if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(root)
		if parent == root {
			t.Fatalf("no go.mod above %s", wd)
		}
		root = parent
	}
	return filepath.Join(root, "..", "shared", "corpus", "webshells")
}

func ytManifest(t *testing.T, file string) []map[string]string {
	rows, err := corpus.Manifest(file)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestBuiltinYARACorpus(t *testing.T) {
	corpus := ytCorpusDir(t)
	if _, err := os.Stat(filepath.Join(corpus, "positive", "manifest.csv")); err != nil {
		t.Skipf("webshell corpus not available at %s; skipping detection-rate check", corpus)
	}
	srcs := ytSources(t)
	r := ytCompile(t, srcs)
	defer r.Destroy()

	type rate struct{ n, hit int }
	kinds := map[string]*rate{}
	families := map[string]*rate{}
	for _, row := range ytManifest(t, filepath.Join(corpus, "positive", "manifest.csv")) {
		p := filepath.Join(corpus, "positive", filepath.FromSlash(row["file"]))
		b, err := os.ReadFile(p)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		k, fam := row["kind"], row["kind"]+" / "+row["family"]
		if kinds[k] == nil {
			kinds[k] = &rate{}
		}
		if families[fam] == nil {
			families[fam] = &rate{}
		}
		kinds[k].n++
		families[fam].n++
		if ytDetected(ytScan(t, r, p, b)) {
			kinds[k].hit++
			families[fam].hit++
		} else {
			t.Logf("miss: [%s] %s", fam, row["file"])
		}
	}
	var fams []string
	for f := range families {
		fams = append(fams, f)
	}
	sort.Strings(fams)
	for _, f := range fams {
		t.Logf("%3d/%-3d %s", families[f].hit, families[f].n, f)
	}
	// The raw-byte rules alone; the file checks as a whole (these plus
	// the capability rules on the normalised view, scored together) are
	// held to the full targets in scanner's TestCorpusDetection.
	want := map[string]float64{"aspnet": 0.97, "classic_asp": 0.80}
	for k, min := range want {
		got := kinds[k]
		if got == nil || got.n == 0 {
			t.Errorf("corpus has no %s positives", k)
			continue
		}
		frac := float64(got.hit) / float64(got.n)
		t.Logf("%s: %d/%d detected (%.1f%%)", k, got.hit, got.n, 100*frac)
		if frac < min {
			t.Errorf("%s detection %.1f%% < %.0f%%", k, 100*frac, 100*min)
		}
	}

	neg := ytManifest(t, filepath.Join(corpus, "negative", "manifest.csv"))
	fp := 0
	for _, row := range neg {
		p := filepath.Join(corpus, "negative", filepath.FromSlash(row["file"]))
		b, err := os.ReadFile(p)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		hits := ytScan(t, r, p, b)
		if ytDetected(hits) {
			fp++
			t.Logf("false positive: %s (%s)", row["file"], ytNames(hits))
		}
	}
	frac := float64(fp) / float64(len(neg))
	t.Logf("negatives: %d/%d matched at medium or above (%.2f%%)", fp, len(neg), 100*frac)
	if frac > 0.002 {
		t.Errorf("false-positive rate %.2f%% > 0.2%%", 100*frac)
	}
}

// ytBenignBuffer builds size bytes of varied, benign ASP.NET markup,
// code-behind, JavaScript, configuration and IIS log text.
func ytBenignBuffer(size int) []byte {
	rng := rand.New(rand.NewSource(1))
	chunks := []string{
		"<%@ Page Language=\"C#\" AutoEventWireup=\"true\" CodeBehind=\"Default.aspx.cs\" Inherits=\"Portal.Default\" %>\r\n",
		"<asp:TextBox ID=\"txtName%d\" runat=\"server\" CssClass=\"form-control\" />\r\n",
		"protected void Page_Load(object sender, EventArgs e) { if (!IsPostBack) { lblUser.Text = Server.HtmlEncode(Request.QueryString[\"u%d\"]); } }\r\n",
		"using (var cn = new SqlConnection(ConfigurationManager.ConnectionStrings[\"Main\"].ConnectionString)) { cn.Open(); var cmd = new SqlCommand(\"SELECT Id, Title FROM Posts WHERE Id = @id\", cn); cmd.Parameters.AddWithValue(\"@id\", %d); }\r\n",
		"function refresh%d() { var request = new XMLHttpRequest(); request.open('GET', '/api/items?page=' + page, true); request.onload = function () { render(JSON.parse(request.responseText)); }; request.send(); }\r\n",
		"  <add key=\"Setting%d\" value=\"true\" />\r\n  <add name=\"Module%d\" type=\"Portal.Modules.Module, Portal\" />\r\n",
		"2021-03-02 10:%02d:11 10.0.0.5 POST /owa/auth.owa - 443 user@corp.example 192.0.2.14 Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64) https://mail.corp.example/owa/ 302 0 0 %d\r\n",
		"<script type=\"text/javascript\">$(function(){ $('#grid%d').on('click', 'a.delete', function (e) { e.preventDefault(); }); });</script>\r\n",
		"Response.Cache.SetCacheability(HttpCacheability.NoCache); Response.ContentType = \"application/json\"; Response.Write(JsonConvert.SerializeObject(model%d));\r\n",
		"<div class=\"row\"><div class=\"col-md-%d\"><%%= Html.ActionLink(\"Edit\", \"Edit\", new { id = Model.Id }) %%></div></div>\r\n",
	}
	var buf bytes.Buffer
	buf.Grow(size + 512)
	for buf.Len() < size {
		c := chunks[rng.Intn(len(chunks))]
		n := rng.Intn(60)
		fmt.Fprintf(&buf, strings.ReplaceAll(c, "%d", fmt.Sprint(n)), n)
	}
	return buf.Bytes()[:size]
}

// BenchmarkBuiltinYARAScan64MiB scans a 64 MiB benign buffer with every
// built-in rule; the target is well under 2 s per scan.
func BenchmarkBuiltinYARAScan64MiB(b *testing.B) {
	r := ytCompile(b, ytSources(b))
	defer r.Destroy()
	buf := ytBenignBuffer(64 << 20)
	s, err := yara.NewScanner(r)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Destroy()
	for _, v := range ytExternals {
		if err := s.DefineVariable(v, ""); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(len(buf)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var m yara.MatchRules
		if err := s.SetCallback(&m).ScanMem(buf); err != nil {
			b.Fatal(err)
		}
		if len(m) != 0 {
			b.Fatalf("benign buffer matched %d rules (first %s)", len(m), m[0].Rule)
		}
	}
}

// BenchmarkBuiltinYARACompile compiles all built-in rules; the target is
// well under 1 s.
func BenchmarkBuiltinYARACompile(b *testing.B) {
	srcs := ytSources(b)
	for i := 0; i < b.N; i++ {
		ytCompile(b, srcs).Destroy()
	}
}
