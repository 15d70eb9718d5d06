package hostid

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func put(t *testing.T, root, rel string, data []byte) {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

const win = `C:\Program Files\Microsoft\Exchange Server\V15`

func TestBuild(t *testing.T) {
	cases := []struct {
		name  string
		files map[string][]byte
		build string
		exact bool
		title string
		from  string
		proxy string // ProxyLogon status
	}{
		{"folder, three parts", map[string][]byte{"FrontEnd/HttpProxy/owa/auth/15.1.2106/x.css": nil, "FrontEnd/HttpProxy/owa/auth/15.1.1979/x.css": nil},
			"15.1.2106", false, "Exchange 2016 CU18 or a later SU of it", `the folder name C:\Program Files\Microsoft\Exchange Server\V15\FrontEnd\HttpProxy\owa\auth\15.1.2106 (it names the CU line only`, "unknown"},
		{"folder and ExSetup.exe", map[string][]byte{"FrontEnd/HttpProxy/owa/auth/15.1.2106/x.css": nil, "Bin/ExSetup.exe": minimalPE([4]uint16{15, 1, 2106, 13})},
			"15.1.2106.13", true, "Exchange 2016 CU18 Mar21SU", `the file version of C:\Program Files\Microsoft\Exchange Server\V15\Bin\ExSetup.exe (it settles the SU`, "fixed"},
		{"other case, neighbour DLL", map[string][]byte{"frontend/httpproxy/OWA/Auth/15.2.1118/x.css": nil, "bin/Microsoft.Exchange.Common.dll": minimalPE([4]uint16{15, 2, 1118, 7}), "bin/readme.txt": []byte("x")},
			"15.2.1118.7", true, "Exchange 2019 CU12", `Bin\Microsoft.Exchange.Common.dll`, "fixed"},
		{"a neighbour of another CU line is not used", map[string][]byte{"FrontEnd/HttpProxy/owa/auth/15.2.1118/x.css": nil, "Bin/old.dll": minimalPE([4]uint16{15, 2, 986, 5})},
			"15.2.1118", false, "Exchange 2019 CU12 or a later SU of it", "folder name", "fixed"},
		{"ExSetup.exe only, old build", map[string][]byte{"Bin/ExSetup.exe": minimalPE([4]uint16{15, 0, 1497, 2})},
			"15.0.1497.2", true, "Exchange 2013 CU23", "ExSetup.exe", "vulnerable"},
		{"unknown build", map[string][]byte{"Bin/ExSetup.exe": minimalPE([4]uint16{15, 2, 1118, 99})},
			"15.2.1118.99", true, "not in exscan's build table", "ExSetup.exe", "fixed"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			for rel, data := range c.files {
				put(t, root, rel, data)
			}
			b := Build(root, win)
			if b == nil {
				t.Fatal("no build")
			}
			if b.Build != c.build || b.Exact != c.exact || !strings.Contains(b.Name, c.title) || !strings.Contains(b.From, c.from) {
				t.Errorf("got %s exact=%v %q from %q\nwant %s exact=%v %q from %q", b.Build, b.Exact, b.Name, b.From, c.build, c.exact, c.title, c.from)
			}
			if len(b.Exposure) != 4 || b.Exposure[0].Campaign != "proxylogon" || b.Exposure[0].Status != c.proxy {
				t.Errorf("exposure %+v, want ProxyLogon %s", b.Exposure, c.proxy)
			}
			if len(b.Seen) == 0 {
				t.Error("nothing listed as seen")
			}
		})
	}
	if b := Build(t.TempDir(), win); b != nil {
		t.Errorf("empty install: %+v", b)
	}
	if b := Build("", win); b != nil {
		t.Errorf("no install: %+v", b)
	}
}

func TestName(t *testing.T) {
	root := t.TempDir()
	iis := "#Software: Microsoft Internet Information Services 10.0\r\n#Fields: date time s-computername s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) sc-status sc-substatus sc-win32-status time-taken\r\n" +
		"2021-03-03 00:00:05 EXCH01 10.0.0.5 GET /owa/ - 443 - 10.0.0.9 Mozilla/5.0 200 0 0 12\r\n"
	put(t, root, "W3SVC1/u_ex210303.log", []byte(iis))
	put(t, root, "W3SVC1/u_ex210304.log", []byte(strings.ReplaceAll(iis, "EXCH01", "exch01")))
	put(t, root, "W3SVC2/u_ex210303.log", []byte(strings.ReplaceAll(iis, "EXCH01", "EXCH02")))
	put(t, root, "W3SVC3/u_ex210303.log", []byte(strings.ReplaceAll(iis, "EXCH01", "-")))
	h := Name([]string{root})
	if h == nil || h.Name != "exch01" && h.Name != "EXCH01" || !strings.Contains(h.Source, "s-computername") || len(h.Others) != 1 || h.Others[0] != "EXCH02" {
		t.Fatalf("Name = %+v, want EXCH01 from s-computername, EXCH02 among the others", h)
	}
	if h := Name([]string{t.TempDir(), filepath.Join(root, "W3SVC3")}); h != nil {
		t.Errorf("logs without a host name: %+v", h)
	}
}

// TestNameFromEventLog: a Windows event log names its host in each
// record's Computer (read from the shared corpus when it is there).
func TestNameFromEventLog(t *testing.T) {
	p := filepath.Join("..", "..", "..", "shared", "corpus", "evtx", "log-cleared", "sbousseaden__EVTX-ATTACK-SAMPLES", "Defense Evasion", "DE_104_system_log_cleared.evtx")
	if _, err := os.Stat(p); err != nil {
		t.Skipf("EVTX corpus sample not available (%v)", err)
	}
	h := Name([]string{p})
	if h == nil || h.Name != "PC01.example.corp" || h.Source != "evtx log field Computer" {
		t.Errorf("Name = %+v, want PC01.example.corp from the evtx Computer field", h)
	}
}
