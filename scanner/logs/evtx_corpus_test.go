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
	"strconv"
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

// evtxexport reads a file with libevtx's evtxexport (the allocated records;
// with mode "all" the recovered ones too).
func evtxexport(t *testing.T, bin, path, mode string) ([]evtxRec, error) {
	out, err := exec.Command(bin, "-m", mode, path).Output()
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

// pythonEVTXCount is the number of records python-evtx (Debian's
// python3-evtx) walks in a file, rendered or not: the independent count
// for the files evtxexport gives up on.
const pythonEVTXCount = `
import sys
import Evtx.Evtx as E
with E.Evtx(sys.argv[1]) as log:
    print(sum(1 for c in log.chunks() for r in c.records()))
`

func pythonEVTX(path string) (int, error) {
	out, err := exec.Command("/usr/bin/python3", "-c", pythonEVTXCount, path).Output()
	if err != nil {
		return 0, err
	}
	return strconv.Atoi(strings.TrimSpace(string(out)))
}

// sameRecords reports whether a and b hold the same records in any order.
func sameRecords(a, b []evtxRec) bool {
	if len(a) != len(b) {
		return false
	}
	n := map[evtxRec]int{}
	for i := range a {
		n[a[i]]++
		n[b[i]]--
	}
	for _, c := range n {
		if c != 0 {
			return false
		}
	}
	return true
}

// subsequence reports whether every element of sub is in all, in order.
func subsequence(sub, all []evtxRec) bool {
	i := 0
	for _, r := range all {
		if i < len(sub) && r == sub[i] {
			i++
		}
	}
	return i == len(sub)
}

// TestEVTXCorpusCrossCheck reads every file of the shared EVTX corpus and
// compares record counts, event ids and computer names with libevtx's
// evtxexport (Debian's libevtx-utils, installed by scripts/deps.sh). Where
// evtxexport fails on a file, the count is compared with python-evtx's.
// A damaged file where the allocated records differ must equal
// evtxexport's allocated and recovered records, or hold every record
// evtxexport reads (exscan resumes after a damaged record where evtxexport
// stops) and count the damage.
func TestEVTXCorpusCrossCheck(t *testing.T) {
	if _, err := os.Stat(evtxCorpus); err != nil {
		t.Skipf("EVTX corpus not available at %s: %v", evtxCorpus, err)
	}
	bin, err := exec.LookPath("evtxexport")
	if err != nil {
		t.Fatalf("evtxexport (libevtx-utils) is needed for the cross-check: %v", err)
	}
	if err := exec.Command("/usr/bin/python3", "-c", "import Evtx").Run(); err != nil {
		t.Fatalf("python3-evtx is needed for the cross-check: %v", err)
	}
	var files, same, python, total int
	err = filepath.WalkDir(evtxCorpus, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".evtx" {
			return err
		}
		files++
		rel, _ := filepath.Rel(evtxCorpus, path)
		got, st := readEVTX(t, path)
		total += len(got)
		want, xerr := evtxexport(t, bin, path, "items")
		if xerr != nil {
			n, perr := pythonEVTX(path)
			if perr != nil {
				t.Errorf("%s: evtxexport (%v) and python-evtx (%v) both fail", rel, xerr, perr)
			} else if n != len(got) {
				t.Errorf("%s: %d records, python-evtx %d (evtxexport failed: %v)", rel, len(got), n, xerr)
			} else {
				python++
				t.Logf("%s: %d records, as python-evtx (evtxexport fails: %v)", rel, len(got), xerr)
			}
			return nil
		}
		if len(got) != len(want) && strings.HasPrefix(filepath.ToSlash(rel), "damaged/") {
			if st.DamagedChunks == 0 {
				t.Errorf("%s: %d records, evtxexport %d, and no damage counted", rel, len(got), len(want))
				return nil
			}
			all, _ := evtxexport(t, bin, path, "all")
			switch {
			case sameRecords(all, got):
				// evtxexport lists its recovered records last
				t.Logf("%s: %d records, as evtxexport's allocated and recovered ones; %d damaged records", rel, len(got), st.Malformed)
				same++
				return nil
			case subsequence(want, got):
				t.Logf("%s: %d records, evtxexport %d (%d with recovered ones), all of evtxexport's among them; %d damaged records, %d damaged chunks",
					rel, len(got), len(want), len(all), st.Malformed, st.DamagedChunks)
				return nil
			default:
				t.Errorf("%s: %d records, evtxexport %d (%d with recovered), not all of evtxexport's among them", rel, len(got), len(want), len(all))
				return nil
			}
		}
		if len(got) != len(want) {
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
	t.Logf("%d files, %d records; %d files equal to evtxexport in count, event ids and computer names, %d to python-evtx in count", files, total, same, python)
	if files == 0 {
		t.Fatal("no .evtx files in the corpus")
	}
}
