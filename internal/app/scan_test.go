package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"exscan/scanner/finding"
)

var demoRoot = filepath.Join("..", "..", "testdata", "demo", "C")

func demoOptions(out *bytes.Buffer) *Options {
	return &Options{Command: "scan", Root: demoRoot, FailOn: finding.Medium, Threads: 1,
		MaxFileSize: 64 << 20, ScanTimeout: time.Minute, Format: "jsonl", Stdout: out, Log: zerolog.Nop()}
}

// One run gives one result: the summary written last is the one returned,
// its counts are the findings written, and the exit code follows them.
func TestScanResultMatchesTheReport(t *testing.T) {
	var out bytes.Buffer
	res, err := Scan(context.Background(), demoOptions(&out))
	if err != nil {
		t.Fatal(err)
	}
	bySev := map[string]int64{}
	var written map[string]any
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatal(err)
		}
		switch rec["type"] {
		case "finding":
			bySev[rec["severity"].(string)]++
		case "summary":
			written = rec
		}
	}
	sum := res.Summary
	for sev, n := range sum.Findings {
		if bySev[sev] != n {
			t.Errorf("%s: summary counts %d, report holds %d", sev, n, bySev[sev])
		}
	}
	if res.Code != ExitFindings || sum.ExitCode != res.Code || res.AtOrAbove == 0 {
		t.Errorf("exit %d (summary %d), %d at or above medium; want 1 on the demo host", res.Code, sum.ExitCode, res.AtOrAbove)
	}
	if written == nil || written["verdict"] != sum.Verdict || sum.Verdict == "" {
		t.Errorf("written verdict %v, returned %q", written["verdict"], sum.Verdict)
	}
	if len(sum.Webshells) == 0 {
		t.Error("no webshell access in the summary: the log phase did not get the file phase's webshells")
	}
}

// A run cut short says so and exits 2, whatever it found.
func TestScanInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out bytes.Buffer
	res, err := Scan(ctx, demoOptions(&out))
	if err != nil {
		t.Fatal(err)
	}
	if res.Code != ExitError || !slices.Contains(res.Summary.Warnings, "scan interrupted: the results are incomplete") {
		t.Errorf("exit %d, warnings %v", res.Code, res.Summary.Warnings)
	}
}

// Bad input is a usage error with one line, and nothing is written.
func TestScanUsageErrors(t *testing.T) {
	for name, change := range map[string]func(*Options){
		"root":   func(o *Options) { o.Root = filepath.Join(t.TempDir(), "missing") },
		"ignore": func(o *Options) { o.Ignore = filepath.Join(t.TempDir(), "missing.yml") },
		"format": func(o *Options) { o.Format = "bogus" },
	} {
		var out bytes.Buffer
		o := demoOptions(&out)
		change(o)
		_, err := Scan(context.Background(), o)
		var ue *UsageError
		if err == nil || !errors.As(err, &ue) || strings.Contains(err.Error(), "\n") || out.Len() != 0 {
			t.Errorf("%s: err %v, output %q", name, err, out.String())
		}
	}
}
