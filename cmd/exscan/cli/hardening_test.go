package cli

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
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

// TestUnreadableFolderIsIncomplete: an unreadable owa\auth folder cannot
// give a clean verdict.
func TestUnreadableFolderIsIncomplete(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads every folder; run as a normal user to check permission handling")
	}
	root := filepath.Join(t.TempDir(), "C")
	auth := filepath.Join(root, "Program Files", "Microsoft", "Exchange Server", "V15", "FrontEnd", "HttpProxy", "owa", "auth")
	os.MkdirAll(auth, 0o755)
	os.WriteFile(filepath.Join(auth, "x.aspx"), []byte("x"), 0o644)
	os.Chmod(auth, 0o000)
	defer os.Chmod(auth, 0o755)
	code, out, _ := run(t, "scan", "--root", root, "--format", "jsonl")
	_, sum := parseJSONL(t, out)
	if code != 2 || sum["verdict"] != "incomplete" {
		t.Errorf("exit %d verdict %v, want 2 and incomplete", code, sum["verdict"])
	}
}

func TestMissingUserRulePathIsAnError(t *testing.T) {
	for _, flag := range []string{"--rules", "--sigma", "--iocs"} {
		code, _, errs := run(t, "files", flag, "/nonexistent/exscan-user-rules", t.TempDir())
		if code != 2 || !strings.Contains(errs, flag+" /nonexistent/exscan-user-rules") {
			t.Errorf("%s: exit %d, stderr %q", flag, code, errs)
		}
	}
}

// TestFollowLinksStaysInsideTarget: with --follow-links, an absolute link
// in an image is not followed onto the analyst's machine.
func TestFollowLinksStaysInsideTarget(t *testing.T) {
	dir := t.TempDir()
	outside := filepath.Join(t.TempDir(), "secret.aspx")
	os.WriteFile(outside, []byte(`<%@ Page Language="Jscript"%><%eval(Request.Item["x"],"unsafe");%>`), 0o644)
	os.MkdirAll(filepath.Join(dir, "inetpub", "wwwroot", "aspnet_client"), 0o755)
	os.Symlink(outside, filepath.Join(dir, "inetpub", "wwwroot", "aspnet_client", "s.aspx"))
	code, out, errs := run(t, "files", "--follow-links", "--format", "jsonl", dir)
	findings, sum := parseJSONL(t, out)
	if code != 0 || len(findings) != 0 {
		t.Errorf("exit %d, %d finding(s): the link out of the target was followed (%s)", code, len(findings), errs)
	}
	if sk := sum["skipped"].(map[string]any); sk["symlink-outside-target"] != float64(1) {
		t.Errorf("skips %v", sk)
	}
}

// TestSinceIsReported: --since shows in the summary and coverage counts
// only the records checked.
func TestSinceIsReported(t *testing.T) {
	code, out, _ := run(t, "logs", "--since", "2021-08-01", "--format", "jsonl", demoRoot+"/inetpub/logs")
	findings, sum := parseJSONL(t, out)
	if sum["since"] != "2021-08-01T00:00:00Z" {
		t.Errorf("since %v", sum["since"])
	}
	for _, f := range findings {
		if ts, _ := f["timestamp"].(string); ts < "2021-08-01" {
			t.Errorf("finding before --since: %v", ts)
		}
	}
	covered := 0.0
	for _, c := range sum["log_coverage"].([]any) {
		if e := c.(map[string]any)["earliest"].(string); e < "2021-08-01" {
			t.Errorf("coverage starts before --since: %v", e)
		}
		covered += c.(map[string]any)["records"].(float64)
	}
	// Every record read is either before --since or checked (and covered).
	read := 0.0
	for _, n := range sum["log_records"].(map[string]any) {
		read += n.(float64)
	}
	before, _ := sum["log_records_before_since"].(float64)
	if before == 0 || before+covered != read {
		t.Errorf("records read %v = %v before --since + %v covered? want equal, some before", read, before, covered)
	}
	if code != 1 {
		t.Errorf("exit %d", code)
	}
}

// TestLinksNamedOnTheCommandLineAreFollowed: a link the user names (a file
// for files, a folder for logs) is read; links inside are not.
func TestLinksNamedOnTheCommandLineAreFollowed(t *testing.T) {
	dir := t.TempDir()
	shell := filepath.Join(demoRoot, "Program Files/Microsoft/Exchange Server/V15/FrontEnd/HttpProxy/owa/auth/RedirSuiteServerProxy.aspx")
	abs, _ := filepath.Abs(shell)
	link := filepath.Join(dir, "link.aspx")
	os.Symlink(abs, link)
	if code, out, _ := run(t, "files", "--format", "jsonl", link); code != 1 {
		_, sum := parseJSONL(t, out)
		t.Errorf("file link: exit %d, summary %v", code, sum)
	}
	logs, _ := filepath.Abs(filepath.Join(demoRoot, "inetpub/logs/LogFiles"))
	loglink := filepath.Join(dir, "loglink")
	os.Symlink(logs, loglink)
	code, out, _ := run(t, "logs", "--format", "jsonl", loglink)
	_, sum := parseJSONL(t, out)
	if code != 1 || sum["log_files"].(float64) != 2 {
		t.Errorf("folder link: exit %d, log files %v", code, sum["log_files"])
	}
}

// TestWatchChangesNothing: a watch that reads a whole host from the start
// leaves it exactly as it was; its own output and state are owner-only.
func TestWatchChangesNothing(t *testing.T) {
	root := filepath.Join(t.TempDir(), "C")
	copyDemoTree(t, demoRoot, root)
	before := treeState(t, root)
	out := t.TempDir()
	hits, state := filepath.Join(out, "hits.jsonl"), filepath.Join(out, "watch.state")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- runWatch(ctx, []string{"--root", root, "--from-start", "--state", state, "--output", hits, "--format", "jsonl",
			"--poll-interval", "50ms", "--heartbeat", "0", "-q"}, &stdout, &stderr)
	}()
	// Stopped once it has reported something (however loaded the machine)
	waitUntil(t, 2*time.Minute, "the watch to report a finding", func() bool {
		b, _ := os.ReadFile(hits)
		return bytes.Contains(b, []byte(`"type":"finding"`))
	})
	cancel()
	code := <-done
	if code != ExitFindings {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	after := treeState(t, root)
	for p, b := range before {
		if after[p] != b {
			t.Errorf("%s changed:\n before %s\n after  %s", p, b, after[p])
		}
	}
	if len(after) != len(before) {
		t.Errorf("entries before %d, after %d", len(before), len(after))
	}
	for _, p := range []string{hits, state} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if st.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s has mode %v, want owner-only", p, st.Mode().Perm())
		}
	}
}
