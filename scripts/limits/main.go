// Command limits fails when the Go code outgrows the sizes a reader can hold
// in their head: no non-test Go file over 1,000 lines and no non-test
// function or method over 120 lines (from the line of "func" to the line of
// its closing brace). Vendored code under third_party/ is not counted.
//
// Usage:
//
//	go run ./scripts/limits [-root DIR] [-allow FILE]
//
// The allow file lists known offenders still waiting for a split, one per
// line: "file PATH owner" or "func PATH NAME owner" (# starts a comment).
// Listed offenders are printed but do not fail the run; an entry that no
// longer offends is reported so it can be removed. -report prints every
// offender and never fails (for a tree still being split).
package main

import (
	"bufio"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

const (
	maxFileLines = 1000
	maxFuncLines = 120
)

// offence is one file or function over its limit. Key identifies it in the
// allow file: "file PATH" or "func PATH NAME".
type offence struct {
	Key   string
	Lines int
	Limit int
	Pos   string
}

func main() {
	root := flag.String("root", ".", "repository root")
	allow := flag.String("allow", "scripts/limits/allow.txt", "allow file (relative to -root unless absolute); a missing file allows nothing")
	report := flag.Bool("report", false, "print offenders but exit 0")
	flag.Parse()
	code := run(*root, *allow, os.Stdout, os.Stderr)
	if *report && code == 1 {
		code = 0
	}
	os.Exit(code)
}

func run(root, allowPath string, stdout, stderr io.Writer) int {
	offs, err := measure(root)
	if err != nil {
		fmt.Fprintln(stderr, "limits:", err)
		return 2
	}
	if !filepath.IsAbs(allowPath) {
		allowPath = filepath.Join(root, allowPath)
	}
	allowed, err := readAllow(allowPath)
	if err != nil {
		fmt.Fprintln(stderr, "limits:", err)
		return 2
	}
	failed := false
	seen := map[string]bool{}
	for _, o := range offs {
		seen[o.Key] = true
		if owner, ok := allowed[o.Key]; ok {
			fmt.Fprintf(stdout, "limits: allowed (%s): %s: %d lines (limit %d)\n", owner, o.Pos, o.Lines, o.Limit)
			continue
		}
		failed = true
		fmt.Fprintf(stderr, "limits: %s: %s is %d lines (limit %d)\n", o.Pos, describe(o.Key), o.Lines, o.Limit)
	}
	var stale []string
	for key := range allowed {
		if !seen[key] {
			stale = append(stale, key)
		}
	}
	sort.Strings(stale)
	for _, key := range stale {
		fmt.Fprintf(stdout, "limits: %s: %q is within its limit now: remove it from the allow file\n", allowPath, key)
	}
	if failed {
		fmt.Fprintf(stderr, "limits: FAILED: Go files must stay within %d lines and functions within %d lines (tests and third_party/ excepted)\n", maxFileLines, maxFuncLines)
		return 1
	}
	return 0
}

func describe(key string) string {
	f := strings.Fields(key)
	if f[0] == "func" {
		return "function " + f[2]
	}
	return "file"
}

// measure walks root and returns every offence, sorted by position.
func measure(root string) ([]offence, error) {
	var offs []offence
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			name := d.Name()
			if rel == "third_party" || (rel != "." && (strings.HasPrefix(name, ".") || name == "testdata" || name == "bin")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(rel, ".go") || strings.HasSuffix(rel, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		f, err := parser.ParseFile(fset, rel, src, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		if n := fset.File(f.Pos()).LineCount(); n > maxFileLines {
			offs = append(offs, offence{Key: "file " + rel, Lines: n, Limit: maxFileLines, Pos: rel})
		}
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			start := fset.Position(fn.Pos()).Line
			n := fset.Position(fn.End()).Line - start + 1
			if n > maxFuncLines {
				name := funcName(fn)
				offs = append(offs, offence{Key: "func " + rel + " " + name, Lines: n, Limit: maxFuncLines, Pos: fmt.Sprintf("%s:%d", rel, start)})
			}
		}
		return nil
	})
	sort.Slice(offs, func(i, j int) bool { return offs[i].Key < offs[j].Key })
	return offs, err
}

// funcName is NAME for functions and TYPE.NAME for methods.
func funcName(fn *ast.FuncDecl) string {
	if fn.Recv == nil || len(fn.Recv.List) == 0 {
		return fn.Name.Name
	}
	t := fn.Recv.List[0].Type
	for {
		switch x := t.(type) {
		case *ast.StarExpr:
			t = x.X
			continue
		case *ast.IndexExpr:
			t = x.X
			continue
		case *ast.IndexListExpr:
			t = x.X
			continue
		case *ast.Ident:
			return x.Name + "." + fn.Name.Name
		}
		return fn.Name.Name
	}
}

// readAllow reads the allow file: key -> owner. A missing file allows nothing.
func readAllow(path string) (map[string]string, error) {
	allowed := map[string]string{}
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return allowed, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		var key string
		switch {
		case fields[0] == "file" && len(fields) == 3:
			key = "file " + fields[1]
		case fields[0] == "func" && len(fields) == 4:
			key = "func " + fields[1] + " " + fields[2]
		default:
			return nil, fmt.Errorf("%s:%d: want \"file PATH OWNER\" or \"func PATH NAME OWNER\", got %q", path, n, sc.Text())
		}
		allowed[key] = fields[len(fields)-1]
	}
	return allowed, sc.Err()
}
