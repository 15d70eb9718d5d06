//go:build windows

package host

import (
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/sys/windows/registry"
)

// isLiveRoot says whether root is this machine's system drive.
func isLiveRoot(root string) bool {
	sd := os.Getenv("SystemDrive")
	if sd == "" {
		sd = "C:"
	}
	return strings.EqualFold(strings.TrimRight(filepath.Clean(root), `\`), sd)
}

// liveEnv is the process environment, for %VARIABLES% in IIS's config.
func liveEnv() map[string]string {
	env := map[string]string{}
	for _, kv := range os.Environ() {
		if i := strings.IndexByte(kv, '='); i > 0 {
			env[kv[:i]] = kv[i+1:]
		}
	}
	return env
}

// Exchange Setup records the install folder in the registry (and sets the
// ExchangeInstallPath variable for the whole system).
var setupKeys = []string{
	`SOFTWARE\Microsoft\ExchangeServer\v15\Setup`,
	`SOFTWARE\Microsoft\ExchangeServer\v14\Setup`,
}

// liveInstallPaths are the Exchange installs this machine says it has:
// %ExchangeInstallPath%, then MsiInstallPath of Exchange Setup's registry
// key (64-bit view).
func liveInstallPaths() []string {
	var out []string
	if v := os.Getenv("ExchangeInstallPath"); v != "" {
		out = append(out, cleanInstall(v))
	}
	for _, key := range setupKeys {
		k, err := registry.OpenKey(registry.LOCAL_MACHINE, key, registry.QUERY_VALUE|registry.WOW64_64KEY)
		if err != nil {
			continue
		}
		if v, _, err := k.GetStringValue("MsiInstallPath"); err == nil && v != "" {
			out = append(out, cleanInstall(v))
		}
		k.Close()
	}
	return out
}

// cleanInstall drops the trailing backslash Setup writes (V15\).
func cleanInstall(p string) string {
	p = strings.TrimSpace(p)
	if len(p) > 3 {
		p = strings.TrimRight(p, `\`)
	}
	return p
}
