// Package host finds the Exchange and IIS folders of a Windows system under
// a root folder (a mounted image, a triage collection, or the live system
// drive). Windows paths are case-insensitive and collections differ in case,
// so every step of a path is resolved case-insensitively.
package host

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"exscan/scanner/finding"
)

// Roles of the folders discovery looks for.
const (
	RoleExchange     = "exchange-install"
	RoleHttpProxy    = "exchange-frontend-httpproxy"
	RoleClientAccess = "exchange-clientaccess"
	RoleLogging      = "exchange-logging"
	RoleWWWRoot      = "iis-wwwroot"
	RoleAspnetClient = "iis-aspnet-client"
	RoleIISLogs      = "iis-logs"
	RoleHTTPErr      = "httperr-logs"
	RoleEventLogs    = "windows-event-logs"
	RoleWinTemp      = "windows-temp"
	RoleProgramData  = "programdata"
	RoleRootFolder   = "c-root"
)

// Layout is what discovery found. Paths are native paths on this machine.
type Layout struct {
	Root        string
	ExchangeWin string // e.g. C:\Program Files\Microsoft\Exchange Server\V15
	Exchange    string
	Found       []finding.LayoutEntry
	Missing     []finding.LayoutEntry
	FileTargets []Target // folders whose files are checked
	LogTargets  []Target // folders whose logs are read
}

// Target is a folder to scan and its Windows path.
type Target struct {
	Role    string
	Path    string
	WinPath string
}

// ErrNoRoot is returned when the root cannot be read.
var ErrNoRoot = errors.New("root folder cannot be read")

