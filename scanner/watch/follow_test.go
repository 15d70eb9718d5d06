package watch

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"exscan/internal/evtxtest"
	"exscan/scanner/logs"
)

// utf16LE encodes s as UTF-16LE, with a byte order mark when bom.
func utf16LE(s string, bom bool) []byte {
	units := utf16.Encode([]rune(s))
	if bom {
		units = append([]uint16{0xfeff}, units...)
	}
	out := make([]byte, 0, 2*len(units))
	for _, u := range units {
		out = append(out, byte(u), byte(u>>8))
	}
	return out
}

func appendBytes(t *testing.T, path string, b []byte) {
	t.Helper()
	appendFile(t, path, string(b))
}

// TestFollowUTF16: a UTF-16 IIS log is followed like any other: appended
// lines are parsed by the header's names, a line written in two parts
// split inside a character waits for its end, line numbers are the
// file's own, each record is read once and counted.
func TestFollowUTF16(t *testing.T) {
	h := newHarness(t)
	dir := h.path("W3SVC1")
	mkdir(t, dir)
	p := filepath.Join(dir, "u_ex250101.log")
	appendBytes(t, p, utf16LE(iisHead("2025-01-01")+iisAttack("OLD")+iisBenign("b0"), true))
	r := h.start(h.config(Root{Path: dir, Kind: Auto}))
	appendBytes(t, p, utf16LE(iisBenign("b1")+iisAttack("U1")+iisAttack("U2"), false))
	split := utf16LE(iisAttack("SPLIT"), false)
	appendBytes(t, p, split[:51]) // odd: inside a code unit
	h.expect("U1", "U2")
	appendBytes(t, p, split[51:])
	h.expect("U1", "U2", "SPLIT")
	r.stop(t)
	want := map[string]int{"U1": 8, "U2": 9, "SPLIT": 10}
	for _, x := range h.hits() {
		if x.Line != want[x.id()] {
			t.Errorf("%s: line %d, want %d", x.id(), x.Line, want[x.id()])
		}
	}
	// b1, U1, U2, SPLIT: each read once, none of the baseline.
	if n := r.chk.records.Load(); n != 4 {
		t.Errorf("%d records checked, want 4", n)
	}
	c := r.w.Counts()
	if c.Records["iis"] != 4 || c.Families["iis/W3SVC1"].Records != 4 || c.Families["iis/W3SVC1"].Files != 1 {
		t.Errorf("counts %+v", c)
	}
}

// TestFollowEVTX: a Windows event log that grows (new records in its
// current chunk, new chunks, a chunk half written, then complete) has
// each new record reported exactly once, none of those there at start;
// after a restart, only what was added while stopped.
func TestFollowEVTX(t *testing.T) {
	g, err := evtxtest.Load(filepath.Join("..", "..", "..", "shared", "corpus", "evtx", "benign", "Velocidex__evtx", "testdata", "Security.evtx"))
	if err != nil {
		t.Skipf("the shared EVTX corpus is not here (%v)", err)
	}
	if g.Chunks < 4 {
		t.Skipf("the sample has %d chunks, the test needs 4", g.Chunks)
	}
	stages, err := g.Stages(3)
	if err != nil {
		t.Fatal(err)
	}
	whole := g.File(g.Chunk(0), g.Chunk(1), g.Chunk(2), g.Chunk(3))
	ids := recordIDs(t, whole)
	h := newHarness(t)
	dir := h.path("winevt", "Logs")
	mkdir(t, dir)
	p := filepath.Join(dir, "Security.evtx")
	writeAt(t, p, stages[0])
	r := h.start(h.config(Root{Path: dir, Kind: Auto}))
	var want []string
	reported := func(n int) []string {
		want = nil
		for _, id := range ids[3:n] {
			want = append(want, "E"+strconv.Itoa(id))
		}
		return want
	}
	// 3 records there at start, not reported; then 10 in the first
	// chunk, the whole chunk, two chunks.
	var n int
	for _, st := range stages[1:4] {
		writeAt(t, p, st)
		n = len(recordIDs(t, st))
		h.expect(reported(n)...)
	}
	// A chunk half written is not read; once complete it is.
	writeAt(t, p, stages[4])
	h.expect(reported(n)...)
	writeAt(t, p, stages[5])
	n = len(recordIDs(t, stages[5]))
	h.expect(reported(n)...)
	r.stop(t)
	if got := r.chk.records.Load(); got != int64(n-3) {
		t.Errorf("%d records checked, want %d: each new record once", got, n-3)
	}

	// Restarted: the chunk added while stopped, only it.
	writeAt(t, p, whole)
	r = h.start(h.config(Root{Path: dir, Kind: Auto}))
	h.expect(reported(len(ids))...)
	r.stop(t)
	if got := r.chk.records.Load(); got != int64(len(ids)-n) {
		t.Errorf("after the restart: %d records checked, want %d", got, len(ids)-n)
	}
}

