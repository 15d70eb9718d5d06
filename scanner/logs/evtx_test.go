package logs

import (
	"bytes"
	"encoding/binary"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"exscan/internal/evtxtest"
)

// readAllEVTX reads every record of an in-memory .evtx file.
func readAllEVTX(t *testing.T, data []byte) ([]*Record, Stats) {
	t.Helper()
	rd, err := NewReader(bytes.NewReader(data), "x.evtx")
	if err != nil {
		t.Fatal(err)
	}
	if rd.Format() != FormatEVTX {
		t.Fatalf("format %q", rd.Format())
	}
	var out []*Record
	for {
		rec, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, rec.Clone())
	}
	return out, rd.Stats()
}

// TestEVTXHugeArgumentCount: a record whose template instance claims
// 2^32-1 arguments (the parser used to loop over them, allocating tens of
// GB) is kept as an unrendered record.
func TestEVTXHugeArgumentCount(t *testing.T) {
	body := append(append([]byte{0x0f, 0x01, 0x01, 0x00, 0x0c, 0x01, 0x01, 0x00, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0},
		make([]byte, 16+4)...), 0xff, 0xff, 0xff, 0xff)
	recs, st := readAllEVTX(t, minimalEVTX(body))
	if len(recs) != 1 || st.Unrendered != 1 || recs[0].Line != 1 {
		t.Fatalf("%d records, stats %+v", len(recs), st)
	}
}

// TestEVTXDamage: chunks that are not chunks, broken record chains and a
// cut last chunk are counted; the records before the damage are read.
func TestEVTXDamage(t *testing.T) {
	good := minimalEVTX([]byte{0x0f, 0x01, 0x01, 0x00, 0x00})
	// a second chunk of garbage, then a cut copy of the first chunk
	data := append(append([]byte(nil), good...), bytes.Repeat([]byte{0xA5}, evtxChunkSize)...)
	data = append(data, good[4096:4096+evtxChunkHeader+40]...)
	recs, st := readAllEVTX(t, data)
	if len(recs) != 2 || st.DamagedChunks != 2 || !st.Truncated || st.Chunks != 3 {
		t.Fatalf("%d records, stats %+v", len(recs), st)
	}
	// a record whose trailing size copy is wrong ends its chunk's chain
	bad := append([]byte(nil), good...)
	bad[4096+evtxChunkHeader+int(binary.LittleEndian.Uint32(good[4096+evtxChunkHeader+4:]))-1] ^= 0xff
	recs, st = readAllEVTX(t, bad)
	if len(recs) != 0 || st.DamagedChunks != 1 || st.Malformed != 1 {
		t.Fatalf("%d records, stats %+v", len(recs), st)
	}
	// no chunk at all: the header only
	recs, st = readAllEVTX(t, good[:4096])
	if len(recs) != 0 || st.Chunks != 0 {
		t.Fatalf("%d records, stats %+v", len(recs), st)
	}
}

var evtxT0 = time.Date(2021, 3, 3, 6, 0, 0, 0, time.UTC)

