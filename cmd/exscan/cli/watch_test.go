package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"exscan/scanner/report"
)

const watchFixture = "../../../testdata/watch/C"

var (
	exPath    = filepath.Join("Program Files", "Microsoft", "Exchange Server", "V15")
	iisLog    = filepath.Join("inetpub", "logs", "LogFiles", "W3SVC1", "u_ex250101.log")
	proxyLog  = filepath.Join(exPath, "Logging", "HttpProxy", "Ecp", "HttpProxy_2025010100-1.LOG")
	owaAuth   = filepath.Join(exPath, "FrontEnd", "HttpProxy", "owa", "auth")
	chopperJS = `<%@ Page Language="Jscript"%><%eval(Request.Item["x"],"unsafe");%>`
)

// Attack lines the built-in Sigma rules flag (see testdata/watch/README.md).
// id makes each one a distinct hit: it is in the evidence of the finding
// (the .js name, the decoded URI), so the fingerprint differs. (Two
// requests alike in rule, file, time, client and evidence are one hit.)
func iisYJS(id string) string {
	return "2025-01-01 10:00:00 10.0.0.5 POST /ecp/" + id + ".js - 443 - 192.0.2.66 ExchangeServicesClient/0.0.0.0 - 200 0 0 15\r\n"
}

func iisAutodiscover(id string) string {
	return "2025-01-01 10:00:01 10.0.0.5 POST /autodiscover/autodiscover.json @x.y/powershell/?&Email=autodiscover/autodiscover.json%3F@x.y&id=" + id + " 443 - 192.0.2.67 python-requests/2.25.1 - 200 0 0 15\r\n"
}

func iisBenignLine(id string) string {
	return "2025-01-01 10:00:02 10.0.0.5 GET /owa/ id=" + id + " 443 - 10.0.0.20 Mozilla/5.0 - 200 0 0 12\r\n"
}

// proxyRow builds an HttpProxy row from the fixture's own header.
func proxyRow(t *testing.T, root, id, anchor string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, proxyLog))
	if err != nil {
		t.Fatal(err)
	}
	header := strings.Split(strings.TrimSpace(strings.SplitN(string(data), "\n", 2)[0]), ",")
	v := map[string]string{"DateTime": "2025-01-01T10:00:05.000Z", "RequestId": id, "Protocol": "Ecp", "UrlStem": "/ecp/proxyLogon.ecp",
		"AnchorMailbox": anchor, "ClientIpAddress": "192.0.2.68", "HttpStatus": "241", "Method": "POST"}
	out := make([]string, len(header))
	for i, f := range header {
		out[i] = v[f]
	}
	return strings.Join(out, ",") + "\r\n"
}

func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func appendTo(t *testing.T, path, s string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(s); err != nil {
		t.Fatal(err)
	}
}

type jsonLine struct {
	Type        string `json:"type"`
	Rule        string `json:"rule"`
	Kind        string `json:"kind"`
	Path        string `json:"path"`
	HostPath    string `json:"host_path"`
	Line        int    `json:"line"`
	Fingerprint string `json:"fingerprint"`
	Evidence    []struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	} `json:"evidence"`
	ExitCode *int `json:"exit_code"`
}

// readOutput returns the finding lines of a JSON Lines output (lines that
// do not parse, such as one cut by kill -9, are skipped) and the summaries.
func readOutput(t *testing.T, path string) (findings, summaries []jsonLine) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	for _, l := range bytes.Split(data, []byte("\n")) {
		var x jsonLine
		if len(l) == 0 || json.Unmarshal(l, &x) != nil {
			continue
		}
		switch x.Type {
		case "finding":
			findings = append(findings, x)
		case "summary":
			summaries = append(summaries, x)
		}
	}
	return findings, summaries
}

