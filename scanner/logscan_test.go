package scanner

import (
	"compress/gzip"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"exscan/rules"
	"exscan/scanner/finding"
)

const iisHeader = "#Software: Microsoft Internet Information Services 10.0\r\n#Version: 1.0\r\n#Date: 2021-03-03 00:00:00\r\n#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken\r\n"
const attackLine = "2021-03-03 06:49:41 10.0.0.5 POST /ecp/y.js - 443 - 192.0.2.200 ExchangeServicesClient/0.0.0.0 - 200 0 0 210\r\n"
const benignLine = "2021-03-03 06:01:10 10.0.0.5 GET /owa/ - 443 - 192.0.2.12 Mozilla/5.0 - 200 0 0 31\r\n"

func scanLogs(t *testing.T, dir string) ([]finding.Finding, *finding.Summary) {
	t.Helper()
	ss, errs := rules.LoadSigma(true, nil)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	var got []finding.Finding
	e := New(Options{Sigma: ss}, func(f finding.Finding) { got = append(got, f) })
	e.ScanLogs(context.Background(), []Target{{Path: dir}}, nil)
	return got, e.Summary()
}

// A hit after garbage, NUL bytes, a ragged row and a 2 MiB line is still
// found, at its own line number, and the bad records are counted.
func TestHostileLogKeepsLaterHits(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString(iisHeader)
	b.WriteString(benignLine)
	b.WriteString("\x00\x01\x02\xff\xfe garbage \x1b[2J not a record\r\n")
	b.WriteString("2021-03-03 06:02:00 only three fields\r\n")
	b.WriteString("2021-03-03 06:03:00 10.0.0.5 GET /" + strings.Repeat("A", 2<<20) + " - 443 - 192.0.2.13 x - 200 0 0 1\r\n")
	b.WriteString(attackLine)
	os.WriteFile(filepath.Join(dir, "u_ex210303.log"), []byte(b.String()), 0o644)

	got, sum := scanLogs(t, dir)
	if len(got) != 1 || got[0].Line != 9 {
		t.Fatalf("want the attack line (9) found, got %+v", got)
	}
	if sum.Malformed["iis"] < 2 {
		t.Errorf("malformed records %v, want at least 2", sum.Malformed)
	}
}

// A truncated gzip log gives the hits before the damage and a counted
// read error, not silence.
func TestTruncatedGzipLog(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "u_ex210303.log.gz")
	f, _ := os.Create(p)
	zw := gzip.NewWriter(f)
	zw.Write([]byte(iisHeader + attackLine))
	for i := 0; i < 20000; i++ {
		zw.Write([]byte(benignLine))
	}
	zw.Close()
	f.Close()
	st, _ := os.Stat(p)
	os.Truncate(p, st.Size()/2)
	got, sum := scanLogs(t, dir)
	if len(got) != 1 {
		t.Errorf("want the attack before the damage, got %d findings", len(got))
	}
	if sum.Skipped[SkipReadError] != 1 {
		t.Errorf("the damage is not counted: %v", sum.Skipped)
	}
}
