package app

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"exscan/internal/loaderr"
)

// A broken user file of each kind (YARA, Sigma, indicators) is skipped
// and reported as a *loaderr.Error; with Strict the load fails on it.
func TestLoadContentStrictEveryKind(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	yaraDir := filepath.Dir(write("yara/broken.yar", "rule broken { condition: nope }\n"))
	sigmaDir := filepath.Dir(write("sigma/broken.yml", "title: broken\nlogsource:\n  category: webserver\ndetection:\n  sel:\n    cs-uri-stem: /x\n"))
	iocFile := write("c2-iocs.txt", "ab\n")
	for _, c := range []struct {
		name string
		o    ContentOptions
		file string
	}{
		{"yara", ContentOptions{YARA: []string{yaraDir}, NoSigma: true}, "broken.yar"},
		{"sigma", ContentOptions{Sigma: []string{sigmaDir}, NoYARA: true}, "broken.yml"},
		{"iocs", ContentOptions{IOCs: []string{iocFile}, NoYARA: true, NoSigma: true}, "c2-iocs.txt"},
	} {
		c.o.NoBuiltin = true
		got, err := LoadContent(c.o, zerolog.Nop())
		if err != nil {
			t.Fatalf("%s: without --strict the load fails: %v", c.name, err)
		}
		if len(got.Errors) != 1 || len(got.Problems) != 1 {
			t.Fatalf("%s: errors %v, problems %v; want one each", c.name, got.Errors, got.Problems)
		}
		var le *loaderr.Error
		if !errors.As(got.Errors[0], &le) || filepath.Base(le.File) != c.file {
			t.Errorf("%s: error %v is not a *loaderr.Error naming %s", c.name, got.Errors[0], c.file)
		}
		c.o.Strict = true
		if _, err := LoadContent(c.o, zerolog.Nop()); err == nil || !strings.Contains(err.Error(), "--strict") {
			t.Errorf("%s: with --strict: %v, want a --strict error", c.name, err)
		}
	}
}
