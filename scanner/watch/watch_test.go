package watch

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"
	"github.com/rs/zerolog"

	"exscan/scanner/finding"
	"exscan/scanner/logs"
)

// The tests drive real writers (goroutines and a separate process) against
// a watcher with short intervals, and check that every planted hit is
// written exactly once. A fake checker stands in for the engine: it flags
// IIS records by field name (POST to /ecp/*.js or /owa/auth/*.js) and
// HttpProxy records whose AnchorMailbox is a ServerInfo~ anchor, so a
// record parsed by position instead of by the header's names is missed,
// and every event-log record.

const iisHeader = "#Software: Microsoft Internet Information Services 10.0\r\n#Version: 1.0\r\n#Date: %s 00:00:00\r\n" +
	"#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken\r\n"

func iisHead(date string) string { return fmt.Sprintf(iisHeader, date) }

// iisAttack is a ProxyLogon SSRF request line; id makes each one unique.
func iisAttack(id string) string {
	return "2025-01-01 10:00:00 10.0.0.5 POST /ecp/y.js id=" + id + " 443 - 192.0.2.66 ExchangeServicesClient/0.0.0.0 - 200 0 0 15\r\n"
}

func iisBenign(id string) string {
	return "2025-01-01 10:00:01 10.0.0.5 GET /owa/ id=" + id + " 443 - 10.0.0.20 Mozilla/5.0 - 200 0 0 12\r\n"
}

// proxyFields is the HttpProxy header of Exchange 2016 CU23.
var proxyFields = strings.Split("DateTime,RequestId,MajorVersion,MinorVersion,BuildVersion,RevisionVersion,ClientRequestId,Protocol,UrlHost,UrlStem,ProtocolAction,AuthenticationType,IsAuthenticated,AuthenticatedUser,Organization,AnchorMailbox,UserAgent,ClientIpAddress,ServerHostName,HttpStatus,BackEndStatus,ErrorCode,Method,ProxyAction,TargetServer,TargetServerVersion,RoutingType,RoutingHint,BackEndCookie,ServerLocatorHost,ServerLocatorLatency,RequestBytes,ResponseBytes,TargetOutstandingRequests,AuthModulePerfContext,HttpPipelineLatency,CalculateTargetBackEndLatency,GlsLatencyBreakup,TotalGlsLatency,AccountForestLatencyBreakup,TotalAccountForestLatency,ResourceForestLatencyBreakup,TotalResourceForestLatency,ADLatency,SharedCacheLatencyBreakup,TotalSharedCacheLatency,ActivityContextLifeTime,ModuleToHandlerSwitchingLatency,ClientReqStreamLatency,BackendReqInitLatency,BackendReqStreamLatency,BackendProcessingLatency,BackendRespInitLatency,BackendRespStreamLatency,ClientRespStreamLatency,KerberosAuthHeaderLatency,HandlerCompletionLatency,RequestHandlerLatency,HandlerToModuleSwitchingLatency,ProxyTime,CoreLatency,RoutingLatency,HttpProxyOverhead,TotalRequestTime,RouteRefresherLatency,UrlQuery,BackEndGenericInfo,GenericInfo,GenericErrors,EdgeTraceId,DatabaseGuid,UserADObjectGuid,PartitionEndpointLookupLatency,RoutingStatus", ",")

func proxyHead() string {
	h := strings.Join(proxyFields, ",")
	return h + "\r\n#Software: Microsoft Exchange Server\r\n#Version: 15.01.2507.006\r\n#Log-type: HttpProxy Logs\r\n#Date: 2025-01-01T00:00:00.000Z\r\n#Fields: " + h + "\r\n"
}

func proxyRow(id, anchor string) string {
	v := map[string]string{"DateTime": "2025-01-01T10:00:05.000Z", "RequestId": id, "Protocol": "Ecp", "UrlStem": "/ecp/proxyLogon.ecp",
		"AnchorMailbox": anchor, "ClientIpAddress": "192.0.2.68", "HttpStatus": "241", "Method": "POST"}
	out := make([]string, len(proxyFields))
	for i, f := range proxyFields {
		out[i] = v[f]
	}
	return strings.Join(out, ",") + "\r\n"
}

func proxyAttack(id string) string {
	return proxyRow(id, "ServerInfo~a]@EXCH01:444/ecp/proxyLogon.ecp?#")
}
func proxyBenign(id string) string { return proxyRow(id, "Sid~S-1-5-21-1-2-3-1104") }

const webshell = `<%@ Page Language="Jscript"%><%eval(Request.Item["x"],"unsafe");%>`

type fakeChecker struct {
	w       *Watcher
	files   atomic.Int64
	records atomic.Int64
}

var idRE = regexp.MustCompile(`id=([A-Za-z0-9_-]+)`)

