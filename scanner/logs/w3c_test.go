package logs

import (
	"bytes"
	"errors"
	"io"
	"math/rand"
	"strings"
	"testing"
	"time"
)

const (
	iisHead = "#Software: Microsoft Internet Information Services 10.0\n#Version: 1.0\n#Date: 2021-03-03 00:00:00\n" +
		"#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken\n"
	iisLine1 = "2021-03-03 06:49:42 10.0.0.5 POST /ecp/y.js &CorrelationID=<empty>;&cafeReqId=abc; 443 - 203.0.113.7 ExchangeServicesClient/0.0.0.0 - 200 0 0 41"
	iisLine2 = "2021-03-03 06:50:01 10.0.0.5 GET /owa/auth/x.js - 443 - 203.0.113.8 Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64) https://mail.example/owa/ 500 0 0 7"
)

func TestIIS(t *testing.T) {
	ts := func(s string) time.Time {
		v, err := time.Parse("2006-01-02 15:04:05", s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	type want struct {
		line   int
		fields map[string]string
		time   time.Time
	}
	cases := []struct {
		name    string
		input   string
		path    string
		format  Format
		family  string
		want    []want
		check   func(t *testing.T, r result)
		wantErr error
	}{
		{
			name:   "basic with aliases",
			input:  iisHead + lines(iisLine1, iisLine2),
			path:   `C:\inetpub\logs\LogFiles\W3SVC1\u_ex210303.log`,
			format: FormatIIS, family: "iis/W3SVC1",
			want: []want{
				{line: 5, time: ts("2021-03-03 06:49:42"), fields: map[string]string{
					"cs-method": "POST", "cs-uri-stem": "/ecp/y.js", "cs-uri-query": "&CorrelationID=<empty>;&cafeReqId=abc;",
					"cs-username": "", "c-ip": "203.0.113.7", "c-useragent": "ExchangeServicesClient/0.0.0.0",
					"cs-user-agent": "ExchangeServicesClient/0.0.0.0", "cs(User-Agent)": "ExchangeServicesClient/0.0.0.0",
					"cs(Referer)": "", "sc-status": "200", "c-uri": "/ecp/y.js?&CorrelationID=<empty>;&cafeReqId=abc;",
				}},
				{line: 6, time: ts("2021-03-03 06:50:01"), fields: map[string]string{
					"cs-uri-query": "", "c-uri": "/owa/auth/x.js",
					"c-useragent": "Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64)",
					"cs-referer":  "https://mail.example/owa/", "cs-referrer": "https://mail.example/owa/", "sc-status": "500",
				}},
			},
		},
		{
			name: "fields change mid-file",
			input: iisHead + lines(iisLine1,
				"#Software: Microsoft Internet Information Services 10.0",
				"#Fields: date time cs-method cs-uri-stem cs-uri-query cs(Host) c-ip sc-status X-Forwarded-For",
				"2021-03-03 07:00:00 GET /aspnet_client/discover.aspx cmd=whoami mail.example 203.0.113.9 200 198.51.100.1",
				"#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken",
				iisLine2),
			path:   "/mnt/img/inetpub/logs/LogFiles/W3SVC2/u_ex210303.log",
			format: FormatIIS, family: "iis/W3SVC2",
			want: []want{
				{line: 5, fields: map[string]string{"cs-uri-stem": "/ecp/y.js", "sc-status": "200"}},
				{line: 8, time: ts("2021-03-03 07:00:00"), fields: map[string]string{
					"cs-uri-stem": "/aspnet_client/discover.aspx", "cs-host": "mail.example", "cs(Host)": "mail.example",
					"c-ip": "203.0.113.9", "X-Forwarded-For": "198.51.100.1", "c-uri": "/aspnet_client/discover.aspx?cmd=whoami",
				}},
				{line: 10, fields: map[string]string{"cs-uri-stem": "/owa/auth/x.js", "sc-status": "500", "c-ip": "203.0.113.8"}},
			},
			check: func(t *testing.T, r result) {
				if r.stats.HeaderChanges != 3 {
					t.Errorf("HeaderChanges = %d, want 3", r.stats.HeaderChanges)
				}
				if _, ok := r.recs[1].Get("s-port"); ok {
					t.Errorf("second layout has no s-port")
				}
			},
		},
		{
			name:   "headerless IIS 8.5+ default fields",
			input:  lines(iisLine1, iisLine2),
			path:   "u_ex210303.log",
			format: FormatIIS, family: "iis",
			want: []want{
				{line: 1, time: ts("2021-03-03 06:49:42"), fields: map[string]string{"cs-uri-stem": "/ecp/y.js", "c-ip": "203.0.113.7", "time-taken": "41"}},
				{line: 2, fields: map[string]string{"cs-referer": "https://mail.example/owa/"}},
			},
		},
		{
			name:   "headerless IIS 7 default fields (no referer)",
			input:  lines("2012-05-01 10:00:00 10.0.0.5 GET /owa/ - 443 - 192.0.2.1 Mozilla/5.0 302 0 0 15"),
			format: FormatIIS,
			want:   []want{{line: 1, fields: map[string]string{"sc-status": "302", "c-useragent": "Mozilla/5.0"}}},
			check: func(t *testing.T, r result) {
				if _, ok := r.recs[0].Get("cs(Referer)"); ok {
					t.Error("IIS 7 default layout has no referer")
				}
			},
		},
		{
			name:   "CRLF",
			input:  strings.ReplaceAll(iisHead+lines(iisLine1, iisLine2), "\n", "\r\n"),
			format: FormatIIS,
			want: []want{
				{line: 5, fields: map[string]string{"time-taken": "41"}},
				{line: 6, fields: map[string]string{"time-taken": "7"}},
			},
			check: func(t *testing.T, r result) {
				if bytes.HasSuffix(r.recs[0].Raw, []byte("\r")) {
					t.Error("Raw keeps the CR")
				}
			},
		},
		{
			name:   "UTF-8 BOM",
			input:  "\xef\xbb\xbf" + iisHead + lines(iisLine1),
			format: FormatIIS,
			want:   []want{{line: 5, fields: map[string]string{"cs-uri-stem": "/ecp/y.js"}}},
		},
		{
			name:   "NUL bytes from a crash",
			input:  iisHead + iisLine1 + "\x00\x00\x00\x00\x00\x00\x00\x00#Software: Microsoft Internet Information Services 10.0\n\x00\x00\x00\n" + lines(iisLine2),
			format: FormatIIS,
			want: []want{
				{line: 5, fields: map[string]string{"cs-uri-stem": "/ecp/y.js"}},
				{line: 7, fields: map[string]string{"cs-uri-stem": "/owa/auth/x.js"}},
			},
			check: func(t *testing.T, r result) {
				if r.stats.NULBytes != 11 {
					t.Errorf("NULBytes = %d, want 11", r.stats.NULBytes)
				}
			},
		},
		{
			name:   "truncated last line",
			input:  iisHead + iisLine1 + "\n" + iisLine2,
			format: FormatIIS,
			want: []want{
				{line: 5, fields: map[string]string{"time-taken": "41"}},
				{line: 6, fields: map[string]string{"time-taken": "7"}},
			},
			check: func(t *testing.T, r result) {
				if !r.stats.Truncated || r.stats.Lines != 6 {
					t.Errorf("Truncated = %v, Lines = %d", r.stats.Truncated, r.stats.Lines)
				}
			},
		},
		{
			name: "binary garbage between records",
			input: iisHead + lines(iisLine1, "\x89PNG\r\x1a\x07 \xff\xfe garbage \x01\x02", "2021-03-03 06:49:42 too few values",
				iisLine1+" extra", iisLine2),
			format: FormatIIS,
			want: []want{
				{line: 5, fields: map[string]string{"time-taken": "41"}},
				{line: 9, fields: map[string]string{"time-taken": "7"}},
			},
			check: func(t *testing.T, r result) {
				if r.stats.Malformed != 3 {
					t.Errorf("Malformed = %d, want 3", r.stats.Malformed)
				}
			},
		},
		{
			name:   "invalid date keeps the record",
			input:  iisHead + lines(strings.Replace(iisLine1, "2021-03-03", "2021-02-30", 1), strings.Replace(iisLine2, "06:50:01", "25:61:00", 1)),
			format: FormatIIS,
			want: []want{
				{line: 5, fields: map[string]string{"date": "2021-02-30"}},
				{line: 6, fields: map[string]string{"time": "25:61:00"}},
			},
			check: func(t *testing.T, r result) {
				if r.stats.BadTime != 2 || !r.recs[0].Time.IsZero() || !r.recs[1].Time.IsZero() {
					t.Errorf("BadTime = %d, times %v %v", r.stats.BadTime, r.recs[0].Time, r.recs[1].Time)
				}
			},
		},
		{
			name:   "unknown and duplicated field names",
			input:  "#Fields: date time cs-uri-stem cs-uri-stem x-custom(Thing) c-ip\n2021-03-03 01:02:03 /first /second v 192.0.2.1\n",
			format: FormatIIS,
			want: []want{{line: 2, time: ts("2021-03-03 01:02:03"), fields: map[string]string{
				"cs-uri-stem": "/first", "x-custom(Thing)": "v", "X-CUSTOM(thing)": "v", "c-uri": "/first"}}},
			check: func(t *testing.T, r result) {
				n := 0
				for i, name := range r.recs[0].Names {
					if name == "cs-uri-stem" {
						n++
						if n == 2 && r.recs[0].Values[i] != "/second" {
							t.Errorf("second cs-uri-stem = %q", r.recs[0].Values[i])
						}
					}
				}
				if n != 2 {
					t.Errorf("%d cs-uri-stem fields, want 2", n)
				}
			},
		},
		{
			name: "date from #Date when the layout has only time",
			input: "#Software: Microsoft Internet Information Services 6.0\n#Date: 2005-06-07 00:00:00\n#Fields: time c-ip cs-method cs-uri-stem sc-status\n" +
				"12:34:56 192.0.2.1 GET /default.htm 200\n",
			format: FormatIIS,
			want:   []want{{line: 4, time: ts("2005-06-07 12:34:56"), fields: map[string]string{"cs-method": "GET"}}},
		},
		{
			name: "HTTPERR",
			input: "#Software: Microsoft HTTP API 2.0\n#Version: 1.0\n#Date: 2022-09-29 10:00:00\n" +
				"#Fields: date time c-ip c-port s-ip s-port cs-version cs-method cs-uri streamid sc-status s-siteid s-reason s-queuename\n" +
				"2022-09-29 10:00:01 203.0.113.20 50412 10.0.0.5 443 HTTP/1.1 GET /autodiscover/autodiscover.json?@x.example/owa/ - 400 1 BadRequest MSExchangeAutodiscoverAppPool\n",
			path:   `C:\Windows\System32\LogFiles\HTTPERR\httperr1.log`,
			format: FormatHTTPErr, family: "httperr",
			want: []want{{line: 5, fields: map[string]string{
				"cs-uri": "/autodiscover/autodiscover.json?@x.example/owa/", "cs-uri-stem": "/autodiscover/autodiscover.json",
				"cs-uri-query": "@x.example/owa/", "c-uri": "/autodiscover/autodiscover.json?@x.example/owa/", "s-reason": "BadRequest"}}},
		},
		{
			name:   "IIS native format",
			input:  "192.168.114.201, -, 03/20/01, 7:55:20, W3SVC2, SERVER, 172.21.13.45, 4502, 163, 3223, 200, 0, GET, /DeptLogo.gif, -,\r\n",
			format: FormatIIS,
			want: []want{{line: 1, time: ts("2001-03-20 07:55:20"), fields: map[string]string{
				"c-ip": "192.168.114.201", "cs-username": "", "cs-method": "GET", "cs-uri-stem": "/DeptLogo.gif", "sc-status": "200", "s-sitename": "W3SVC2"}}},
		},
		{
			name:   "other W3C writer",
			input:  "#Version: 1.0\n#Software: Microsoft Windows Firewall\n#Fields: date time action protocol src-ip dst-ip\n2021-03-03 01:00:00 ALLOW TCP 192.0.2.1 192.0.2.2\n",
			format: FormatW3C, family: "w3c",
			want: []want{{line: 4, fields: map[string]string{"action": "ALLOW", "dst-ip": "192.0.2.2"}}},
		},
		{
			name:   "FTP site logs",
			input:  "#Software: Microsoft Internet Information Services 8.5\n#Fields: date time c-ip cs-username s-ip s-port cs-method cs-uri-stem sc-status\n2015-10-18 21:03:43 127.0.0.1 - 127.0.0.1 21 USER anonymous 331\n",
			path:   "LogFiles/FTPSVC2/u_ex151018.log",
			format: FormatIIS, family: "iis/FTPSVC2",
			want: []want{{line: 3, fields: map[string]string{"cs-method": "USER"}}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := tc.path
			if path == "" {
				path = "test.log"
			}
			r := readAll(t, []byte(tc.input), path)
			if !errors.Is(r.err, tc.wantErr) {
				t.Fatalf("err = %v, want %v", r.err, tc.wantErr)
			}
			if r.format != tc.format {
				t.Fatalf("format = %q, want %q", r.format, tc.format)
			}
			if tc.family != "" && r.family != tc.family {
				t.Errorf("family = %q, want %q", r.family, tc.family)
			}
			if len(r.recs) != len(tc.want) {
				t.Fatalf("%d records, want %d (stats %+v)", len(r.recs), len(tc.want), r.stats)
			}
			for i, w := range tc.want {
				rec := r.recs[i]
				if rec.Line != w.line {
					t.Errorf("record %d: line %d, want %d", i, rec.Line, w.line)
				}
				if !w.time.IsZero() && !rec.Time.Equal(w.time) {
					t.Errorf("record %d: time %v, want %v", i, rec.Time, w.time)
				}
				if tc.family != "" && rec.Family != tc.family {
					t.Errorf("record %d: family %q", i, rec.Family)
				}
				for k, v := range w.fields {
					if got := get(t, rec, k); got != v {
						t.Errorf("record %d: %s = %q, want %q", i, k, got, v)
					}
				}
			}
			if tc.check != nil {
				tc.check(t, r)
			}
		})
	}
}

func TestDecodeIISUserAgent(t *testing.T) {
	if got := DecodeIISUserAgent("Mozilla/5.0+(compatible;+MSIE+9.0)"); got != "Mozilla/5.0 (compatible; MSIE 9.0)" {
		t.Errorf("got %q", got)
	}
	if got := DecodeIISUserAgent("python-requests/2.25.1"); got != "python-requests/2.25.1" {
		t.Errorf("got %q", got)
	}
}

func TestIISFixtureFiles(t *testing.T) {
	r := readFile(t, fixture("inetpub", "logs", "LogFiles", "W3SVC1", "u_ex210303.log"))
	if r.err != nil || r.format != FormatIIS || r.family != "iis/W3SVC1" || len(r.recs) != 5 {
		t.Fatalf("err %v format %q family %q, %d records", r.err, r.format, r.family, len(r.recs))
	}
	last := r.recs[4]
	if got := get(t, last, "cs-uri-stem"); got != "/autodiscover/autodiscover.json" {
		t.Errorf("cs-uri-stem = %q", got)
	}
	if got := get(t, last, "cs-uri-query"); !strings.Contains(got, "X-Rps-CAT=") {
		t.Errorf("cs-uri-query = %q", got)
	}
	if got := DecodeIISUserAgent(get(t, last, "c-useragent")); got != "Python PSRP Client" {
		t.Errorf("user agent = %q", got)
	}
	if got := get(t, last, "X-Forwarded-For"); got != "" {
		t.Errorf("X-Forwarded-For = %q", got)
	}

	h := readFile(t, fixture("u_ex210823_headerless.log"))
	if h.err != nil || h.format != FormatIIS || len(h.recs) != 2 || h.stats.Malformed != 0 {
		t.Fatalf("headerless: err %v format %q, %d records, %+v", h.err, h.format, len(h.recs), h.stats)
	}

	e := readFile(t, fixture("HTTPERR", "httperr1.log"))
	if e.err != nil || e.format != FormatHTTPErr || e.family != "httperr" || len(e.recs) != 2 {
		t.Fatalf("httperr: err %v format %q family %q, %d records", e.err, e.format, e.family, len(e.recs))
	}
	if got := get(t, e.recs[1], "s-reason"); got != "Timer_ConnectionIdle" {
		t.Errorf("s-reason = %q", got)
	}
}

// TestDamagedIISLogIsRead: an IIS log whose valid header is followed by
// megabytes of binary junk (a damaged cluster in a disk image) is still an
// IIS log: the junk lines count as malformed and the requests after them
// are read.
func TestDamagedIISLogIsRead(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("#Software: Microsoft Internet Information Services 10.0\r\n#Version: 1.0\r\n#Date: 2021-03-03 00:00:00\r\n")
	b.WriteString("#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken\r\n")
	b.WriteString("2021-03-03 06:00:00 10.0.0.5 GET /owa/ - 443 - 192.0.2.10 Mozilla/5.0 - 200 0 0 15\r\n")
	rng := rand.New(rand.NewSource(7))
	junk := make([]byte, 3<<20)
	rng.Read(junk)
	b.Write(junk)
	b.WriteString("\r\n2021-03-03 06:49:42 10.0.0.5 POST /aspnet_client/system_web/x.aspx - 443 - 198.51.100.7 - - 200 0 0 31\r\n")
	rd, err := NewReader(bytes.NewReader(b.Bytes()), "inetpub/logs/LogFiles/W3SVC1/u_ex210303.log")
	if err != nil {
		t.Fatalf("damaged IIS log refused: %v", err)
	}
	if rd.Format() != FormatIIS {
		t.Fatalf("format %q", rd.Format())
	}
	var stems []string
	for {
		rec, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		v, _ := rec.Get("cs-uri-stem")
		stems = append(stems, v)
	}
	st := rd.Stats()
	if len(stems) != 2 || stems[1] != "/aspnet_client/system_web/x.aspx" {
		t.Errorf("records %q", stems)
	}
	if st.Malformed == 0 {
		t.Errorf("junk not counted as malformed: %+v", st)
	}
	// the same junk with no header before it is not a log
	if _, err := NewReader(bytes.NewReader(junk), "u_ex210303.log"); !errors.Is(err, ErrUnknownFormat) {
		t.Errorf("binary junk alone: %v", err)
	}
}
