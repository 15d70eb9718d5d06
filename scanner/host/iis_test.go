package host

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// An Exchange server's applicationHost.config, cut down: Exchange on D:,
// the default site logging to a custom folder, the back end site to the
// default one, OWA/ECP virtual directories pointing into the install.
const appHostExchangeOnD = `<?xml version="1.0" encoding="UTF-8"?>
<configuration>
  <system.applicationHost>
    <log centralLogFileMode="Site" />
    <sites>
      <site name="Default Web Site" id="1" serverAutoStart="true">
        <application path="/" applicationPool="DefaultAppPool">
          <virtualDirectory path="/" physicalPath="%SystemDrive%\inetpub\wwwroot" />
          <virtualDirectory path="/aspnet_client" physicalPath="E:\web\aspnet_client" />
        </application>
        <application path="/owa" applicationPool="MSExchangeOWAAppPool">
          <virtualDirectory path="/" physicalPath="D:\Exchange\V15\FrontEnd\HttpProxy\owa" />
        </application>
        <application path="/ecp" applicationPool="MSExchangeECPAppPool">
          <virtualDirectory path="/" physicalPath="D:\Exchange\V15\FrontEnd\HttpProxy\ecp" />
        </application>
        <application path="/Custom" applicationPool="X">
          <virtualDirectory path="/" physicalPath="E:\custom" />
        </application>
        <logFile directory="D:\IISLogs" />
      </site>
      <site name="Exchange Back End" id="2">
        <application path="/" applicationPool="MSExchangeServicesAppPool">
          <virtualDirectory path="/" physicalPath="D:\Exchange\V15\ClientAccess\exchweb\ews" />
        </application>
        <application path="/ecp" applicationPool="MSExchangeECPAppPool">
          <virtualDirectory path="/" physicalPath="D:\Exchange\V15\ClientAccess\ecp" />
        </application>
      </site>
      <siteDefaults>
        <logFile logFormat="W3C" directory="%SystemDrive%\inetpub\logs\LogFiles" />
      </siteDefaults>
    </sites>
  </system.applicationHost>
</configuration>
`

func TestParseAppHostConfig(t *testing.T) {
	c, err := ParseAppHostConfig(strings.NewReader(appHostExchangeOnD), imageEnv)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Sites) != 2 {
		t.Fatalf("sites: %+v", c.Sites)
	}
	def, be := c.Sites[0], c.Sites[1]
	if def.LogFolder() != `D:\IISLogs\W3SVC1` {
		t.Errorf("default site log folder %q", def.LogFolder())
	}
	if be.LogFolder() != `C:\inetpub\logs\LogFiles\W3SVC2` {
		t.Errorf("back end log folder %q (siteDefaults with %%SystemDrive%% expanded)", be.LogFolder())
	}
	want := map[string]string{
		"/":              `C:\inetpub\wwwroot`,
		"/aspnet_client": `E:\web\aspnet_client`,
		"/owa":           `D:\Exchange\V15\FrontEnd\HttpProxy\owa`,
		"/ecp":           `D:\Exchange\V15\FrontEnd\HttpProxy\ecp`,
		"/custom":        `E:\custom`,
	}
	got := map[string]string{}
	for _, d := range def.Dirs {
		got[d.URL] = d.Physical
	}
	for u, p := range want {
		if got[u] != p {
			t.Errorf("%s: %q, want %q", u, got[u], p)
		}
	}
	if ip := c.installPaths(); len(ip) != 1 || ip[0] != `D:\Exchange\V15` {
		t.Errorf("install paths from the virtual directories: %q", ip)
	}
	if c.CentralLogDir != "" {
		t.Errorf("central log folder %q with per-site logging", c.CentralLogDir)
	}
}

func TestParseAppHostConfigCentralLogAndNoDefaults(t *testing.T) {
	const cfg = `<configuration><system.applicationHost>
<log centralLogFileMode="CentralW3C"><centralW3CLogFile enabled="true" directory="%SystemDrive%\central" /></log>
<sites><site name="a" id="7"><application path="/"><virtualDirectory path="/" physicalPath="%UNKNOWN%\x" /></application></site></sites>
</system.applicationHost></configuration>`
	c, err := ParseAppHostConfig(strings.NewReader(cfg), imageEnv)
	if err != nil {
		t.Fatal(err)
	}
	if c.CentralLogDir != `C:\central` {
		t.Errorf("central log folder %q", c.CentralLogDir)
	}
	if got := c.Sites[0].LogFolder(); got != `C:\inetpub\logs\LogFiles\W3SVC7` {
		t.Errorf("IIS's default log folder: %q", got)
	}
	if got := c.Sites[0].Dirs[0].Physical; got != `%UNKNOWN%\x` {
		t.Errorf("an unknown variable must stay as it is: %q", got)
	}
	if _, err := ParseAppHostConfig(strings.NewReader("<configuration><system.applicationHost>"), imageEnv); err == nil {
		t.Error("no error for a truncated config")
	}
}