// TestEVTXBadRecordSize: a record whose size field is zero (or whose size
// copy at its end is wrong) is skipped and counted; the records after it
// in the same chunk are read.
func TestEVTXBadRecordSize(t *testing.T) {
	var in []evtxtest.Record
	for i, ch := range []string{"Security", "System", "Application", "Security"} {
		in = append(in, evtxtest.Record{Channel: ch, Provider: "P", EventID: strconv.Itoa(100 + i), Computer: "H", Time: evtxT0.Add(time.Duration(i) * time.Minute)})
	}
	file := evtxtest.File(in...)
	recs, st := readAllEVTX(t, file)
	if len(recs) != 4 || st.Malformed != 0 || st.DamagedChunks != 0 {
		t.Fatalf("undamaged: %d records, stats %+v", len(recs), st)
	}
	for i, r := range recs {
		if ch, _ := r.Get("Channel"); ch != in[i].Channel || r.Line != i+1 || !r.Time.Equal(in[i].Time) {
			t.Fatalf("record %d: %+v", i, r)
		}
	}
	offs := evtxtest.RecordOffsets(file)
	for name, damage := range map[string]func(c []byte){
		"zero size":  func(c []byte) { binary.LittleEndian.PutUint32(c[offs[1]+4:], 0) },
		"size copy":  func(c []byte) { c[offs[2]-4] ^= 0xff },
		"past chunk": func(c []byte) { binary.LittleEndian.PutUint32(c[offs[1]+4:], evtxChunkSize) },
	} {
		bad := slices.Clone(file)
		damage(bad[4096:])
		recs, st := readAllEVTX(t, bad)
		var ids []string
		for _, r := range recs {
			id, _ := r.Get("EventID")
			ids = append(ids, id)
		}
		if got := strings.Join(ids, " "); got != "100 102 103" || st.Malformed != 1 || st.DamagedChunks != 1 {
			t.Errorf("%s: event ids %q, stats %+v", name, got, st)
		}
	}
}

// firstCorpusRecord opens a file of the EVTX corpus (skipping the test
// when the corpus is absent) and returns its reader and first record.
func firstCorpusRecord(t *testing.T, parts ...string) (*Reader, *Record) {
	t.Helper()
	path := filepath.Join(append([]string{evtxCorpus}, parts...)...)
	if _, err := os.Stat(path); err != nil {
		t.Skipf("EVTX corpus not available: %v", err)
	}
	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	rec, err := r.Next()
	if err != nil {
		t.Fatal(err)
	}
	return r, rec
}

// TestEVTXTestFileLikeReal: the records evtxtest writes read like a real
// Security log's (the same System values from the reader).
func TestEVTXTestFileLikeReal(t *testing.T) {
	_, real := firstCorpusRecord(t, "benign", "Velocidex__evtx", "testdata", "Security_1_record.evtx")
	get := func(rec *Record, n string) string { v, _ := rec.Get(n); return v }
	recs, _ := readAllEVTX(t, evtxtest.File(evtxtest.Record{Channel: get(real, "Channel"), Provider: get(real, "Provider"),
		EventID: get(real, "EventID"), Computer: get(real, "Computer"), Time: real.Time}))
	if len(recs) != 1 {
		t.Fatalf("%d records", len(recs))
	}
	for _, n := range []string{"Channel", "Provider", "EventID", "Computer"} {
		if get(recs[0], n) != get(real, n) || get(real, n) == "" {
			t.Errorf("%s: %q, real %q", n, get(recs[0], n), get(real, n))
		}
	}
	if !recs[0].Time.Equal(real.Time) || recs[0].Family != real.Family {
		t.Errorf("time %v family %q, real %v %q", recs[0].Time, recs[0].Family, real.Time, real.Family)
	}
}

// TestEVTXForwardedInline: a forwarded event whose values are inline (no
// template, which the renderer does not read) still gets its System values
// and record id from its text.
func TestEVTXForwardedInline(t *testing.T) {
	r, rec := firstCorpusRecord(t, "exchange", "omerbenamram__evtx", "samples", "MSExchange_Management_wec.evtx")
	var got []string
	for _, n := range []string{"Channel", "Provider", "EventID", "Level", "Computer", "EventRecordID"} {
		v, _ := rec.Get(n)
		got = append(got, n+"="+v)
	}
	want := "Channel=MSExchange Management Provider=MSExchange CmdletLogs EventID=1 Level=4 Computer=WEC.ave.local EventRecordID=3229"
	if strings.Join(got, " ") != want || rec.Line != 3229 || r.Stats().Unrendered != 1 {
		t.Errorf("got %s (line %d, stats %+v)\nwant %s", strings.Join(got, " "), rec.Line, r.Stats(), want)
	}
}
