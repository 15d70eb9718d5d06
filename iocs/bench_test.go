package iocs

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// hashListDigest is the i-th SHA-256 of the generated lists.
func hashListDigest(i int) string {
	d := sha256.Sum256([]byte(fmt.Sprint("exscan test entry ", i)))
	return hex.EncodeToString(d[:])
}

// writeHashList writes an n-entry Loki hash list, a few descriptions shared
// as in real feeds, every tenth line with a score.
func writeHashList(tb testing.TB, n int) string {
	tb.Helper()
	p := filepath.Join(tb.TempDir(), "hash-iocs-generated.txt")
	f, err := os.Create(p)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriter(f)
	for i := 0; i < n; i++ {
		if i%10 == 0 {
			fmt.Fprintf(w, "%s;90;Generated family %d\n", hashListDigest(i), i%50)
		} else {
			fmt.Fprintf(w, "%s;Generated family %d\n", hashListDigest(i), i%50)
		}
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	f.Close()
	return p
}

// A million-entry hash list loads completely and every probe hits. Not a
// timing test: BenchmarkLoadHashList1M measures the time.
func TestLoadHashList1M(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skips the million-entry list")
	}
	const n = 1_000_000
	s := NewSet()
	loaded, errs := s.LoadFile(writeHashList(t, n))
	if loaded != n || len(errs) != 0 {
		t.Fatalf("loaded %d of %d, errors %v", loaded, n, errs)
	}
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 1000; i++ {
		k := rng.Intn(n)
		if es := s.Hash(strings.ToUpper(hashListDigest(k))); len(es) != 1 || es[0].Line != k+1 {
			t.Fatalf("entry %d: %v", k, es)
		}
	}
	none(t, "absent digest", s.Hash(hashListDigest(n)))
}

func BenchmarkLoadHashList1M(b *testing.B) {
	p := writeHashList(b, 1_000_000)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s := NewSet()
		if n, errs := s.LoadFile(p); n != 1_000_000 || errs != nil {
			b.Fatal(n, errs)
		}
	}
}

func BenchmarkHashLookup1M(b *testing.B) {
	s := NewSet()
	s.LoadFile(writeHashList(b, 1_000_000))
	probes := make([]string, 1024)
	for i := range probes {
		probes[i] = hashListDigest(i * 977) // half hit, half miss
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s.Hash(probes[i%len(probes)])
	}
}

// exchangeTree is a synthetic 30,000-file Exchange server: the shipped
// OWA/ECP script and theme folders (most files), IIS, Windows and a few
// webshells.
func exchangeTree(n int) []string {
	rng := rand.New(rand.NewSource(7))
	ex := `C:\Program Files\Microsoft\Exchange Server\V15\`
	dirs := []string{
		ex + `FrontEnd\HttpProxy\owa\auth\15.2.1118.7\scripts\premium\`,
		ex + `FrontEnd\HttpProxy\owa\auth\15.2.1118.7\themes\resources\`,
		ex + `ClientAccess\owa\prem\15.2.1118.7\scripts\`,
		ex + `ClientAccess\ecp\15.2.1118.7\themes\default\`,
		ex + `Bin\`, ex + `Logging\HttpProxy\Owa\`,
		`C:\inetpub\wwwroot\`, `C:\inetpub\logs\LogFiles\W3SVC1\`,
		`C:\Windows\System32\`, `C:\Windows\Temp\`, `C:\ProgramData\Microsoft\Windows Defender\Scans\`,
	}
	exts := []string{".js", ".css", ".png", ".gif", ".aspx", ".dll", ".log", ".xml", ".json", ".config"}
	out := make([]string, 0, n)
	for i := 0; len(out) < n; i++ {
		if i%5000 == 0 { // the pages Exchange ships in the auth folders, and two webshells
			out = append(out, ex+`FrontEnd\HttpProxy\owa\auth\logon.aspx`, ex+`FrontEnd\HttpProxy\ecp\auth\TimeoutLogout.aspx`,
				ex+`FrontEnd\HttpProxy\owa\auth\OutlookZH.aspx`, `C:\inetpub\wwwroot\aspnet_client\system_web\abcd1234.aspx`)
			continue
		}
		out = append(out, fmt.Sprintf("%s%s%d%s", dirs[rng.Intn(len(dirs))], []string{"flogon", "owa_strings", "favicon", "Microsoft.Exchange.Data", "u_ex2403"}[rng.Intn(5)], i, exts[rng.Intn(len(exts))]))
	}
	return out[:n]
}

// BenchmarkPathTree30k looks up every file of a 30,000-file tree against the
// built-in lists; one op is the whole tree.
func BenchmarkPathTree30k(b *testing.B) {
	s := builtinSet(b)
	tree := exchangeTree(30_000)
	b.ReportAllocs()
	b.ResetTimer()
	hits := 0
	for i := 0; i < b.N; i++ {
		hits = 0
		for _, p := range tree {
			hits += len(s.Path(p))
		}
	}
	b.ReportMetric(float64(hits), "hits/tree")
}

// BenchmarkPathTree30kLoki is the same tree with a 4,000-line Loki filename
// list added (the size of signature-base's filename-iocs.txt): mostly tool
// and path names, 1% generic patterns with no literal to index.
func BenchmarkPathTree30kLoki(b *testing.B) {
	s := builtinSet(b)
	var sb strings.Builder
	for i := 0; i < 4000; i++ {
		switch {
		case i%100 == 0:
			fmt.Fprintf(&sb, "# generic %d\n\\\\[a-z]{%d}[0-9]\\.(exe|dll|ps1)$;60\n", i, 3+i%5)
		case i%3 == 0:
			fmt.Fprintf(&sb, "# tool %d\n\\\\tool%dx\\.exe;70\n", i, i)
		case i%3 == 1:
			fmt.Fprintf(&sb, "\\\\inetpub\\\\wwwroot\\\\shell%d\\.aspx$;80\n", i)
		default:
			fmt.Fprintf(&sb, "C:\\\\Users\\\\Public\\\\drop%d\\\\;75\n", i)
		}
	}
	if n, errs := s.LoadFile(writeFile(b, "filename-iocs.txt", sb.String())); n != 4000 || errs != nil {
		b.Fatal(n, errs)
	}
	tree := exchangeTree(30_000)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, p := range tree {
			s.Path(p)
		}
	}
}

func BenchmarkURL(b *testing.B) {
	s := builtinSet(b)
	urls := []string{"/owa/auth/logon.aspx", "/owa/auth/15.2.1118/scripts/premium/flogon.js", "/ecp/default.aspx",
		"/EWS/Exchange.asmx", "/Microsoft-Server-ActiveSync", "/autodiscover/autodiscover.json", "/aspnet_client/shell.aspx",
		"/owa/auth/Current/themes/resources/logon.css", "/mapi/emsmdb/", "/rpc/rpcproxy.dll"}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s.URL(urls[i%len(urls)])
	}
}

func BenchmarkUserAgentAndIP(b *testing.B) {
	s := builtinSet(b)
	uas := []string{"Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64)+AppleWebKit/537.36", "Microsoft+WinRM+Client", "python-requests/2.25.1"}
	ips := []string{"10.1.2.3", "103.77.192.219", "2001:db8::1"}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s.UserAgent(uas[i%len(uas)])
		s.IP(ips[i%len(ips)])
	}
}

// BenchmarkBuiltin is the cost of each Builtin call after the first: a new
// set sharing the parsed entries.
func BenchmarkBuiltin(b *testing.B) {
	builtinSet(b)
	for i := 0; i < b.N; i++ {
		builtinSet(b)
	}
}
