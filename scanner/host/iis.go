package host

import (
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"exscan/internal/exchange"
)

// AppHostConfig is where IIS keeps its sites, relative to the system drive.
const AppHostConfig = `C:\Windows\System32\inetsrv\config\applicationHost.config`

// IISConfig is what discovery takes from applicationHost.config: the web
// folders of every site and the folders IIS writes its logs to. Paths are
// Windows paths with environment variables (%SystemDrive%) expanded.
type IISConfig struct {
	Sites []IISSite
	// CentralLogDir is the folder of the server-wide W3C log when IIS
	// logs per server instead of per site (centralW3CLogFile).
	CentralLogDir string
}

// IISSite is one site.
type IISSite struct {
	Name   string
	ID     string
	LogDir string // logFile directory (the site's own, else siteDefaults)
	Dirs   []IISDir
}

// IISDir is one virtual directory: its URL path (/, /owa, /aspnet_client)
// and the folder it serves.
type IISDir struct {
	URL      string
	Physical string
}

// LogFolder is the folder the site's W3C logs are in: <LogDir>\W3SVC<id>.
func (s IISSite) LogFolder() string {
	if s.LogDir == "" || s.ID == "" {
		return ""
	}
	return strings.TrimRight(s.LogDir, `\`) + `\W3SVC` + s.ID
}

// The parts of applicationHost.config that are read.
type xmlAppHost struct {
	Sites struct {
		Site []struct {
			Name string `xml:"name,attr"`
			ID   string `xml:"id,attr"`
			App  []struct {
				Path string `xml:"path,attr"`
				VDir []struct {
					Path     string `xml:"path,attr"`
					Physical string `xml:"physicalPath,attr"`
				} `xml:"virtualDirectory"`
			} `xml:"application"`
			LogFile *xmlLogFile `xml:"logFile"`
		} `xml:"site"`
		Defaults struct {
			LogFile *xmlLogFile `xml:"logFile"`
		} `xml:"siteDefaults"`
	} `xml:"system.applicationHost>sites"`
	Log struct {
		Mode    string      `xml:"centralLogFileMode,attr"`
		Central *xmlLogFile `xml:"centralW3CLogFile"`
	} `xml:"system.applicationHost>log"`
}

type xmlLogFile struct {
	Directory string `xml:"directory,attr"`
}

// IIS's own default when no logFile directory is configured.
const defaultIISLogDir = `%SystemDrive%\inetpub\logs\LogFiles`

// maxAppHostConfig bounds how much of the file is read: real ones are tens
// of kilobytes; a scanned image is not trusted to be reasonable.
const maxAppHostConfig = 16 << 20

// ParseAppHostConfig reads applicationHost.config. env expands the
// %VARIABLES% in its paths (names are matched case-insensitively); a
// variable env does not know is left as it is.
func ParseAppHostConfig(r io.Reader, env map[string]string) (*IISConfig, error) {
	var x xmlAppHost
	d := xml.NewDecoder(io.LimitReader(r, maxAppHostConfig))
	d.Strict = false
	if err := d.Decode(&x); err != nil {
		return nil, fmt.Errorf("applicationHost.config: %v", err)
	}
	c := &IISConfig{}
	defLog := defaultIISLogDir
	if l := x.Sites.Defaults.LogFile; l != nil && l.Directory != "" {
		defLog = l.Directory
	}
	if l := x.Log.Central; l != nil && strings.HasPrefix(strings.ToLower(x.Log.Mode), "central") {
		dir := l.Directory
		if dir == "" {
			dir = defaultIISLogDir
		}
		c.CentralLogDir = expandEnv(dir, env)
	}
	for _, s := range x.Sites.Site {
		site := IISSite{Name: s.Name, ID: s.ID, LogDir: expandEnv(defLog, env)}
		if s.LogFile != nil && s.LogFile.Directory != "" {
			site.LogDir = expandEnv(s.LogFile.Directory, env)
		}
		for _, a := range s.App {
			for _, v := range a.VDir {
				if v.Physical == "" {
					continue
				}
				site.Dirs = append(site.Dirs, IISDir{URL: joinURL(a.Path, v.Path), Physical: expandEnv(v.Physical, env)})
			}
		}
		c.Sites = append(c.Sites, site)
	}
	return c, nil
}

// joinURL joins an application's path and a virtual directory's path
// within it: ("/owa", "/") is /owa, ("/", "/aspnet_client") is
// /aspnet_client.
func joinURL(app, vdir string) string {
	u := strings.TrimRight(app, "/") + "/" + strings.Trim(vdir, "/")
	if u != "/" {
		u = strings.TrimRight(u, "/")
	}
	return strings.ToLower(u)
}

// expandEnv replaces %NAME% in s with env's value for NAME (any case).
func expandEnv(s string, env map[string]string) string {
	return exchange.ExpandVars(s, func(name string) (string, bool) { return lookupFold(env, name) })
}

func lookupFold(env map[string]string, name string) (string, bool) {
	if v, ok := env[name]; ok {
		return v, true
	}
	for k, v := range env {
		if strings.EqualFold(k, name) {
			return v, true
		}
	}
	return "", false
}

// imageEnv is the environment of a Windows host seen through an image.
var imageEnv = exchange.WindowsEnv

// webRole says what kind of web folder a virtual directory is: the root
// of a site, aspnet_client, or one of Exchange's web applications (OWA,
// ECP and the others that Exchange's virtual directories point at).
func webRole(url string) string {
	switch url {
	case "/":
		return RoleWWWRoot
	case "/aspnet_client":
		return RoleAspnetClient
	}
	if exchange.WebAppVdir(url) {
		return RoleExchangeWeb
	}
	return ""
}

// sortedSites returns the sites by id, for a stable order of targets.
func (c *IISConfig) sortedSites() []IISSite {
	s := append([]IISSite(nil), c.Sites...)
	sort.SliceStable(s, func(i, j int) bool { return s[i].ID < s[j].ID })
	return s
}

// readAppHostConfig reads and parses the config under root, with the
// image environment (or, on the live system, the process's own).
func readAppHostConfig(root string, env map[string]string) (*IISConfig, string, error) {
	p, ok := Resolve(root, strings.TrimPrefix(AppHostConfig, `C:\`))
	if !ok {
		return nil, "", os.ErrNotExist
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, p, err
	}
	defer f.Close()
	c, err := ParseAppHostConfig(f, env)
	return c, p, err
}
