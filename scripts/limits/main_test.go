package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFile(t *testing.T, root, rel, body string) {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// goFunc is a Go function of exactly n lines named name.
func goFunc(name string, n int) string {
	var b strings.Builder
	b.WriteString("func " + name + "() {\n")
	for i := 0; i < n-2; i++ {
		b.WriteString("\t_ = 0\n")
	}
	b.WriteString("}\n")
	return b.String()
}

func TestLimits(t *testing.T) {
	root := t.TempDir()
	writeFile(t, root, "a/ok.go", "package a\n\n"+goFunc("fits", maxFuncLines))
	writeFile(t, root, "a/long.go", "package a\n\n"+goFunc("tooLong", maxFuncLines+1)+"type T struct{}\n\nfunc (t *T) "+strings.TrimPrefix(goFunc("M", maxFuncLines+5), "func "))
	writeFile(t, root, "a/big.go", "package a\n"+strings.Repeat("\n", maxFileLines))
	writeFile(t, root, "a/big_test.go", "package a\n"+strings.Repeat("\n", maxFileLines)+goFunc("testLong", 500))
	writeFile(t, root, "third_party/x/x.go", "package x\n"+strings.Repeat("\n", maxFileLines)+goFunc("vendored", 500))
	writeFile(t, root, "a/testdata/t.go", "package t\n"+goFunc("fixture", 500))

	offs, err := measure(root)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range offs {
		got = append(got, o.Key)
	}
	want := []string{"file a/big.go", "func a/long.go T.M", "func a/long.go tooLong"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("offences = %q, want %q", got, want)
	}
	if offs[2].Lines != maxFuncLines+1 || offs[1].Lines != maxFuncLines+5 {
		t.Errorf("line counts = %d, %d", offs[2].Lines, offs[1].Lines)
	}

	var out, errs bytes.Buffer
	if code := run(root, "allow.txt", &out, &errs); code != 1 {
		t.Fatalf("no allow file: exit %d, want 1", code)
	}
	if !strings.Contains(errs.String(), "a/long.go:3: function tooLong is 121 lines (limit 120)") {
		t.Errorf("offender not named clearly:\n%s", errs.String())
	}

	writeFile(t, root, "allow.txt", "# waiting for a split\nfile a/big.go someone\nfunc a/long.go T.M someone\nfunc a/long.go tooLong someone\nfunc a/gone.go old someone\n")
	out.Reset()
	errs.Reset()
	if code := run(root, "allow.txt", &out, &errs); code != 0 {
		t.Fatalf("all offenders allowed: exit %d, want 0\n%s", code, errs.String())
	}
	if !strings.Contains(out.String(), `"func a/gone.go old" is within its limit now`) {
		t.Errorf("stale allow entry not reported:\n%s", out.String())
	}

	writeFile(t, root, "allow.txt", "func a/long.go\n")
	if code := run(root, "allow.txt", &out, &errs); code != 2 {
		t.Errorf("malformed allow file: exit %d, want 2", code)
	}
}
