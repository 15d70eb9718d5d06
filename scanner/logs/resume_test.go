package logs

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// recKey is what a resumed read must give the same as a whole read.
type recKey struct {
	Line   int
	Raw    string
	Family string
	Time   string
	Fields string
}

func keyOf(rec *Record) recKey {
	var f strings.Builder
	for i, n := range rec.Names {
		fmt.Fprintf(&f, "%s=%s\x00", n, rec.Values[i])
	}
	return recKey{rec.Line, string(rec.Raw), rec.Family, rec.Time.String(), f.String()}
}

func wholeKeys(t *testing.T, data []byte, name string) []recKey {
	t.Helper()
	r := readAll(t, data, name)
	if r.err != nil {
		t.Fatalf("%s: %v", name, r.err)
	}
	var out []recKey
	for _, rec := range r.recs {
		out = append(out, keyOf(rec))
	}
	return out
}

// growRead reads data as a file that grows to each of the cut points in
// turn, resuming from the checkpoint each time (Tail), then reads the
// rest once the file is complete.
func growRead(t *testing.T, data []byte, name string, cuts []int) []recKey {
	t.Helper()
	var out []recKey
	var cp Checkpoint
	for i, c := range append(cuts, len(data)) {
		last := i == len(cuts)
		rd, err := Resume(bytes.NewReader(data[:c]), int64(c), name, cp, ResumeOptions{Tail: !last})
		if err != nil {
			t.Fatalf("%s: cut %d: %v", name, c, err)
		}
		for {
			rec, err := rd.Next()
			if err != nil {
				break
			}
			out = append(out, keyOf(rec))
		}
		next := rd.Checkpoint()
		if next.Offset < cp.Offset || next.Offset > int64(c) {
			t.Fatalf("%s: cut %d: checkpoint %d after %d", name, c, next.Offset, cp.Offset)
		}
		cp = next
	}
	return out
}

// cutPoints returns about n cut points spread over size bytes, odd ones
// included (inside UTF-16 code units and CRLF pairs).
func cutPoints(size, n int) []int {
	var out []int
	step := max(size/n, 1)
	for c := 1; c < size; c += step {
		out = append(out, c)
		step = step%7 + size/n + 1
	}
	return out
}

// TestResumeGrowing: a log read while it grows, from checkpoint to
// checkpoint, gives exactly the records of one whole read (same line
// numbers, fields by the header in force, times, families), in every
// text format, in UTF-8 with and without BOM and in UTF-16.
func TestResumeGrowing(t *testing.T) {
	files := []string{
		"inetpub/logs/LogFiles/W3SVC1/u_ex210303.log",
		"HttpProxy/Ecp/HttpProxy_2021030306-1.LOG",
		"ECP/Server/ECPServer20210303-1.LOG",
		"CmdletInfra/Powershell-Proxy/Http/Rps_Http_2022092910-1.LOG",
		"OABGeneratorLog/OABGenerator_2021030306-1.LOG",
		"HTTPERR/httperr1.log",
		"exchange2013/HttpProxy_2021030223-1.LOG",
		"u_ex210823_headerless.log",
		"fuzz/iis/mixed-endings.log",
		"fuzz/iis/utf16le.log",
	}
	type input struct {
		name string
		data []byte
	}
	var inputs []input
	for _, f := range files {
		data, err := os.ReadFile(fixture(f))
		if err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, input{f, data})
	}
	// A header that changes mid-file: a record read by position with the
	// first header would have cs-method and cs-uri-stem swapped.
	mid := iisHead + lines(iisLine1) + "#Software: Microsoft Internet Information Services 10.0\n#Fields: date time s-ip cs-uri-stem cs-method cs-uri-query c-ip sc-status\n" +
		lines("2021-03-03 07:00:01 10.0.0.5 /ecp/y.js POST a=b 203.0.113.9 200", "2021-03-03 07:00:02 10.0.0.5 /owa/ GET - 203.0.113.9 200")
	text := strings.ReplaceAll(mid, "\n", "\r\n")
	inputs = append(inputs,
		input{"W3SVC1/mid-header.log", []byte(mid)},
		input{"W3SVC1/bom.log", append([]byte("\xef\xbb\xbf"), mid...)},
		input{"W3SVC1/le-bom.log", utf16Bytes(text+"2021-03-03 07:00:03 10.0.0.5 /owa/auth/ünïcødé😀.aspx GET - 203.0.113.9 404\r\n", false, true)},
		input{"W3SVC1/be-bom.log", utf16Bytes(text, true, true)},
		input{"W3SVC1/le.log", utf16Bytes(text, false, false)},
	)
	for _, in := range inputs {
		t.Run(filepath.Base(in.name), func(t *testing.T) {
			want := wholeKeys(t, in.data, in.name)
			if len(want) == 0 {
				t.Fatal("no records in the whole read")
			}
			for _, n := range []int{3, 40} {
				got := growRead(t, in.data, in.name, cutPoints(len(in.data), n))
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("%d cuts: resumed reads differ from the whole read:\n got  %d records %v\n want %d records %v", n, len(got), got, len(want), want)
				}
			}
		})
	}
}