// hitIDs names each finding by the planted id it matched (or the file name
// for file findings), and fails on any fingerprint reported twice.
func hitIDs(t *testing.T, fs []jsonLine) []string {
	t.Helper()
	seen := map[string]bool{}
	var ids []string
	for _, f := range fs {
		if seen[f.Fingerprint] {
			t.Errorf("reported twice: %s %s line %d", f.Rule, f.Path, f.Line)
		}
		seen[f.Fingerprint] = true
		id := filepath.Base(f.Path)
		if f.Rule == "exscan.log.webshell-file-access" {
			ids = append(ids, "webshell-access")
			continue
		}
		for _, e := range f.Evidence {
			if e.Name == "cs-uri-stem" && strings.HasSuffix(e.Value, ".js") {
				id = strings.TrimSuffix(strings.TrimPrefix(e.Value, "/ecp/"), ".js")
			} else if i := strings.Index(e.Value, "id="); i >= 0 {
				id = strings.Fields(strings.NewReplacer("&", " ", "+", " ").Replace(e.Value[i+3:]))[0]
			} else if strings.HasPrefix(e.Value, "ServerInfo~") {
				id = "anchor"
			}
		}
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

func waitUntil(t *testing.T, d time.Duration, what string, f func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !f() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", d, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestWatchUsage(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "f.log")
	os.WriteFile(file, []byte("x"), 0o644)
	cases := []struct {
		args []string
		err  string
	}{
		{[]string{"watch", "--bogus", dir}, "unknown flag: --bogus"},
		{[]string{"watch", "/nonexistent/exscan-watch"}, "cannot read"},
		{[]string{"watch", file}, "watch follows folders"},
		{[]string{"watch", "--format", "sarif", dir}, "whole-document format"},
		{[]string{"watch", "--poll-interval", "1ns", dir}, "--poll-interval"},
		{[]string{"watch", "--collect", "x.zip", dir}, "--collect"},
		{[]string{"watch", "--fail-on", "urgent", dir}, "--fail-on"},
		{[]string{"watch", "--root", "/nonexistent/exscan-root"}, "root folder cannot be read"},
		{[]string{"watch", "--state", "/nonexistent/exscan-dir/state", dir}, "--state"},
	}
	if runtime.GOOS != "windows" {
		cases = append(cases, struct {
			args []string
			err  string
		}{[]string{"watch"}, "give --root DIR"})
	}
	for _, c := range cases {
		code, out, errs := run(t, c.args...)
		if code != ExitError || !strings.Contains(errs, c.err) || out != "" || strings.Count(strings.TrimSpace(errs), "\n") > 0 {
			t.Errorf("%v: exit %d, stdout %q, stderr %q (want exit 2 and one line with %q)", c.args, code, out, errs, c.err)
		}
	}
	state := filepath.Join(dir, "bad.state")
	os.WriteFile(state, []byte("nonsense"), 0o600)
	if code, _, errs := run(t, "watch", "--state", state, "-q", dir); code != ExitError || !strings.Contains(errs, "--state") {
		t.Errorf("bad state: exit %d, %q", code, errs)
	}
	code, out, _ := run(t, "watch", "--help")
	if code != 0 || !strings.Contains(out, "Usage: exscan watch") || !strings.Contains(out, "--state") || !strings.Contains(out, "exits 0, or 1") {
		t.Errorf("--help: exit %d, %q", code, out)
	}
}

// TestWatchRoot runs watch in-process on a host root: baseline lines are
// not reported; appended IIS and HttpProxy attack lines and a webshell
// dropped into owa/auth are, once each; a second run with the same state
// appends to the output and repeats nothing.
func TestWatchRoot(t *testing.T) {
	root := filepath.Join(t.TempDir(), "C")
	copyTree(t, watchFixture, root)
	dir := t.TempDir()
	out, state := filepath.Join(dir, "hits.jsonl"), filepath.Join(dir, "watch.state")
	args := []string{"--root", root, "--state", state, "--output", out, "--format", "jsonl",
		"--poll-interval", "50ms", "--debounce", "100ms", "--heartbeat", "0", "-q"}

	start := func() (context.CancelFunc, chan int, *bytes.Buffer) {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan int, 1)
		var stderr bytes.Buffer
		go func() { done <- runWatch(ctx, args, &bytes.Buffer{}, &stderr) }()
		return cancel, done, &stderr
	}
	waitStarted := func(since time.Time) {
		waitUntil(t, time.Minute, "the watch to start", func() bool {
			st, err := os.Stat(state)
			return err == nil && !st.ModTime().Before(since)
		})
		time.Sleep(100 * time.Millisecond)
	}
	stop := func(cancel context.CancelFunc, done chan int, stderr *bytes.Buffer) int {
		cancel()
		select {
		case code := <-done:
			return code
		case <-time.After(time.Minute):
			t.Fatalf("watch did not stop; stderr: %s", stderr)
		}
		return -1
	}
	expect := func(want ...string) {
		t.Helper()
		sort.Strings(want)
		w := strings.Join(want, " ")
		var got string
		deadline := time.Now().Add(time.Minute)
		for time.Now().Before(deadline) {
			fs, _ := readOutput(t, out)
			if got = strings.Join(hitIDs(t, fs), " "); got == w {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		if got != w {
			t.Fatalf("hits %q, want %q", got, w)
		}
	}

	t0 := time.Now()
	cancel, done, stderr := start()
	waitStarted(t0)
	appendTo(t, filepath.Join(root, iisLog), iisBenignLine("b1")+iisYJS("A1")+iisAutodiscover("A2"))
	appendTo(t, filepath.Join(root, proxyLog), proxyRow(t, root, "pb1", "Sid~S-1-5-21-1-2-3-1104")+proxyRow(t, root, "p1", "ServerInfo~a]@EXCH01:444/ecp/proxyLogon.ecp?#"))
	if err := os.WriteFile(filepath.Join(root, owaAuth, "shell.aspx"), []byte(chopperJS), 0o644); err != nil {
		t.Fatal(err)
	}
	expect("A1", "A2", "anchor", "shell.aspx")
	// A request to the webshell just found: tied to the file.
	appendTo(t, filepath.Join(root, iisLog), "2025-01-01 10:00:09 10.0.0.5 POST /owa/auth/shell.aspx - 443 - 198.51.100.7 Mozilla/5.0 - 200 0 0 20\r\n")
	expect("A1", "A2", "anchor", "shell.aspx", "webshell-access")
	time.Sleep(200 * time.Millisecond)
	expect("A1", "A2", "anchor", "shell.aspx", "webshell-access")
	if code := stop(cancel, done, stderr); code != ExitFindings {
		t.Errorf("exit %d after a clean stop with findings, want 1; stderr: %s", code, stderr)
	}
	checkJSONL(t, mustRead(t, out), false)
	fs, sums := readOutput(t, out)
	if len(sums) != 1 || sums[0].ExitCode == nil || *sums[0].ExitCode != 1 {
		t.Errorf("summary lines: %+v", sums)
	}
	rules := map[string]bool{}
	for _, f := range fs {
		rules[f.Rule] = true
		want := map[string]string{
			"u_ex250101.log": `C:\inetpub\logs\LogFiles\W3SVC1\u_ex250101.log`,
			"shell.aspx":     `C:\Program Files\Microsoft\Exchange Server\V15\FrontEnd\HttpProxy\owa\auth\shell.aspx`,
		}[filepath.Base(f.Path)]
		if want != "" && f.HostPath != want {
			t.Errorf("%s: host path %q, want %q", f.Path, f.HostPath, want)
		}
	}
	for _, r := range []string{"exscan.log.proxylogon.ssrf_static_post", "exscan.log.proxynotshell.autodiscover_powershell", "exscan.log.proxylogon.ssrf_serverinfo_anchor"} {
		if !rules[r] {
			t.Errorf("no %s finding (rules seen: %v)", r, rules)
		}
	}
	for _, p := range []string{out, state, state + ".files"} {
		if st, err := os.Stat(p); err != nil || st.Mode().Perm() != 0o600 {
			t.Errorf("%s: not owner-only (%v)", p, err)
		}
	}

	// Second run: the same state; the output is appended to.
	t1 := time.Now()
	cancel, done, stderr = start()
	waitStarted(t1)
	appendTo(t, filepath.Join(root, iisLog), iisYJS("B1"))
	expect("A1", "A2", "anchor", "shell.aspx", "webshell-access", "B1")
	if code := stop(cancel, done, stderr); code != ExitFindings {
		t.Errorf("second run: exit %d, want 1", code)
	}
	// A run that reports nothing exits 0.
	t2 := time.Now()
	cancel, done, stderr = start()
	waitStarted(t2)
	appendTo(t, filepath.Join(root, iisLog), iisBenignLine("b9"))
	time.Sleep(200 * time.Millisecond)
	if code := stop(cancel, done, stderr); code != ExitClean {
		t.Errorf("quiet run: exit %d, want 0; stderr: %s", code, stderr)
	}
	expect("A1", "A2", "anchor", "shell.aspx", "webshell-access", "B1")
	checkJSONL(t, mustRead(t, out), false)
}

// TestWatchKill9 runs the real binary while another process keeps
// appending attack lines, kills it with SIGKILL mid-stream, starts it
// again on the same state and output, and checks that every planted hit
// is in the output exactly once.
func TestWatchKill9(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("SIGKILL and sh")
	}
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "exscan")
	build := exec.Command("go", "build", "-o", bin, "exscan/cmd/exscan")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	root := filepath.Join(dir, "C")
	copyTree(t, watchFixture, root)
	out, state := filepath.Join(dir, "hits.jsonl"), filepath.Join(dir, "watch.state")
	var stderrs []*bytes.Buffer
	launch := func() *exec.Cmd {
		cmd := exec.Command(bin, "watch", "--root", root, "--state", state, "--output", out, "--format", "jsonl",
			"--poll-interval", "50ms", "--debounce", "100ms", "--heartbeat", "0")
		var e bytes.Buffer
		cmd.Stderr = &e
		stderrs = append(stderrs, &e)
		t0 := time.Now()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
		waitUntil(t, time.Minute, "the watch to start", func() bool {
			st, err := os.Stat(state)
			return err == nil && !st.ModTime().Before(t0)
		})
		return cmd
	}
	dump := func() string {
		var b strings.Builder
		for i, e := range stderrs {
			fmt.Fprintf(&b, "--- run %d stderr:\n%s", i+1, e.String())
		}
		return b.String()
	}

	// A separate writer process: 300 attack lines (each with a benign one)
	// in small batches, one line of each batch in two writes.
	const n = 300
	iis := filepath.Join(root, iisLog)
	script := `i=0; while [ $i -lt ` + fmt.Sprint(n) + ` ]; do
  printf '2025-01-01 10:00:00 10.0.0.5 POST /ecp/K%d.js - 443 - 192.0.2.66 Exchange' $i >> "$1"
  printf 'ServicesClient/0.0.0.0 - 200 0 0 15\r\n2025-01-01 10:00:02 10.0.0.5 GET /owa/ id=n%d 443 - 10.0.0.20 Mozilla/5.0 - 200 0 0 12\r\n' $i >> "$1"
  i=$((i+1)); [ $((i % 10)) -eq 0 ] && sleep 0.02; done`

	w1 := launch()
	writer := exec.Command("sh", "-c", script, "sh", iis)
	if err := writer.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { writer.Process.Kill(); writer.Wait() })
	if err := os.WriteFile(filepath.Join(root, owaAuth, "errorFE.aspx"), []byte(chopperJS), 0o644); err != nil {
		t.Fatal(err)
	}
	// Kill once some, not all, lines are reported.
	waitUntil(t, time.Minute, "the first hits", func() bool {
		fs, _ := readOutput(t, out)
		return len(fs) >= 20
	})
	w1.Process.Signal(syscall.SIGKILL)
	w1.Wait()
	killedAt, _ := readOutput(t, out)

	// While it is down: more lines, a new log file, another webshell.
	appendTo(t, filepath.Join(root, proxyLog), proxyRow(t, root, "down", "ServerInfo~a]@EXCH01:444/ecp/proxyLogon.ecp?#"))
	os.WriteFile(filepath.Join(filepath.Dir(iis), "u_ex250102.log"), []byte(strings.SplitAfterN(mustRead(t, iis), "\r\n", 5)[0]+
		strings.SplitAfterN(mustRead(t, iis), "\r\n", 5)[1]+strings.SplitAfterN(mustRead(t, iis), "\r\n", 5)[2]+
		strings.SplitAfterN(mustRead(t, iis), "\r\n", 5)[3]+iisAutodiscover("NEWFILE")), 0o644)
	os.WriteFile(filepath.Join(root, owaAuth, "down.aspx"), []byte(chopperJS+"\r\n"), 0o644)

	w2 := launch()
	if err := writer.Wait(); err != nil {
		t.Fatalf("writer: %v", err)
	}
	want := []string{"anchor", "NEWFILE", "errorFE.aspx", "down.aspx"}
	for i := 0; i < n; i++ {
		want = append(want, fmt.Sprint("K", i))
	}
	sort.Strings(want)
	var got []string
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		if fs, _ := readOutput(t, out); len(fs) >= len(want) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond)
	w2.Process.Signal(syscall.SIGTERM)
	err := w2.Wait()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != ExitFindings {
		t.Errorf("after SIGTERM: %v, want exit 1 (findings reported)\n%s", err, dump())
	}
	fs, sums := readOutput(t, out)
	got = hitIDs(t, fs)
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("%d hits (%d before the kill), want %d\n%s", len(got), len(killedAt), len(want), dump())
		missing, extra := diff(want, got)
		t.Errorf("missing %v, extra %v", missing, extra)
	}
	if len(sums) != 1 {
		t.Errorf("%d summary lines, want 1 (from the SIGTERM stop)", len(sums))
	}
}

