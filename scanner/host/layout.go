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

	"exscan/internal/exchange"
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
	RoleExchangeWeb  = "exchange-web-app" // OWA, ECP and the other virtual directories in IIS
	RoleIISConfig    = "iis-config"
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
	// Live is set when Root is this machine's own system drive: the
	// install is then also looked up in the environment and registry,
	// and other drives' paths are used as they are.
	Live bool
	// Notes are things the admin should know about discovery (an
	// applicationHost.config that could not be read).
	Notes []string
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
	if err := checkRoot(root); err != nil {
		return nil, err
	}
	l := &Layout{Root: root, Live: isLiveRoot(root)}
	env := imageEnv
	if l.Live {
		env = liveEnv()
	}
	// IIS's own configuration says where its sites and logs are.
	iis, iisPath, err := readAppHostConfig(root, env)
	switch {
	case err == nil:
		l.Found = append(l.Found, finding.LayoutEntry{Role: RoleIISConfig, WinPath: AppHostConfig, Path: iisPath})
	case iisPath != "":
		l.Notes = append(l.Notes, fmt.Sprintf("%s: %v (IIS folders other than the defaults are not known)", iisPath, err))
	}
	l.addExchange(exchangeCandidates(exchangePath, l.Live, iis))
	l.addWellKnown()
	if iis != nil {
		l.addIIS(iis)
	}
	sort.SliceStable(l.Found, func(i, j int) bool { return l.Found[i].WinPath < l.Found[j].WinPath })
	return l, nil
}

// checkRoot fails with ErrNoRoot unless root is a folder that can be listed.
func checkRoot(root string) error {
	st, err := os.Stat(root)
	if err != nil {
		return fmt.Errorf("%w: %s: %v", ErrNoRoot, root, err)
	}
	if !st.IsDir() {
		return fmt.Errorf("%w: %s is not a folder", ErrNoRoot, root)
	}
	if _, err := os.ReadDir(root); err != nil {
		return fmt.Errorf("%w: %s: %v", ErrNoRoot, root, err)
	}
	return nil
}

// exchangeCandidates lists where an Exchange install may be, most specific
// first: the path the admin gave, the live system's registry and
// environment, the paths IIS serves Exchange from, then the defaults.
func exchangeCandidates(exchangePath string, live bool, iis *IISConfig) []string {
	var first []string
	if exchangePath != "" {
		first = append(first, exchangePath)
	}
	if live {
		first = append(first, liveInstallPaths()...)
	}
	if iis != nil {
		first = append(first, iis.installPaths()...)
	}
	return append(first, exchange.InstallV15, exchange.InstallV14)
}

// addExchange records every install among candidates, with its front-end
// proxy and client access folders (files) and its Logging folder (logs).
// Every install found is scanned: a custom path does not hide the default
// one, and old V14 folders next to V15 are checked too. The first one
// found is l.Exchange.
func (l *Layout) addExchange(candidates []string) {
	seen := map[string]bool{}
	for _, c := range candidates {
		p, ok := l.resolveWin(c)
		if !ok || seen[p] {
			continue
		}
		seen[p] = true
		win := c
		if !isWinPath(c) {
			if w := WinPath(l.Root, p); w != "" {
				win = w
			}
		}
		if l.Exchange == "" {
			l.Exchange, l.ExchangeWin = p, win
		}
		l.Found = append(l.Found, finding.LayoutEntry{Role: RoleExchange, WinPath: win, Path: p})
		l.addSub(p, win, RoleHttpProxy, `FrontEnd\HttpProxy`, true, false)
		l.addSub(p, win, RoleClientAccess, `ClientAccess`, true, false)
		l.addSub(p, win, RoleLogging, `Logging`, false, true)
	}
	if l.Exchange == "" {
		l.Missing = append(l.Missing, finding.LayoutEntry{Role: RoleExchange, WinPath: candidates[0]})
	}
}