// TestResumeBlind: a checkpoint that knows only the offset (a file
// followed from its end) reads the lines before it for the line number
// and the header in force.
func TestResumeBlind(t *testing.T) {
	head := iisHead + lines(iisLine1) + "#Fields: date time s-ip cs-uri-stem cs-method cs-uri-query c-ip sc-status\n" + lines("2021-03-03 07:00:01 10.0.0.5 /owa/ GET - 203.0.113.9 200")
	data := []byte(head + lines("2021-03-03 07:00:02 10.0.0.5 /ecp/y.js POST a=b 203.0.113.9 200"))
	rd, err := Resume(bytes.NewReader(data), int64(len(data)), "W3SVC1/u_ex210303.log", Checkpoint{Offset: int64(len(head)), Blind: true}, ResumeOptions{Tail: true})
	if err != nil {
		t.Fatal(err)
	}
	rec, err := rd.Next()
	if err != nil {
		t.Fatal(err)
	}
	if rec.Line != 8 || get(t, rec, "cs-method") != "POST" || get(t, rec, "cs-uri-stem") != "/ecp/y.js" {
		t.Fatalf("line %d, fields %v %v", rec.Line, rec.Names, rec.Values)
	}
	if _, err := rd.Next(); err == nil {
		t.Fatal("more than one record after the offset")
	}
	cp := rd.Checkpoint()
	if cp.Offset != int64(len(data)) || cp.Line != 8 || cp.Blind || len(cp.Header) == 0 {
		t.Fatalf("checkpoint %+v", cp)
	}
}

// TestResumePartialLine: a last line without its newline is not read
// until it is complete; an over-long line is skipped with MaxLine.
func TestResumePartialLine(t *testing.T) {
	full := []byte(iisHead + lines(iisLine1, "2021-03-03 06:50:01 10.0.0.5 GET /owa/"+strings.Repeat("x", 300)+" - 443 - 203.0.113.8 - - 404 0 2 7", iisLine1))
	part := len(iisHead) + len(iisLine1) + 1 + 50
	rd, err := Resume(bytes.NewReader(full[:part]), int64(part), "x.log", Checkpoint{}, ResumeOptions{Tail: true, MaxLine: 200})
	if err != nil {
		t.Fatal(err)
	}
	r := drain(t, rd)
	cp := rd.Checkpoint()
	if len(r.recs) != 1 || cp.Offset != int64(len(iisHead)+len(iisLine1)+1) || cp.Line != 5 {
		t.Fatalf("%d records, checkpoint %+v", len(r.recs), cp)
	}
	rd, err = Resume(bytes.NewReader(full), int64(len(full)), "x.log", cp, ResumeOptions{Tail: true, MaxLine: 200})
	if err != nil {
		t.Fatal(err)
	}
	r = drain(t, rd)
	if len(r.recs) != 1 || r.recs[0].Line != 7 || r.stats.CutLines != 1 || rd.Checkpoint().Offset != int64(len(full)) {
		t.Fatalf("%d records (line %v), stats %+v", len(r.recs), r.recs, r.stats)
	}
}

// TestResumeGzip: compressed logs are not resumed.
func TestResumeGzip(t *testing.T) {
	data := gz(t, []byte(iisHead+lines(iisLine1)))
	if _, err := Resume(bytes.NewReader(data), int64(len(data)), "x.log.gz", Checkpoint{}, ResumeOptions{}); err == nil || !strings.Contains(err.Error(), ErrNotResumable.Error()) {
		t.Fatalf("err %v", err)
	}
}

// TestLogFileName: the names logs have, from the formats' extensions.
func TestLogFileName(t *testing.T) {
	for name, want := range map[string]bool{
		"u_ex210303.log": true, "W3SVC1/u_ex210303.log.1": true, "HttpProxy_2021030306-1.LOG": true,
		"x.csv": true, "x.txt": true, "u_ex210303.log.gz": true, `C:\Windows\System32\winevt\Logs\Security.evtx`: true,
		"owa/auth/x.aspx": false, "u_ex210303.log.old": false, "logs": false, "x.evtx.bak": false,
	} {
		if got := LogFileName(name); got != want {
			t.Errorf("LogFileName(%q) = %v, want %v", name, got, want)
		}
	}
}
