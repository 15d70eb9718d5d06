package rules

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"exscan/scanner/finding"
)

// The YARA scanner returns one Reason per matching rule, described from
// the rule's meta, with the matched strings as evidence (view rules'
// prefixed "view:"), the trait of capability rules, and the external
// variables defined from the file.
func TestYARAScannerReasons(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("raw.yar", `
rule shell_eval {
  meta:
    id = "user.shell.eval"
    description = "Eval of a request field"
    severity = "high"
    campaign = "hafnium"
    cves = "CVE-2021-27065"
  strings:
    $a = "eval(Request" nocase
  condition:
    $a and filename == "x.aspx" and extension == ".aspx" and filepath matches /aspnet_client$/
}
rule plain { strings: $p = "plainmarker" condition: $p }
rule cap_exec {
  meta:
    trait = "process"
    weight = "30"
  strings:
    $e = "Process.Start"
  condition:
    $e
}`)
	write("view/v.yar", `rule view_rule { strings: $v = "decodedmarker" condition: $v }`)
	set, errs := LoadYARA(false, []string{dir})
	if len(errs) > 0 || set == nil {
		t.Fatalf("load: %v", errs)
	}
	sc, errs := set.NewScanner(0)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	defer sc.Close()
	if !sc.HasRules() || !sc.HasView() {
		t.Fatal("scanner without raw or view rules")
	}
	file := YARAFile{Name: "x.aspx", Dir: `C:\inetpub\wwwroot\aspnet_client`, Type: "TEXT"}
	ms, err := sc.Scan([]byte(`<% EVAL(Request.Form["c"]) plainmarker Process.Start %>`), file)
	if err != nil {
		t.Fatal(err)
	}
	byRule := map[string]YARAMatch{}
	for _, m := range ms {
		byRule[m.Rule] = m
		if m.Source != finding.SourceYARA {
			t.Errorf("%s: source %q", m.Rule, m.Source)
		}
	}
	if len(ms) != 3 {
		t.Fatalf("matches %+v, want shell_eval, plain and cap_exec", ms)
	}
	e := byRule["user.shell.eval"]
	if e.Title != "Eval of a request field" || e.Severity != finding.High || !slices.Equal(e.Campaigns, []string{"hafnium"}) ||
		!slices.Equal(e.CVEs, []string{"CVE-2021-27065"}) || len(e.Evidence) != 1 || e.Evidence[0].Name != "$a" ||
		e.Evidence[0].Value != "EVAL(Request" || e.Evidence[0].Offset != 3 || e.Trait != "" {
		t.Errorf("shell_eval: %+v", e)
	}
	if p := byRule["yara.plain"]; !slices.Equal(p.Campaigns, []string{"webshell-generic"}) || p.Title != "YARA rule plain" {
		t.Errorf("plain: %+v", p)
	}
	if c := byRule["yara.cap_exec"]; c.Trait != "process" || c.Weight != 30 {
		t.Errorf("cap_exec: trait %q weight %d", c.Trait, c.Weight)
	}
	// filename is an external: another name leaves shell_eval out
	other := file
	other.Name = "y.aspx"
	if ms, _ := sc.Scan([]byte(`eval(Request`), other); len(ms) != 0 {
		t.Errorf("y.aspx: %+v", ms)
	}
	vs, err := sc.ScanView([]byte("..decodedmarker"), file)
	if err != nil || len(vs) != 1 || vs[0].Rule != "yara.view_rule" || vs[0].Evidence[0].Name != "view:$v" || vs[0].Evidence[0].Offset != 2 {
		t.Errorf("view: %+v, %v", vs, err)
	}
	if ms, _ := sc.Scan([]byte("decodedmarker"), file); len(ms) != 0 {
		t.Errorf("view rule ran on the raw bytes: %+v", ms)
	}
}

// A nil set makes a scanner that finds nothing.
func TestYARAScannerNilSet(t *testing.T) {
	var set *YARASet
	sc, errs := set.NewScanner(0)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	defer sc.Close()
	if sc.HasRules() || sc.HasView() {
		t.Error("nil set has rules")
	}
	if ms, err := sc.Scan([]byte("anything"), YARAFile{}); ms != nil || err != nil {
		t.Errorf("nil set: %v %v", ms, err)
	}
}
