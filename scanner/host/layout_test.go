package host

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func mkdirs(t *testing.T, root string, dirs ...string) {
	t.Helper()
	for _, d := range dirs {
		if err := os.MkdirAll(filepath.Join(root, filepath.FromSlash(d)), 0o755); err != nil {
			t.Fatal(err)
		}
	}
}

func TestDiscoverIsCaseInsensitive(t *testing.T) {
	root := t.TempDir()
	mkdirs(t, root,
		"PROGRAM FILES/microsoft/EXCHANGE SERVER/v15/frontend/HTTPPROXY/owa/auth",
		"PROGRAM FILES/microsoft/EXCHANGE SERVER/v15/Logging/HttpProxy",
		"INETPUB/WWWROOT/aspnet_client",
		"inetpub/logs/logfiles/w3svc1",
		"windows/TEMP",
		"Windows/system32/WINEVT/logs",
	)
	l, err := Discover(root, "")
	if err != nil {
		t.Fatal(err)
	}
	if l.Exchange == "" || !strings.HasSuffix(l.Exchange, "v15") {
		t.Fatalf("Exchange install not found: %+v", l)
	}
	roles := map[string]bool{}
	for _, f := range l.Found {
		roles[f.Role] = true
	}
	for _, want := range []string{RoleExchange, RoleHttpProxy, RoleLogging, RoleWWWRoot, RoleAspnetClient, RoleIISLogs, RoleWinTemp, RoleEventLogs} {
		if !roles[want] {
			t.Errorf("role %s not found", want)
		}
	}
	evtx := false
	for _, lt := range l.LogTargets {
		evtx = evtx || (lt.Role == RoleEventLogs && lt.WinPath == `C:\Windows\System32\winevt\Logs`)
	}
	if !evtx {
		t.Errorf("event logs are not a log target: %+v", l.LogTargets)
	}
	missing := map[string]bool{}
	for _, m := range l.Missing {
		missing[m.Role] = true
	}
	for _, want := range []string{RoleClientAccess, RoleProgramData, RoleRootFolder, RoleHTTPErr} {
		if !missing[want] {
			t.Errorf("role %s should be listed as missing", want)
		}
	}
}

func TestDiscoverReportsMissingExchange(t *testing.T) {
	root := t.TempDir()
	mkdirs(t, root, "inetpub/wwwroot")
	l, err := Discover(root, "")
	if err != nil {
		t.Fatal(err)
	}
	if l.Exchange != "" {
		t.Fatalf("found an Exchange install in an empty tree: %s", l.Exchange)
	}
	found := false
	for _, m := range l.Missing {
		if m.Role == RoleExchange {
			found = true
		}
	}
	if !found {
		t.Error("missing Exchange install not listed")
	}
}

func TestDiscoverCustomInstallPath(t *testing.T) {
	root := t.TempDir()
	mkdirs(t, root, "Exchange/V15/FrontEnd/HttpProxy")
	l, err := Discover(root, `C:\Exchange\V15`)
	if err != nil {
		t.Fatal(err)
	}
	if l.ExchangeWin != `C:\Exchange\V15` || l.Exchange == "" {
		t.Fatalf("custom path not used: %q %q", l.ExchangeWin, l.Exchange)
	}
	if len(l.FileTargets) == 0 || l.FileTargets[0].WinPath != `C:\Exchange\V15\FrontEnd\HttpProxy` {
		t.Errorf("file targets: %+v", l.FileTargets)
	}
}

func TestDiscoverUnreadableRoot(t *testing.T) {
	if _, err := Discover(filepath.Join(t.TempDir(), "nope"), ""); err == nil {
		t.Fatal("no error for a missing root")
	}
}

func TestWinPath(t *testing.T) {
	root := "/mnt/img"
	if got := WinPath(root, "/mnt/img/inetpub/wwwroot/a.aspx"); got != `C:\inetpub\wwwroot\a.aspx` {
		t.Errorf("got %q", got)
	}
	if got := WinPath(root, "/elsewhere/x"); got != "" {
		t.Errorf("outside root gave %q", got)
	}
}