// writeAt writes data over the start of the file at path (created if
// needed), without truncating it, as the event log service does.
func writeAt(t *testing.T, path string, data []byte) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt(data, 0); err != nil {
		t.Fatal(err)
	}
}

// recordIDs returns the EventRecordIDs of an event log, in order.
func recordIDs(t *testing.T, data []byte) []int {
	t.Helper()
	rd, err := logs.NewReader(strings.NewReader(string(data)), "Security.evtx")
	if err != nil {
		t.Fatal(err)
	}
	var out []int
	for {
		rec, err := rd.Next()
		if err != nil {
			break
		}
		v, _ := rec.Get("EventRecordID")
		id, err := strconv.Atoi(v)
		if err != nil {
			t.Fatalf("record id %q", v)
		}
		out = append(out, id)
	}
	return out
}

// filteredChecker is the fake checker with a line prefilter: lines
// without "y.js" are ruled out.
type filteredChecker struct{ *fakeChecker }

func (c filteredChecker) RecordChecks(path, win string) logs.RecordChecks {
	return filteredChecks{c: c.fakeChecker, path: path, win: win}
}

type filteredChecks struct {
	c         *fakeChecker
	path, win string
}

func (f filteredChecks) Filter(logs.Format) func([]byte) (bool, uint64) {
	return func(line []byte) (bool, uint64) { return strings.Contains(string(line), "y.js"), logs.NoHint }
}

func (f filteredChecks) Check(rec *logs.Record) error {
	f.c.CheckRecord(f.path, f.win, rec)
	return nil
}

// TestFollowPrefilter: with a Checker that has a line prefilter, lines it
// rules out are not checked (but counted as records), as in `exscan scan`.
func TestFollowPrefilter(t *testing.T) {
	h := newHarness(t)
	dir := h.path("W3SVC1")
	mkdir(t, dir)
	p := filepath.Join(dir, "u_ex250101.log")
	appendFile(t, p, iisHead("2025-01-01"))
	r := h.startWith(h.config(Root{Path: dir, Kind: Logs}), func(c *fakeChecker) Checker { return filteredChecker{c} })
	var b strings.Builder
	for i := 0; i < 20; i++ {
		b.WriteString(iisBenign(fmt.Sprint("b", i)))
	}
	b.WriteString(iisAttack("F1"))
	appendFile(t, p, b.String())
	h.expect("F1")
	r.stop(t)
	if n := r.chk.records.Load(); n != 1 {
		t.Errorf("%d records checked, want 1 (the others ruled out by the prefilter)", n)
	}
	if c := r.w.Counts(); c.Records["iis"] != 21 {
		t.Errorf("%d records counted, want 21", c.Records["iis"])
	}
}

// TestQuietEVTX: an event log quiet long enough to move to FILE.files
// keeps its checkpoint there (chunk and record id): after a restart, only
// the records added since are read.
func TestQuietEVTX(t *testing.T) {
	g, err := evtxtest.Load(filepath.Join("..", "..", "..", "shared", "corpus", "evtx", "benign", "Velocidex__evtx", "testdata", "Security.evtx"))
	if err != nil {
		t.Skipf("the shared EVTX corpus is not here (%v)", err)
	}
	if g.Chunks < 2 {
		t.Skipf("the sample has %d chunks, the test needs 2", g.Chunks)
	}
	h := newHarness(t)
	dir := h.path("Logs")
	mkdir(t, dir)
	p := filepath.Join(dir, "Security.evtx")
	one, two := g.File(g.Chunk(0)), g.File(g.Chunk(0), g.Chunk(1))
	writeAt(t, p, one)
	cfg := h.config(Root{Path: dir, Kind: Logs})
	cfg.FromStart = true
	cfg.coldAfter, cfg.coldEvery = 200*time.Millisecond, 100*time.Millisecond
	r := h.start(cfg)
	var cold filesState
	waitFor(t, patience, "the event log to move to FILE.files", func() bool {
		cold = filesState{}
		loadJSON(h.state+".files", &cold)
		return len(cold.Logs) == 1
	})
	r.stop(t)
	if l := cold.Logs[0]; !l.LineKnown || l.Record == 0 || l.Offset < 4096 {
		t.Fatalf("FILE.files has %+v, want the checkpoint", l)
	}
	first := r.chk.records.Load()
	writeAt(t, p, two)
	r = h.start(cfg)
	ids := recordIDs(t, two)
	var want []string
	for _, id := range ids {
		want = append(want, "E"+strconv.Itoa(id))
	}
	h.expect(want...)
	r.stop(t)
	if got := first + r.chk.records.Load(); got != int64(len(ids)) {
		t.Errorf("%d records checked in the two runs, want %d", got, len(ids))
	}
}
