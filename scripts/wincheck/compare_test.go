package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func write(t *testing.T, lines ...string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "r.jsonl")
	if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const (
	linuxFinding = `{"type":"finding","rule":"r1","path":"/x/C/inetpub/a.aspx","host_path":"C:\\inetpub\\a.aspx","fingerprint":"ab"}`
	winFinding   = `{"fingerprint":"ab","type":"finding","rule":"r1","path":"Z:\\x\\C\\inetpub\\a.aspx","host_path":"C:\\inetpub\\a.aspx"}`
	summary      = `{"type":"summary","duration_ms":5}`
)

func TestCompareNormalisesPaths(t *testing.T) {
	a, err := load(write(t, linuxFinding, summary), "/x/C")
	if err != nil {
		t.Fatal(err)
	}
	b, err := load(write(t, `{"type":"summary","duration_ms":9}`, winFinding), `Z:\x\C`)
	if err != nil {
		t.Fatal(err)
	}
	if d := compare(a, b); len(d) != 0 {
		t.Fatalf("same findings reported as different: %v", d)
	}
	if len(a) != 1 || !strings.Contains(a[0], `"path":"{root}/inetpub/a.aspx"`) {
		t.Errorf("normalised: %v", a)
	}
}

func TestCompareFindsDifferences(t *testing.T) {
	a, _ := load(write(t, linuxFinding, strings.Replace(linuxFinding, "a.aspx", "b.aspx", 2)), "/x/C")
	for name, lines := range map[string][]string{
		"missing finding":     {winFinding},
		"other fingerprint":   {winFinding, strings.Replace(strings.Replace(winFinding, "a.aspx", "b.aspx", 2), `"ab"`, `"ac"`, 1)},
		"other path":          {winFinding, strings.Replace(winFinding, "a.aspx", "c.aspx", 2)},
		"extra finding":       {winFinding, strings.Replace(winFinding, "a.aspx", "b.aspx", 2), strings.Replace(winFinding, "r1", "r2", 1)},
		"same path, new rule": {winFinding, strings.Replace(strings.Replace(winFinding, "a.aspx", "b.aspx", 2), "r1", "r3", 1)},
	} {
		b, err := load(write(t, lines...), `Z:\x\C`)
		if err != nil {
			t.Fatal(err)
		}
		if d := compare(a, b); len(d) == 0 {
			t.Errorf("%s: no difference found", name)
		}
	}
}
