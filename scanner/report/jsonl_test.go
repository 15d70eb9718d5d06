package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"exscan/iocs"
	"exscan/scanner/finding"
)

// TestJSONLEventLimit: a log finding whose request is 30 KB (an attacker
// controls its length) still fits the event limit, says how much of each
// value it left out, and cuts at a character boundary; the full shape
// keeps every byte.
func TestJSONLEventLimit(t *testing.T) {
	long := "/owa/auth/x.aspx?" + strings.Repeat("é", 15000)
	f := finding.Finding{Kind: finding.KindLog, Path: "u_ex210303.log", Line: 7, Timestamp: "2021-03-03T01:02:03Z",
		Reasons: []finding.Reason{{Rule: "r1", Title: "t", Severity: finding.High, Source: "sigma", Campaigns: []string{"proxylogon"},
			Evidence: []finding.Evidence{{Name: "cs-uri-query", Value: long}}}}}
	f.Finalize()
	iocs.Enrich(&f)
	for _, inline := range []bool{false, true} {
		var b bytes.Buffer
		w := newJSONL(&b)
		w.Start(Meta{InlineContext: inline})
		if err := w.Finding(&f); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(b.String()), "\n")
		last := lines[len(lines)-1]
		var rec struct {
			Evidence []finding.Evidence `json:"evidence"`
		}
		if err := json.Unmarshal([]byte(last), &rec); err != nil {
			t.Fatal(err)
		}
		e := rec.Evidence[0]
		if inline {
			if e.Value != long || e.Truncated != 0 {
				t.Errorf("full shape cut the evidence: %d bytes, truncated %d", len(e.Value), e.Truncated)
			}
			continue
		}
		if len(last)+1 >= EventLimit {
			t.Errorf("finding line is %d bytes", len(last)+1)
		}
		if !utf8.ValidString(e.Value) || !strings.HasPrefix(long, e.Value) || len(e.Value)+e.Truncated != len(long) {
			t.Errorf("cut value: %d bytes + %d truncated, want %d in all, valid prefix", len(e.Value), e.Truncated, len(long))
		}
		if !strings.HasPrefix(lines[0], `{"type":"context","id":"proxylogon"`) || !strings.Contains(lines[0], `"statements":null`) {
			t.Errorf("want the context record first, its statements apart: %.80s", lines[0])
		}
		for i, l := range lines[1 : len(lines)-1] {
			if want := fmt.Sprintf(`{"type":"statement","id":"proxylogon/%d","campaign":"proxylogon",`, i+1); !strings.HasPrefix(l, want) {
				t.Errorf("line %d: %.80s, want a statement record %s", i+2, l, want)
			}
		}
		if len(lines) < 3 {
			t.Errorf("want the context record, its statements, then the finding: %d line(s)", len(lines))
		}
	}
}

// TestJSONLKeepsEveryFindingField: a field added to finding.Finding is not
// silently left out of the JSON Lines record, which lists its fields itself.
func TestJSONLKeepsEveryFindingField(t *testing.T) {
	names := func(v any) map[string]bool {
		out := map[string]bool{}
		rt := reflect.TypeOf(v)
		for i := 0; i < rt.NumField(); i++ {
			if n := strings.Split(rt.Field(i).Tag.Get("json"), ",")[0]; n != "" && n != "-" {
				out[n] = true
			}
		}
		return out
	}
	rec := names(jsonlFinding{})
	for n := range names(finding.Finding{}) {
		if !rec[n] {
			t.Errorf("finding field %q is not in the JSON Lines record (jsonlFinding)", n)
		}
	}
}

// TestJSONLEventLimitManyEvidence: a finding with many short evidence
// entries, repeated in its reasons (a large webshell matching many
// strings), still fits the event limit: cutting values alone cannot make
// it fit, so entries are left out and counted, the finding's own first.
func TestJSONLEventLimitManyEvidence(t *testing.T) {
	var ev []finding.Evidence
	for i := 0; i < 150; i++ {
		ev = append(ev, finding.Evidence{Name: fmt.Sprintf("$s%d", i), Value: strings.Repeat("x", 100)})
	}
	var rs []finding.Reason
	for i := 0; i < 4; i++ {
		rs = append(rs, finding.Reason{Rule: fmt.Sprintf("r%d", i), Title: "t", Severity: finding.High, Source: "yara", Evidence: ev[i*30 : i*30+60]})
	}
	f := finding.Finding{Kind: finding.KindFile, Path: "big.aspx", Reasons: rs, Evidence: ev}
	f.Finalize()
	iocs.Enrich(&f)
	for _, inline := range []bool{false, true} {
		var b bytes.Buffer
		w := newJSONL(&b)
		w.Start(Meta{InlineContext: inline})
		if err := w.Finding(&f); err != nil {
			t.Fatal(err)
		}
		line := strings.TrimSpace(b.String())
		var rec struct {
			Evidence        []finding.Evidence `json:"evidence"`
			EvidenceOmitted int                `json:"evidence_omitted"`
			Reasons         []finding.Reason   `json:"reasons"`
		}
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatal(err)
		}
		kept := len(rec.Evidence)
		for _, r := range rec.Reasons {
			kept += len(r.Evidence)
		}
		all := len(f.Evidence)
		for _, r := range f.Reasons {
			all += len(r.Evidence)
		}
		if inline {
			if kept != all || rec.EvidenceOmitted != 0 {
				t.Errorf("full shape: %d of %d evidence entries, %d omitted", kept, all, rec.EvidenceOmitted)
			}
			continue
		}
		if len(line)+1 >= EventLimit {
			t.Errorf("finding line is %d bytes", len(line)+1)
		}
		if rec.EvidenceOmitted == 0 || len(rec.Evidence) == 0 || len(rec.Reasons) != len(f.Reasons) {
			t.Errorf("kept %d evidence, %d reasons, omitted %d: want some evidence kept, every reason, the rest counted", len(rec.Evidence), len(rec.Reasons), rec.EvidenceOmitted)
		}
		if rec.Evidence[0] != f.Evidence[0] {
			t.Errorf("first evidence %+v, want %+v kept first", rec.Evidence[0], f.Evidence[0])
		}
	}
}
