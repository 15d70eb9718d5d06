package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// run runs the CLI in-process.
func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(args, &out, &errb)
	return code, out.String(), errb.String()
}

const demoRoot = "../../../testdata/demo/C"

func TestUsageErrors(t *testing.T) {
	cases := []struct {
		name string
		args []string
		code int
		err  string
	}{
		{"no args", nil, 2, "Usage"},
		{"unknown command", []string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{"scan without root", []string{"scan"}, 2, "--root DIR is required"},
		{"scan missing root", []string{"scan", "--root", "/nonexistent/exscan-root"}, 2, "root folder cannot be read"},
		{"files without paths", []string{"files"}, 2, "give at least one file or folder"},
		{"unknown flag", []string{"files", "--bogus", "."}, 2, "unknown flag: --bogus"},
		{"bad fail-on", []string{"files", "--fail-on", "urgent", "."}, 2, "--fail-on"},
		{"bad format", []string{"files", "--format", "xml", "."}, 2, `unknown format "xml"`},
		{"bad size", []string{"files", "--max-file-size", "big", "."}, 2, "--max-file-size"},
		{"bad since", []string{"logs", "--since", "yesterday", "."}, 2, "--since"},
		{"missing path", []string{"logs", "/nonexistent/exscan-logs"}, 2, "cannot read"},
		{"rules without verb", []string{"rules"}, 2, "say 'list' or 'check'"},
		{"scan with paths", []string{"scan", "--root", demoRoot, "x"}, 2, "scan takes no paths"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errs := run(t, c.args...)
			if code != c.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, c.code, errs)
			}
			if !strings.Contains(errs, c.err) {
				t.Errorf("stderr %q lacks %q", errs, c.err)
			}
			if out != "" {
				t.Errorf("usage error wrote to stdout: %q", out)
			}
			if strings.Count(strings.TrimSpace(errs), "\n") > 0 && c.err != "Usage" {
				t.Errorf("error is more than one line: %q", errs)
			}
			if strings.Contains(errs, "goroutine") || strings.Contains(errs, "panic") {
				t.Errorf("stack trace on a user error: %q", errs)
			}
		})
	}
}

func TestHelpAndVersion(t *testing.T) {
	for _, cmd := range []string{"scan", "files", "logs", "rules"} {
		code, out, _ := run(t, cmd, "--help")
		if code != 0 || !strings.Contains(out, "Usage: exscan "+cmd) || !strings.Contains(out, "--") {
			t.Errorf("%s --help: exit %d, out %q", cmd, code, out)
		}
	}
	if code, out, _ := run(t, "version"); code != 0 || !strings.HasPrefix(out, "exscan ") {
		t.Errorf("version: %d %q", code, out)
	}
	if code, out, _ := run(t, "--help"); code != 0 || !strings.Contains(out, "Exit codes") {
		t.Errorf("--help: %d %q", code, out)
	}
}

type record map[string]any

func parseJSONL(t *testing.T, s string) (findings []record, summary record) {
	t.Helper()
	sc := bufio.NewScanner(strings.NewReader(s))
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	var last record
	for sc.Scan() {
		var r record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("line is not JSON: %v: %s", err, sc.Text())
		}
		switch r["type"] {
		case "finding":
			findings = append(findings, r)
		case "summary", "context", "statement":
		default:
			t.Fatalf("unknown record type %v", r["type"])
		}
		last = r
	}
	if last == nil || last["type"] != "summary" {
		t.Fatalf("last line is not the summary")
	}
	return findings, last
}

func sev(r record) int {
	return map[string]int{"info": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}[r["severity"].(string)]
}

func hostPath(r record) string {
	s, _ := r["host_path"].(string)
	return s
}

