// Package scripts holds tests of the shell scripts next to this file.
package scripts

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// fakeGo stands in for the go command in fuzz.sh runs. FAKE_FUZZ_MODE picks
// what a fuzzing run does; every call appends the file its stdout goes to
// to calls.txt, so the test sees how often and where the script logged.
const fakeGo = `#!/usr/bin/env bash
dir="$(dirname "$0")"
readlink /proc/$$/fd/1 >>"$dir/calls.txt" 2>/dev/null || echo "?" >>"$dir/calls.txt"
n=$(wc -l <"$dir/calls.txt")
race() {
	echo "fuzz: elapsed: 3s, execs: 5123 (1707/sec), new interesting: 0 (total: 9)"
	echo "--- FAIL: FuzzLoad (3.01s)"
	echo "    context deadline exceeded"
	echo "FAIL"
	exit 1
}
case "$FAKE_FUZZ_MODE" in
race-once) [ "$n" -eq 1 ] && race; echo ok; exit 0 ;;
race-always) race ;;
crash)
	mkdir -p pkg/testdata/fuzz/FuzzLoad
	echo 'go test fuzz v1' >pkg/testdata/fuzz/FuzzLoad/0a1b2c3d
	echo "--- FAIL: FuzzLoad (1.20s)"
	echo "    panic: index out of range"
	echo "    Failing input written to testdata/fuzz/FuzzLoad/0a1b2c3d"
	echo "    context deadline exceeded"
	exit 1 ;;
build-error) echo "pkg/a_test.go:3:1: syntax error"; exit 1 ;;
esac
echo "unknown mode" >&2
exit 2
`

type fuzzRun struct {
	code   int
	stdout string
	stderr string
	calls  []string // where each go run's stdout went
	tmp    string   // TMPDIR of the run
}

// runFuzzScript runs a copy of fuzz.sh in a tree with one fuzz target and a
// fake go command.
func runFuzzScript(t *testing.T, mode string) fuzzRun {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("fuzz.sh is a bash script run on Linux CI")
	}
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash not installed")
	}
	root := t.TempDir()
	script, err := os.ReadFile("fuzz.sh")
	if err != nil {
		t.Fatal(err)
	}
	write := func(rel, body string, mode os.FileMode) {
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), mode); err != nil {
			t.Fatal(err)
		}
	}
	write("scripts/fuzz.sh", string(script), 0o755)
	write("pkg/a_test.go", "package pkg\n\nfunc FuzzLoad(f *testing.F) {}\n", 0o644)
	write("fakebin/go", fakeGo, 0o755)
	tmp := filepath.Join(root, "tmp")
	if err := os.Mkdir(tmp, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("bash", filepath.Join(root, "scripts/fuzz.sh"), "3s")
	cmd.Env = append(os.Environ(),
		"PATH="+filepath.Join(root, "fakebin")+string(os.PathListSeparator)+os.Getenv("PATH"),
		"FAKE_FUZZ_MODE="+mode, "TMPDIR="+tmp, "FUZZ_TRIES=3")
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err = cmd.Run()
	r := fuzzRun{stdout: out.String(), stderr: errb.String(), tmp: tmp}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(root, "fakebin/calls.txt")); err == nil {
		r.calls = strings.Fields(string(b))
	}
	return r
}

// Each case is one outcome of a fuzzing run: the exit code, how many go
// runs it took and what the script says.
func TestFuzzScriptOutcomes(t *testing.T) {
	for _, c := range []struct {
		mode       string
		code, runs int
		stdout     []string
		stderr     []string
	}{
		// the deadline race once, then a clean run: retried, passes
		{"race-once", 0, 2, []string{"fuzz ok    ./pkg FuzzLoad"}, []string{"fuzz retry", "no crasher written"}},
		// the race on every run (FUZZ_TRIES=3): passes with a warning
		{"race-always", 0, 3, nil, []string{"fuzz WARN  ./pkg FuzzLoad", "not counted as a failure"}},
		// a new crasher file fails at once, even with the deadline text
		{"crash", 1, 1, nil, []string{"fuzz FAIL  ./pkg FuzzLoad: new crasher", "testdata/fuzz/FuzzLoad/0a1b2c3d"}},
		// any other failure fails and shows go's output
		{"build-error", 1, 1, nil, []string{"fuzz FAIL  ./pkg FuzzLoad", "syntax error"}},
	} {
		t.Run(c.mode, func(t *testing.T) {
			r := runFuzzScript(t, c.mode)
			if r.code != c.code {
				t.Fatalf("exit %d, want %d; stderr:\n%s", r.code, c.code, r.stderr)
			}
			if len(r.calls) != c.runs {
				t.Errorf("go ran %d times, want %d", len(r.calls), c.runs)
			}
			for _, w := range c.stdout {
				if !strings.Contains(r.stdout, w) {
					t.Errorf("stdout lacks %q:\n%s", w, r.stdout)
				}
			}
			for _, w := range c.stderr {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, r.stderr)
				}
			}
		})
	}
}

// The log goes to a fresh file under TMPDIR (not a fixed /tmp name other
// runs share), removed at the end.
func TestFuzzScriptLogIsPrivateTemp(t *testing.T) {
	if _, err := os.Stat("/proc/self/fd/1"); err != nil {
		t.Skip("no /proc to see where the log went")
	}
	r := runFuzzScript(t, "race-once")
	if len(r.calls) == 0 {
		t.Fatal("go never ran")
	}
	for _, c := range r.calls {
		if filepath.Dir(c) != r.tmp || !strings.HasPrefix(filepath.Base(c), "exscan-fuzz.") {
			t.Errorf("go output went to %q, want a mktemp file in %s", c, r.tmp)
		}
	}
	left, _ := os.ReadDir(r.tmp)
	if len(left) != 0 {
		t.Errorf("%d files left in TMPDIR, want the log removed", len(left))
	}
}
