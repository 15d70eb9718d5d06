package logs

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"
)

func TestGzip(t *testing.T) {
	plain := []byte(iisHead + lines(iisLine1, iisLine2))
	r := readAll(t, gz(t, plain), "u_ex210303.log.gz")
	if r.err != nil || r.format != FormatIIS || len(r.recs) != 2 {
		t.Fatalf("err %v format %q, %d records", r.err, r.format, len(r.recs))
	}
	if r.stats.Bytes != int64(len(plain)) || r.stats.BytesIn >= r.stats.Bytes+64 {
		t.Errorf("Bytes %d BytesIn %d, plain %d", r.stats.Bytes, r.stats.BytesIn, len(plain))
	}

	// Concatenated gzip members read as one stream.
	two := append(gz(t, []byte(iisHead+lines(iisLine1))), gz(t, []byte(lines(iisLine2)))...)
	if r := readAll(t, two, "x.gz"); r.err != nil || len(r.recs) != 2 {
		t.Fatalf("two members: err %v, %d records", r.err, len(r.recs))
	}

	// A file written via Open with a .gz name.
	path := filepath.Join(t.TempDir(), "W3SVC3", "u_ex210303.log.gz")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, gz(t, plain), 0o644); err != nil {
		t.Fatal(err)
	}
	f := readFile(t, path)
	if f.err != nil || f.family != "iis/W3SVC3" || len(f.recs) != 2 {
		t.Fatalf("file: err %v family %q, %d records", f.err, f.family, len(f.recs))
	}
}

func TestGzipTruncated(t *testing.T) {
	var body strings.Builder
	body.WriteString(iisHead)
	for i := 0; i < 20000; i++ {
		body.WriteString(iisLine1 + "\n")
	}
	z := gz(t, []byte(body.String()))
	cut := z[:len(z)/2]
	r := readAll(t, cut, "cut.log.gz")
	if !errors.Is(r.err, ErrCorrupt) || !errors.Is(r.err, io.ErrUnexpectedEOF) {
		t.Fatalf("err = %v, want ErrCorrupt wrapping io.ErrUnexpectedEOF", r.err)
	}
	if !strings.Contains(r.err.Error(), "cut.log.gz") {
		t.Errorf("error does not name the file: %v", r.err)
	}
	if len(r.recs) < 1000 || len(r.recs) >= 20000 {
		t.Errorf("%d records before the damage", len(r.recs))
	}

	// Damage in the middle: flipped bytes give a flate or checksum error.
	bad := append([]byte(nil), z...)
	for i := len(bad) / 2; i < len(bad)/2+64; i++ {
		bad[i] ^= 0x5a
	}
	r = readAll(t, bad, "bad.gz")
	if !errors.Is(r.err, ErrCorrupt) {
		t.Fatalf("err = %v, want ErrCorrupt", r.err)
	}

	// A broken gzip header fails at open.
	if _, err := NewReader(bytes.NewReader([]byte{0x1f, 0x8b, 0, 0}), "h.gz"); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("header: err = %v", err)
	}
}

func TestUTF16(t *testing.T) {
	text := iisHead + lines(iisLine1, "2021-03-03 06:50:01 10.0.0.5 GET /owa/auth/ünïcødé😀.aspx - 443 - 203.0.113.8 - - 404 0 2 7")
	for _, tc := range []struct {
		name    string
		be, bom bool
	}{{"LE BOM", false, true}, {"BE BOM", true, true}, {"LE no BOM", false, false}, {"BE no BOM", true, false}} {
		t.Run(tc.name, func(t *testing.T) {
			data := utf16Bytes(strings.ReplaceAll(text, "\n", "\r\n"), tc.be, tc.bom)
			r := readAll(t, data, "x.log")
			if r.err != nil || r.format != FormatIIS || len(r.recs) != 2 {
				t.Fatalf("err %v format %q, %d records %+v", r.err, r.format, len(r.recs), r.stats)
			}
			if got := get(t, r.recs[1], "cs-uri-stem"); got != "/owa/auth/ünïcødé😀.aspx" {
				t.Errorf("cs-uri-stem = %q", got)
			}
			// And through gzip.
			if r := readAll(t, gz(t, data), "x.log.gz"); len(r.recs) != 2 {
				t.Errorf("gzip: %d records", len(r.recs))
			}
		})
	}
	// Odd byte count and a lone surrogate do not break reading.
	data := append(utf16Bytes(iisHead+lines(iisLine1), false, true), 0x00, 0xd8, 'x')
	if r := readAll(t, data, "x.log"); len(r.recs) != 1 {
		t.Errorf("odd tail: %d records", len(r.recs))
	}
}

