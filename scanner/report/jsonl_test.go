package report

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

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
		if len(lines) != 2 || !strings.HasPrefix(lines[0], `{"type":"context","id":"proxylogon"`) {
			t.Errorf("want the context record, then the finding: %d line(s), first %.80s", len(lines), lines[0])
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
