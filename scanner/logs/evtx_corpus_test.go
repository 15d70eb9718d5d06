package logs

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// evtxCorpus is the shared corpus of real .evtx files, beside the repository.
var evtxCorpus = filepath.Join("..", "..", "..", "shared", "corpus", "evtx")

// evtxRec is what the cross-check compares of a record.
type evtxRec struct{ id, computer string }

// readEVTX reads a whole .evtx file through Open.
func readEVTX(t *testing.T, path string) ([]evtxRec, Stats) {
	t.Helper()
	r, err := Open(path)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	defer r.Close()
	if r.Format() != FormatEVTX {
		t.Fatalf("%s: format %q", path, r.Format())
	}
	var out []evtxRec
	for {
		rec, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		id, _ := rec.Get("EventID")
		c, _, _ := rec.Std(StdComputer)
		out = append(out, evtxRec{id, c})
	}
	return out, r.Stats()
}

var (
	exportEvent = regexp.MustCompile(`^Event number\s*:`)
	exportID    = regexp.MustCompile(`^Event identifier\s*:.*\((\d+)\)`)
	exportComp  = regexp.MustCompile(`^Computer name\s*:\s*(.*)$`)
)

// evtxexport reads a file with libevtx's evtxexport (the allocated records).
func evtxexport(t *testing.T, bin, path string) ([]evtxRec, error) {
	out, err := exec.Command(bin, path).Output()
	var recs []evtxRec
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		l := sc.Text()
		switch {
		case exportEvent.MatchString(l):
			recs = append(recs, evtxRec{})
		case len(recs) > 0 && exportID.MatchString(l):
			recs[len(recs)-1].id = exportID.FindStringSubmatch(l)[1]
		case len(recs) > 0 && exportComp.MatchString(l):
			recs[len(recs)-1].computer = strings.TrimSpace(exportComp.FindStringSubmatch(l)[1])
		}
	}
	return recs, err
}

// TestEVTXCorpusCrossCheck reads every file of the shared EVTX corpus and
// compares record counts, event ids and computer names with libevtx's
// evtxexport (Debian's libevtx-utils, installed by scripts/deps.sh).
// Damaged files must read without error; where evtxexport fails on a
// file the count is not compared.
func TestEVTXCorpusCrossCheck(t *testing.T) {
	if _, err := os.Stat(evtxCorpus); err != nil {
		t.Skipf("EVTX corpus not available at %s: %v", evtxCorpus, err)
	}
	bin, err := exec.LookPath("evtxexport")
	if err != nil {
		t.Fatalf("evtxexport (libevtx-utils) is needed for the cross-check: %v", err)
	}
	var files, same, total int
	err = filepath.WalkDir(evtxCorpus, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".evtx" {
			return err
		}
		files++
		rel, _ := filepath.Rel(evtxCorpus, path)
		got, st := readEVTX(t, path)
		total += len(got)
		want, xerr := evtxexport(t, bin, path)
		if xerr != nil {
			t.Logf("%s: evtxexport failed (%v) after %d records; exscan read %d (damaged chunks %d)", rel, xerr, len(want), len(got), st.DamagedChunks)
			return nil
		}
		if len(got) != len(want) {
			// a damaged file may differ where the two parsers give up on
			// a broken record chain; exscan must have counted the damage
			if strings.HasPrefix(filepath.ToSlash(rel), "damaged/") && st.DamagedChunks > 0 {
				t.Logf("%s: %d records, evtxexport %d; %d damaged chunks counted", rel, len(got), len(want), st.DamagedChunks)
				return nil
			}
			t.Errorf("%s: %d records, evtxexport %d (stats %+v)", rel, len(got), len(want), st)
			return nil
		}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("%s: record %d is %+v, evtxexport %+v", rel, i, got[i], want[i])
				return nil
			}
		}
		same++
		return nil
	})
	if err != nil && !errors.Is(err, fs.SkipAll) {
		t.Fatal(err)
	}
	t.Logf("%d files, %d records; %d files equal to evtxexport in count, event ids and computer names", files, total, same)
	if files == 0 {
		t.Fatal("no .evtx files in the corpus")
	}
}
