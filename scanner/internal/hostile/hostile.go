// Package hostile builds, at test time, a file tree full of the things an
// attacker or a broken disk puts in front of a scanner: FIFOs, sockets,
// device nodes, link loops, links out of the tree, paths longer than
// PATH_MAX, names with invalid UTF-8 and terminal escapes, a sparse file
// far over the size limit, empty files and a folder with very many files.
// Planted webshells hide among them. Items that cannot be committed to git
// (FIFOs, sockets, sparse files) are why this is a generator and not a
// folder in testdata.
package hostile

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Webshell is a planted China Chopper one-liner the scan must still find.
const Webshell = `<%@ Page Language="Jscript"%><%eval(Request.Item["hostile"],"unsafe");%>` + "\n"

// Expect is what a scan of the tree must report.
type Expect struct {
	Root      string
	Planted   []string         // paths of planted webshells
	Skips     map[string]int64 // skip reason -> count, with links not followed
	Closers   []func()         // listeners to close when done
	ManyFiles int
}

// Options size the tree.
type Options struct {
	ManyFiles  int   // files in one folder (the issue asks for 100,000)
	SparseSize int64 // apparent size of the sparse file (10 GB)
	// Portable leaves out what a Windows file system cannot hold (FIFOs,
	// sockets, devices, names with control bytes or invalid UTF-8, links,
	// paths over Linux's PATH_MAX), so that a Windows build reading the
	// same tree (under wine) must give the same result as the Linux one.
	// Names stay hostile within what Windows allows, and the deep path is
	// still far over Windows' MAX_PATH (260).
	Portable bool
}

// Build creates the tree under dir.
func Build(dir string, o Options) (*Expect, error) {
	ex := &Expect{Root: dir, Skips: map[string]int64{}, ManyFiles: o.ManyFiles}
	mk := func(rel string, data string) (string, error) {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return "", err
		}
		return p, os.WriteFile(p, []byte(data), 0o644)
	}
	plant := func(rel string) error {
		p, err := mk(rel, Webshell)
		ex.Planted = append(ex.Planted, p)
		return err
	}
	if err := plant("inetpub/wwwroot/aspnet_client/a.aspx"); err != nil {
		return nil, err
	}

	// Special files (FIFOs, sockets, devices): never opened for reading.
	if !o.Portable {
		if err := specialFiles(dir, ex); err != nil {
			return nil, err
		}
	}

	// Links: a loop, a link out of the tree, a link to a parent folder.
	if !o.Portable {
		os.Symlink("loop-b", filepath.Join(dir, "loop-a"))
		os.Symlink("loop-a", filepath.Join(dir, "loop-b"))
		os.Symlink("/etc", filepath.Join(dir, "out-of-tree"))
		os.Symlink("..", filepath.Join(dir, "parent-link"))
		ex.Skips["symlink-not-followed"] += 4
	}

	// A path longer than PATH_MAX (4096), with a webshell at the bottom.
	deep, depth := "", 4300
	if o.Portable {
		depth = 1000
	}
	for len(deep) < depth {
		deep = filepath.Join(deep, strings.Repeat("d", 200))
	}
	if err := mkdirDeep(dir, deep); err != nil {
		return nil, fmt.Errorf("deep path: %w", err)
	}
	if err := writeDeep(dir, deep, "deep.aspx", Webshell); err != nil {
		return nil, fmt.Errorf("deep file: %w", err)
	}
	ex.Planted = append(ex.Planted, filepath.Join(dir, deep, "deep.aspx"))

	// Hostile names: invalid UTF-8, newline, tab, terminal escapes.
	names := []string{"bad\xff\xfename.aspx", "new\nline.aspx", "tab\tname.aspx", "esc\x1b[31mred\x1b[0m.aspx"}
	if o.Portable {
		names = []string{"rtl\u202excod.aspx", "quote'name.aspx", "amp&semi;.aspx", "ünï çødé.aspx"}
	}
	for _, name := range names {
		if err := plant(filepath.Join("names", name)); err != nil {
			return nil, err
		}
	}

	// A 10 GB sparse file: skipped by size, counted.
	if o.SparseSize > 0 {
		f, err := os.Create(filepath.Join(dir, "sparse.bin"))
		if err != nil {
			return nil, err
		}
		if err := f.Truncate(o.SparseSize); err != nil {
			f.Close()
			return nil, err
		}
		f.Close()
		ex.Skips["too-large"]++
	}

	// Empty files.
	for i := 0; i < 3; i++ {
		if _, err := mk(fmt.Sprintf("empty/%d.aspx", i), ""); err != nil {
			return nil, err
		}
	}

	// Very many files in one folder, one of them a webshell.
	many := filepath.Join(dir, "many")
	if err := os.MkdirAll(many, 0o755); err != nil {
		return nil, err
	}
	for i := 0; i < o.ManyFiles; i++ {
		if err := os.WriteFile(filepath.Join(many, fmt.Sprintf("f%06d.txt", i)), nil, 0o644); err != nil {
			return nil, err
		}
	}
	if err := plant("many/zz-shell.aspx"); err != nil {
		return nil, err
	}
	return ex, nil
}

// Close releases what Build holds open.
func (e *Expect) Close() {
	for _, c := range e.Closers {
		c()
	}
}

// mkdirDeep creates a path longer than PATH_MAX one level at a time,
// relative to an open folder.
func mkdirDeep(root, rel string) error {
	r, err := os.OpenRoot(root)
	if err != nil {
		return err
	}
	for _, step := range strings.Split(rel, string(filepath.Separator)) {
		if err := r.Mkdir(step, 0o755); err != nil && !os.IsExist(err) {
			r.Close()
			return err
		}
		next, err := r.OpenRoot(step)
		r.Close()
		if err != nil {
			return err
		}
		r = next
	}
	return r.Close()
}

func writeDeep(root, rel, name, data string) error {
	r, err := os.OpenRoot(root)
	if err != nil {
		return err
	}
	for _, step := range strings.Split(rel, string(filepath.Separator)) {
		next, err := r.OpenRoot(step)
		r.Close()
		if err != nil {
			return err
		}
		r = next
	}
	defer r.Close()
	f, err := r.Create(name)
	if err != nil {
		return err
	}
	_, err = f.WriteString(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
