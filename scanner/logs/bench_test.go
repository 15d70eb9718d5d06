package logs

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
)

// Synthetic inputs for benchmarks: realistic line shapes and lengths.

func benchIIS(n int) []byte {
	var b bytes.Buffer
	b.WriteString(iisHead)
	uas := []string{
		"Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64)+AppleWebKit/537.36+(KHTML,+like+Gecko)+Chrome/89.0.4389.82+Safari/537.36",
		"Microsoft+Office/16.0+(Windows+NT+10.0;+Microsoft+Outlook+16.0.13801;+Pro)",
		"AMProbe/Local/ClientAccess",
	}
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "2021-03-%02d %02d:%02d:%02d 10.0.0.5 POST /mapi/emsmdb/ mailboxId=%08x-1c2d-4e5f-8a9b-0c1d2e3f4a5b@contoso.example&CorrelationID=<empty>;&cafeReqId=%08x-aaaa-4bbb-8ccc-dddddddddddd; 443 CONTOSO\\user%d 192.0.2.%d %s - 200 0 0 %d\n",
			1+i/86400%28, i/3600%24, i/60%60, i%60, i, i*7, i%500, i%250, uas[i%len(uas)], i%900)
	}
	return b.Bytes()
}

func benchHttpProxy(t testing.TB, n int) []byte {
	data, err := os.ReadFile(fixture("HttpProxy", "Ecp", "HttpProxy_2021030306-1.LOG"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	i := strings.Index(s, "\r\n2021-")
	head, rows := s[:i+2], s[i+2:]
	var b bytes.Buffer
	b.WriteString(head)
	for b.Len() < n*len(rows)/4 {
		b.WriteString(rows)
	}
	return b.Bytes()
}

func benchECP(t testing.TB, n int) []byte {
	data, err := os.ReadFile(fixture("ECP", "Server", "ECPServer20210303-1.LOG"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	i := strings.Index(s, "\r\n2021-")
	head, rows := s[:i+2], s[i+2:]
	var b bytes.Buffer
	b.WriteString(head)
	for j := 0; j < n/2; j++ {
		b.WriteString(rows)
	}
	return b.Bytes()
}

func benchOAB(n int) []byte {
	var b bytes.Buffer
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "2021-03-03T06:%02d:%02d.%03dZ,OABGenerator,Information,\"OABGenerator processed %d address list entries for OAB 'Default Offline Address Book'\"\r\n", i/60%60, i%60, i%1000, i)
	}
	return b.Bytes()
}

// benchRead reads data whole b.N times. MB/s counts the text bytes
// (decompressed, as UTF-8), so compressed and UTF-16 inputs compare with
// plain ones.
func benchRead(b *testing.B, data []byte, name string) {
	rd, err := NewReader(bytes.NewReader(data), name)
	if err != nil {
		b.Fatal(err)
	}
	for {
		if _, err := rd.Next(); err != nil {
			break
		}
	}
	b.SetBytes(rd.Stats().Bytes)
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	var recs int64
	for i := 0; i < b.N; i++ {
		rd, err := NewReader(bytes.NewReader(data), name)
		if err != nil {
			b.Fatal(err)
		}
		for {
			_, err := rd.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			recs++
		}
	}
	b.StopTimer()
	if cpu := cpuTime() - cpu0; cpu > 0 {
		b.ReportMetric(float64(rd.Stats().Bytes)*float64(b.N)/cpu.Seconds()/1e6, "MB/cpu-s")
	}
	b.ReportMetric(float64(recs)/float64(b.N), "records/op")
}

// The whole-file benchmarks include opening a Reader (buffer allocation);
// allocs/op is per file, not per record.

func BenchmarkIIS(b *testing.B)     { benchRead(b, benchIIS(100000), "u_ex210303.log") }
func BenchmarkIISGzip(b *testing.B) { benchRead(b, gz(b, benchIIS(100000)), "u_ex210303.log.gz") }
func BenchmarkIISUTF16(b *testing.B) {
	benchRead(b, utf16Bytes(string(benchIIS(20000)), false, true), "u.log")
}
func BenchmarkHttpProxy(b *testing.B) {
	benchRead(b, benchHttpProxy(b, 40000), "HttpProxy_2021030306-1.LOG")
}
func BenchmarkECP(b *testing.B) { benchRead(b, benchECP(b, 40000), "ECPServer20210303-1.LOG") }
func BenchmarkOAB(b *testing.B) { benchRead(b, benchOAB(100000), "OABGenerator_2021030306-1.LOG") }