func (c *fakeChecker) CheckRecord(path, win string, rec *logs.Record) bool {
	c.records.Add(1)
	id := ""
	if stem, ok := rec.Get("cs-uri-stem"); ok {
		m, _ := rec.Get("cs-method")
		if m != "POST" || !strings.HasSuffix(stem, ".js") {
			return false
		}
		q, _ := rec.Get("cs-uri-query")
		id = strings.TrimPrefix(q, "id=")
	} else if rec.Format == logs.FormatEVTX {
		// every event is a hit, named by its record id
		rid, _ := rec.Get("EventRecordID")
		id = "E" + rid
	} else if a, ok := rec.Get("AnchorMailbox"); ok {
		if !strings.HasPrefix(a, "ServerInfo~") {
			return false
		}
		id, _ = rec.Get("RequestId")
	} else {
		return false
	}
	f := finding.Finding{Kind: finding.KindLog, Path: path, HostPath: win, Line: rec.Line, ClientIP: "192.0.2.66",
		Reasons: []finding.Reason{{Rule: "test.attack", Title: "attack", Severity: finding.High, Source: "sigma",
			Evidence: []finding.Evidence{{Name: "id", Value: id}}}}}
	f.Finalize()
	c.w.Sink(f)
	return true
}

func (c *fakeChecker) CheckFile(path, win string) {
	c.files.Add(1)
	data, err := os.ReadFile(path)
	if err != nil || !bytes.Contains(data, []byte("eval(Request")) {
		return
	}
	sum := sha256.Sum256(data)
	f := finding.Finding{Kind: finding.KindFile, Path: path, HostPath: win, SHA256: hex.EncodeToString(sum[:]),
		Reasons: []finding.Reason{{Rule: "test.webshell", Title: "webshell", Severity: finding.Critical, Source: "yara",
			Evidence: []finding.Evidence{{Name: "s", Value: "eval(Request"}}}}}
	f.Finalize()
	c.w.Sink(f)
}

// hit is one finding line of the output.
type hit struct {
	Kind        string             `json:"kind"`
	Path        string             `json:"path"`
	Line        int                `json:"line"`
	Fingerprint string             `json:"fingerprint"`
	Evidence    []finding.Evidence `json:"evidence"`
}

func (h hit) id() string {
	if len(h.Evidence) > 0 && h.Kind == "log" {
		return h.Evidence[0].Value
	}
	return filepath.Base(h.Path)
}

