package cli

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// One scan writes the same findings to --output and to every --also-output
// file, each in the format its extension names.
func TestAlsoOutputWritesEveryReportFromOneScan(t *testing.T) {
	dir := t.TempDir()
	html := filepath.Join(dir, "report.html")
	csvPath := filepath.Join(dir, "report.csv")
	jsonl := filepath.Join(dir, "copy.jsonl")
	code, out, errs := run(t, "scan", "--root", demoRoot, "--format", "jsonl",
		"--also-output", html, "--also-output", csvPath, "--also-output", jsonl)
	if code != 1 {
		t.Fatalf("exit %d, want 1 (the demo host is compromised); stderr %s", code, errs)
	}
	findings, sum := parseJSONL(t, out)
	if len(findings) == 0 {
		t.Fatal("no findings on the demo host")
	}
	copyFindings, copySum := parseJSONL(t, mustRead(t, jsonl))
	if len(copyFindings) != len(findings) || copySum["verdict"] != sum["verdict"] {
		t.Errorf("--also-output jsonl: %d findings, verdict %v; --output: %d, %v", len(copyFindings), copySum["verdict"], len(findings), sum["verdict"])
	}
	page := mustRead(t, html)
	if !strings.Contains(strings.ToLower(page), "<html") {
		t.Errorf("%s is not HTML: %.200s", html, page)
	}
	f, err := os.Open(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", csvPath, err)
	}
	if len(rows) != len(findings)+1 {
		t.Errorf("%s: %d rows, want a header and %d findings", csvPath, len(rows), len(findings))
	}
	csvText, copyText := mustRead(t, csvPath), mustRead(t, jsonl)
	for _, fd := range findings {
		fp, _ := fd["fingerprint"].(string)
		for name, text := range map[string]string{"html": page, "csv": csvText, "jsonl": copyText} {
			if fp == "" || !strings.Contains(text, fp) {
				t.Errorf("%s report lacks finding %q (%v)", name, fp, fd["rule"])
			}
		}
	}
	for _, p := range []string{html, csvPath, jsonl} {
		if st, err := os.Stat(p); err != nil || st.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v, want an owner-only file", p, err)
		}
	}
}

func TestAlsoOutputErrorsBeforeScanning(t *testing.T) {
	for _, file := range []string{"", "-", filepath.Join(t.TempDir(), "missing", "report.html")} {
		code, out, errs := run(t, "scan", "--root", demoRoot, "--format", "jsonl", "--also-output", file)
		if code != 2 || out != "" || !strings.Contains(errs, "--also-output") {
			t.Errorf("--also-output %q: exit %d, stdout %d bytes, stderr %q; want exit 2, nothing on stdout, an --also-output error", file, code, len(out), errs)
		}
	}
}
