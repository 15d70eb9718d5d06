package report

import (
	"bytes"
	"testing"

	"exscan/scanner/finding"
)

// Every format's declared extensions lead back to it, no extension is
// claimed twice, and a streaming writer writes a finding before Finish.
func TestFormatRegistry(t *testing.T) {
	claimed := map[string]string{}
	for _, f := range Formats() {
		for _, ext := range f.Extensions {
			if other, dup := claimed[ext]; dup {
				t.Errorf("%s claimed by %s and %s", ext, other, f.Name)
			}
			claimed[ext] = f.Name
			if got := ForFile("report" + ext); got != f.Name {
				t.Errorf("ForFile(report%s) = %s, want %s", ext, got, f.Name)
			}
		}
		if g, ok := Lookup(f.Name); !ok || g.Name != f.Name {
			t.Errorf("Lookup(%s) = %v, %v", f.Name, g.Name, ok)
		}
		if !f.Stream {
			continue
		}
		var buf bytes.Buffer
		w := f.New(&buf)
		fd := finding.Finding{Kind: finding.KindLog, Path: "u_ex.log", Line: 1, Reasons: []finding.Reason{{Rule: "r", Title: "t", Severity: finding.High}}}
		fd.Finalize()
		if err := w.Start(Meta{Command: "watch", Stream: true}); err != nil {
			t.Fatal(err)
		}
		before := buf.Len()
		if err := w.Finding(&fd); err != nil {
			t.Fatal(err)
		}
		if buf.Len() == before {
			t.Errorf("%s declares Stream but wrote nothing for a finding before Finish", f.Name)
		}
	}
	if got := ForFile("report.unknown"); got != fallback {
		t.Errorf("unknown extension: %s, want %s", got, fallback)
	}
	if len(Streaming()) == 0 || len(Streaming()) == len(Formats()) {
		t.Errorf("streaming formats %v: want some, not all (whole-document formats exist)", Streaming())
	}
}
