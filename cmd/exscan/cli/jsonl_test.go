package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/xeipuuv/gojsonschema"

	"exscan/scanner/report"
)

const jsonlSchemaPath = "../../../scanner/report/jsonl.schema.json"

var jsonlSchema = sync.OnceValues(func() (*gojsonschema.Schema, error) {
	abs, err := filepath.Abs(jsonlSchemaPath)
	if err != nil {
		return nil, err
	}
	return gojsonschema.NewSchema(gojsonschema.NewReferenceLoader("file://" + filepath.ToSlash(abs)))
})

// checkJSONL checks JSON Lines output as a SIEM would take it: every line
// valid against the schema, every finding line under the event limit, and
// within each run (a run ends with its summary) each campaign's context
// record written once, before the first finding that refers to it.
func checkJSONL(t *testing.T, out string, inline bool) (findings, contexts int) {
	t.Helper()
	schema, err := jsonlSchema()
	if err != nil {
		t.Fatalf("schema %s: %v", jsonlSchemaPath, err)
	}
	seen := map[string]bool{}
	for i, line := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		res, err := schema.Validate(gojsonschema.NewStringLoader(line))
		if err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		if !res.Valid() {
			t.Errorf("line %d does not match the schema: %v\n%.300s", i+1, res.Errors(), line)
		}
		var rec struct {
			Type        string   `json:"type"`
			ID          string   `json:"id"`
			Rule        string   `json:"rule"`
			ContextRefs []string `json:"context_refs"`
		}
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		if n := len(line) + 1; !inline && rec.Type != "finding" && n >= report.EventLimit {
			t.Errorf("line %d (%s %s): %d bytes, at or over the %d-byte event limit", i+1, rec.Type, rec.ID, n, report.EventLimit)
		}
		switch rec.Type {
		case "statement":
			if c, _, _ := strings.Cut(rec.ID, "/"); !seen[c] {
				t.Errorf("line %d: statement %q before its campaign's context record", i+1, rec.ID)
			}
		case "context":
			contexts++
			if seen[rec.ID] {
				t.Errorf("line %d: context %q written twice in one run", i+1, rec.ID)
			}
			seen[rec.ID] = true
		case "finding":
			findings++
			if n := len(line) + 1; !inline && n >= report.EventLimit {
				t.Errorf("line %d (%s): %d bytes, at or over the %d-byte event limit", i+1, rec.Rule, n, report.EventLimit)
			}
			for _, id := range rec.ContextRefs {
				if !inline && !seen[id] {
					t.Errorf("line %d (%s) refers to context %q before its record", i+1, rec.Rule, id)
				}
			}
		case "summary":
			seen = map[string]bool{}
		}
	}
	return findings, contexts
}

// TestJSONLDemo: the demo host's JSON Lines are SIEM-sized and match the
// schema; the full shape (--inline-context) matches it too and carries the
// same findings with their context inline.
func TestJSONLDemo(t *testing.T) {
	code, out, errs := run(t, "scan", "--root", demoRoot, "--format", "jsonl", "-q")
	if code != 1 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	n, ctx := checkJSONL(t, out, false)
	if n == 0 || ctx == 0 {
		t.Fatalf("%d finding(s), %d context record(s)", n, ctx)
	}
	files := 0
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var f map[string]any
		json.Unmarshal([]byte(line), &f)
		if f["type"] != "finding" {
			continue
		}
		if _, ok := f["context"]; ok {
			t.Errorf("%s: full context inline without --inline-context", f["rule"])
		}
		if f["campaigns"] != nil && (f["attribution"] == nil || strings.Contains(f["attribution"].(string), "\n")) {
			t.Errorf("%s: campaigns %v but no one-line attribution: %v", f["rule"], f["campaigns"], f["attribution"])
		}
		if f["kind"] == "file" {
			files++
			if f["timestamp"] == nil || f["timestamp"] != f["mtime"] || f["timestamp_kind"] != "mtime" {
				t.Errorf("%s: file finding timestamp %v (%v), mtime %v", f["rule"], f["timestamp"], f["timestamp_kind"], f["mtime"])
			}
		}
	}
	if files == 0 {
		t.Error("no file finding on the demo host")
	}

	code, full, _ := run(t, "scan", "--root", demoRoot, "--format", "jsonl", "-q", "--inline-context")
	if code != 1 {
		t.Fatalf("--inline-context: exit %d", code)
	}
	m, ctx := checkJSONL(t, full, true)
	if m != n || ctx != 0 {
		t.Errorf("--inline-context: %d finding(s) (want %d), %d context record(s) (want 0)", m, n, ctx)
	}
	if !strings.Contains(full, `"context":[{"id":"proxylogon"`) || !strings.Contains(full, `"description":`) {
		t.Error("--inline-context: no inline context or reason descriptions")
	}
}

func TestJSONLSchemaRejects(t *testing.T) {
	schema, err := jsonlSchema()
	if err != nil {
		t.Fatal(err)
	}
	// A finding without a field every finding has, and one with an
	// unknown severity, are not valid.
	good, err := os.ReadFile("../../../testdata/golden/demo.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	var line string
	for _, l := range strings.Split(string(good), "\n") {
		if strings.HasPrefix(l, `{"type":"finding"`) {
			line = l
			break
		}
	}
	for _, bad := range []string{
		strings.Replace(line, `"client_ip":`, `"client_ipx":`, 1),
		strings.Replace(line, `"severity":"`, `"severity":"x`, 1),
		`{"type":"context","id":"x"}`,
	} {
		res, err := schema.Validate(gojsonschema.NewStringLoader(bad))
		if err != nil || res.Valid() {
			t.Errorf("accepted: %.200s (%v)", bad, err)
		}
	}
}
