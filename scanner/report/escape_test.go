package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"exscan/scanner/finding"
)

// hostile is attacker text: terminal escapes, a bidi override, invalid
// UTF-8, a formula, HTML.
const hostile = "=cmd|' /C calc'!A0\x1b[2J\x1b]0;pwned\x07<script>alert(1)</script>\u202egnp.exe\xff\xfe\r\nnext"

func hostileFinding() *finding.Finding {
	size := int64(3)
	f := &finding.Finding{
		Kind: finding.KindLog, Path: "/logs/" + hostile, Line: 3, ClientIP: hostile,
		Evidence: []finding.Evidence{{Name: "cs-uri-query", Value: hostile}},
		Reasons:  []finding.Reason{{Rule: "r1", Title: "t " + hostile, Severity: finding.High, Evidence: []finding.Evidence{{Name: "x", Value: hostile}}}},
		Size:     &size,
	}
	f.Finalize()
	return f
}

func TestTerminalEscapesControlAndInvalidBytes(t *testing.T) {
	got := Terminal(hostile)
	for _, bad := range []string{"\x1b", "\x07", "\r", "\n", "\u202e", "\xff"} {
		if strings.Contains(got, bad) {
			t.Errorf("Terminal output still holds %q: %q", bad, got)
		}
	}
	for _, want := range []string{`\x1b[2J`, `\x07`, `\u{202e}`, `\xff`, `\r\n`} {
		if !strings.Contains(got, want) {
			t.Errorf("Terminal output lacks visible escape %q: %q", want, got)
		}
	}
	if Terminal("plain text") != "plain text" {
		t.Error("plain text changed")
	}
}

func TestTextReportHasNoRawControlBytes(t *testing.T) {
	var buf bytes.Buffer
	w, _ := New("text", &buf)
	w.Start(Meta{Command: "logs"})
	w.Finding(hostileFinding())
	w.Finish(&finding.Summary{Findings: map[string]int64{"high": 1}})
	for i, c := range buf.Bytes() {
		if (c < 0x20 && c != '\n') || c == 0x7f {
			t.Fatalf("raw control byte 0x%02x at %d in text output", c, i)
		}
	}
	if !strings.Contains(buf.String(), `\x1b[2J`) {
		t.Error("escaped payload missing from the text report")
	}
}

func TestJSONLKeepsInvalidUTF8AsEscapes(t *testing.T) {
	var buf bytes.Buffer
	w, _ := New("jsonl", &buf)
	w.Start(Meta{})
	w.Finding(hostileFinding())
	w.Finish(&finding.Summary{})
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("want 2 lines, got %d", len(lines))
	}
	var f map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &f); err != nil {
		t.Fatalf("finding line is not JSON: %v", err)
	}
	if f["type"] != "finding" {
		t.Errorf("type = %v", f["type"])
	}
	ip := f["client_ip"].(string)
	if !strings.Contains(ip, `\xff\xfe`) || strings.ContainsRune(ip, '\uFFFD') {
		t.Errorf("invalid UTF-8 not kept as escapes: %q", ip)
	}
	if strings.Contains(lines[0], "<script>") {
		t.Error("HTML not escaped in JSON")
	}
	var s map[string]any
	json.Unmarshal([]byte(lines[1]), &s)
	if s["type"] != "summary" {
		t.Errorf("last line type = %v", s["type"])
	}
}

func TestCSVNeutralisesFormulas(t *testing.T) {
	if got := CSVCell("\tx"); strings.ContainsAny(got, "\t") {
		t.Errorf("CSVCell kept a raw tab: %q", got)
	}
	for _, in := range []string{"=1+1", "+1", "-1", "@SUM(A1)", " =x"} {
		if got := CSVCell(in); !strings.HasPrefix(got, "'") {
			t.Errorf("CSVCell(%q) = %q, want a leading quote", in, got)
		}
	}
	if CSVCell("plain") != "plain" {
		t.Error("plain cell changed")
	}
	var buf bytes.Buffer
	w, _ := New("csv", &buf)
	w.Start(Meta{})
	w.Finding(hostileFinding())
	w.Finish(&finding.Summary{})
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, cell := range rows[1] {
		if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
			t.Errorf("cell starts with a formula character: %q", cell)
		}
	}
}
