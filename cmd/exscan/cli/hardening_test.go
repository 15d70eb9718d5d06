package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// treeState records content, size, mode and modification time of every
// entry under dir.
func treeState(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		info, _ := d.Info()
		h := ""
		if d.Type().IsRegular() {
			f, _ := os.Open(p)
			s := sha256.New()
			io.Copy(s, f)
			f.Close()
			h = hex.EncodeToString(s.Sum(nil))
		}
		out[p] = fmt.Sprintf("%s %d %v %d", h, info.Size(), info.Mode(), info.ModTime().UnixNano())
		return nil
	})
	return out
}

func copyDemoTree(t *testing.T, src, dst string) {
	t.Helper()
	filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		return os.WriteFile(target, b, 0o644)
	})
}

// TestScanChangesNothing: a scan with evidence collection leaves the
// scanned tree exactly as it was, and its own files are owner-only.
func TestScanChangesNothing(t *testing.T) {
	root := filepath.Join(t.TempDir(), "C")
	copyDemoTree(t, demoRoot, root)
	before := treeState(t, root)
	out := t.TempDir()
	zip := filepath.Join(out, "evidence.zip")
	report := filepath.Join(out, "report.jsonl")
	code, _, errs := run(t, "scan", "--root", root, "--collect", zip, "--output", report)
	if code != 1 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	after := treeState(t, root)
	if len(before) != len(after) {
		t.Fatalf("entries before %d, after %d", len(before), len(after))
	}
	for p, b := range before {
		if after[p] != b {
			t.Errorf("%s changed:\n before %s\n after  %s", p, b, after[p])
		}
	}
	for _, p := range []string{zip, report} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if st.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s has mode %v, want owner-only", p, st.Mode().Perm())
		}
	}
}

// TestSlowRuleHitsScanTimeout: one slow user rule cannot stall the scan;
// the timeout is counted in the summary.
func TestSlowRuleHitsScanTimeout(t *testing.T) {
	if testing.Short() {
		t.Skip("slow rule takes seconds")
	}
	dir := t.TempDir()
	rulesDir := filepath.Join(dir, "rules")
	os.MkdirAll(rulesDir, 0o755)
	os.WriteFile(filepath.Join(rulesDir, "slow.yar"), []byte(`
rule Slow { condition: for all i in (0..filesize) : ( for all j in (0..filesize) : ( uint8(j) != 0x100 ) ) }
`), 0o644)
	data := filepath.Join(dir, "data")
	os.MkdirAll(data, 0o755)
	os.WriteFile(filepath.Join(data, "big.txt"), []byte(strings.Repeat("x", 200000)), 0o644)
	code, out, errs := run(t, "files", "--no-builtin", "--rules", rulesDir, "--scan-timeout", "1s", "--format", "jsonl", data)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	_, sum := parseJSONL(t, out)
	sk := sum["skipped"].(map[string]any)
	if sk["yara-timeout"] != float64(1) {
		t.Errorf("yara-timeout not counted: %v", sk)
	}
}
