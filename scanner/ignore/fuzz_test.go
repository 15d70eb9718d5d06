package ignore

import (
	"os"
	"strings"
	"testing"
	"time"

	"exscan/scanner/finding"
)

// FuzzParse: any ignore file either loads or gives an error that names the
// file; a loaded list never panics when matching.
func FuzzParse(f *testing.F) {
	for _, p := range []string{"../../testdata/ignore/example.yml", "../../testdata/ignore/malformed.yml"} {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("- fingerprint: abc\n  reason: x\n"))
	f.Add([]byte("- rule: exscan.*\n  path: '**/owa/auth/*.aspx'\n  reason: r\n  expires: 2020-01-01\n"))
	f.Add([]byte("[[[\n"))
	fin := &finding.Finding{Kind: finding.KindFile, Rule: "exscan.x", Path: `C:\inetpub\wwwroot\a.aspx`, Fingerprint: "abc", ClientIP: "10.0.0.1"}
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := Parse("fuzz.yml", data)
		if err != nil {
			if !strings.Contains(err.Error(), "fuzz.yml") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		l.Match(fin, time.Now())
		l.Expired(time.Now())
		l.Unused()
		if l.Len() != len(l.Entries()) {
			t.Fatalf("Len %d != %d entries", l.Len(), len(l.Entries()))
		}
	})
}
