package logs

import (
	"bytes"
	"path/filepath"
	"reflect"
	"strconv"
	"testing"

	"exscan/internal/evtxtest"
)

// evtxGrowSample is a real multi-chunk event log from the shared corpus.
var evtxGrowSample = filepath.Join(evtxCorpus, "benign", "Velocidex__evtx", "testdata", "Security.evtx")

func evtxIDs(t *testing.T, rd *Reader) []int {
	t.Helper()
	var out []int
	for {
		rec, err := rd.Next()
		if err != nil {
			break
		}
		id, _ := rec.Get("EventRecordID")
		n, err := strconv.Atoi(id)
		if err != nil {
			t.Fatalf("record id %q", id)
		}
		out = append(out, n)
	}
	return out
}

// TestEVTXResumeGrowing: an event log read at each stage of its growth
// (new records in the current chunk, new chunks, a chunk half written),
// each time from the checkpoint of the last read, gives every record of
// one whole read exactly once, in order.
func TestEVTXResumeGrowing(t *testing.T) {
	g, err := evtxtest.Load(evtxGrowSample)
	if err != nil {
		t.Skipf("the shared EVTX corpus is not here (%v)", err)
	}
	stages, err := g.Stages(min(g.Chunks, 4))
	if err != nil {
		t.Skip(err)
	}
	whole := stages[len(stages)-1]
	rd, err := NewReader(bytes.NewReader(whole), "Security.evtx")
	if err != nil {
		t.Fatal(err)
	}
	want := evtxIDs(t, rd)
	if len(want) < 20 {
		t.Fatalf("%d records in the whole read", len(want))
	}
	var got []int
	var cp Checkpoint
	for i, data := range stages {
		rd, err := Resume(bytes.NewReader(data), int64(len(data)), "Security.evtx", cp, ResumeOptions{Tail: true})
		if err != nil {
			t.Fatalf("stage %d: %v", i, err)
		}
		ids := evtxIDs(t, rd)
		if i == 0 && len(ids) != 3 || i == 1 && len(ids) != 7 {
			t.Errorf("stage %d: %d new records %v", i, len(ids), ids)
		}
		if i == 4 && len(ids) != 0 {
			t.Errorf("stage 4: %d records read from a chunk half written", len(ids))
		}
		got = append(got, ids...)
		cp = rd.Checkpoint()
		if st := rd.Stats(); st.DamagedChunks != 0 || st.Malformed != 0 {
			t.Errorf("stage %d: %+v", i, st)
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("growing reads gave %d records, the whole read %d:\n got  %v\n want %v", len(got), len(want), got, want)
	}
	// Nothing new: nothing read.
	rd, err = Resume(bytes.NewReader(whole), int64(len(whole)), "Security.evtx", cp, ResumeOptions{Tail: true})
	if err != nil {
		t.Fatal(err)
	}
	if ids := evtxIDs(t, rd); len(ids) != 0 {
		t.Fatalf("read again: %v", ids)
	}
	// The end of the log, as a follower starting late takes it: nothing
	// before it is read again.
	end, ok := EVTXEnd(bytes.NewReader(whole), int64(len(whole)))
	if !ok || !reflect.DeepEqual(end, cp) {
		t.Fatalf("EVTXEnd %+v, ok %v; the reader's checkpoint %+v", end, ok, cp)
	}
}

// TestEVTXResumeWrapped: a full log overwrites its oldest chunks with new
// records (the first chunk after the last one); they are read once each,
// the older chunks not again.
func TestEVTXResumeWrapped(t *testing.T) {
	g, err := evtxtest.Load(evtxGrowSample)
	if err != nil {
		t.Skipf("the shared EVTX corpus is not here (%v)", err)
	}
	if g.Chunks < 5 {
		t.Skipf("the sample has %d chunks, the test needs 5", g.Chunks)
	}
	c := func(i int) []byte { return g.Chunk(i) }
	read := func(data []byte, cp Checkpoint) ([]int, Checkpoint) {
		rd, err := Resume(bytes.NewReader(data), int64(len(data)), "Security.evtx", cp, ResumeOptions{Tail: true})
		if err != nil {
			t.Fatal(err)
		}
		return evtxIDs(t, rd), rd.Checkpoint()
	}
	idsOf := func(chunks ...[]byte) []int {
		ids, _ := read(g.File(chunks...), Checkpoint{})
		return ids
	}
	_, cp := read(g.File(c(0), c(1), c(2)), Checkpoint{})
	got, cp := read(g.File(c(3), c(1), c(2)), cp)
	if want := idsOf(c(3)); len(want) == 0 || !reflect.DeepEqual(got, want) || cp.Offset != evtxHeaderBlock {
		t.Fatalf("first wrap: %v, want %v (checkpoint %+v)", got, want, cp)
	}
	got, _ = read(g.File(c(3), c(4), c(2)), cp)
	if want := idsOf(c(4)); !reflect.DeepEqual(got, want) {
		t.Fatalf("second wrap: %v, want %v", got, want)
	}
}
