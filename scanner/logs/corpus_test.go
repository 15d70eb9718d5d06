package logs

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// corpusDir is the shared corpus of real logs, beside the repository.
var corpusDir = filepath.Join("..", "..", "..", "shared", "corpus", "logs")

var iisName = regexp.MustCompile(`^(u_)?ex\d+\.log$`)

// TestCorpus reads every file of the shared log corpus. The only
// documented error is ErrUnknownFormat, for files that are not logs
// (the corpus manifest).
func TestCorpus(t *testing.T) {
	if _, err := os.Stat(corpusDir); err != nil {
		t.Skipf("log corpus not available at %s: %v", corpusDir, err)
	}
	var files, recs, malformed int64
	formats := map[Format]int{}
	err := filepath.WalkDir(corpusDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		files++
		rel, _ := filepath.Rel(corpusDir, path)
		r := readFile(t, path)
		if r.err != nil {
			if errors.Is(r.err, ErrUnknownFormat) && filepath.Ext(path) == ".csv" {
				return nil
			}
			t.Errorf("%s: %v", rel, r.err)
			return nil
		}
		formats[r.format]++
		recs += int64(len(r.recs))
		malformed += r.stats.Malformed
		base := filepath.Base(path)
		isIIS := iisName.MatchString(base) || base == "iis.log" || strings.Contains(base, "hafnium")
		if isIIS {
			if r.format != FormatIIS || len(r.recs) == 0 {
				t.Errorf("%s: format %q, %d records (%+v)", rel, r.format, len(r.recs), r.stats)
			}
			for _, rec := range r.recs {
				if rec.Time.IsZero() {
					t.Errorf("%s:%d: no time", rel, rec.Line)
				}
			}
		}
		if strings.Contains(rel, "W3SVC") && !strings.HasPrefix(r.family, "iis/W3SVC") {
			t.Errorf("%s: family %q", rel, r.family)
		}
		switch {
		case strings.HasSuffix(rel, "hafnium-dummy.log"):
			if len(r.recs) != 1 {
				t.Fatalf("%s: %d records", rel, len(r.recs))
			}
			rec := r.recs[0]
			if got := get(t, rec, "cs-uri-stem"); got != "/autodiscover/autodiscover.json" {
				t.Errorf("%s: cs-uri-stem = %q", rel, got)
			}
			if got := get(t, rec, "cs-uri-query"); !strings.Contains(got, "X-Rps-CAT=") {
				t.Errorf("%s: cs-uri-query = %q", rel, got)
			}
			if got := get(t, rec, "c-useragent"); got != "Python+PSRP+Client" {
				t.Errorf("%s: c-useragent = %q", rel, got)
			}
		case strings.HasSuffix(rel, filepath.Join("csv", "iis.log")):
			if len(r.recs) != 4 {
				t.Fatalf("%s: %d records", rel, len(r.recs))
			}
			rec := r.recs[2]
			if get(t, rec, "cs-uri-stem") != "/autodiscover/autodiscover.json" || !strings.Contains(get(t, rec, "c-uri"), "autodiscover.json%3F@evil.corp") {
				t.Errorf("%s: ProxyShell line: %v", rel, rec.Values)
			}
		case strings.HasSuffix(rel, filepath.Join("csv", "exchange.log")):
			if r.format != FormatExchange || r.family != "exchange/Message Tracking Log" || len(r.recs) != 2 {
				t.Errorf("%s: %q %q, %d records", rel, r.format, r.family, len(r.recs))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d files, %d records, %d malformed lines, formats %v", files, recs, malformed, formats)
	if files > 0 && malformed*1000 > recs {
		t.Errorf("%d malformed lines for %d records", malformed, recs)
	}
}