func mustRead(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func diff(want, got []string) (missing, extra []string) {
	count := map[string]int{}
	for _, w := range want {
		count[w]++
	}
	for _, g := range got {
		count[g]--
	}
	for k, v := range count {
		for ; v > 0; v-- {
			missing = append(missing, k)
		}
		for ; v < 0; v++ {
			extra = append(extra, k)
		}
	}
	return missing, extra
}

var _ sync.Mutex

// watchRun runs watch in-process with args until stop is called.
type watchRun struct {
	cancel context.CancelFunc
	done   chan int
	stderr bytes.Buffer
}

func startWatch(t *testing.T, state string, args ...string) *watchRun {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r := &watchRun{cancel: cancel, done: make(chan int, 1)}
	since := time.Now()
	go func() { r.done <- runWatch(ctx, args, &bytes.Buffer{}, &r.stderr) }()
	waitUntil(t, time.Minute, "the watch to start", func() bool {
		st, err := os.Stat(state)
		return err == nil && !st.ModTime().Before(since)
	})
	time.Sleep(100 * time.Millisecond)
	return r
}

func (r *watchRun) stop(t *testing.T) int {
	t.Helper()
	r.cancel()
	select {
	case code := <-r.done:
		return code
	case <-time.After(time.Minute):
		t.Fatal("watch did not stop")
	}
	return -1
}

// TestWatchWebshellAccessAndCounts watches a log folder and a web folder
// given as paths: a webshell dropped while watching and requested at once
// (the request may well be read before the file is checked) makes the
// request a critical finding that names the file; after a restart, a new
// request to that webshell still does. The summary counts the records
// read, the malformed line and the coverage of the log family.
func TestWatchWebshellAccessAndCounts(t *testing.T) {
	dir := t.TempDir()
	logDir, web := filepath.Join(dir, "W3SVC1"), filepath.Join(dir, "web", "owa", "auth")
	for _, d := range []string{logDir, web} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	log := filepath.Join(logDir, "u_ex250101.log")
	copyFile := mustRead(t, filepath.Join(watchFixture, "inetpub", "logs", "LogFiles", "W3SVC1", "u_ex250101.log"))
	appendTo(t, log, copyFile)
	out, state := filepath.Join(dir, "hits.jsonl"), filepath.Join(dir, "watch.state")
	args := []string{"--state", state, "--output", out, "--format", "jsonl",
		"--poll-interval", "50ms", "--debounce", "300ms", "--heartbeat", "0", "-q", logDir, filepath.Join(dir, "web")}
	request := func(tm string) string {
		return "2025-01-01 " + tm + " 10.0.0.5 POST /owa/auth/shell.aspx cmd=whoami 443 - 198.51.100.7 Mozilla/5.0 - 200 0 0 20\r\n"
	}
	accessLines := func() map[int]bool {
		fs, _ := readOutput(t, out)
		lines := map[int]bool{}
		for _, f := range fs {
			if f.Rule == "exscan.log.webshell-file-access" {
				lines[f.Line] = true
			}
		}
		return lines
	}

	r := startWatch(t, state, args...)
	if err := os.WriteFile(filepath.Join(web, "shell.aspx"), []byte(chopperJS), 0o644); err != nil {
		t.Fatal(err)
	}
	appendTo(t, log, iisBenignLine("b1")+"2025-01-01 10:00:03 garbled\r\n"+request("10:00:04"))
	n := strings.Count(copyFile, "\n")
	first := n + 3 // the request's line
	waitUntil(t, time.Minute, "the request to the webshell to be tied to it", func() bool { return accessLines()[first] })
	if code := r.stop(t); code != ExitFindings {
		t.Errorf("exit %d, want 1; stderr: %s", code, &r.stderr)
	}
	var sum struct {
		Records   map[string]int64 `json:"log_records"`
		Malformed map[string]int64 `json:"log_malformed"`
		Coverage  []struct {
			Family  string `json:"family"`
			Files   int64  `json:"files"`
			Records int64  `json:"records"`
			Latest  string `json:"latest"`
		} `json:"log_coverage"`
	}
	for _, l := range strings.Split(mustRead(t, out), "\n") {
		if strings.Contains(l, `"type":"summary"`) {
			if err := json.Unmarshal([]byte(l), &sum); err != nil {
				t.Fatal(err)
			}
		}
	}
	if sum.Records["iis"] != 2 || sum.Malformed["iis"] != 1 {
		t.Errorf("summary log_records %v, log_malformed %v; want 2 iis records and 1 malformed line", sum.Records, sum.Malformed)
	}
	if len(sum.Coverage) != 1 || sum.Coverage[0].Records != 2 || sum.Coverage[0].Files != 1 || sum.Coverage[0].Latest != "2025-01-01T10:00:04Z" {
		t.Errorf("summary log_coverage %+v", sum.Coverage)
	}

	// Restarted: the webshell is known from the state.
	r = startWatch(t, state, args...)
	appendTo(t, log, request("11:00:00"))
	waitUntil(t, time.Minute, "a request after the restart to be tied to the webshell", func() bool { return accessLines()[first+1] })
	if code := r.stop(t); code != ExitFindings {
		t.Errorf("second run: exit %d, want 1; stderr: %s", code, &r.stderr)
	}
}

// watch takes every streaming format and refuses every whole-document one,
// as the format registry declares them.
func TestWatchFormatsFromRegistry(t *testing.T) {
	dir := t.TempDir()
	for _, f := range report.Formats() {
		if f.Stream {
			continue
		}
		code, _, errs := run(t, "watch", "--format", f.Name, dir)
		if code != ExitError || !strings.Contains(errs, "whole-document format") {
			t.Errorf("watch --format %s: exit %d, %s", f.Name, code, errs)
		}
		for _, s := range report.Streaming() {
			if !strings.Contains(errs, s) {
				t.Errorf("watch --format %s: the message does not offer %s: %s", f.Name, s, errs)
			}
		}
	}
}
