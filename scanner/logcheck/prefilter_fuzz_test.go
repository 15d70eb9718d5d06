package logcheck

import (
	"io"
	"slices"
	"strings"
	"testing"

	"exscan/iocs"
	"exscan/rules"
	"exscan/rules/sigmacases"
	"exscan/scanner/finding"
	"exscan/scanner/logs"
)

// FuzzPrefilter: the line prefilter never rules out a line that the full
// checks would report, and for a line it keeps with a hint, the hinted
// checks give what the full checks give. Lines are read as IIS W3C, as
// HttpProxy CSV and as an RPS cmdlet log, against the built-in rules plus
// the test rules of testdata/sigma/user (keyword rules among them), seeded
// with every Sigma fixture.
func FuzzPrefilter(f *testing.F) {
	cf, err := sigmacases.Load("../../testdata/sigma/cases.yml")
	if err != nil {
		f.Fatal(err)
	}
	for _, c := range cf.Cases {
		if text, _, err := c.LogText(cf.Headers); err == nil {
			lines := strings.Split(strings.TrimRight(text, "\r\n"), "\r\n")
			f.Add(lines[len(lines)-1])
		}
	}
	for _, l := range []string{ // indicator hits no rule shares a literal with
		"2021-03-03 06:49:42 10.0.0.5 POST /EWS/Exchange.asmx - 443 - ::ffff:5669:1274 Mozilla/5.0 - 200 0 0 210",
		"2021-03-03 06:49:43 10.0.0.5 POST /EWS/Exchange.asmx - 443 - 86.105.18.116 Mozilla/5.0 - 200 0 0 210",
		"2021-03-03 06:49:44 10.0.0.5 POST /EWS/Exchange.asmx - 443 - 10.1.1.1 ExchangeServicesClient/0.0.0.0 - 200 0 0 210",
		"2021-03-03 06:49:45 10.0.0.5 GET /aspnet_client/system_web/OutlookZH.aspx - 443 - 10.1.1.1 Mozilla/5.0 - 200 0 0 210",
		"2021-03-03 06:49:46 10.0.0.5 GET /owa/auth/fuzzshell.aspx - 443 - 10.1.1.1 Mozilla/5.0 - 200 0 0 210",
		"2021-03-03 06:49:47 10.0.0.5 POST /EWS/Exchange.asmx - 443 - 0:0:0:0:0:FFFF:5669:1274 Mozilla/5.0 - 200 0 0 210",
		`2021-08-23T09:14:02.311Z,2021-08-23T09:14:02.101Z,9c5d4a6e-1b7f-4dc0-9e0a-5f6b7c8d9ea4,,7712,w3wp#MSExchangePowerShellAppPool,CONTOSO\administrator,S-1-5-21-1-2-3-500,True,,New-MailboxExportRequest,"-FilePath ""\\127.0.0.1\c$\inetpub\wwwroot\aspnet_client\rgbyw.aspx"" -Mailbox ""administrator@contoso.com""",Success,210,,`,
		`2021-08-23T09:14:02.311Z,2021-08-23T09:14:02.101Z,9c5d4a6e-1b7f-4dc0-9e0a-5f6b7c8d9ea4,,7712,w3wp#MSExchangePowerShellAppPool,CONTOSO\administrator,S-1-5-21-1-2-3-500,True,,Set-Foo,-FilePath \\srv\share\x.aspx,Success,210,,`,
	} {
		f.Add(l)
	}
	ss, errs := rules.LoadSigma(true, []string{"../../testdata/sigma/user"})
	if len(errs) > 0 {
		f.Fatal(errs)
	}
	set, err := iocs.Builtin()
	if err != nil {
		f.Fatal(err)
	}
	c := New(ss, set)
	pf := c.Prefilter([]string{"/owa/auth/fuzzshell.aspx"})
	rps := "DateTime,StartTime,RequestId,ClientRequestId,ProcessId,ProcessName,AuthenticatedUser,ExecutingUserSid,IsAdmin,ClientApplication,Cmdlet,Parameters,ExecutionResult,Latency,Error,GenericInfo"
	heads := map[logs.Format]string{
		logs.FormatIIS: "#Software: Microsoft Internet Information Services 10.0\r\n#Fields: " + logs.DefaultIISFields + "\r\n",
		logs.FormatHttpProxy: cf.Headers["httpproxy"] + "\r\n#Software: Microsoft Exchange Server\r\n#Log-type: HttpProxy Logs\r\n#Fields: " +
			cf.Headers["httpproxy"] + "\r\n",
		logs.FormatRPS: rps + "\r\n#Software: Microsoft Exchange Server\r\n#Log-type: Rps Cmdlet Logs\r\n#Fields: " + rps + "\r\n",
	}
	names := map[logs.Format]string{
		logs.FormatIIS:       "inetpub/logs/LogFiles/W3SVC1/u_ex210303.log",
		logs.FormatHttpProxy: "V15/Logging/HttpProxy/Ecp/HttpProxy_2021030306-1.LOG",
		logs.FormatRPS:       "V15/Logging/CmdletInfra/Powershell-Proxy/Cmdlet/Rps_Cmdlet_2021082309-1.LOG",
	}
	ids := func(rs []finding.Reason) []string {
		var out []string
		for _, r := range rs {
			out = append(out, r.Rule)
		}
		slices.Sort(out)
		return out
	}
	f.Fuzz(func(t *testing.T, line string) {
		if strings.ContainsAny(line, "\r\n") || len(line) > 4096 {
			return
		}
		for format, head := range heads {
			rd, err := logs.NewReader(strings.NewReader(head+line+"\r\n"), names[format])
			if err != nil || rd.Format() != format {
				continue
			}
			rec, err := rd.Next()
			if err == io.EOF || err != nil {
				continue
			}
			full := c.Check(rec)
			keep := pf.Keep(format)
			if keep == nil {
				t.Fatalf("%s: no prefilter", format)
			}
			kept, hint := keep(rec.Raw)
			if !kept {
				if len(full) > 0 {
					t.Fatalf("%s: line ruled out, but the checks report %v: %q", format, ids(full), rec.Raw)
				}
				continue
			}
			rec.Hint = hint
			if got := pf.Check(c, rec); !slices.Equal(ids(got), ids(full)) {
				t.Fatalf("%s: hinted checks %v, full checks %v: %q", format, ids(got), ids(full), rec.Raw)
			}
		}
	})
}
