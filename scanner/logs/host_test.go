package logs

import (
	"bytes"
	"strings"
	"testing"
)

// TestRecordHost: the standard Host field carries the machine that wrote
// the record (IIS s-computername, HttpProxy ServerHostName), is empty
// when the field is "-" or absent, and is not left over on a skimmed
// record.
func TestRecordHost(t *testing.T) {
	iis := "#Software: Microsoft Internet Information Services 10.0\n#Fields: date time s-computername cs-method cs-uri-stem c-ip\n" +
		"2021-03-03 00:00:01 EXCH01 GET /owa/ 10.0.0.1\n" +
		"2021-03-03 00:00:02 - GET /skip-me 10.0.0.1\n" +
		"#Fields: date time cs-method cs-uri-stem c-ip\n" +
		"2021-03-03 00:00:03 GET /owa/ 10.0.0.1\n"
	proxy := "DateTime,RequestId,UrlStem,ClientIpAddress,ServerHostName,HttpStatus\n" +
		"2021-03-03T06:00:00.000Z,1,/ecp/y.js,10.0.0.1,EXCH02,200\n"
	cases := []struct {
		name, text string
		filter     bool
		want       []string
	}{
		{"iis", iis, false, []string{"EXCH01", "", ""}},
		{"iis skimmed", iis, true, []string{"EXCH01", "", ""}},
		{"httpproxy", proxy, false, []string{"EXCH02"}},
	}
	for _, c := range cases {
		r, err := NewReader(strings.NewReader(c.text), "x.log")
		if err != nil {
			t.Fatal(err)
		}
		if c.filter {
			r.SetFilter(func(line []byte) (bool, uint64) { return !bytes.Contains(line, []byte("skip-me")), NoHint })
		}
		var got []string
		for {
			rec, err := r.Next()
			if err != nil {
				break
			}
			got = append(got, rec.Host)
			if c := rec.Clone(); c.Host != rec.Host {
				t.Errorf("Clone lost Host")
			}
		}
		if strings.Join(got, ",") != strings.Join(c.want, ",") {
			t.Errorf("%s: hosts %q, want %q", c.name, got, c.want)
		}
	}
}
