package logs

import (
	"strings"
	"testing"
	"time"
)

func TestOAB(t *testing.T) {
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	download := `2021-03-03T06:56:40.552Z,OABGenerator,Warning,"Download failed and temporary file '\\127.0.0.1\c$\inetpub\wwwroot\aspnet_client\shell.aspx' needs to be removed."`
	cases := []struct {
		name   string
		input  string
		path   string
		format Format
		times  []time.Time
		msgs   []string
		check  func(t *testing.T, r result)
	}{
		{
			name:   "OAB text recognised by content",
			input:  lines("2021-03-03T06:55:12.480Z,OABGenerator,Information,\"OAB generation started\"", download, "", "continuation text without a time"),
			format: FormatOAB,
			times:  []time.Time{at("2021-03-03T06:55:12.480Z"), at("2021-03-03T06:56:40.552Z"), {}},
			msgs:   []string{"2021-03-03T06:55:12.480Z,OABGenerator,Information,\"OAB generation started\"", download, "continuation text without a time"},
		},
		{
			name:   "OABGeneratorLog folder breaks the tie",
			input:  lines("2021-03-03 06:55:12 generation of 'Default' started", "2021-03-03 06:55:13.250 done"),
			path:   `C:\Program Files\Microsoft\Exchange Server\V15\Logging\OABGeneratorLog\OABGen_20210303.LOG`,
			format: FormatOAB,
			times:  []time.Time{at("2021-03-03T06:55:12Z"), at("2021-03-03T06:55:13.25Z")},
		},
		{
			name: "Exchange CSV shaped OAB log",
			input: "DateTime,Level,Message\n#Software: Microsoft Exchange Server\n#Version: 15.01.2106.002\n#Log-type: OAB Generator Log\n#Fields: DateTime,Level,Message\n" +
				lines(download),
			format: FormatOAB,
			times:  []time.Time{at("2021-03-03T06:56:40.552Z")},
			msgs:   []string{download},
			check: func(t *testing.T, r result) {
				if r.recs[0].Line != 6 || r.stats.Directives != 5 {
					t.Errorf("line %d, %+v", r.recs[0].Line, r.stats)
				}
			},
		},
		{
			name:   "bad leading date",
			input:  lines("2021-13-45T00:00:00Z OABGenerator odd"),
			format: FormatOAB,
			times:  []time.Time{{}},
			check: func(t *testing.T, r result) {
				if r.stats.BadTime != 1 {
					t.Errorf("BadTime %d", r.stats.BadTime)
				}
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := tc.path
			if path == "" {
				path = "x.LOG"
			}
			r := readAll(t, []byte(tc.input), path)
			if r.err != nil || r.format != tc.format || r.family != "oab" {
				t.Fatalf("err %v format %q family %q", r.err, r.format, r.family)
			}
			if len(r.recs) != len(tc.times) {
				t.Fatalf("%d records, want %d", len(r.recs), len(tc.times))
			}
			for i, rec := range r.recs {
				if !rec.Time.Equal(tc.times[i]) {
					t.Errorf("record %d: time %v, want %v", i, rec.Time, tc.times[i])
				}
				if len(rec.Names) != 1 || rec.Names[0] != "Message" {
					t.Errorf("record %d: names %v", i, rec.Names)
				}
				if tc.msgs != nil && get(t, rec, "Message") != tc.msgs[i] {
					t.Errorf("record %d: Message %q", i, get(t, rec, "Message"))
				}
			}
			if tc.check != nil {
				tc.check(t, r)
			}
		})
	}
}

func TestOABFixture(t *testing.T) {
	r := readFile(t, fixture("OABGeneratorLog", "OABGenerator_2021030306-1.LOG"))
	if r.err != nil || r.format != FormatOAB || len(r.recs) != 3 {
		t.Fatalf("err %v %q, %d records", r.err, r.format, len(r.recs))
	}
	n := 0
	for _, rec := range r.recs {
		if strings.Contains(get(t, rec, "Message"), "Download failed and temporary file") {
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d download lines", n)
	}
}