// Resolve walks the Windows-style relative path rel (backslashes) from
// root, matching each step case-insensitively. When a case-sensitive file
// system holds several spellings of a step (INETPUB and inetpub), each is
// tried in turn. It returns the native path and whether it exists.
func Resolve(root, rel string) (string, bool) {
	var steps []string
	for _, s := range strings.Split(strings.Trim(strings.ReplaceAll(rel, "/", `\`), `\`), `\`) {
		if s != "" {
			steps = append(steps, s)
		}
	}
	if p, ok := resolveSteps(root, steps); ok {
		return p, true
	}
	return filepath.Join(append([]string{root}, steps...)...), false
}

func resolveSteps(cur string, steps []string) (string, bool) {
	if len(steps) == 0 {
		return cur, true
	}
	step := steps[0]
	var cands []string
	if _, err := os.Lstat(filepath.Join(cur, step)); err == nil {
		cands = append(cands, step)
	}
	if ents, err := os.ReadDir(cur); err == nil {
		for _, e := range ents {
			if e.Name() != step && strings.EqualFold(e.Name(), step) {
				cands = append(cands, e.Name())
			}
		}
	}
	for _, c := range cands {
		if p, ok := resolveSteps(filepath.Join(cur, c), steps[1:]); ok {
			return p, true
		}
	}
	return "", false
}

// WinPath turns a native path under root into the Windows path it has on
// the scanned host (C:\ is the root).
func WinPath(root, native string) string {
	rel, err := filepath.Rel(root, native)
	if err != nil || strings.HasPrefix(rel, "..") {
		return ""
	}
	if rel == "." {
		return `C:\`
	}
	return `C:\` + strings.ReplaceAll(filepath.ToSlash(rel), "/", `\`)
}

// Discover finds the Exchange and IIS folders under root. exchangePath is
// an optional custom install path, either a Windows path on the scanned
// host or a native path. C:\... is mapped under root; another drive's
// path (D:\Exchange) is looked for in a folder named after the drive
// letter next to root (<root>/../D/Exchange), the way triage collections
// lay drives out.
func Discover(root, exchangePath string) (*Layout, error) {
	st, err := os.Stat(root)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrNoRoot, root, err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("%w: %s is not a folder", ErrNoRoot, root)
	}
	if _, err := os.ReadDir(root); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrNoRoot, root, err)
	}
	l := &Layout{Root: root}
	add := func(role, win string) (string, bool) {
		p, ok := Resolve(root, strings.TrimPrefix(win, `C:\`))
		e := finding.LayoutEntry{Role: role, WinPath: win}
		if ok {
			e.Path = p
			l.Found = append(l.Found, e)
		} else {
			l.Missing = append(l.Missing, e)
		}
		return p, ok
	}

	// Exchange install.
	candidates := []string{
		`C:\Program Files\Microsoft\Exchange Server\V15`,
		`C:\Program Files\Microsoft\Exchange Server\V14`,
	}
	if exchangePath != "" {
		candidates = append([]string{exchangePath}, candidates...)
	}
	// Every install found is scanned: a custom path does not hide the
	// default one, and old V14 folders next to V15 are checked too.
	seen := map[string]bool{}
	for _, c := range candidates {
		p, ok := resolveInstall(root, c)
		if !ok || seen[p] {
			continue
		}
		seen[p] = true
		win := c
		if !isWinPath(c) {
			if w := WinPath(root, p); w != "" {
				win = w
			}
		}
		if l.Exchange == "" {
			l.Exchange, l.ExchangeWin = p, win
		}
		l.Found = append(l.Found, finding.LayoutEntry{Role: RoleExchange, WinPath: win, Path: p})
		sub := func(role, rel string, files, logs bool) {
			sp, ok := Resolve(p, rel)
			e := finding.LayoutEntry{Role: role, WinPath: win + `\` + rel}
			if !ok {
				l.Missing = append(l.Missing, e)
				return
			}
			e.Path = sp
			l.Found = append(l.Found, e)
			t := Target{Role: role, Path: sp, WinPath: e.WinPath}
			if files {
				l.FileTargets = append(l.FileTargets, t)
			}
			if logs {
				l.LogTargets = append(l.LogTargets, t)
			}
		}
		sub(RoleHttpProxy, `FrontEnd\HttpProxy`, true, false)
		sub(RoleClientAccess, `ClientAccess`, true, false)
		sub(RoleLogging, `Logging`, false, true)
	}
	if l.Exchange == "" {
		win := candidates[0]
		l.Missing = append(l.Missing, finding.LayoutEntry{Role: RoleExchange, WinPath: win})
	}

	for _, f := range []struct {
		role, win   string
		files, logs bool
	}{
		{RoleWWWRoot, `C:\inetpub\wwwroot`, true, false},
		{RoleIISLogs, `C:\inetpub\logs\LogFiles`, false, true},
		{RoleHTTPErr, `C:\Windows\System32\LogFiles\HTTPERR`, false, true},
		{RoleEventLogs, `C:\Windows\System32\winevt\Logs`, false, true},
		{RoleWinTemp, `C:\Windows\Temp`, true, false},
		{RoleProgramData, `C:\ProgramData`, true, false},
		{RoleRootFolder, `C:\root`, true, false},
	} {
		p, ok := add(f.role, f.win)
		if !ok {
			continue
		}
		t := Target{Role: f.role, Path: p, WinPath: f.win}
		if f.files {
			l.FileTargets = append(l.FileTargets, t)
		}
		if f.logs {
			l.LogTargets = append(l.LogTargets, t)
		}
	}
	// aspnet_client is part of wwwroot; listed for the admin to see.
	if _, ok := add(RoleAspnetClient, `C:\inetpub\wwwroot\aspnet_client`); !ok {
		// nothing more to do: missing is recorded
	}
	sort.SliceStable(l.Found, func(i, j int) bool { return l.Found[i].WinPath < l.Found[j].WinPath })
	return l, nil
}

func isWinPath(p string) bool {
	return len(p) >= 3 && p[1] == ':' && (p[2] == '\\' || p[2] == '/')
}

func resolveInstall(root, p string) (string, bool) {
	if isWinPath(p) {
		if !strings.EqualFold(p[:1], "C") {
			// Other drives of the host: look for a folder named like the
			// drive letter next to the root (triage collections often keep
			// them as D\...); else not found.
			return Resolve(filepath.Join(filepath.Dir(root), p[:1]), p[3:])
		}
		return Resolve(root, p[3:])
	}
	st, err := os.Stat(p)
	if err == nil && st.IsDir() {
		return p, true
	}
	return p, false
}

// Summary converts the layout for the report.
func (l *Layout) Summary() *finding.HostLayout {
	return &finding.HostLayout{Root: l.Root, Found: l.Found, Missing: l.Missing}
}
