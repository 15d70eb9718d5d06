package scanner

import (
	"path"
	"strings"
)

// Location classes of a file on an Exchange host, from its Windows path.
// They drive the Exchange-aware scoring in score.go.
const (
	LocAuth     = "exchange-auth" // owa\auth, ecp\auth, aspnet_client: where HAFNIUM-era webshells were planted
	LocWeb      = "web"           // any other Exchange or IIS web folder
	LocTemp     = "temp"          // Windows\Temp, C:\root
	LocProgData = "programdata"
	LocOther    = "other"
)

// aspnetExt are the extensions IIS executes as ASP.NET (or classic ASP).
var aspnetExt = map[string]bool{".aspx": true, ".ashx": true, ".asmx": true, ".asax": true, ".asp": true, ".ascx": true, ".cshtml": true, ".svc": true}

// IsScriptPage says whether IIS would execute a file with this name.
func IsScriptPage(name string) bool {
	return aspnetExt[strings.ToLower(path.Ext(name))]
}

// normPath lower-cases a Windows or native path and uses '/' throughout.
func normPath(p string) string {
	return strings.ToLower(strings.ReplaceAll(p, `\`, "/"))
}

var authFolders = []string{
	"/frontend/httpproxy/owa/auth/",
	"/frontend/httpproxy/ecp/auth/",
	"/inetpub/wwwroot/aspnet_client/",
}

var webFolders = []string{
	"/frontend/httpproxy/",
	"/clientaccess/",
	"/inetpub/wwwroot/",
}

// Classify returns the location class of a path (Windows or native).
func Classify(p string) string {
	n := normPath(p)
	for _, f := range authFolders {
		if strings.Contains(n, f) {
			return LocAuth
		}
	}
	for _, f := range webFolders {
		if strings.Contains(n, f) {
			return LocWeb
		}
	}
	switch {
	case strings.Contains(n, "/windows/temp/"), strings.HasPrefix(n, "c:/root/"):
		return LocTemp
	case strings.Contains(n, "/programdata/"):
		return LocProgData
	}
	return LocOther
}

// baselinePages are the ASP.NET pages Microsoft ships in the auth folders
// (derived from the per-build file baselines Microsoft published for
// Exchange 2013-2019). Anything else with an ASP.NET extension there is
// outside every baseline.
var baselinePages = map[string]map[string]bool{
	"/frontend/httpproxy/owa/auth/": {
		"errorfe.aspx": true, "expiredpassword.aspx": true, "frowny.aspx": true,
		"logoff.aspx": true, "logon.aspx": true, "outlookcn.aspx": true,
		"redirsuiteserviceproxy.aspx": true, "signout.aspx": true, "svmfeedback.aspx": true,
	},
	"/frontend/httpproxy/ecp/auth/":   {"timeoutlogout.aspx": true},
	"/inetpub/wwwroot/aspnet_client/": {},
}

// UnexpectedAuthPage reports whether p is an ASP.NET page in an Exchange
// auth folder (or aspnet_client) that Microsoft does not ship there.
func UnexpectedAuthPage(p string) bool {
	n := normPath(p)
	ext := path.Ext(n)
	if ext != ".aspx" && ext != ".ashx" && ext != ".asmx" && ext != ".asax" {
		return false
	}
	for folder, pages := range baselinePages {
		i := strings.Index(n, folder)
		if i < 0 {
			continue
		}
		rest := n[i+len(folder):]
		if !strings.Contains(rest, "/") && pages[rest] {
			return false
		}
		return true
	}
	return false
}