// TestExpandEnv: names are looked up in any case, as Windows does
// (expansion itself is exchange.ExpandVars).
func TestExpandEnv(t *testing.T) {
	env := map[string]string{"SystemDrive": "C:", "windir": `C:\Windows`}
	if got := expandEnv(`%systemdrive%\inetpub\%WINDIR%\%nope%`, env); got != `C:\inetpub\C:\Windows\%nope%` {
		t.Errorf("got %q", got)
	}
}

// An image of that server: C: is the root, D: and E: sit next to it. The
// Exchange install on D:, the custom IIS log folder, the aspnet_client on
// E: are all found from the config, and folders inside ones already
// scanned are not scanned twice.
func TestDiscoverReadsAppHostConfig(t *testing.T) {
	base := t.TempDir()
	root := filepath.Join(base, "C")
	mkdirs(t, root, "inetpub/wwwroot", "inetpub/logs/LogFiles/W3SVC2", "Windows/System32/inetsrv/config")
	mkdirs(t, filepath.Join(base, "D"), "Exchange/V15/FrontEnd/HttpProxy/owa", "Exchange/V15/FrontEnd/HttpProxy/ecp",
		"Exchange/V15/ClientAccess/ecp", "Exchange/V15/Logging", "IISLogs/W3SVC1")
	mkdirs(t, filepath.Join(base, "E"), "web/aspnet_client", "custom")
	if err := os.WriteFile(filepath.Join(root, "Windows/System32/inetsrv/config/applicationHost.config"), []byte(appHostExchangeOnD), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := Discover(root, "")
	if err != nil {
		t.Fatal(err)
	}
	if l.ExchangeWin != `D:\Exchange\V15` || l.Exchange != filepath.Join(base, "D", "Exchange", "V15") {
		t.Errorf("install: %q at %q", l.ExchangeWin, l.Exchange)
	}
	files := map[string]int{}
	for _, tg := range l.FileTargets {
		files[tg.WinPath]++
	}
	for _, w := range []string{`D:\Exchange\V15\FrontEnd\HttpProxy`, `D:\Exchange\V15\ClientAccess`, `C:\inetpub\wwwroot`, `E:\web\aspnet_client`} {
		if files[w] != 1 {
			t.Errorf("file target %s: %d times, want 1 (%v)", w, files[w], files)
		}
	}
	for w := range files {
		if strings.Contains(w, `HttpProxy\`) || strings.Contains(w, `ClientAccess\`) || w == `E:\custom` {
			t.Errorf("%s scanned on its own (inside a scanned folder, or not an Exchange or IIS web folder)", w)
		}
	}
	logs := map[string]int{}
	for _, tg := range l.LogTargets {
		logs[tg.WinPath]++
	}
	for _, w := range []string{`D:\IISLogs\W3SVC1`, `C:\inetpub\logs\LogFiles`, `D:\Exchange\V15\Logging`} {
		if logs[w] != 1 {
			t.Errorf("log target %s: %d times, want 1 (%v)", w, logs[w], logs)
		}
	}
	if len(logs) != 3 {
		t.Errorf("log targets: %v", logs)
	}
	var cfg bool
	for _, f := range l.Found {
		cfg = cfg || f.Role == RoleIISConfig
	}
	if !cfg {
		t.Error("applicationHost.config not listed as found")
	}
}

func TestDiscoverNotesABrokenAppHostConfig(t *testing.T) {
	root := t.TempDir()
	mkdirs(t, root, "inetpub/wwwroot", "Windows/System32/inetsrv/config")
	if err := os.WriteFile(filepath.Join(root, "Windows/System32/inetsrv/config/applicationHost.config"), []byte("<configuration><sites"), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := Discover(root, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Notes) != 1 || !strings.Contains(l.Notes[0], "applicationHost.config") {
		t.Errorf("notes: %q", l.Notes)
	}
	if len(l.FileTargets) != 1 {
		t.Errorf("the default folders are still scanned: %+v", l.FileTargets)
	}
}
