package main

import (
	"strings"
	"testing"
)

func findings() []record {
	return []record{
		{"type": "finding", "severity": "critical", "rule": "r1", "title": "t1", "kind": "file", "path": "/a", "fingerprint": "fp1",
			"campaigns": []any{"proxylogon"}, "context": []any{map[string]any{"name": "ProxyLogon"}, map[string]any{"name": "ProxyShell"}}},
		{"type": "finding", "severity": "high", "rule": "r2", "title": "t2", "kind": "log", "path": "/l", "line": float64(7),
			"client_ip": "192.0.2.1", "fingerprint": "fp2", "attribution": "publicly associated with X"},
	}
}

// rows are the Findings rows the artifact returns for findings().
func rows() []record {
	var out []record
	for _, f := range findings() {
		r := expectedRow(f)
		r["Run"] = "scan"
		r["_Finding"] = map[string]any(f)
		out = append(out, r)
	}
	return out
}

func TestCompareFindings(t *testing.T) {
	if p := compareFindings(findings(), rows(), "scan"); len(p) != 0 {
		t.Fatalf("equal rows reported as different: %v", p)
	}
	if got := expectedRow(findings()[0])["Attribution"]; got != "ProxyLogon; ProxyShell" {
		t.Errorf("attribution from inline context: %q", got)
	}
	if got := expectedRow(findings()[1])["Attribution"]; got != "publicly associated with X" {
		t.Errorf("attribution field: %q", got)
	}
	cases := map[string]func([]record) []record{
		"no row":         func(r []record) []record { return r[1:] },
		"Line is":        func(r []record) []record { r[1]["Line"] = float64(8); return r },
		"Severity is":    func(r []record) []record { r[0]["Severity"] = "low"; return r },
		"Attribution is": func(r []record) []record { r[1]["Attribution"] = nil; return r },
		"in two rows":    func(r []record) []record { return append(r, r[0]) },
		"is not one of": func(r []record) []record {
			x := expectedRow(findings()[0])
			x["Fingerprint"] = "fp9"
			return append(r, x)
		},
		"Run is": func(r []record) []record { r[0]["Run"] = "files"; return r },
	}
	for want, mutate := range cases {
		p := compareFindings(findings(), mutate(rows()), "scan")
		if !strings.Contains(strings.Join(p, "\n"), want) {
			t.Errorf("mutation %q: problems %v", want, p)
		}
	}
}

func TestCompleteRecordsIgnoresAPartialLastLine(t *testing.T) {
	got := completeRecords([]byte("{\"Fingerprint\":\"a\"}\n{\"Fingerprint\":\"b\"}\n{\"Finger"))
	if len(got) != 2 || str(got[1], "Fingerprint") != "b" {
		t.Errorf("got %v", got)
	}
}