func TestLongLines(t *testing.T) {
	// 2 MiB query: over the long-line threshold, under the cap: parsed.
	long := strings.Replace(iisLine1, "&cafeReqId=abc;", "&x="+strings.Repeat("A", 2<<20), 1)
	r := readAll(t, []byte(iisHead+lines(iisLine1, long, iisLine2)), "x.log")
	if len(r.recs) != 3 || r.stats.LongLines != 1 || r.stats.CutLines != 0 {
		t.Fatalf("%d records, %+v", len(r.recs), r.stats)
	}
	if q := get(t, r.recs[1], "cs-uri-query"); len(q) != 2<<20+len("&CorrelationID=<empty>;&x=") {
		t.Errorf("long query has %d bytes", len(q))
	}
	if r.recs[2].Line != 7 {
		t.Errorf("line after the long line: %d", r.recs[2].Line)
	}

	// 9 MiB line: cut at the cap, the rest skipped, reading goes on.
	huge := strings.Replace(iisLine1, "&cafeReqId=abc;", strings.Repeat("B", 9<<20), 1)
	r = readAll(t, []byte(iisHead+lines(iisLine1, huge, iisLine2)), "x.log")
	if len(r.recs) != 2 || r.stats.CutLines != 1 || r.stats.LongLines != 1 || r.stats.Malformed != 1 {
		t.Fatalf("%d records, %+v", len(r.recs), r.stats)
	}
	if want := int64(len(huge) - maxLineSize); r.stats.SkippedBytes != want {
		t.Errorf("SkippedBytes = %d, want %d", r.stats.SkippedBytes, want)
	}
	if r.recs[1].Line != 7 || get(t, r.recs[1], "cs-uri-stem") != "/owa/auth/x.js" {
		t.Errorf("record after the cut line: line %d", r.recs[1].Line)
	}

	// A NUL block without newlines (preallocated space after a crash) is
	// skipped without hitting the line cap.
	nul := iisHead + iisLine1 + strings.Repeat("\x00", 6<<20) + "#Software: Microsoft Internet Information Services 10.0\n" + lines(iisLine2)
	r = readAll(t, []byte(nul), "x.log")
	if len(r.recs) != 2 || r.stats.CutLines != 0 || r.stats.NULBytes != 6<<20 {
		t.Fatalf("%d records, %+v", len(r.recs), r.stats)
	}
}

func TestSmallReads(t *testing.T) {
	// One byte per Read, and a reader that returns data with io.EOF.
	data := []byte(iisHead + lines(iisLine1, iisLine2))
	for name, src := range map[string]io.Reader{
		"one byte": iotest.OneByteReader(bytes.NewReader(data)),
		"data+EOF": iotest.DataErrReader(bytes.NewReader(data)),
		"half":     iotest.HalfReader(bytes.NewReader(data)),
	} {
		rd, err := NewReader(src, "x.log")
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if r := drain(t, rd); r.err != nil || len(r.recs) != 2 {
			t.Errorf("%s: err %v, %d records", name, r.err, len(r.recs))
		}
	}
}

// shortLen claims a small size (like a live log that grew after Stat).
type shortLen struct{ io.Reader }

func (shortLen) Len() int { return 100 }

func TestSizeHintTooSmall(t *testing.T) {
	data := benchIIS(20000)
	rd, err := NewReader(shortLen{bytes.NewReader(data)}, "x.log")
	if err != nil {
		t.Fatal(err)
	}
	if r := drain(t, rd); r.err != nil || len(r.recs) != 20000 || r.stats.Bytes != int64(len(data)) {
		t.Fatalf("err %v, %d records, %+v", r.err, len(r.recs), r.stats)
	}
	if len(rd.sc.buf) != bufSize {
		t.Errorf("buffer did not grow to %d: %d", bufSize, len(rd.sc.buf))
	}
}

func TestReadError(t *testing.T) {
	data := []byte(iisHead + lines(iisLine1, iisLine2))
	boom := errors.New("disk on fire")
	src := io.MultiReader(bytes.NewReader(data), iotest.ErrReader(boom))
	rd, err := NewReader(src, "x.log")
	if err != nil {
		t.Fatal(err)
	}
	r := drain(t, rd)
	if !errors.Is(r.err, boom) || len(r.recs) != 2 {
		t.Fatalf("err %v, %d records", r.err, len(r.recs))
	}
	// The error sticks.
	if _, err := rd.Next(); !errors.Is(err, boom) {
		t.Errorf("second Next: %v", err)
	}
}

