package logs

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"exscan/internal/evtxtest"
)

// minimalEVTX returns an .evtx file of one chunk holding one record whose
// body is the given BinXML bytes (a fuzzing seed; the fuzzer makes the
// records the renderer has to survive).
func minimalEVTX(binxml []byte) []byte {
	return evtxtest.Bodies(binxml)
}

// FuzzEVTX reads arbitrary bytes as an .evtx file: damaged chunks and
// records must be counted, never crash or hang the reader, and every
// record must keep the Reader's invariants. Input that starts with the
// EVTX signature is the whole file; other input is the BinXML body of the
// one record of a minimal file (kept small, so the fuzzer's minimisation
// stays quick).
func FuzzEVTX(f *testing.F) {
	// fragment header, <Event> with an attribute-less element and text
	f.Add([]byte{0x0f, 0x01, 0x01, 0x00, 0x01, 0xff, 0xff, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x05, 0x01, 0x02, 0x00, 'a', 0, 'b', 0, 0x04, 0x00})
	// a template instance with a huge argument count
	// (id 1, not defined before: a 16-byte GUID and an empty body, then
	// the count)
	f.Add(append(append([]byte{0x0f, 0x01, 0x01, 0x00, 0x0c, 0x01, 0x01, 0x00, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0},
		make([]byte, 16+4)...), 0xff, 0xff, 0xff, 0xff))
	f.Add(minimalEVTX([]byte{0x0f, 0x01, 0x01, 0x00, 0x00}))
	f.Fuzz(func(t *testing.T, data []byte) {
		if !bytes.HasPrefix(data, []byte(evtxFileMagic)) {
			if len(data) > 4096 {
				return
			}
			data = minimalEVTX(data)
		}
		rd, err := NewReader(bytes.NewReader(data), "fuzz.evtx")
		if err != nil {
			t.Fatal(err)
		}
		if rd.Format() != FormatEVTX {
			t.Fatalf("format %q", rd.Format())
		}
		n := int64(0)
		for {
			rec, err := rd.Next()
			if err != nil {
				if !errors.Is(err, io.EOF) {
					t.Fatalf("unexpected error: %v", err)
				}
				break
			}
			n++
			if len(rec.Names) != len(rec.Values) || rec.Format != FormatEVTX || rec.Family == "" {
				t.Fatalf("record %+v", rec)
			}
		}
		st := rd.Stats()
		if st.Records != n {
			t.Fatalf("%d records returned, %d counted", n, st.Records)
		}
		if chunks := int64(max(0, len(data)-4096) / evtxChunkSize); st.Chunks < chunks || st.Chunks > chunks+1 {
			t.Fatalf("%d chunks read of %d", st.Chunks, chunks)
		}
	})
}
