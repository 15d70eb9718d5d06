package scanner

import (
	"path"
	"strings"

	"exscan/internal/exchange"
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

// Classify returns the location class of a path (Windows or native).
func Classify(p string) string {
	n := exchange.NormPath(p)
	for _, f := range exchange.AuthFolders {
		if strings.Contains(n, f) {
			return LocAuth
		}
	}
	for _, f := range exchange.WebFolders {
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
