// Package exchange is what exscan knows about an Exchange server as a
// Windows host, in one place: where Exchange is installed, the folders IIS
// serves it from and the URL paths they map to, Exchange's virtual
// directories, the pages Microsoft ships in the folders webshells were
// planted in, the default Windows environment and how %NAME% variables in
// paths are expanded. It imports nothing of exscan's, so the scanner, the
// indicator lists and the host discovery all read the same facts.
package exchange

import (
	"path"
	"sort"
	"strings"
)

// Default install folders of Exchange 2013-2019 (V15) and 2010 (V14).
const (
	InstallV15 = `C:\Program Files\Microsoft\Exchange Server\V15`
	InstallV14 = `C:\Program Files\Microsoft\Exchange Server\V14`
)

// WindowsEnv is the environment of a Windows host seen through an image:
// the values Windows sets on a default install. Names are written as
// Windows writes them; look them up case-insensitively.
var WindowsEnv = map[string]string{
	"SystemDrive":       `C:`,
	"SystemRoot":        `C:\Windows`,
	"windir":            `C:\Windows`,
	"ProgramFiles":      `C:\Program Files`,
	"ProgramFiles(x86)": `C:\Program Files (x86)`,
	"ProgramData":       `C:\ProgramData`,
	"ALLUSERSPROFILE":   `C:\ProgramData`,
}

