package scanner

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"exscan/iocs"
	"exscan/rules"
	"exscan/scanner/finding"
)

// The log phase ties requests to exactly the webshells it is given: the
// index the file phase returned makes requests to the demo host's
// webshells findings and fills the access table; without it (nil) the same
// engine, after the same file phase, reports none.
func TestLogPhaseTakesTheWebshellIndex(t *testing.T) {
	ys, errs := rules.LoadYARA(true, nil)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	ss, errs := rules.LoadSigma(true, nil)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	set, err := iocs.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Join("..", "testdata", "demo", "C")
	web := []Target{{Path: filepath.Join(root, "Program Files", "Microsoft", "Exchange Server", "V15", "FrontEnd", "HttpProxy"),
		WinPath: `C:\Program Files\Microsoft\Exchange Server\V15\FrontEnd\HttpProxy`},
		{Path: filepath.Join(root, "inetpub", "wwwroot"), WinPath: `C:\inetpub\wwwroot`}}
	logs := []Target{{Path: filepath.Join(root, "inetpub", "logs"), WinPath: `C:\inetpub\logs`}}
	run := func(pass bool) (int, *WebshellIndex) {
		accesses := 0
		e := New(Options{Threads: 1, YARA: ys, Sigma: ss, IOCs: set}, func(f finding.Finding) {
			if f.Rule == ruleWebshellAccess {
				accesses++
			}
		})
		shells := e.ScanFiles(context.Background(), web)
		if shells.Len() == 0 {
			t.Fatal("the file phase found no webshell on the demo host")
		}
		if !pass {
			shells = nil
		}
		e.ScanLogs(context.Background(), logs, shells)
		return accesses, shells
	}
	n, shells := run(true)
	if n == 0 || len(shells.Access()) == 0 {
		t.Errorf("with the index: %d webshell request finding(s), access table %v; want some", n, shells.Access())
	}
	if n, _ := run(false); n != 0 {
		t.Errorf("without the index: %d webshell request finding(s), want none", n)
	}
}

// OwnRules names every rule id the engine's own checks put on findings, so
// an ignore entry naming one is not reported as naming no known rule.
func TestOwnRulesNameTheEngineChecks(t *testing.T) {
	own := OwnRules()
	for _, id := range []string{ruleWebshellAccess, ruleWebshellRefused, ruleWebshellEvent, RuleUnexpectedPage} {
		if !slices.Contains(own, id) {
			t.Errorf("OwnRules lacks %s", id)
		}
	}
	for _, r := range heuristics(`C:\ProgramData\it.zip`, nil) {
		if !slices.Contains(own, r.Rule) {
			t.Errorf("OwnRules lacks %s, a heuristic's rule", r.Rule)
		}
	}
}
