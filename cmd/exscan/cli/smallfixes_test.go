package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func summaryWarnings(t *testing.T, out string) string {
	t.Helper()
	_, sum := parseJSONL(t, out)
	return fmt.Sprint(sum["warnings"])
}

// An ignore entry whose rule id no rule has says so; the example ignore
// file names only rules that exist.
func TestIgnoreEntryWithUnknownRule(t *testing.T) {
	logs := demoRoot + "/inetpub/logs"
	ign := filepath.Join(t.TempDir(), "ignore.yml")
	os.WriteFile(ign, []byte("version: 1\nignore:\n  - rule: sigma.web_exchange_proxyshell\n    path: '**/*.log'\n    reason: scanner\n"), 0o600)
	_, out, _ := run(t, "logs", "--ignore", ign, "--format", "jsonl", logs)
	if w := summaryWarnings(t, out); !strings.Contains(w, "ignore entry names no known rule") || !strings.Contains(w, "sigma.web_exchange_proxyshell") {
		t.Errorf("warnings %s, want one saying the entry names no known rule", w)
	}
	_, out, _ = run(t, "logs", "--ignore", "../../../testdata/ignore/example.yml", "--format", "jsonl", logs)
	if w := summaryWarnings(t, out); strings.Contains(w, "no known rule") {
		t.Errorf("the example ignore file: warnings %s", w)
	}
}

// --collect on an existing zip names what to do, and no option that does
// not exist.
func TestCollectExistingZip(t *testing.T) {
	zip := filepath.Join(t.TempDir(), "ev.zip")
	os.WriteFile(zip, []byte("old"), 0o600)
	code, _, errs := run(t, "files", "--collect", zip, t.TempDir())
	if code != ExitError || !strings.Contains(errs, "ev.zip already exists: give a new file name, or move the old zip away first") || strings.Contains(errs, "allow overwriting") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
	if b, _ := os.ReadFile(zip); string(b) != "old" {
		t.Error("the existing zip was changed")
	}
}

// An empty folder is not a clean result without a word.
func TestEmptyTargetWarns(t *testing.T) {
	empty := t.TempDir()
	for _, cmd := range []string{"files", "logs"} {
		code, out, _ := run(t, cmd, "--format", "jsonl", empty)
		if w := summaryWarnings(t, out); code != ExitClean || !strings.Contains(w, "found to check in "+empty+": nothing was checked") && !strings.Contains(w, "found to read in "+empty+": nothing was checked") {
			t.Errorf("%s EMPTYDIR: exit %d, warnings %s", cmd, code, w)
		}
	}
}

// files and logs do not list the common flags that do nothing there, and
// say so when one is given.
func TestUnusedFlagsHidden(t *testing.T) {
	for cmd, flags := range map[string][]string{
		"files": {"--since", "--sigma"},
		"logs":  {"--rules", "--max-file-size", "--scan-timeout", "--follow-links", "--max-io"},
	} {
		_, help, _ := run(t, cmd, "--help")
		for _, f := range flags {
			if strings.Contains(help, f+" ") {
				t.Errorf("%s --help lists %s", cmd, f)
			}
		}
		if !strings.Contains(help, "--iocs") || !strings.Contains(help, "--collect") {
			t.Errorf("%s --help lost flags that work there:\n%s", cmd, help)
		}
	}
	_, _, errs := run(t, "files", "--since", "2021-01-01", "--format", "jsonl", t.TempDir())
	if !strings.Contains(errs, "--since does nothing in 'exscan files'") {
		t.Errorf("files --since: stderr %q", errs)
	}
	_, _, errs = run(t, "logs", "--max-io", "5", "--format", "jsonl", t.TempDir())
	if !strings.Contains(errs, "--max-io does nothing in 'exscan logs'") {
		t.Errorf("logs --max-io: stderr %q", errs)
	}
}
