package app

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"exscan/scanner/finding"
	"exscan/scanner/ignore"
	"exscan/scanner/report"
)

func pipelineFinding(rule string, sev finding.Severity) *finding.Finding {
	f := &finding.Finding{Kind: finding.KindLog, Path: "/logs/u_ex210302.log", Line: 7,
		Reasons: []finding.Reason{{Rule: rule, Title: "t", Severity: sev, Source: "sigma", Campaigns: []string{"proxylogon"}}}}
	f.Finalize()
	return f
}

// The pipeline runs its stages in one order: a finding the ignore list
// names is neither deduplicated, tallied nor written; the others reach the
// writer with their campaign context added, and the tally counts what was
// written.
func TestPipelineOrder(t *testing.T) {
	list, err := ignore.Parse("ignore.yml", []byte("version: 1\nignore:\n  - rule: r.ignored\n    path: \"**\"\n    reason: reviewed\n"))
	if err != nil {
		t.Fatal(err)
	}
	sup := &Suppressor{List: list, Now: time.Now}
	var order []string
	seen := map[string]bool{}
	dedup := func(next Handler) Handler {
		return func(f *finding.Finding) error {
			order = append(order, "dedup "+f.Rule)
			if f.Context == nil {
				t.Errorf("%s reached dedup without its context", f.Rule)
			}
			if seen[f.Fingerprint] {
				return nil
			}
			seen[f.Fingerprint] = true
			return next(f)
		}
	}
	tally := &Tally{FailOn: finding.High}
	var buf bytes.Buffer
	w, err := report.New("jsonl", &buf)
	if err != nil {
		t.Fatal(err)
	}
	w.Start(report.Meta{InlineContext: true})
	h := Pipeline(sup.Stage(), dedup, nil, tally.Stage(), Write(w))
	for _, f := range []*finding.Finding{pipelineFinding("r.kept", finding.Critical), pipelineFinding("r.ignored", finding.Critical),
		pipelineFinding("r.kept", finding.Critical), pipelineFinding("r.low", finding.Low)} {
		if err := h(f); err != nil {
			t.Fatal(err)
		}
	}
	if got := strings.Join(order, ","); got != "dedup r.kept,dedup r.kept,dedup r.low" {
		t.Errorf("dedup saw %s; the ignored finding must stop before it", got)
	}
	if sup.Suppressed != 1 {
		t.Errorf("suppressed %d, want 1", sup.Suppressed)
	}
	if c := tally.Counts(); c["critical"] != 1 || c["low"] != 1 || c["high"] != 0 || tally.AtOrAbove != 1 {
		t.Errorf("tally %v, at or above high %d: want the one critical and one low written", c, tally.AtOrAbove)
	}
	out := buf.String()
	if strings.Count(out, `"type":"finding"`) != 2 || strings.Contains(out, "r.ignored") {
		t.Errorf("written: %s", out)
	}
	if !strings.Contains(out, `"attribution":"`) {
		t.Errorf("written findings carry no attribution: %s", out)
	}
}

// A write error comes back to the caller; the stages before the writer
// still ran.
func TestPipelineWriteError(t *testing.T) {
	tally := &Tally{}
	h := Pipeline(nil, nil, nil, tally.Stage(), Write(failWriter{}))
	if err := h(pipelineFinding("r", finding.Medium)); err == nil || tally.BySeverity[finding.Medium] != 1 {
		t.Errorf("err %v, tally %v", err, tally.BySeverity)
	}
}

type failWriter struct{}

func (failWriter) Start(report.Meta) error        { return nil }
func (failWriter) Finding(*finding.Finding) error { return errors.New("disk full") }
func (failWriter) Finish(*finding.Summary) error  { return nil }
