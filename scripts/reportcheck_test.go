package scripts

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// report-check builds bin/exscan the way `make build` does (with the
// version ldflags), not with a plain go build of its own. Fake make and go
// commands record how they were called; make fails, which ends the script
// before it needs a browser.
func TestReportCheckBuildsWithMake(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("report-check.sh is a bash script")
	}
	root := t.TempDir()
	script, err := os.ReadFile("report-check.sh")
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(root, "fakebin")
	os.MkdirAll(filepath.Join(root, "scripts"), 0o755)
	os.MkdirAll(bin, 0o755)
	os.WriteFile(filepath.Join(root, "scripts", "report-check.sh"), script, 0o755)
	record := "#!/usr/bin/env bash\necho \"$(basename \"$0\") $*\" >>\"$(dirname \"$0\")/calls.txt\"\nexit 3\n"
	for _, c := range []string{"make", "go"} {
		os.WriteFile(filepath.Join(bin, c), []byte(record), 0o755)
	}
	cmd := exec.Command("bash", filepath.Join(root, "scripts", "report-check.sh"))
	cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "TMPDIR="+root, "MAKE=", "GO=")
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("the script went on after the build failed:\n%s", out)
	}
	calls, _ := os.ReadFile(filepath.Join(bin, "calls.txt"))
	if got := strings.TrimSpace(string(calls)); got != "make --no-print-directory build" {
		t.Errorf("build commands run: %q, want only `make build`", got)
	}
}
