package exchange

import (
	"strings"
	"testing"
)

const ex = InstallV15 + `\FrontEnd\HttpProxy\`

func TestUnshippedAuthPage(t *testing.T) {
	cases := map[string]bool{
		ex + `owa\auth\logon.aspx`:                           false,
		ex + `owa\auth\RedirSuiteServiceProxy.aspx`:          false, // Microsoft's
		ex + `owa\auth\RedirSuiteServerProxy.aspx`:           true,  // an attacker's name
		ex + `ecp\auth\TimeoutLogout.aspx`:                   false,
		ex + `ecp\auth\TimeoutLogout2.aspx`:                  true,
		ex + `owa\auth\15.2.858\themes\resources\x.aspx`:     true,
		ex + `owa\auth\15.2.858\themes\resources\logo.png`:   false,
		`C:\inetpub\wwwroot\aspnet_client\shell.aspx`:        true,
		`C:\inetpub\wwwroot\aspnet_client\system_web\a.ashx`: true,
		`C:\inetpub\wwwroot\default.aspx`:                    false,
		ex + `owa\global.asax`:                               false,
		"/mnt/img/inetpub/wwwroot/aspnet_client/x.asmx":      true,
	}
	for p, want := range cases {
		if got := UnshippedAuthPage(p); got != want {
			t.Errorf("UnshippedAuthPage(%s) = %v, want %v", p, got, want)
		}
	}
}

func TestShippedProxyPage(t *testing.T) {
	cases := map[string]bool{
		ex + `owa\auth\logon.aspx`:                               true,
		ex + `owa\auth\errorFE.aspx`:                             true,
		ex + `ecp\auth\TimeoutLogout.aspx`:                       true,
		ex + `owa\auth\TimeoutLogout.aspx`:                       false, // an ECP page in the OWA folder
		ex + `owa\auth\Current\logon.aspx`:                       false,
		ex + `ecp\global.asax`:                                   true,
		ex + `owa\auth\global.asax`:                              false, // one folder deep only
		ex + `owa\auth\shell.aspx`:                               false,
		`C:\inetpub\wwwroot\aspnet_client\logon.aspx`:            false,
		`D:\Exchange\FrontEnd\HttpProxy\owa\auth\OutlookCN.aspx`: true,
	}
	for p, want := range cases {
		if got := ShippedProxyPage(NormPath(p)); got != want {
			t.Errorf("ShippedProxyPage(%s) = %v, want %v", p, got, want)
		}
	}
}

func TestVdirPath(t *testing.T) {
	for p, want := range map[string]bool{
		"/owa/auth/logon.aspx": true, "/OWA": true, "/ecp/": true, "/Microsoft-Server-ActiveSync/default.eas": true,
		"/aspnet_client/system_web/x.aspx": true, "/autodiscover/autodiscover.json": true, "/": false,
		"/owaX/": false, "/shop/owa/": false, "": false, "/ews?x=1": true,
		"/" + strings.Repeat("a", 40): false,
	} {
		if got := VdirPath(p); got != want {
			t.Errorf("VdirPath(%q) = %v, want %v", p, got, want)
		}
	}
}

func TestWebAppVdir(t *testing.T) {
	for url, want := range map[string]bool{
		"/owa": true, "/ecp": true, "/microsoft-server-activesync": true, "/api": true,
		"/": false, "/aspnet_client": false, "/owa/auth": false, "/OWA": false, "/public": false,
	} {
		if got := WebAppVdir(url); got != want {
			t.Errorf("WebAppVdir(%q) = %v, want %v", url, got, want)
		}
	}
}

func TestURLPath(t *testing.T) {
	for p, want := range map[string]string{
		ex + `owa\auth\X.aspx`:                    "/owa/auth/x.aspx",
		`C:\inetpub\wwwroot\aspnet_client\a.aspx`: "/aspnet_client/a.aspx",
		`C:\Windows\Temp\a.aspx`:                  "",
		// a web folder copied or mounted on its own: from its virtual directory on
		"/mnt/web/owa/auth/Shell.aspx": "/owa/auth/shell.aspx",
		"/mnt/web/shell.aspx":          "",
	} {
		if got := URLPath(p); got != want {
			t.Errorf("URLPath(%s) = %q, want %q", p, got, want)
		}
	}
}

func TestExpandVars(t *testing.T) {
	env := map[string]string{"systemdrive": "C:", "windir": `C:\Windows`}
	lookup := func(name string) (string, bool) {
		v, ok := env[strings.ToLower(name)]
		return v, ok
	}
	for in, want := range map[string]string{
		`%systemdrive%\inetpub`:      `C:\inetpub`,
		`%WINDIR%\x\%SystemDrive%`:   `C:\Windows\x\C:`,
		`100%\x`:                     `100%\x`,
		`%nope%\%SystemDrive%\y`:     `%nope%\C:\y`,
		`%SystemDrive%%SystemDrive%`: `C:C:`,
		`a%b%windir%c`:               `a%bC:\Windowsc`,
		`%`:                          `%`,
		`no variables`:               `no variables`,
	} {
		if got := ExpandVars(in, lookup); got != want {
			t.Errorf("ExpandVars(%q) = %q, want %q", in, got, want)
		}
	}
}