// addSub records the folder rel of the install at p (Windows path win) and
// makes it a file and/or log target.
func (l *Layout) addSub(p, win, role, rel string, files, logs bool) {
	sp, ok := Resolve(p, rel)
	e := finding.LayoutEntry{Role: role, WinPath: win + `\` + rel}
	if !ok {
		l.Missing = append(l.Missing, e)
		return
	}
	e.Path = sp
	l.Found = append(l.Found, e)
	l.addTarget(Target{Role: role, Path: sp, WinPath: e.WinPath}, files, logs)
}

func (l *Layout) addTarget(t Target, files, logs bool) {
	if files {
		l.FileTargets = append(l.FileTargets, t)
	}
	if logs {
		l.LogTargets = append(l.LogTargets, t)
	}
}

// addWellKnown records the well-known folders of a Windows host. Another
// kind of folder to read (event logs under System32\winevt\Logs) is one
// more role and one more row; applicationHost.config adds the folders IIS
// names.
func (l *Layout) addWellKnown() {
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
		// aspnet_client is part of wwwroot; listed for the admin to see.
		{RoleAspnetClient, `C:\inetpub\wwwroot\aspnet_client`, false, false},
	} {
		p, ok := Resolve(l.Root, strings.TrimPrefix(f.win, `C:\`))
		e := finding.LayoutEntry{Role: f.role, WinPath: f.win}
		if !ok {
			l.Missing = append(l.Missing, e)
			continue
		}
		e.Path = p
		l.Found = append(l.Found, e)
		l.addTarget(Target{Role: f.role, Path: p, WinPath: f.win}, f.files, f.logs)
	}
}

func isWinPath(p string) bool {
	return len(p) >= 3 && p[1] == ':' && (p[2] == '\\' || p[2] == '/')
}

// resolveWin finds a Windows path of the scanned host, or a native path,
// on this machine. On the live system every drive is where it is. In an
// image, C:\ is the root, and another drive's path (D:\Exchange) is looked
// for in a folder named like the drive letter next to the root
// (<root>/../D/Exchange), the way triage collections lay drives out.
func (l *Layout) resolveWin(p string) (string, bool) {
	if isWinPath(p) && !l.Live {
		if !strings.EqualFold(p[:1], "C") {
			return Resolve(filepath.Join(filepath.Dir(l.Root), p[:1]), p[3:])
		}
		return Resolve(l.Root, p[3:])
	}
	st, err := os.Stat(p)
	if err == nil && st.IsDir() {
		return p, true
	}
	return p, false
}

// addIIS adds the web folders and log folders applicationHost.config
// names, unless a folder already scanned holds them (the default
// wwwroot, the Exchange install's FrontEnd and ClientAccess folders).
func (l *Layout) addIIS(c *IISConfig) {
	add := func(role, win string, logs bool) {
		if win == "" {
			return
		}
		p, ok := l.resolveWin(win)
		e := finding.LayoutEntry{Role: role, WinPath: win}
		if !ok {
			l.Missing = append(l.Missing, e)
			return
		}
		e.Path = p
		targets := &l.FileTargets
		if logs {
			targets = &l.LogTargets
		}
		for _, t := range *targets {
			if within(t.Path, p) {
				return // scanned already
			}
		}
		l.Found = append(l.Found, e)
		*targets = append(*targets, Target{Role: role, Path: p, WinPath: win})
	}
	for _, s := range c.sortedSites() {
		for _, d := range s.Dirs {
			if role := webRole(d.URL); role != "" {
				add(role, d.Physical, false)
			}
		}
		if lf := s.LogFolder(); lf != "" {
			if _, ok := l.resolveWin(lf); ok {
				add(RoleIISLogs, lf, true)
			} else {
				add(RoleIISLogs, s.LogDir, true) // the site never logged; its folder may hold others
			}
		}
	}
	add(RoleIISLogs, c.CentralLogDir, true)
}

// within says whether p is dir or inside it, ignoring case (Windows
// paths, and images of them).
func within(dir, p string) bool {
	rel, err := filepath.Rel(strings.ToLower(dir), strings.ToLower(p))
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// installPaths are the Exchange installs the virtual directories point
// into: <install>\FrontEnd\HttpProxy\owa, <install>\ClientAccess\ecp.
func (c *IISConfig) installPaths() []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range c.sortedSites() {
		for _, d := range s.Dirs {
			if webRole(d.URL) != RoleExchangeWeb {
				continue
			}
			low := strings.ToLower(d.Physical)
			for _, mark := range []string{`\frontend\httpproxy\`, `\clientaccess\`} {
				if i := strings.Index(low, mark); i > 0 && !seen[low[:i]] {
					seen[low[:i]] = true
					out = append(out, d.Physical[:i])
				}
			}
		}
	}
	return out
}

// Summary converts the layout for the report.
func (l *Layout) Summary() *finding.HostLayout {
	return &finding.HostLayout{Root: l.Root, Found: l.Found, Missing: l.Missing}
}
