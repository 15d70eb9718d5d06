//go:build windows

package host

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/windows/registry"

	"exscan/internal/testdir"
)

// testSetupKey points the registry lookup at a key of its own, with
// MsiInstallPath set the way Exchange Setup writes it (trailing
// backslash), and removes it when the test ends.
func testSetupKey(t *testing.T, install string) {
	t.Helper()
	base := fmt.Sprintf(`SOFTWARE\exscan-test-%d`, time.Now().UnixNano())
	key := base + `\Setup`
	k, _, err := registry.CreateKey(registry.LOCAL_MACHINE, key, registry.ALL_ACCESS|registry.WOW64_64KEY)
	if err != nil {
		t.Skipf("cannot write HKLM (run the Windows tests as Administrator): %v", err)
	}
	if err := k.SetStringValue("MsiInstallPath", install+`\`); err != nil {
		t.Fatal(err)
	}
	k.Close()
	old := setupKeys
	setupKeys = []string{key}
	t.Cleanup(func() {
		setupKeys = old
		registry.DeleteKey(registry.LOCAL_MACHINE, key)
		registry.DeleteKey(registry.LOCAL_MACHINE, base)
	})
}

func exchangeTree(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(testdir.Temp(t), "Exchange Server", "V15")
	for _, d := range []string{`FrontEnd\HttpProxy\owa\auth`, `ClientAccess\ecp`, `Logging`} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func systemDrive() string {
	if d := os.Getenv("SystemDrive"); d != "" {
		return d + `\`
	}
	return `C:\`
}

func TestWinLiveInstallFromEnvironmentThenRegistry(t *testing.T) {
	fromEnv, fromReg := exchangeTree(t), exchangeTree(t)
	t.Setenv("ExchangeInstallPath", fromEnv+`\`)
	testSetupKey(t, fromReg)
	got := liveInstallPaths()
	if len(got) != 2 || got[0] != fromEnv || got[1] != fromReg {
		t.Fatalf("liveInstallPaths() = %q, want [%q %q]", got, fromEnv, fromReg)
	}
}

func TestWinDiscoverLiveFindsTheRegistryInstall(t *testing.T) {
	install := exchangeTree(t)
	t.Setenv("ExchangeInstallPath", "")
	testSetupKey(t, install)
	root := systemDrive()
	if !isLiveRoot(root) || !isLiveRoot(strings.ToLower(root)) {
		t.Fatalf("%s is not taken for the live system drive", root)
	}
	l, err := Discover(root, "")
	if err != nil {
		t.Fatal(err)
	}
	if !l.Live {
		t.Fatal("a scan of the system drive is not live")
	}
	if !strings.EqualFold(l.Exchange, install) || !strings.EqualFold(l.ExchangeWin, install) {
		t.Fatalf("install %q (%q), want the registry's %q", l.Exchange, l.ExchangeWin, install)
	}
	var proxy bool
	for _, tg := range l.FileTargets {
		proxy = proxy || strings.EqualFold(tg.Path, filepath.Join(install, `FrontEnd\HttpProxy`))
	}
	if !proxy {
		t.Errorf("FrontEnd\\HttpProxy of the registry's install is not scanned: %+v", l.FileTargets)
	}
}

func TestWinDiscoverLiveWithNothingRecorded(t *testing.T) {
	t.Setenv("ExchangeInstallPath", "")
	old := setupKeys
	setupKeys = []string{`SOFTWARE\exscan-test-no-such-key\Setup`}
	defer func() { setupKeys = old }()
	if got := liveInstallPaths(); len(got) != 0 {
		t.Errorf("install paths with nothing recorded: %q", got)
	}
}
