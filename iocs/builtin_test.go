package iocs

import (
	"strings"
	"testing"

	"exscan/internal/exchange"
)

func builtinSet(t testing.TB) *Set {
	t.Helper()
	s, err := Builtin()
	if err != nil {
		t.Fatalf("Builtin: %v", err)
	}
	return s
}

func TestBuiltinLoadsEveryKind(t *testing.T) {
	s := builtinSet(t)
	c := s.Counts()
	for _, k := range []Kind{KindSHA256, KindSHA1, KindMD5, KindFilename, KindPath, KindIP, KindUserAgent, KindURL, KindDomain} {
		if c[k] == 0 {
			t.Errorf("no built-in %s entries", k)
		}
	}
	t.Logf("%d built-in entries: %v", s.Len(), c)
}

// Every built-in entry is well formed and traceable: source with a URL,
// date, at least one campaign the knowledge base knows, a severity that
// follows the policy in severity.go.
func TestBuiltinEntries(t *testing.T) {
	s := builtinSet(t)
	kb := campaigns()
	for _, e := range s.entries {
		at := e.File + ":" + itoa(e.Line)
		if e.Source == "" || !strings.HasPrefix(e.Reference, "https://") {
			t.Errorf("%s: source %q, reference %q", at, e.Source, e.Reference)
		}
		if !validDate(e.Date) {
			t.Errorf("%s: date %q", at, e.Date)
		}
		if e.Description == "" {
			t.Errorf("%s: no description", at)
		}
		if len(e.Campaigns) == 0 {
			t.Errorf("%s: no campaign", at)
		}
		for _, c := range e.Campaigns {
			if _, ok := kb[c]; !ok {
				t.Errorf("%s: campaign %q is not in the knowledge base", at, c)
			}
		}
		if severityRank(e.Severity) < 0 {
			t.Errorf("%s: severity %q", at, e.Severity)
		}
		switch e.Kind {
		case KindMD5, KindSHA1, KindSHA256:
			if hashKind(e.Value) != e.Kind || e.Value != strings.ToLower(e.Value) {
				t.Errorf("%s: %q is not a lower-case %s digest", at, e.Value, e.Kind)
			}
			if e.Severity != SeverityCritical {
				t.Errorf("%s: a known-bad hash is %s, want critical", at, e.Severity)
			}
		case KindIP, KindDomain:
			if e.Severity != SeverityHigh {
				t.Errorf("%s: a known-bad %s is %s, want high", at, e.Kind, e.Severity)
			}
		case KindUserAgent:
			if e.Severity != SeverityMedium && e.Severity != SeverityLow {
				t.Errorf("%s: a user agent is %s, want medium (or low for a stock browser string)", at, e.Severity)
			}
		case KindFilename, KindPath, KindURL:
			if e.Severity == SeverityCritical {
				t.Errorf("%s: a name or path alone is critical", at)
			}
			if namesBaselinePage(e.Value) && severityRank(e.Severity) > severityRank(SeverityLow) {
				t.Errorf("%s: %q names a page Microsoft ships but is %s, want low", at, e.Value, e.Severity)
			}
		}
	}
}

