package rules

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"exscan/scanner/logs"
)

// TestSigmaHQExchangeRulesOnEvents: SigmaHQ's MSExchange Management rules
// (unmodified copies in ../shared/research) load through the user-rule
// path and fire on the event fixtures of the attacks they describe, and
// not on the near misses.
func TestSigmaHQExchangeRulesOnEvents(t *testing.T) {
	dir := filepath.Join("..", "..", "shared", "research", "data", "sigmahq-sigma", "rules", "rules", "windows", "builtin", "msexchange")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("SigmaHQ rules not available at %s: %v", dir, err)
	}
	s, errs := LoadSigma(false, []string{dir})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	want := map[string][]string{
		"Set-OabVirtualDirectory ExternalUrl with script (after Volexity)": {
			"550d3350-bb8a-4ff3-9533-2ba533f4a1c0", "9db37458-4df2-46a5-95ab-307e7f29e675"},
		"New-MailboxExportRequest to aspnet_client as .aspx (after Mandiant)": {"516376b4-05cd-4122-bae0-ad7641c38d48"},
		"New-ExchangeCertificate request written to owa\\auth (after ZDI)":    {"b7bc7038-638b-4ffd-880c-292c692209ef"},
		"Mailbox Import Export role assigned (after Mandiant)":                {"516376b4-05cd-4122-bae0-ad7641c38d48"},
		"Mailbox export request removed":                                      {"09570ae5-889e-43ea-aac0-0e1221fb3d95"},
	}
	seen := 0
	for _, c := range loadEventCases(t) {
		got := ruleIDs(s.Match(c.rec))
		w := want[c.Name]
		slices.Sort(w)
		if w != nil {
			seen++
		}
		// SigmaHQ's export rule takes any UNC FilePath, so the file-share
		// near miss is one of its hits
		if c.Name == "New-MailboxExportRequest to a file share (near miss)" {
			w = []string{"516376b4-05cd-4122-bae0-ad7641c38d48"}
		}
		if !slices.Equal(got, w) {
			t.Errorf("%s: SigmaHQ rules %v, want %v", c.Name, got, w)
		}
	}
	if seen != len(want) {
		t.Errorf("%d of %d fixtures found", seen, len(want))
	}
}

// TestEventCasesShapedLikeReader: the event fixtures use the field names
// the EVTX reader gives real records of the same channel and event id
// (read from the shared corpus), so rules tested on fixtures see the same
// fields on real logs.
func TestEventCasesShapedLikeReader(t *testing.T) {
	corpus := filepath.Join("..", "..", "shared", "corpus", "evtx")
	if _, err := os.Stat(corpus); err != nil {
		t.Skipf("EVTX corpus not available at %s: %v", corpus, err)
	}
	type key struct{ channel, id string }
	real := map[key]map[string]bool{}
	filepath.WalkDir(corpus, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) != ".evtx" {
			return err
		}
		r, err := logs.Open(p)
		if err != nil {
			t.Errorf("%s: %v", p, err)
			return nil
		}
		defer r.Close()
		for {
			rec, err := r.Next()
			if err != nil {
				break
			}
			if _, unrendered := rec.Get("Strings"); unrendered {
				continue // only its text was kept, not its field names
			}
			ch, _ := rec.Get("Channel")
			id, _ := rec.Get("EventID")
			k := key{ch, id}
			if real[k] == nil {
				real[k] = map[string]bool{}
			}
			for _, n := range rec.Names {
				real[k][n] = true
			}
		}
		return nil
	})
	checked := 0
	for _, c := range loadEventCases(t) {
		ch, _ := c.rec.Get("Channel")
		id, _ := c.rec.Get("EventID")
		names := real[key{ch, id}]
		if names == nil {
			continue // no real sample of this event in the corpus
		}
		checked++
		for _, n := range c.rec.Names {
			if !names[n] {
				t.Errorf("%s: field %q is not a field of real %s %s records", c.Name, n, ch, id)
			}
		}
	}
	if checked < 10 {
		t.Errorf("only %d fixtures have a real counterpart", checked)
	}
	t.Logf("%d event fixtures checked against real records", checked)
}