func TestUnknownAndEmpty(t *testing.T) {
	for name, data := range map[string][]byte{
		"plain CSV":   []byte("file,repo,src_path\na,b,c\n"),
		"binary":      {0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff, 0, 0, 0xb8, 1, 2, 3, 4, 5, 6, 7, 8},
		"prose":       []byte("Hello,\nthis is a letter.\n"),
		"zip archive": []byte("PK\x03\x04\x14\x00\x00\x00\x08\x00"),
	} {
		_, err := NewReader(bytes.NewReader(data), name)
		if !errors.Is(err, ErrUnknownFormat) {
			t.Errorf("%s: err = %v, want ErrUnknownFormat", name, err)
		}
	}
	for name, data := range map[string]string{"empty": "", "blank lines": "\r\n\n  \n", "BOM only": "\xef\xbb\xbf"} {
		rd, err := NewReader(strings.NewReader(data), name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if rd.Format() != FormatUnknown {
			t.Errorf("%s: format %q", name, rd.Format())
		}
		if _, err := rd.Next(); err != io.EOF {
			t.Errorf("%s: Next = %v, want io.EOF", name, err)
		}
	}
	if _, err := Open(filepath.Join(t.TempDir(), "missing.log")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

func TestCloneOutlivesNext(t *testing.T) {
	rd, err := NewReader(strings.NewReader(iisHead+lines(iisLine1, iisLine2)), "x.log")
	if err != nil {
		t.Fatal(err)
	}
	rec, _ := rd.Next()
	c := rec.Clone()
	if _, err := rd.Next(); err != nil {
		t.Fatal(err)
	}
	if got := get(t, c, "cs-uri-stem"); got != "/ecp/y.js" {
		t.Errorf("clone changed: %q", got)
	}
	if err := rd.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := rd.Next(); !errors.Is(err, os.ErrClosed) {
		t.Errorf("Next after Close: %v", err)
	}
}

// TestNoAllocs holds the steady-state promise: no allocation per record.
func TestNoAllocs(t *testing.T) {
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"iis", benchIIS(2000)},
		{"httpproxy", benchHttpProxy(t, 500)},
		{"ecp", benchECP(t, 1000)},
		{"oab", benchOAB(2000)},
	} {
		rd, err := NewReader(bytes.NewReader(tc.data), "x.log")
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 100; i++ { // warm up
			if _, err := rd.Next(); err != nil {
				t.Fatal(err)
			}
		}
		allocs := testing.AllocsPerRun(200, func() {
			if _, err := rd.Next(); err != nil {
				t.Fatal(err)
			}
		})
		if allocs > 0 {
			t.Errorf("%s: %.2f allocations per record", tc.name, allocs)
		}
	}
}

func TestGzipWriterLevels(t *testing.T) {
	// Stored blocks (level 0) and best compression both read.
	plain := []byte(iisHead + lines(iisLine1, iisLine2))
	for _, lvl := range []int{gzip.NoCompression, gzip.BestCompression} {
		var b bytes.Buffer
		w, _ := gzip.NewWriterLevel(&b, lvl)
		w.Write(plain)
		w.Close()
		if r := readAll(t, b.Bytes(), "x.gz"); r.err != nil || len(r.recs) != 2 {
			t.Errorf("level %d: err %v, %d records", lvl, r.err, len(r.recs))
		}
	}
}

// repeater yields head once, then line over and over up to n bytes.
type repeater struct {
	head, line []byte
	n, off     int64
}

func (r *repeater) Read(p []byte) (int, error) {
	if r.off >= r.n {
		return 0, io.EOF
	}
	k := 0
	for k < len(p) && r.off < r.n {
		var src []byte
		if r.off < int64(len(r.head)) {
			src = r.head[r.off:]
		} else {
			i := (r.off - int64(len(r.head))) % int64(len(r.line))
			src = r.line[i:]
		}
		c := copy(p[k:], src)
		k += c
		r.off += int64(c)
	}
	return k, nil
}

// TestMemoryFlat reads 128 MiB of IIS log and checks that the live heap
// stays small: memory does not grow with the input.
func TestMemoryFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 128 MiB")
	}
	src := &repeater{head: []byte(iisHead), line: []byte(iisLine1 + "\r\n" + iisLine2 + "\n"), n: 128 << 20}
	rd, err := NewReader(src, "big.log")
	if err != nil {
		t.Fatal(err)
	}
	var ms runtime.MemStats
	live := func() uint64 { // live heap after a collection
		runtime.GC()
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	base := live()
	var peak uint64
	n := 0
	for {
		_, err := rd.Next()
		if err != nil {
			if err != io.EOF {
				t.Fatal(err)
			}
			break
		}
		if n++; n%200000 == 0 {
			peak = max(peak, live())
		}
	}
	st := rd.Stats()
	if st.Bytes != src.off || st.Malformed != 0 {
		t.Fatalf("%+v", st)
	}
	grew := int64(peak) - int64(base)
	t.Logf("%d records, live heap grew by %.1f MiB at most", n, float64(grew)/(1<<20))
	if grew > 16<<20 {
		t.Errorf("live heap grew by %d MiB", grew>>20)
	}
}
