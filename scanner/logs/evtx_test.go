package logs

import (
	"bytes"
	"io"
	"testing"
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
	recs, st := readAllEVTX(t, minimalEVTX(body, false))
	if len(recs) != 1 || st.Unrendered != 1 || recs[0].Line != 1 {
		t.Fatalf("%d records, stats %+v", len(recs), st)
	}
}

// TestEVTXDamage: chunks that are not chunks, broken record chains and a
// cut last chunk are counted; the records before the damage are read.
func TestEVTXDamage(t *testing.T) {
	good := minimalEVTX([]byte{0x0f, 0x01, 0x01, 0x00, 0x00}, false)
	// a second chunk of garbage, then a cut copy of the first chunk
	data := append(append([]byte(nil), good...), bytes.Repeat([]byte{0xA5}, evtxChunkSize)...)
	data = append(data, good[4096:4096+evtxChunkHeader+40]...)
	recs, st := readAllEVTX(t, data)
	if len(recs) != 2 || st.DamagedChunks != 2 || !st.Truncated || st.Chunks != 3 {
		t.Fatalf("%d records, stats %+v", len(recs), st)
	}
	// a record whose trailing size copy is wrong ends its chunk's chain
	bad := append([]byte(nil), good...)
	bad[4096+evtxChunkHeader+24+5+3] ^= 0xff
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
