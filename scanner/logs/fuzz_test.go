package logs

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Fuzz targets. Seeds: the fixtures under testdata/logs (including
// testdata/logs/fuzz/<target>/) plus the inline cases below. Run e.g.
//
//	go test ./scanner/logs -run '^$' -fuzz '^FuzzIIS$' -fuzztime 2m

// addSeeds adds every fixture file under testdata/logs/<dirs...> as a seed.
func addSeeds(f *testing.F, add func([]byte), dirs ...string) {
	root := fixture(dirs...)
	filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		if data, err := os.ReadFile(path); err == nil && len(data) < 1<<20 {
			add(data)
		}
		return nil
	})
}

// fuzzRead reads all records of rd and checks the Reader's invariants.
func fuzzRead(t *testing.T, rd *Reader) {
	prev, n := 0, 0
	for {
		rec, err := rd.Next()
		if err != nil {
			if !errors.Is(err, io.EOF) && !errors.Is(err, ErrCorrupt) {
				t.Fatalf("unexpected error: %v", err)
			}
			break
		}
		n++
		if len(rec.Names) != len(rec.Values) {
			t.Fatalf("line %d: %d names, %d values", rec.Line, len(rec.Names), len(rec.Values))
		}
		if rec.Line < 1 || rec.Line < prev {
			t.Fatalf("line %d after %d", rec.Line, prev)
		}
		prev = rec.Line
		if len(rec.Raw) > maxLineSize {
			t.Fatalf("raw line of %d bytes", len(rec.Raw))
		}
		if rec.Format != rd.Format() || rec.Family == "" {
			t.Fatalf("format %q family %q", rec.Format, rec.Family)
		}
		c := rec.Clone()
		for i, name := range rec.Names {
			if c.Names[i] != name || c.Values[i] != rec.Values[i] {
				t.Fatalf("clone differs at %d", i)
			}
			if v, ok := rec.Get(name); !ok || (v != rec.Values[i] && firstIndex(rec.Names, name) == i) {
				t.Fatalf("Get(%q) = %q, %v", name, v, ok)
			}
		}
	}
	st := rd.Stats()
	if st.Records != int64(n) {
		t.Fatalf("Stats.Records %d, read %d", st.Records, n)
	}
	if int64(n) > st.Lines+st.NULBytes+1 {
		t.Fatalf("%d records from %d lines", n, st.Lines)
	}
	if len(rd.sc.buf) > maxLineSize {
		t.Fatalf("line buffer grew to %d", len(rd.sc.buf))
	}
}

func firstIndex(names []string, name string) int {
	for i, n := range names {
		if n == name {
			return i
		}
	}
	return -1
}

func fuzzFormat(t *testing.T, data []byte, name string, f Format) {
	rd, err := newReader(bytes.NewReader(data), name, f)
	if err != nil {
		if errors.Is(err, ErrCorrupt) || errors.Is(err, ErrUnknownFormat) {
			return
		}
		t.Fatalf("NewReader: %v", err)
	}
	fuzzRead(t, rd)
}

func FuzzIIS(f *testing.F) {
	addSeeds(f, func(b []byte) { f.Add(b) }, "inetpub")
	addSeeds(f, func(b []byte) { f.Add(b) }, "HTTPERR")
	addSeeds(f, func(b []byte) { f.Add(b) }, "fuzz", "iis")
	f.Add([]byte(iisHead + lines(iisLine1, iisLine2)))
	f.Add([]byte(lines(iisLine1, iisLine2)))
	f.Add([]byte("#Fields: date time cs-uri-stem cs-uri-query\n2021-03-03 01:02:03 /a b\n#Fields: time\n01:02:03\n"))
	f.Add([]byte("192.168.114.201, -, 03/20/01, 7:55:20, W3SVC2, SERVER, 172.21.13.45, 4502, 163, 3223, 200, 0, GET, /DeptLogo.gif, -,\n"))
	f.Add([]byte(iisHead + iisLine1 + "\x00\x00#Software: x\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzFormat(t, data, `C:\inetpub\logs\LogFiles\W3SVC1\u_ex210303.log`, FormatIIS)
	})
}

func FuzzExchangeCSV(f *testing.F) {
	add := func(b []byte) {
		for k := byte(0); k < 3; k++ {
			f.Add(b, k)
		}
	}
	addSeeds(f, add, "HttpProxy")
	addSeeds(f, add, "ECP")
	addSeeds(f, add, "exchange2013")
	addSeeds(f, add, "CmdletInfra")
	addSeeds(f, add, "fuzz", "csv")
	add([]byte("a,b\n\"x\"\"y\",\"open\n"))
	add([]byte("#Fields: DateTime,EventData\n2021-03-03T00:00:00Z,\"S:CMD=a;S:URL=b\"\n"))
	f.Fuzz(func(t *testing.T, data []byte, kind byte) {
		formats := []Format{FormatHttpProxy, FormatECP, FormatExchange}
		fuzzFormat(t, data, `X:\Logging\HttpProxy\Owa\HttpProxy_2021030306-1.LOG`, formats[int(kind)%len(formats)])
	})
}

func FuzzOAB(f *testing.F) {
	addSeeds(f, func(b []byte) { f.Add(b) }, "OABGeneratorLog")
	addSeeds(f, func(b []byte) { f.Add(b) }, "fuzz", "oab")
	f.Add([]byte("2021-03-03T06:55:12.480Z,OABGenerator,x\n#Software: y\n2021-03-03 06:55:12 z\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzFormat(t, data, "OABGeneratorLog/x.LOG", FormatOAB)
	})
}

// FuzzDetect runs format detection and the chosen reader on any input.
func FuzzDetect(f *testing.F) {
	addSeeds(f, func(b []byte) { f.Add(b, "x.log") })
	f.Add([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff}, "x.gz")
	f.Add([]byte("\xff\xfe#\x00F\x00"), "u.log")
	f.Fuzz(func(t *testing.T, data []byte, name string) {
		fuzzFormat(t, data, name, "")
	})
}

func FuzzEventData(f *testing.F) {
	f.Add("S:TIME=1534;S:SID=a;S:CMD=" + ecpPayloadCMD + ";S:URL=/ecp/x;")
	f.Add("junk;S:A=1;S:B='it''s; fine';I32:ADS.C[DC1]=2")
	f.Add("S:=;=;S:A==;;")
	addSeeds(f, func(b []byte) { f.Add(string(b)) }, "fuzz", "eventdata")
	f.Fuzz(func(t *testing.T, s string) {
		pos := 0
		for k, v := range EventDataParts(s) {
			if keyLen(k+"=") != len(k) {
				t.Fatalf("bad key %q", k)
			}
			i := strings.Index(s[pos:], k+"="+v)
			if i < 0 {
				t.Fatalf("part %q=%q not found after %d in %q", k, v, pos, s)
			}
			pos += i + len(k) + 1 + len(v)
			for j := 0; j < len(v); j++ {
				if v[j] == ';' && keyLen(v[j+1:]) > 0 {
					t.Fatalf("value %q holds another part", v)
				}
			}
		}
	})
}