func TestScanDemoHost(t *testing.T) {
	code, out, errs := run(t, "scan", "--root", demoRoot, "--format", "jsonl")
	if code != 1 {
		t.Fatalf("exit %d, want 1; stderr %s", code, errs)
	}
	findings, sum := parseJSONL(t, out)
	want := map[string]bool{
		`\FrontEnd\HttpProxy\owa\auth\RedirSuiteServerProxy.aspx`:   false,
		`\FrontEnd\HttpProxy\ecp\auth\help.aspx`:                    false,
		`C:\inetpub\wwwroot\aspnet_client\system_web\discover.aspx`: false,
		`C:\Windows\Temp\lsass.dmp`:                                 false,
	}
	for _, f := range findings {
		hp := hostPath(f)
		if strings.HasSuffix(hp, `TimeoutLogout.aspx`) && sev(f) >= 3 {
			t.Errorf("Microsoft's TimeoutLogout.aspx got a %s finding", f["severity"])
		}
		for suffix := range want {
			if !strings.HasSuffix(hp, suffix) {
				continue
			}
			want[suffix] = true
			if sev(f) < 3 {
				t.Errorf("%s: severity %s, want high or critical", hp, f["severity"])
			}
			for _, k := range []string{"campaigns", "attack", "context_refs", "attribution", "fingerprint", "sha256"} {
				if f[k] == nil || f[k] == "" {
					t.Errorf("%s: %s empty", hp, k)
				}
			}
			if !strings.HasSuffix(suffix, ".dmp") && f["cves"] == nil {
				t.Errorf("%s: no CVEs", hp)
			}
		}
	}
	for s, ok := range want {
		if !ok {
			t.Errorf("no finding for %s", s)
		}
	}
	if sum["verdict"] != "compromised" {
		t.Errorf("verdict %v", sum["verdict"])
	}
	if sum["files_scanned"].(float64) < 5 {
		t.Errorf("files_scanned %v", sum["files_scanned"])
	}
}

func TestFilesWithUserRulesUsingExternals(t *testing.T) {
	dir := t.TempDir()
	rulesDir := filepath.Join(dir, "rules")
	os.MkdirAll(rulesDir, 0o755)
	// A signature-base style rule set: one rule per Loki external, and a
	// file with a syntax error that must be reported and skipped.
	os.WriteFile(filepath.Join(rulesDir, "ext.yar"), []byte(`
rule Ext_Filename { meta: score = 85 author = "t" condition: filename == "target.txt" }
rule Ext_Filepath { meta: score = 85 author = "t" condition: filepath contains "data" }
rule Ext_Extension { meta: score = 85 author = "t" condition: extension == ".txt" }
rule Ext_Filetype { meta: score = 85 author = "t" condition: filetype == "UNKNOWN" }
rule Ext_Owner { meta: score = 85 author = "t" condition: owner != "" }
rule Ext_MD5 { meta: score = 85 author = "t" condition: md5 == "5d41402abc4b2a76b9719d911017c592" }
`), 0o644)
	os.WriteFile(filepath.Join(rulesDir, "broken.yar"), []byte("rule Broken { condition: nope and }\n"), 0o644)
	data := filepath.Join(dir, "data")
	os.MkdirAll(data, 0o755)
	os.WriteFile(filepath.Join(data, "target.txt"), []byte("hello"), 0o644)

	code, out, errs := run(t, "files", "--no-builtin", "--rules", rulesDir, "--format", "jsonl", data)
	if code != 1 {
		t.Fatalf("exit %d, stderr %s", code, errs)
	}
	if !strings.Contains(errs, "broken.yar:1") {
		t.Errorf("broken rule file not reported with file:line: %s", errs)
	}
	findings, _ := parseJSONL(t, out)
	if len(findings) != 1 {
		t.Fatalf("want 1 finding, got %d", len(findings))
	}
	got := map[string]bool{}
	for _, r := range findings[0]["reasons"].([]any) {
		got[r.(map[string]any)["rule"].(string)] = true
	}
	for _, want := range []string{"Ext_Filename", "Ext_Filepath", "Ext_Extension", "Ext_Filetype", "Ext_Owner", "Ext_MD5"} {
		if !got["yara."+want] {
			t.Errorf("rule %s did not match (externals not set as Loki sets them); got %v", want, got)
		}
	}

	// --strict turns the broken file into an error.
	if code, _, _ := run(t, "files", "--no-builtin", "--strict", "--rules", rulesDir, data); code != 2 {
		t.Errorf("--strict with a broken rule: exit %d, want 2", code)
	}
}

func TestFilesCleanTreeExitsZero(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "readme.txt"), []byte("nothing to see"), 0o644)
	code, out, errs := run(t, "files", "--format", "jsonl", dir)
	if code != 0 {
		t.Fatalf("exit %d, stderr %s", code, errs)
	}
	findings, sum := parseJSONL(t, out)
	if len(findings) != 0 || sum["files_scanned"].(float64) != 1 {
		t.Errorf("findings %d, summary %v", len(findings), sum)
	}
}

func TestOutputFileIsOwnerOnly(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "r.jsonl")
	code, stdout, _ := run(t, "files", "--output", out, dir)
	if code != 0 || stdout != "" {
		t.Fatalf("exit %d stdout %q", code, stdout)
	}
	st, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", st.Mode().Perm())
	}
	b, _ := os.ReadFile(out)
	if !strings.Contains(string(b), `"type":"summary"`) {
		t.Errorf("format from the .jsonl extension not used: %s", b)
	}
}