// harness runs watchers on one folder with one output and state file.
type harness struct {
	t     *testing.T
	dir   string
	out   string
	state string
	mu    sync.Mutex
	file  *os.File
	log   bytes.Buffer
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	h := &harness{t: t, dir: t.TempDir()}
	h.out = filepath.Join(h.dir, "out.jsonl")
	h.state = filepath.Join(h.dir, "state.json")
	f, err := os.OpenFile(h.out, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	h.file = f
	t.Cleanup(func() { f.Close() })
	return h
}

func (h *harness) path(p ...string) string { return filepath.Join(append([]string{h.dir}, p...)...) }

type running struct {
	w      *Watcher
	chk    *fakeChecker
	cancel context.CancelFunc
	done   chan error
}

func (h *harness) config(roots ...Root) Config {
	return Config{
		Roots: roots, State: h.state,
		Log:  zerolog.New(&syncWriter{mu: &h.mu, w: &h.log}),
		Poll: 20 * time.Millisecond, Debounce: 60 * time.Millisecond, SaveEvery: 40 * time.Millisecond,
		Heartbeat:  -1,
		rescanLogs: 150 * time.Millisecond, rescanFiles: 300 * time.Millisecond,
		coalesce: 5 * time.Millisecond, grace: time.Second, recheck: 50 * time.Millisecond,
		Out: Output{
			Write: func(f *finding.Finding) error {
				b, err := json.Marshal(f)
				if err != nil {
					return err
				}
				_, err = h.file.Write(append(b, '\n'))
				return err
			},
			Sync: h.file.Sync,
			Path: h.out,
		},
	}
}

func (h *harness) start(cfg Config) *running {
	h.t.Helper()
	return h.startWith(cfg, func(c *fakeChecker) Checker { return c })
}

// startWith starts a watcher with the fake checker as wrap makes it.
func (h *harness) startWith(cfg Config, wrap func(*fakeChecker) Checker) *running {
	h.t.Helper()
	w, err := New(cfg)
	if err != nil {
		h.t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{w: w, chk: &fakeChecker{w: w}, cancel: cancel, done: make(chan error, 1)}
	go func() { r.done <- w.Run(ctx, wrap(r.chk)) }()
	// Wait for the first state save: the baseline is taken.
	waitFor(h.t, patience, "the watcher to start", func() bool {
		_, err := os.Stat(h.state)
		return err == nil
	})
	time.Sleep(30 * time.Millisecond)
	return r
}

func (r *running) stop(t *testing.T) {
	t.Helper()
	r.cancel()
	select {
	case err := <-r.done:
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
	case <-time.After(patience):
		t.Fatal("watcher did not stop")
	}
}

type syncWriter struct {
	mu *sync.Mutex
	w  *bytes.Buffer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

func (h *harness) hits() []hit {
	h.t.Helper()
	data, err := os.ReadFile(h.out)
	if err != nil {
		h.t.Fatal(err)
	}
	var out []hit
	for _, l := range bytes.Split(data, []byte("\n")) {
		if len(l) == 0 {
			continue
		}
		var x hit
		if err := json.Unmarshal(l, &x); err != nil {
			h.t.Fatalf("bad output line %q: %v", l, err)
		}
		out = append(out, x)
	}
	return out
}

// ids returns the ids of the hits, sorted, failing on any repeat.
func (h *harness) ids() []string {
	h.t.Helper()
	var ids []string
	seen := map[string]bool{}
	for _, x := range h.hits() {
		if seen[x.Fingerprint] {
			h.t.Errorf("hit %s (%s line %d) reported twice", x.id(), x.Path, x.Line)
		}
		seen[x.Fingerprint] = true
		ids = append(ids, x.id())
	}
	sort.Strings(ids)
	return ids
}

// expect waits until exactly want (sorted ids) is reported, then checks
// that nothing more comes for a little while.
func (h *harness) expect(want ...string) {
	h.t.Helper()
	sort.Strings(want)
	w := strings.Join(want, " ")
	var got string
	deadline := time.Now().Add(patience)
	for time.Now().Before(deadline) {
		got = strings.Join(h.ids(), " ")
		if got == w {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(80 * time.Millisecond)
	got = strings.Join(h.ids(), " ")
	if got != w {
		h.mu.Lock()
		defer h.mu.Unlock()
		h.t.Fatalf("reported ids:\n got  %q\n want %q\nlog:\n%s", got, w, h.log.String())
	}
}

// patience bounds every wait for something the watcher must do. The waits
// end as soon as it is done, so the bound only matters when it never is; it
// is long because CI runs on a busy 2-core machine.
const patience = 60 * time.Second

func waitFor(t *testing.T, d time.Duration, what string, f func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !f() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func appendFile(t *testing.T, path, s string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(s); err != nil {
		t.Fatal(err)
	}
	f.Close()
}

func mkdir(t *testing.T, p string) {
	t.Helper()
	if err := os.MkdirAll(p, 0o755); err != nil {
		t.Fatal(err)
	}
}

// TestFollowAppends: files existing at start are followed from their end
// (an attack line already there is not reported, a partial last line is
// completed and reported), appended IIS and HttpProxy lines are parsed by
// the header's field names, lines split across writes wait for their
// newline, and line numbers are the file's own.
func TestFollowAppends(t *testing.T) {
	h := newHarness(t)
	logs := h.path("logs")
	iis := filepath.Join(logs, "W3SVC1", "u_ex250101.log")
	proxy := filepath.Join(logs, "HttpProxy", "Ecp", "HttpProxy_2025010110-1.LOG")
	mkdir(t, filepath.Dir(iis))
	mkdir(t, filepath.Dir(proxy))
	partial := iisAttack("P1")
	appendFile(t, iis, iisHead("2025-01-01")+iisAttack("OLD")+iisBenign("b0")+partial[:40])
	appendFile(t, proxy, proxyHead()+proxyAttack("OLDPROXY")+proxyBenign("pb0"))

	r := h.start(h.config(Root{Path: logs, Kind: Auto}))
	defer r.stop(t)

	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // the writer
		defer wg.Done()
		appendFile(t, iis, partial[40:])
		for i := 1; i <= 4; i++ {
			appendFile(t, iis, iisBenign(fmt.Sprint("b", i))+iisAttack(fmt.Sprint("A", i)))
			time.Sleep(15 * time.Millisecond)
		}
		// One line in two writes, far enough apart for a poll in between.
		l := iisAttack("SPLIT")
		appendFile(t, iis, l[:25])
		time.Sleep(80 * time.Millisecond)
		appendFile(t, iis, l[25:])
		for i := 1; i <= 3; i++ {
			appendFile(t, proxy, proxyBenign(fmt.Sprint("pb", i))+proxyAttack(fmt.Sprint("X", i)))
		}
		// A CSV row split inside a field.
		p := proxyAttack("XSPLIT")
		appendFile(t, proxy, p[:60])
		time.Sleep(60 * time.Millisecond)
		appendFile(t, proxy, p[60:])
	}()
	wg.Wait()
	h.expect("P1", "A1", "A2", "A3", "A4", "SPLIT", "X1", "X2", "X3", "XSPLIT")

	// Line numbers: the IIS header is 4 lines, then OLD, b0, P1 (line 7),
	// then pairs b1/A1 (A1 on line 9) ...; SPLIT follows A4 (line 15). The
	// HttpProxy header is 6 lines, then OLDPROXY, pb0, pb1, X1 (line 10) ...
	want := map[string]int{"P1": 7, "A1": 9, "A2": 11, "A3": 13, "A4": 15, "SPLIT": 16, "X1": 10, "X2": 12, "X3": 14, "XSPLIT": 15}
	for _, x := range h.hits() {
		if x.Line != want[x.id()] {
			t.Errorf("%s: line %d, want %d", x.id(), x.Line, want[x.id()])
		}
	}
}

// TestRotationTruncationReplacement: a new file (rotation) is read from its
// start; a truncated file, a file rewritten with other first bytes, and a
// file replaced by a rename over it are read again from the start, with
// lines already reported not reported again; a .gz that appears is read
// once, whole; a folder created after start is followed, and one deleted
// and created again too.
func TestRotationTruncationReplacement(t *testing.T) {
	h := newHarness(t)
	logs := h.path("LogFiles")
	w1 := filepath.Join(logs, "W3SVC1")
	mkdir(t, w1)
	day1 := filepath.Join(w1, "u_ex250101.log")
	appendFile(t, day1, iisHead("2025-01-01")+iisBenign("b0"))
	r := h.start(h.config(Root{Path: logs, Kind: Logs}))
	defer r.stop(t)

	appendFile(t, day1, iisAttack("D1"))
	h.expect("D1")

	// Rotation: a new day's file.
	day2 := filepath.Join(w1, "u_ex250102.log")
	appendFile(t, day2, iisHead("2025-01-02")+iisAttack("R1")+iisBenign("b1"))
	h.expect("D1", "R1")
	appendFile(t, day2, iisAttack("R2"))
	h.expect("D1", "R1", "R2")

	// Truncation to a shorter content.
	if err := os.WriteFile(day2, []byte(iisHead("2025-01-02")+iisAttack("T1")), 0o644); err != nil {
		t.Fatal(err)
	}
	h.expect("D1", "R1", "R2", "T1")

	// Rewritten in place, longer than before, other first bytes: the
	// fingerprint of the first bytes notices it.
	if err := os.WriteFile(day2, []byte(iisHead("2025-01-03")+iisBenign("c1")+iisBenign("c2")+iisBenign("c3")+iisAttack("T1")+iisAttack("T2")), 0o644); err != nil {
		t.Fatal(err)
	}
	h.expect("D1", "R1", "R2", "T1", "T2")

	// Replaced by a rename over it: the same lines again and a new one.
	tmp := h.path("replacement.tmp")
	if err := os.WriteFile(tmp, []byte(iisHead("2025-01-01")+iisBenign("b0")+iisAttack("D1")+iisAttack("P1")), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, day1); err != nil {
		t.Fatal(err)
	}
	h.expect("D1", "R1", "R2", "T1", "T2", "P1")

	// A gzip log appears: read once, whole.
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(iisHead("2024-12-31") + iisAttack("G1") + iisBenign("g")))
	zw.Close()
	if err := os.WriteFile(filepath.Join(w1, "u_ex241231.log.gz"), gz.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	h.expect("D1", "R1", "R2", "T1", "T2", "P1", "G1")

	// A new site folder after start, then deleted and created again.
	w3 := filepath.Join(logs, "W3SVC3")
	mkdir(t, w3)
	appendFile(t, filepath.Join(w3, "u_ex250101.log"), iisHead("2025-01-01")+iisAttack("S1"))
	h.expect("D1", "R1", "R2", "T1", "T2", "P1", "G1", "S1")
	appendFile(t, filepath.Join(w3, "u_ex250101.log"), iisAttack("S2"))
	h.expect("D1", "R1", "R2", "T1", "T2", "P1", "G1", "S1", "S2")
	if err := os.RemoveAll(w3); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
	mkdir(t, w3)
	appendFile(t, filepath.Join(w3, "u_ex250102.log"), iisHead("2025-01-02")+iisAttack("S3"))
	h.expect("D1", "R1", "R2", "T1", "T2", "P1", "G1", "S1", "S2", "S3")

	// The whole root deleted and created again.
	if err := os.RemoveAll(logs); err != nil {
		t.Fatal(err)
	}
	time.Sleep(60 * time.Millisecond)
	mkdir(t, w1)
	appendFile(t, filepath.Join(w1, "u_ex250105.log"), iisHead("2025-01-05")+iisAttack("Z1"))
	h.expect("D1", "R1", "R2", "T1", "T2", "P1", "G1", "S1", "S2", "S3", "Z1")
}

// TestRenameKeepsOffset: a log renamed inside the watched folder (rotation
// by rename) is followed under its new name from where it was.
func TestRenameKeepsOffset(t *testing.T) {
	h := newHarness(t)
	dir := h.path("logs")
	mkdir(t, dir)
	p := filepath.Join(dir, "app.log")
	appendFile(t, p, iisHead("2025-01-01"))
	r := h.start(h.config(Root{Path: dir, Kind: Logs}))
	defer r.stop(t)
	appendFile(t, p, iisAttack("N1"))
	h.expect("N1")
	if err := os.Rename(p, filepath.Join(dir, "app.1.log")); err != nil {
		t.Fatal(err)
	}
	appendFile(t, filepath.Join(dir, "app.1.log"), iisAttack("N2"))
	appendFile(t, p, iisHead("2025-01-02")+iisAttack("N3"))
	h.expect("N1", "N2", "N3")
}

// TestRenameToOtherName: in a folder where names decide what is a log, a
// log renamed to a name that is not a log's (u_ex210303.log -> .log.1,
// .old) is still followed from where it was, never checked as a web file;
// a file that appears under such a name without having been followed
// before is a log too when it is a rotated one (.log.2).
func TestRenameToOtherName(t *testing.T) {
	h := newHarness(t)
	dir := h.path("W3SVC1")
	mkdir(t, dir)
	p := filepath.Join(dir, "u_ex210303.log")
	appendFile(t, p, iisHead("2021-03-03"))
	r := h.start(h.config(Root{Path: dir, Kind: Auto}))
	defer r.stop(t)
	appendFile(t, p, iisAttack("N1"))
	h.expect("N1")
	for i, name := range []string{"u_ex210303.log.1", "u_ex210303.old"} {
		to := filepath.Join(dir, name)
		if err := os.Rename(p, to); err != nil {
			t.Fatal(err)
		}
		p = to
		appendFile(t, p, iisAttack(fmt.Sprintf("M%d", i)))
	}
	appendFile(t, filepath.Join(dir, "u_ex210302.log.2"), iisHead("2021-03-02")+iisAttack("O1"))
	h.expect("N1", "M0", "M1", "O1")
	if got := r.chk.files.Load(); got != 0 {
		t.Errorf("%d file checks, want 0: a renamed log was checked as a web file", got)
	}
}

// TestWebFolder: a webshell dropped into owa/auth is checked once it stops
// changing and reported once; a touch that keeps the content is not
// checked again; a change is; a benign file gives nothing.
func TestWebFolder(t *testing.T) {
	h := newHarness(t)
	web := h.path("HttpProxy")
	auth := filepath.Join(web, "owa", "auth")
	mkdir(t, auth)
	os.WriteFile(filepath.Join(auth, "logon.aspx"), []byte("<%@ Page %> baseline"), 0o644)
	r := h.start(h.config(Root{Path: web, WinPath: `C:\Program Files\Microsoft\Exchange Server\V15\FrontEnd\HttpProxy`, Kind: Files}))
	defer r.stop(t)

	// Written in pieces: checked once, when complete.
	shell := filepath.Join(auth, "x.aspx")
	appendFile(t, shell, webshell[:20])
	time.Sleep(30 * time.Millisecond)
	appendFile(t, shell, webshell[20:])
	os.WriteFile(filepath.Join(auth, "benign.aspx"), []byte("<%@ Page Language=\"C#\" %><html>hello</html>"), 0o644)
	h.expect("x.aspx")
	if got := r.chk.files.Load(); got != 2 {
		t.Errorf("%d file checks, want 2 (x.aspx and benign.aspx)", got)
	}
	for _, x := range h.hits() {
		if x.Kind != "file" {
			t.Errorf("hit kind %q", x.Kind)
		}
	}
	// Same content, new mtime: not checked again.
	later := time.Now().Add(time.Minute)
	os.Chtimes(shell, later, later)
	time.Sleep(300 * time.Millisecond)
	if got := r.chk.files.Load(); got != 2 {
		t.Errorf("touch: %d file checks, want 2", got)
	}
	// New content: checked and reported (another hash, another hit).
	appendFile(t, shell, "<!-- v2 -->")
	h.expect("x.aspx", "x.aspx")

	// The Windows path reaches the checker.
	var st stateFile
	if _, err := loadJSON(h.state, &st); err != nil {
		t.Fatal(err)
	}
}

// TestRestart: stopped and started again with the same state, the watcher
// reports what was appended and created while it was stopped, and nothing
// twice; then a crash that loses the last state saves is simulated: the
// findings written after the state that survived are read back from the
// output, so they are not reported again either.
func TestRestart(t *testing.T) {
	h := newHarness(t)
	root := h.path("watched")
	w1 := filepath.Join(root, "W3SVC1")
	auth := filepath.Join(root, "owa", "auth")
	mkdir(t, w1)
	mkdir(t, auth)
	log1 := filepath.Join(w1, "u_ex250101.log")
	appendFile(t, log1, iisHead("2025-01-01")+iisAttack("OLD"))
	// A baseline log that only grows while exscan is stopped.
	proxy := filepath.Join(root, "HttpProxy_2025010110-1.LOG")
	appendFile(t, proxy, proxyHead()+proxyAttack("OLDPROXY"))
	cfg := h.config(Root{Path: root, Kind: Auto})

	r := h.start(cfg)
	appendFile(t, log1, iisAttack("A1"))
	h.expect("A1")
	r.stop(t)

	// While stopped: appended lines, a new log, a dropped webshell.
	appendFile(t, log1, iisBenign("b")+iisAttack("A2"))
	appendFile(t, filepath.Join(w1, "u_ex250102.log"), iisHead("2025-01-02")+iisAttack("N1"))
	os.WriteFile(filepath.Join(auth, "shell.aspx"), []byte(webshell), 0o644)
	appendFile(t, proxy, proxyBenign("pb")+proxyAttack("X1"))

	r = h.start(cfg)
	h.expect("A1", "A2", "N1", "shell.aspx", "X1")
	// A crash: keep the state as it is now, report more, then put the old
	// state back as if the later saves never happened.
	r.stop(t)
	saved, err := os.ReadFile(h.state)
	if err != nil {
		t.Fatal(err)
	}
	r = h.start(cfg)
	appendFile(t, log1, iisAttack("A3")+iisAttack("A4"))
	h.expect("A1", "A2", "N1", "shell.aspx", "X1", "A3", "A4")
	r.cancel()
	<-r.done
	if err := os.WriteFile(h.state, saved, 0o600); err != nil {
		t.Fatal(err)
	}
	r = h.start(cfg)
	appendFile(t, log1, iisAttack("A5"))
	h.expect("A1", "A2", "N1", "shell.aspx", "X1", "A3", "A4", "A5")
	r.stop(t)
	if !strings.Contains(h.log.String(), "written after the last state save are known as reported") {
		t.Errorf("no read-back of the output after the old state:\n%s", h.log.String())
	}

	// The state files are owner-only.
	for _, p := range []string{h.state, h.state + ".files"} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, want 0600", p, st.Mode().Perm())
		}
	}
}

// TestFromStart reads existing logs whole and checks existing web files.
func TestFromStart(t *testing.T) {
	h := newHarness(t)
	root := h.path("w")
	mkdir(t, root)
	appendFile(t, filepath.Join(root, "u_ex250101.log"), iisHead("2025-01-01")+iisAttack("E1")+iisBenign("b")+iisAttack("E2"))
	os.WriteFile(filepath.Join(root, "x.aspx"), []byte(webshell), 0o644)
	cfg := h.config(Root{Path: root, Kind: Auto})
	cfg.FromStart = true
	r := h.start(cfg)
	defer r.stop(t)
	h.expect("E1", "E2", "x.aspx")
}

// TestSeparateWriterProcess: another process appends, each line in two
// writes.
func TestSeparateWriterProcess(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	h := newHarness(t)
	dir := h.path("W3SVC1")
	mkdir(t, dir)
	p := filepath.Join(dir, "u_ex250101.log")
	appendFile(t, p, iisHead("2025-01-01"))
	r := h.start(h.config(Root{Path: dir, Kind: Logs}))
	defer r.stop(t)
	script := `i=0; while [ $i -lt 30 ]; do
  printf '2025-01-01 10:00:00 10.0.0.5 POST /ecp/y.js id=W%d 443 - 192.0.2.66 Exchange' $i >> "$1"
  printf 'ServicesClient/0.0.0.0 - 200 0 0 15\r\n' >> "$1"
  printf '2025-01-01 10:00:01 10.0.0.5 GET /owa/ id=n%d 443 - 10.0.0.20 Mozilla/5.0 - 200 0 0 12\r\n' $i >> "$1"
  i=$((i+1)); done`
	cmd := exec.Command("sh", "-c", script, "sh", p)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("writer: %v %s", err, out)
	}
	var want []string
	for i := 0; i < 30; i++ {
		want = append(want, fmt.Sprint("W", i))
	}
	h.expect(want...)
}

// TestWithoutEvents: with no file system events at all (a network share),
// listings and size polls still find new folders, files and lines; an
// event overflow makes a full rescan.
func TestWithoutEvents(t *testing.T) {
	h := newHarness(t)
	root := h.path("logs")
	mkdir(t, root)
	cfg := h.config(Root{Path: root, Kind: Logs})
	cfg.PollOnly = true
	cfg.inject = make(chan error, 1)
	r := h.start(cfg)
	defer r.stop(t)
	d := filepath.Join(root, "W3SVC9")
	mkdir(t, d)
	appendFile(t, filepath.Join(d, "u_ex250101.log"), iisHead("2025-01-01")+iisAttack("Q1"))
	h.expect("Q1")
	appendFile(t, filepath.Join(d, "u_ex250101.log"), iisAttack("Q2"))
	h.expect("Q1", "Q2")
	cfg.inject <- fsnotify.ErrEventOverflow
	waitFor(t, patience, "the overflow rescan", func() bool { return r.w.rescans.Load() == 1 })
	appendFile(t, filepath.Join(d, "u_ex250102.log"), iisHead("2025-01-02")+iisAttack("Q3"))
	h.expect("Q1", "Q2", "Q3")
}

// TestHeaderFromTop: a baseline file's #Fields is read from the top when it
// grows, also after an IIS restart wrote a new, different #Fields mid-file.
func TestHeaderFromTop(t *testing.T) {
	h := newHarness(t)
	dir := h.path("W3SVC1")
	mkdir(t, dir)
	p := filepath.Join(dir, "u_ex250101.log")
	// The second header puts cs-method after cs-uri-stem: parsing by
	// position with the first header would miss the attack.
	appendFile(t, p, iisHead("2025-01-01")+iisBenign("b")+
		"#Software: Microsoft Internet Information Services 10.0\r\n#Version: 1.0\r\n#Date: 2025-01-01 12:00:00\r\n"+
		"#Fields: date time s-ip cs-uri-stem cs-method cs-uri-query c-ip sc-status\r\n"+
		"2025-01-01 12:00:01 10.0.0.5 /owa/ GET id=x 10.0.0.9 200\r\n")
	r := h.start(h.config(Root{Path: dir, Kind: Logs}))
	defer r.stop(t)
	appendFile(t, p, "2025-01-01 12:00:02 10.0.0.5 /ecp/y.js POST id=H1 192.0.2.66 200\r\n")
	h.expect("H1")
	if x := h.hits()[0]; x.Line != 11 {
		t.Errorf("line %d, want 11", x.Line)
	}
}

// TestHitsBounded keeps only the newest MaxHits fingerprints.
func TestHitsBounded(t *testing.T) {
	w, err := New(Config{Out: Output{Write: func(*finding.Finding) error { return nil }}, MaxHits: 3})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 10; i++ {
		f := finding.Finding{Kind: finding.KindLog, Reasons: []finding.Reason{{Rule: "r", Evidence: []finding.Evidence{{Name: "i", Value: fmt.Sprint(i)}}}}}
		f.Finalize()
		w.Sink(f)
		w.Sink(f)
	}
	if len(w.hits) != 3 || w.reported.Load() != 10 || w.deduped.Load() != 10 {
		t.Errorf("hits %d reported %d deduped %d", len(w.hits), w.reported.Load(), w.deduped.Load())
	}
}

// TestBadState: a state file that is not one is an error, not a fresh start.
func TestBadState(t *testing.T) {
	p := filepath.Join(t.TempDir(), "state.json")
	os.WriteFile(p, []byte("{not json"), 0o600)
	_, err := New(Config{State: p, Out: Output{Write: func(*finding.Finding) error { return nil }}})
	if err == nil || !strings.Contains(err.Error(), "not a valid exscan watch state") {
		t.Errorf("err = %v", err)
	}
}

func TestRecoverOutputSkipsSummary(t *testing.T) {
	p := filepath.Join(t.TempDir(), "o.jsonl")
	os.WriteFile(p, []byte(`{"type":"finding","fingerprint":"old"}`+"\n"), 0o600)
	st, _ := statPath(p)
	abs, _ := filepath.Abs(p)
	appendFile(t, p, `{"type":"finding","fingerprint":"a"}`+"\n"+`{"type":"summary","fingerprint":"s"}`+"\n"+`{"type":"finding","fingerprint":"b"`)
	got, err := recoverOutput(p, &outputPos{Path: abs, Size: st.size, ID: st.id.String()})
	if err != nil || strings.Join(got, ",") != "a" {
		t.Errorf("got %v %v", got, err)
	}
	var sc = bufio.NewScanner(strings.NewReader(""))
	_ = sc
}

// TestQuietFiles: a log file that stays unchanged moves from the state
// file to FILE.files (without its header); when it grows while exscan is
// stopped, the restart reads its header and line number from the top.
func TestQuietFiles(t *testing.T) {
	h := newHarness(t)
	dir := h.path("W3SVC1")
	mkdir(t, dir)
	active, quiet := filepath.Join(dir, "u_ex250102.log"), filepath.Join(dir, "u_ex250101.log")
	appendFile(t, quiet, iisHead("2025-01-01")+iisBenign("q0"))
	appendFile(t, active, iisHead("2025-01-02"))
	cfg := h.config(Root{Path: dir, Kind: Logs})
	cfg.coldAfter, cfg.coldEvery = 300*time.Millisecond, 100*time.Millisecond
	r := h.start(cfg)
	appendFile(t, quiet, iisAttack("Q1"))
	h.expect("Q1")
	// The active file keeps being written until the quiet one has moved
	// to FILE.files (or patience runs out): no fixed time is assumed.
	var hot stateFile
	var cold filesState
	deadline := time.Now().Add(patience)
	for i := 0; ; i++ {
		appendFile(t, active, iisBenign(fmt.Sprint("a", i)))
		time.Sleep(80 * time.Millisecond)
		hot, cold = stateFile{}, filesState{}
		loadJSON(h.state, &hot)
		loadJSON(h.state+".files", &cold)
		if len(hot.Logs) == 1 && len(cold.Logs) == 1 || time.Now().After(deadline) {
			break
		}
	}
	if len(hot.Logs) != 1 || hot.Logs[0].Path != active {
		t.Errorf("state lists %+v, want only the active file", hot.Logs)
	}
	if len(cold.Logs) != 1 || cold.Logs[0].Path != quiet || cold.Logs[0].LineKnown || cold.Logs[0].Header != 0 {
		t.Errorf("FILE.files lists %+v, want the quiet file without header", cold.Logs)
	}
	r.stop(t)
	appendFile(t, quiet, iisBenign("q1")+iisAttack("Q2"))
	r = h.start(cfg)
	defer r.stop(t)
	h.expect("Q1", "Q2")
	for _, x := range h.hits() {
		if x.id() == "Q2" && x.Line != 8 {
			t.Errorf("Q2 on line %d, want 8", x.Line)
		}
	}
}

// TestErrorsStayLocal: a log file that cannot be read is logged, counted
// and retried; the others are followed as usual; the heartbeat reports.
func TestErrorsStayLocal(t *testing.T) {
	var broken atomic.Bool
	broken.Store(true)
	openFile = func(p string) (*os.File, error) {
		if broken.Load() && strings.Contains(p, "broken") {
			return nil, &os.PathError{Op: "open", Path: p, Err: os.ErrPermission}
		}
		return openShared(p)
	}
	defer func() { openFile = openShared }()
	h := newHarness(t)
	dir := h.path("W3SVC1")
	mkdir(t, dir)
	cfg := h.config(Root{Path: dir, Kind: Logs})
	cfg.Heartbeat = 100 * time.Millisecond
	r := h.start(cfg)
	defer r.stop(t)
	appendFile(t, filepath.Join(dir, "broken.log"), iisHead("2025-01-01")+iisAttack("E1"))
	appendFile(t, filepath.Join(dir, "fine.log"), iisHead("2025-01-01")+iisAttack("F1"))
	h.expect("F1")
	waitFor(t, patience, "the error to be counted", func() bool { return r.w.errs.Load() > 0 })
	broken.Store(false)
	appendFile(t, filepath.Join(dir, "broken.log"), iisAttack("E2"))
	h.expect("F1", "E1", "E2")
	waitFor(t, patience, "a heartbeat", func() bool {
		h.mu.Lock()
		defer h.mu.Unlock()
		return strings.Contains(h.log.String(), "heartbeat")
	})
}

// TestOwnFilesNotChecked: the output and the state inside a watched folder
// are never checked (the output quotes the evidence it reports).
func TestOwnFilesNotChecked(t *testing.T) {
	h := newHarness(t)
	r := h.start(h.config(Root{Path: h.dir, Kind: Auto}))
	defer r.stop(t)
	os.WriteFile(h.path("x.aspx"), []byte(webshell), 0o644)
	h.expect("x.aspx")
	time.Sleep(300 * time.Millisecond)
	h.expect("x.aspx")
	if n := r.chk.files.Load(); n != 1 {
		t.Errorf("%d file checks, want 1 (only x.aspx)", n)
	}
}

// TestBacklog: a file with more than one round to read is read in turns
// (others are not held up), and a line longer than a chunk is skipped
// without losing the lines after it or their line numbers.
func TestBacklog(t *testing.T) {
	h := newHarness(t)
	dir := h.path("W3SVC1")
	mkdir(t, dir)
	big := filepath.Join(dir, "u_ex250101.log")
	var b strings.Builder
	b.WriteString(iisHead("2025-01-01"))
	b.WriteString("2025-01-01 10:00:01 10.0.0.5 GET /owa/ id=long" + strings.Repeat("x", 1500) + " 443 - 10.0.0.20 Mozilla/5.0 - 200 0 0 12\r\n")
	var want []string
	for i := 0; i < 200; i++ {
		b.WriteString(iisAttack(fmt.Sprint("B", i)))
		want = append(want, fmt.Sprint("B", i))
	}
	appendFile(t, big, b.String())
	cfg := h.config(Root{Path: dir, Kind: Logs})
	cfg.FromStart = true
	cfg.chunk, cfg.round = 1024, 2048
	r := h.start(cfg)
	defer r.stop(t)
	other := filepath.Join(dir, "u_ex250102.log")
	appendFile(t, other, iisHead("2025-01-02")+iisAttack("O1"))
	h.expect(append(want, "O1")...)
	for _, x := range h.hits() {
		var n int
		if _, err := fmt.Sscanf(x.id(), "B%d", &n); err == nil && x.Line != 6+n {
			t.Errorf("%s on line %d, want %d", x.id(), x.Line, 6+n)
		}
	}
	if r.w.errs.Load() != 1 {
		t.Errorf("%d errors, want 1 (the long line)", r.w.errs.Load())
	}
}
