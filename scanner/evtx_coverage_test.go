package scanner

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"exscan/internal/evtxtest"
	"exscan/scanner/finding"
)

// coverageLines is the summary's coverage as "family files records
// earliest latest" lines, sorted.
func coverageLines(cov []finding.Coverage) []string {
	var out []string
	for _, c := range cov {
		out = append(out, fmt.Sprintf("%s %d %d %s %s", c.Family, c.Files, c.Records, c.Earliest, c.Latest))
	}
	slices.Sort(out)
	return out
}

// TestEVTXCoveragePerChannel: an event log holding the records of several
// channels (a forwarded-events log, an export) gives each channel its own
// coverage, from its own records' times, whatever channel comes last.
func TestEVTXCoveragePerChannel(t *testing.T) {
	t0 := time.Date(2021, 3, 1, 0, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	rec := func(ch string, d time.Duration) evtxtest.Record {
		return evtxtest.Record{Channel: ch, Provider: "P", EventID: "1", Computer: "EXCH01", Time: t0.Add(d)}
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "ForwardedEvents.evtx"), evtxtest.File(
		rec("Security", 2*day), rec("System", 0), rec("Security", 5*day), rec("System", 40*day), rec("Security", 3*day)), 0o644)
	os.WriteFile(filepath.Join(dir, "System.evtx"), evtxtest.File(rec("System", 50*day)), 0o644)
	_, sum := scanLogs(t, dir)
	got := strings.Join(coverageLines(sum.Coverage), "\n")
	want := strings.Join([]string{
		"evtx/Security 1 3 2021-03-03T00:00:00Z 2021-03-06T00:00:00Z",
		"evtx/System 2 3 2021-03-01T00:00:00Z 2021-04-20T00:00:00Z",
	}, "\n")
	if got != want {
		t.Errorf("coverage:\n%s\nwant:\n%s", got, want)
	}
}

// TestEVTXCoveragePerChannelCorpus: a real log holding a Security 1102 and
// 90 System events gets coverage for both channels.
func TestEVTXCoveragePerChannelCorpus(t *testing.T) {
	path := filepath.Join(evtxCorpus, "log-cleared", "mdecrevoisier__EVTX-to-MITRE-Attack", "TA0005-Defense Evasion", "T1070.001-Clear Windows event logs", "ID104-1102-Event log cleared.evtx")
	if _, err := os.Stat(path); err != nil {
		t.Skipf("EVTX corpus not available: %v", err)
	}
	_, sum := scanLogs(t, path)
	recs := map[string]int64{}
	for _, c := range sum.Coverage {
		recs[c.Family] = c.Records
		if c.Files != 1 || c.Earliest == "" || c.Latest == "" {
			t.Errorf("coverage %+v", c)
		}
	}
	if len(recs) != 2 || recs["evtx/Security"] != 1 || recs["evtx/System"] != 90 {
		t.Errorf("coverage records by family %v, want evtx/Security 1, evtx/System 90", recs)
	}
}
