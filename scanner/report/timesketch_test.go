package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"exscan/scanner/finding"
)

func TestTimesketchEvents(t *testing.T) {
	evil := hostileFinding()
	evil.Timestamp = ""
	fs := append(fixtureFindings(), evil)
	out := render(t, "timesketch", fixtureMeta("scan"), fs, fixtureSummary())
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(lines) != len(fs)+1 {
		t.Fatalf("%d lines, want %d events and the scan event", len(lines), len(fs)+1)
	}
	descs := map[string]int{}
	for i, l := range lines {
		var e map[string]any
		if err := json.Unmarshal([]byte(l), &e); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		msg, _ := e["message"].(string)
		dt, _ := e["datetime"].(string)
		desc, _ := e["timestamp_desc"].(string)
		if msg == "" || desc == "" {
			t.Errorf("line %d lacks message or timestamp_desc: %s", i+1, l)
		}
		when, err := time.Parse(time.RFC3339Nano, dt)
		if err != nil {
			t.Errorf("line %d: datetime %q is not ISO 8601: %v", i+1, dt, err)
		}
		if ts, _ := e["timestamp"].(float64); int64(ts) != when.UnixMicro() {
			t.Errorf("line %d: timestamp %v does not match datetime %s", i+1, e["timestamp"], dt)
		}
		descs[desc]++
		for _, c := range msg {
			if c < 0x20 || c == 0x7f || c == '\u202e' {
				t.Errorf("line %d: control character %U in message", i+1, c)
			}
		}
	}
	want := map[string]int{tsDescLog: 3, tsDescFile: 1, tsDescNone: 2, tsDescScan: 1}
	for k, n := range want {
		if descs[k] != n {
			t.Errorf("%d events with %q, want %d (all: %v)", descs[k], k, n, descs)
		}
	}
	var first map[string]any
	json.Unmarshal([]byte(lines[0]), &first)
	if first["datetime"] != "2021-03-03T03:10:00.000000+00:00" || first["timestamp_desc"] != tsDescFile || first["campaigns"] != "proxylogon" ||
		first["sha256"] != "b20f275eec5a46bbbd9929b49eae15d658c0fcd336acf7e7498a3c1bb12c63d6" || first["data_type"] != "exscan:finding:file" {
		t.Errorf("webshell event: %v", first)
	}
	var noTime map[string]any
	json.Unmarshal([]byte(lines[len(lines)-2]), &noTime)
	if noTime["datetime"] != "2025-02-03T09:30:00.000000+00:00" || noTime["timestamp_desc"] != tsDescNone {
		t.Errorf("event without a time: %v", noTime)
	}
	if ip, _ := noTime["client_ip"].(string); !strings.Contains(ip, `\xff\xfe`) {
		t.Errorf("invalid UTF-8 not kept as escapes: %q", ip)
	}
	if bytes.Contains(out, []byte("<script>")) {
		t.Error("HTML not escaped")
	}
	var scan map[string]any
	json.Unmarshal([]byte(lines[len(lines)-1]), &scan)
	if scan["data_type"] != "exscan:scan" || scan["verdict"] != VerdictCompromised {
		t.Errorf("scan event: %v", scan)
	}
}

func TestTimesketchStreamHasNoScanEvent(t *testing.T) {
	m := fixtureMeta("watch")
	m.Stream = true
	out := render(t, "timesketch", m, fixtureFindings()[:1], &finding.Summary{})
	if n := bytes.Count(out, []byte("\n")); n != 1 {
		t.Errorf("watch mode wrote %d lines, want the one finding", n)
	}
}