// namesBaselinePage reports whether a path or pattern ends in the file name
// of one of the pages Microsoft ships under FrontEnd\HttpProxy.
func namesBaselinePage(v string) bool {
	v = strings.ToLower(strings.NewReplacer(`\.`, ".", `\\`, `\`, "$", "").Replace(v))
	for _, p := range exchange.ProxyAuthPages() {
		name := p[strings.LastIndexByte(p, '/')+1:]
		if strings.HasSuffix(v, `\`+name) || strings.HasSuffix(v, "/"+name) {
			return true
		}
	}
	return false
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

// baselinePaths are the pages Microsoft ships under FrontEnd\HttpProxy,
// below the given install path.
func baselinePaths(install string) []string {
	var out []string
	for _, p := range exchange.ProxyAuthPages() {
		out = append(out, install+`\FrontEnd\HttpProxy\`+strings.ReplaceAll(p, "/", `\`))
	}
	for _, vdir := range []string{"owa", "ecp", "ews", "autodiscover", "mapi", "oab", "powershell", "rpc", "sync", "owa-liveid"} {
		out = append(out, install+`\FrontEnd\HttpProxy\`+vdir+`\global.asax`)
	}
	return out
}

// The pages Microsoft ships never yield a high or critical entry from Path
// alone, neither from the built-in lists nor from a user list that flags
// every .aspx in the auth folders; a page that is not Microsoft's still does.
func TestBaselinePagesNeverHighFromPath(t *testing.T) {
	s := builtinSet(t)
	user := NewSet()
	if n, errs := user.LoadFile(writeFile(t, "filename-iocs.txt",
		"# every aspx in an auth folder\n\\\\FrontEnd\\\\HttpProxy\\\\(owa|ecp)\\\\auth\\\\.*\\.aspx$;100\n\\\\global\\.asax$;90\n")); n != 2 || errs != nil {
		t.Fatalf("user list: %d, %v", n, errs)
	}
	s.Merge(user)
	check := func(install string) {
		for _, p := range baselinePaths(install) {
			hits := s.Path(p)
			for _, e := range hits {
				if severityRank(e.Severity) > severityRank(SeverityLow) {
					t.Errorf("Path(%s) gives a %s entry: %s %s", p, e.Severity, e.File, e.Value)
				}
			}
			if strings.HasSuffix(strings.ToLower(p), "timeoutlogout.aspx") && len(hits) == 0 {
				t.Errorf("Path(%s): the MSTIC path IOC should still be reported, at low", p)
			}
		}
		shell := install + `\FrontEnd\HttpProxy\owa\auth\OutlookZH.aspx`
		if es := s.Path(shell); len(es) == 0 || es[0].Severity != SeverityHigh {
			t.Errorf("Path(%s) = %v, want a high entry", shell, es)
		}
	}
	check(`C:\Program Files\Microsoft\Exchange Server\V15`)
	s.SetVars(map[string]string{"ExchangeInstallPath": `E:\Apps\Exchange\`})
	check(`E:\Apps\Exchange`)
	check(`e:/apps/exchange`)
}

func TestBuiltinLookups(t *testing.T) {
	s := builtinSet(t)
	for _, tc := range []struct {
		what   string
		got    []*Entry
		source string
	}{
		{"MSTIC sha256, upper case", s.Hash("8E90ED33C7EE82C0B64078EA36EC95F7420BA435C693B3B3DD728B494ABF7DFC"), "mstic-exchange-2021"},
		{"MSTIC md5 of the same file", s.Hash("4ef04cba6bec2c3a164b9b755efbeb1c"), "mstic-exchange-2021"},
		{"MSTIC sha1 of the same file", s.Hash("49644cbbb9d234bd4f7a47ed596c8bbfefd39065"), "mstic-exchange-2021"},
		{"HAFNIUM blog hash only in the blog", s.Hash("097549cf7d0f76f0d99edf8b2d91c60977fd6a96e4b8c3c94b0b1733dc026d3e"), "microsoft-hafnium-blog"},
		{"CISA supp0rt.aspx md5", s.Hash("77318f5e9fc9b143a7877d7db5fe1002"), "cisa-ar21-084a"},
		{"DropHell", s.Hash("742fd14cd1d53e3bd7a38e7f90956b3dc4185c2a31fccd0afc673cb98bbbefe6"), "fastfinder-drophell"},
		{"DearCry", s.Hash("feb3e6d30ba573ba23f3bd1291ca173b7879706d1fe039c34d53a4fdcdf33ede"), "unit42-dearcry"},
		{"Volexity IP", s.IP("165.232.154.116"), "trustedsec-hafnium"},
		{"Volexity IP", s.IP("103.77.192.219"), "volexity-exchange-marauder"},
		{"CHIRP-only IP", s.IP("91.192.103.43"), "cisa-chirp-aa21-062a"},
		{"HAFNIUM UA in IIS form", s.UserAgent("DuckDuckBot/1.0;+(+http://duckduckgo.com/duckduckbot.html)"), "cisa-chirp-aa21-062a"},
		{"HAFNIUM UA with spaces", s.UserAgent("Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)"), "cisa-chirp-aa21-062a"},
		{"ProxyShell PSRP UA", s.UserAgent("Python PSRP Client"), "aptsimulator-hafnium-dummy"},
		{"MSTIC webshell URL", s.URL("/owa/auth/8Lw7tAhF9i1pJnRo.aspx"), "mstic-exchange-2021"},
		{"TrustedSec webshell URL", s.URL("/owa/auth/Current/themes/resources/OutlookEN.aspx"), "trustedsec-hafnium"},
		{"MSTIC domain, subdomain", s.Domain("x.brian.krebsonsecurity.top"), "mstic-exchange-2021"},
		{"MSTIC aspnet_client path", s.Path(`C:\inetpub\wwwroot\aspnet_client\xclkmcfldfi948398430fdjkfdkj.aspx`), "mstic-exchange-2021"},
		{"Test-ProxyLogon LSASS dump", s.Path(`C:\root\lsass.dmp`), "css-exchange-test-proxylogon"},
		{"DropHell ZING folder", s.Path(`C:\ProgramData\ZING\x.aspx`), "fastfinder-drophell"},
		{"ProxyNotShell name", s.Path(`C:\Program Files\Microsoft\Exchange Server\V15\FrontEnd\HttpProxy\owa\auth\owafonts.aspx`), "signature-base"},
	} {
		found := false
		for _, e := range tc.got {
			found = found || e.Source == tc.source
		}
		if !found {
			t.Errorf("%s: no entry from %s in %d hits", tc.what, tc.source, len(tc.got))
		}
	}
	none(t, "a real Googlebot UA", s.UserAgent("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"))
	none(t, "the OWA logon page", s.URL("/owa/auth/logon.aspx"))
	none(t, "the ECP timeout page", s.URL("/ecp/auth/TimeoutLogout.aspx"))
	none(t, "an ordinary OWA script", s.Path(`C:\Program Files\Microsoft\Exchange Server\V15\FrontEnd\HttpProxy\owa\auth\15.2.1118\scripts\premium\flogon.js`))
}

// Each Builtin call is its own set: rebasing one leaves the next alone.
func TestBuiltinSetsAreIndependent(t *testing.T) {
	a := builtinSet(t)
	a.SetVars(map[string]string{"ExchangeInstallPath": `D:\Ex`, "SystemRoot": `D:\W`})
	b := builtinSet(t)
	shell := `\FrontEnd\HttpProxy\owa\auth\OutlookZH.aspx`
	if len(a.Path(`D:\Ex`+shell)) == 0 || len(b.Path(`D:\Ex`+shell)) != 1 { // b: the signature-base regex only
		t.Errorf("rebased set: %d hits; fresh set: %d hits", len(a.Path(`D:\Ex`+shell)), len(b.Path(`D:\Ex`+shell)))
	}
	one(t, "fresh set, default LSASS path", b.Path(`C:\Windows\Temp\lsass.dmp`))
	one(t, "rebased set, LSASS path", a.Path(`D:\W\Temp\lsass.dmp`))
	if a.Len() != b.Len() {
		t.Errorf("Len %d != %d", a.Len(), b.Len())
	}
}
