package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

func genSmall(t *testing.T, dir string, workers int) {
	t.Helper()
	p := params{Generator: genVersion, Seed: 7, Files: 200, TreeBytes: 2 << 20, LogBytes: 4 << 20, Days: 20, Attacks: 40}
	if err := generate(dir, p, workers, func(string, ...any) {}); err != nil {
		t.Fatal(err)
	}
}

// digest hashes every file under dir with its relative path.
func digest(t *testing.T, dir string) string {
	t.Helper()
	var lines []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if rel == "manifest.json" { // holds the absolute output paths
			return nil
		}
		sum := sha256.Sum256(b)
		lines = append(lines, rel+" "+hex.EncodeToString(sum[:]))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func TestSameSeedSameBytes(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	genSmall(t, a, 1)
	genSmall(t, b, 3)
	if digest(t, a) != digest(t, b) {
		t.Fatal("two runs with the same parameters and different worker counts wrote different data")
	}
}

func TestPlanted(t *testing.T) {
	dir := t.TempDir()
	genSmall(t, dir, 2)
	for _, w := range webshells {
		b, err := os.ReadFile(filepath.Join(dir, "tree", filepath.FromSlash(w.rel)))
		if err != nil || string(b) != w.text {
			t.Errorf("webshell %s not written as planned: %v", w.rel, err)
		}
	}
	// Every attack line listed is at that line number, and the logs hold
	// the planned number of them.
	f, err := os.Open(filepath.Join(dir, "attacks.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		line, _ := strconv.Atoi(cols[1])
		data, err := os.ReadFile(filepath.Join(dir, "logs", filepath.FromSlash(cols[0])))
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(data), "\n")
		if line < 1 || line > len(lines) {
			t.Fatalf("%s: line %d out of range", cols[0], line)
		}
		got := lines[line-1]
		if strings.HasPrefix(got, "#") || !(strings.Contains(got, "ServerInfo~") || strings.Contains(got, "autodiscover.json") ||
			strings.Contains(got, "/ecp/") || strings.Contains(got, "/owa/") || strings.Contains(got, "/aspnet_client/")) {
			t.Errorf("%s:%d is not an attack line: %q", cols[0], line, got)
		}
		n++
	}
	if n != 40 {
		t.Errorf("%d attack lines listed, want 40", n)
	}
}

func TestHttpProxyColumns(t *testing.T) {
	dir := t.TempDir()
	genSmall(t, dir, 2)
	want := len(strings.Split(proxyFields, ","))
	files, _ := filepath.Glob(filepath.Join(dir, "logs", filepath.FromSlash(proxyDir), "*", "*.LOG"))
	if len(files) == 0 {
		t.Fatal("no HttpProxy logs")
	}
	for _, p := range files[:10] {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for i, l := range strings.Split(strings.TrimSuffix(string(data), "\r\n"), "\r\n") {
			if i == 0 || strings.HasPrefix(l, "#") {
				continue
			}
			if got := len(splitCSVLine(l)); got != want {
				t.Fatalf("%s:%d: %d columns, want %d: %s", p, i+1, got, want, l)
			}
		}
	}
}

// splitCSVLine splits one CSV row with "" quoting.
func splitCSVLine(l string) []string {
	var out []string
	var cur strings.Builder
	q := false
	for i := 0; i < len(l); i++ {
		c := l[i]
		switch {
		case q && c == '"' && i+1 < len(l) && l[i+1] == '"':
			cur.WriteByte('"')
			i++
		case c == '"':
			q = !q
		case c == ',' && !q:
			out = append(out, cur.String())
			cur.Reset()
		default:
			cur.WriteByte(c)
		}
	}
	return append(out, cur.String())
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"1G": 1 << 30, "500M": 500 << 20, "64k": 64 << 10, "1GiB": 1 << 30, "1000": 1000} {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	if _, err := parseSize("lots"); err == nil {
		t.Error("parseSize accepted a non-size")
	}
}
