package cli

import (
	"strings"
	"testing"

	"exscan/internal/app"
)

// TestScannedHostAndBuild: the demo host's reports name the scanned host
// from its logs (not the machine exscan runs on), its Exchange build from
// ExSetup.exe with the folder's CU line, what that build is exposed to,
// and next steps; --hostname overrides the name and keeps the logs' name.
func TestScannedHostAndBuild(t *testing.T) {
	code, out, errs := run(t, "scan", "--root", demoRoot, "--format", "jsonl", "-q")
	if code != 1 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	_, sum := parseJSONL(t, out)
	sh, _ := sum["scanned_host"].(map[string]any)
	if sh["name"] != "EXCH01" || !strings.Contains(sh["source"].(string), "ServerHostName") {
		t.Errorf("scanned_host %v, want EXCH01 from ServerHostName", sum["scanned_host"])
	}
	if h := app.Hostname(); sum["exscan_host"] != h {
		t.Errorf("exscan_host %v, want %q", sum["exscan_host"], h)
	}
	ex, _ := sum["exchange"].(map[string]any)
	if ex["build"] != "15.1.2176.2" || ex["exact"] != true || ex["name"] != "Exchange 2016 CU19" || !strings.Contains(ex["from"].(string), `Bin\ExSetup.exe (it settles the SU`) {
		t.Errorf("exchange %v", ex)
	}
	exp, _ := ex["exposure"].([]any)
	if len(exp) != 4 || exp[0].(map[string]any)["status"] != "vulnerable" || exp[0].(map[string]any)["fixed_by"] != "15.1.2176.9" {
		t.Errorf("exposure %v", exp)
	}
	if vt, _ := sum["verdict_text"].(string); !strings.Contains(vt, "The server runs Exchange build 15.1.2176.2 (Exchange 2016 CU19): vulnerable to ProxyLogon, ProxyShell, ProxyNotShell and OWASSRF.") {
		t.Errorf("verdict text says nothing of the build: %q", vt)
	}
	steps, _ := sum["next_steps"].([]any)
	if len(steps) < 3 || !strings.Contains(steps[0].(string), "--collect") {
		t.Errorf("next_steps %v", steps)
	}

	code, out, _ = run(t, "scan", "--root", demoRoot, "--format", "text", "-q", "--hostname", "mail-7")
	if code != 1 || !strings.Contains(out, "host mail-7 (--hostname); the evidence also names EXCH01; exscan ran on") ||
		!strings.Contains(out, "EXCHANGE BUILD\n  Exchange build 15.1.2176.2 (Exchange 2016 CU19") || !strings.Contains(out, "NEXT STEPS\n  1. ") {
		t.Errorf("text report: exit %d\n%.1500s", code, out)
	}
	code, out, _ = run(t, "scan", "--root", demoRoot, "--format", "timesketch", "-q")
	if code != 1 || !strings.Contains(out, `"hostname":"EXCH01"`) || strings.Contains(out, `"hostname":"`+app.Hostname()+`"`) {
		t.Errorf("timesketch hostname: %.600s", out)
	}
}