// NormPath is the form the functions below compare paths in: lower case,
// with '/' for '\'. It takes Windows and native paths alike.
func NormPath(p string) string {
	return strings.ToLower(strings.ReplaceAll(p, `\`, "/"))
}

// webRoots are the folders IIS serves Exchange and the default web site
// from (in NormPath form): below them a file's path is its URL path.
var webRoots = []string{"/frontend/httpproxy/", "/inetpub/wwwroot/"}

// WebFolders are the Exchange and IIS web folders (NormPath form): the web
// roots and the back end's ClientAccess folder.
var WebFolders = []string{"/frontend/httpproxy/", "/clientaccess/", "/inetpub/wwwroot/"}

// shippedAuthPages are the ASP.NET pages Microsoft ships in the folders
// HAFNIUM-era webshells were planted in (from the per-build file baselines
// Microsoft published for Exchange 2013-2019, as CSS-Exchange lists them):
// folder (NormPath form) to page names. aspnet_client ships none.
var shippedAuthPages = map[string]map[string]bool{
	"/frontend/httpproxy/owa/auth/": {
		"errorfe.aspx": true, "expiredpassword.aspx": true, "frowny.aspx": true,
		"logoff.aspx": true, "logon.aspx": true, "outlookcn.aspx": true,
		"redirsuiteserviceproxy.aspx": true, "signout.aspx": true, "svmfeedback.aspx": true,
	},
	"/frontend/httpproxy/ecp/auth/":   {"timeoutlogout.aspx": true},
	"/inetpub/wwwroot/aspnet_client/": {},
}

// AuthFolders are the folders of shippedAuthPages, in a fixed order.
var AuthFolders = []string{
	"/frontend/httpproxy/owa/auth/",
	"/frontend/httpproxy/ecp/auth/",
	"/inetpub/wwwroot/aspnet_client/",
}

// UnshippedAuthPage reports whether p (any path form) is an ASP.NET page
// directly in one of the AuthFolders that Microsoft does not ship there.
// A page in a subfolder of one of them counts as not shipped.
func UnshippedAuthPage(p string) bool {
	n := NormPath(p)
	switch path.Ext(n) {
	case ".aspx", ".ashx", ".asmx", ".asax":
	default:
		return false
	}
	for _, folder := range AuthFolders {
		i := strings.Index(n, folder)
		if i < 0 {
			continue
		}
		rest := n[i+len(folder):]
		return strings.Contains(rest, "/") || !shippedAuthPages[folder][rest]
	}
	return false
}

// ProxyAuthPages lists the pages of shippedAuthPages under
// FrontEnd\HttpProxy, relative to it ("owa/auth/logon.aspx"), sorted.
func ProxyAuthPages() []string {
	const proxy = "/frontend/httpproxy/"
	var out []string
	for folder, pages := range shippedAuthPages {
		rel, ok := strings.CutPrefix(folder, proxy)
		if !ok {
			continue
		}
		for page := range pages {
			out = append(out, rel+page)
		}
	}
	sort.Strings(out)
	return out
}

// ShippedProxyPage reports whether n (NormPath form) is a page Microsoft
// ships under FrontEnd\HttpProxy: a page of its auth folders, or the
// global.asax of one of its virtual directories.
func ShippedProxyPage(n string) bool {
	const proxy = "/frontend/httpproxy/"
	i := strings.LastIndex(n, proxy)
	if i < 0 {
		return false
	}
	rest := n[i+len(proxy):]
	dir, file := path.Split(rest)
	if shippedAuthPages[proxy+dir][file] {
		return true
	}
	vdir, file, ok := strings.Cut(rest, "/")
	return ok && vdir != "" && file == "global.asax"
}

// vdirs are the first URL path segments Exchange serves (front end and
// back end), lower case, and aspnet_client, where Exchange-era webshells
// were planted.
var vdirs = map[string]bool{
	"owa": true, "ecp": true, "ews": true, "autodiscover": true, "mapi": true, "rpc": true,
	"rpcwithcert": true, "oab": true, "powershell": true, "microsoft-server-activesync": true,
	"aspnet_client": true, "exchange": true, "exchweb": true, "public": true, "api": true,
	"psws": true, "pushnotifications": true,
}

// webAppVdirs are the virtual directories of Exchange's web applications
// (OWA, ECP and the others), as IIS's configuration names them.
var webAppVdirs = map[string]bool{
	"/owa": true, "/ecp": true, "/ews": true, "/autodiscover": true, "/mapi": true, "/rpc": true,
	"/oab": true, "/microsoft-server-activesync": true, "/powershell": true, "/api": true,
}

// WebAppVdir reports whether url (lower case, no trailing '/') is the
// virtual directory of one of Exchange's web applications.
func WebAppVdir(url string) bool { return webAppVdirs[url] }

// VdirPath reports whether a URL path is under one of Exchange's virtual
// directories (or aspnet_client).
func VdirPath(p string) bool {
	p = strings.TrimLeft(p, "/")
	seg, _, _ := strings.Cut(p, "/")
	seg, _, _ = strings.Cut(seg, "?")
	// ASCII segments are lower-cased on the stack (this runs for every
	// log record); others go through strings.ToLower, whose Unicode
	// mappings can yield ASCII letters
	var buf [32]byte
	if len(seg) > len(buf) {
		return vdirs[strings.ToLower(seg)]
	}
	for i := 0; i < len(seg); i++ {
		c := seg[i]
		if c >= 0x80 {
			return vdirs[strings.ToLower(seg)]
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	return vdirs[string(buf[:len(seg)])]
}

// URLPath maps a file's path to the URL path IIS serves it under (lower
// case), for the Exchange front end and the default web site; "" if none.
// A path without those folders (a web folder copied or mounted on its own,
// such as /mnt/web/owa/auth) is served from its first Exchange virtual
// directory on (/owa/auth/...).
func URLPath(p string) string {
	n := NormPath(p)
	for _, root := range webRoots {
		if i := strings.Index(n, root); i >= 0 {
			return "/" + n[i+len(root):]
		}
	}
	segs := strings.Split(n, "/")
	for i := 0; i < len(segs)-1; i++ {
		if segs[i] != "" && VdirPath("/"+segs[i]) {
			return "/" + strings.Join(segs[i:], "/")
		}
	}
	return ""
}

// ExpandVars replaces each %NAME% in s that lookup knows with its value;
// unknown names and a lone % stay as written.
func ExpandVars(s string, lookup func(name string) (string, bool)) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '%')
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i+1:], '%')
		if j < 0 {
			break
		}
		v, ok := lookup(s[i+1 : i+1+j])
		if !ok {
			b.WriteString(s[:i+1])
			s = s[i+1:]
			continue
		}
		b.WriteString(s[:i])
		b.WriteString(v)
		s = s[i+j+2:]
	}
	b.WriteString(s)
	return b.String()
}
