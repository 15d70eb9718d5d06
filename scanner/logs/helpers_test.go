package logs

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"
)

// fixture returns the path of a file under the repository's testdata/logs.
func fixture(parts ...string) string {
	return filepath.Join(append([]string{"..", "..", "testdata", "logs"}, parts...)...)
}

type result struct {
	format Format
	family string
	recs   []*Record
	stats  Stats
	err    error // the error that ended reading (nil for io.EOF)
}

// checkInvariants fails the test when a record breaks the Reader's contract.
func checkInvariants(t testing.TB, rd *Reader, rec *Record, prevLine int) {
	t.Helper()
	if len(rec.Names) != len(rec.Values) {
		t.Fatalf("line %d: %d names, %d values", rec.Line, len(rec.Names), len(rec.Values))
	}
	if rec.Line < 1 || rec.Line < prevLine {
		t.Fatalf("line number %d after %d", rec.Line, prevLine)
	}
	if rec.Format != rd.Format() {
		t.Fatalf("record format %q, reader format %q", rec.Format, rd.Format())
	}
}

// readAll reads every record of data (named name), cloned.
func readAll(t testing.TB, data []byte, name string) result {
	t.Helper()
	rd, err := NewReader(bytes.NewReader(data), name)
	if err != nil {
		return result{err: err, format: FormatUnknown}
	}
	return drain(t, rd)
}

func readFile(t testing.TB, path string) result {
	t.Helper()
	rd, err := Open(path)
	if err != nil {
		return result{err: err, format: FormatUnknown}
	}
	defer rd.Close()
	return drain(t, rd)
}

func drain(t testing.TB, rd *Reader) result {
	t.Helper()
	res := result{format: rd.Format(), family: rd.Family()}
	prev := 0
	for {
		rec, err := rd.Next()
		if err != nil {
			if !errors.Is(err, io.EOF) {
				res.err = err
			}
			break
		}
		checkInvariants(t, rd, rec, prev)
		prev = rec.Line
		res.recs = append(res.recs, rec.Clone())
	}
	res.stats = rd.Stats()
	if res.stats.Records != int64(len(res.recs)) {
		t.Fatalf("Stats.Records = %d, read %d", res.stats.Records, len(res.recs))
	}
	return res
}

func get(t testing.TB, rec *Record, name string) string {
	t.Helper()
	v, ok := rec.Get(name)
	if !ok {
		t.Fatalf("line %d: no field %q in %v", rec.Line, name, rec.Names)
	}
	return v
}

func gz(t testing.TB, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func utf16Bytes(s string, bigEndian, bom bool) []byte {
	var b []byte
	units := utf16.Encode([]rune(s))
	if bom {
		units = append([]uint16{0xfeff}, units...)
	}
	for _, u := range units {
		if bigEndian {
			b = append(b, byte(u>>8), byte(u))
		} else {
			b = append(b, byte(u), byte(u>>8))
		}
	}
	return b
}

// lines joins lines with LF and a final LF.
func lines(l ...string) string { return strings.Join(l, "\n") + "\n" }
