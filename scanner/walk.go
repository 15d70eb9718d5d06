package scanner

import (
	"context"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// walker is exscan's one directory walk, used by the file checks, the log
// checks and the progress estimate, with one link policy: a link the user
// named (the target itself) is followed; links inside are counted and not
// followed, unless follow is set (--follow-links, file checks only): then
// they are followed while they stay inside the target, and each folder is
// entered once (by device and inode), so link loops end.
//
// Folders are opened relative to their parent (os.Root), one name at a
// time, so paths longer than the system's PATH_MAX are still walked;
// FIFOs, sockets and devices are never opened.
type walker struct {
	ctx    context.Context
	follow bool
	sorted bool // visit the entries of each folder by name
	// file is called for each regular file, with its Windows path on the
	// scanned host ("" when unknown) and a function that opens it
	// read-only (relative to its folder, without following a link).
	file func(display, win string, info fs.FileInfo, open func() (*os.File, error))
	// skip is called for each item not walked or not read; entry says it
	// is a folder entry that counts as a file seen (not a folder that
	// could not be opened).
	skip func(display, reason, detail string, entry bool)

	visited map[string]bool // folders entered, by device and inode
	// linkRoot is the resolved target folder that followed links must
	// stay in: on a mounted image an absolute link means the scanned
	// host's path, and following it here would read the analyst's own
	// machine (and put its files in the evidence).
	linkRoot string
}

// walk walks one target.
func (w *walker) walk(t Target) {
	w.visited = map[string]bool{}
	w.linkRoot = ""
	if real, err := filepath.EvalSymlinks(t.Path); err == nil {
		w.linkRoot = real
	}
	info, err := os.Lstat(t.Path)
	if err != nil {
		w.skipErr(t.Path, err, true)
		return
	}
	if info.Mode()&fs.ModeSymlink != 0 {
		// A link given on the command line is followed: it is what the
		// user asked for.
		if info, err = os.Stat(t.Path); err != nil {
			w.skipErr(t.Path, err, true)
			return
		}
	}
	if !info.IsDir() {
		if !info.Mode().IsRegular() {
			w.skip(t.Path, SkipNotRegular, info.Mode().Type().String(), true)
			return
		}
		w.file(t.Path, t.WinPath, info, func() (*os.File, error) { return openReadOnly(t.Path) }) // follows a link the user named
		return
	}
	r, err := os.OpenRoot(t.Path)
	if err != nil {
		w.skipErr(t.Path, err, false)
		return
	}
	defer r.Close()
	if key := fileKey(info); key != "" {
		w.visited[key] = true
	}
	w.walkRoot(r, t.Path, t.WinPath)
}

// walkRoot visits every entry of the folder r (shown as display).
func (w *walker) walkRoot(r *os.Root, display, win string) {
	d, err := r.Open(".")
	if err != nil {
		w.skipErr(display, err, false)
		return
	}
	// The log checks visit entries by name; the file checks as the file
	// system lists them, a batch at a time, holding no whole folder.
	var names []string
	for {
		ents, err := d.ReadDir(512)
		for _, c := range ents {
			if w.sorted {
				names = append(names, c.Name())
			} else if !w.visitName(r, c.Name(), display, win) {
				d.Close()
				return
			}
		}
		if err != nil {
			if err != io.EOF {
				w.skipErr(display, err, false)
			}
			break
		}
	}
	d.Close()
	sort.Strings(names)
	for _, name := range names {
		if !w.visitName(r, name, display, win) {
			return
		}
	}
}

// visitName visits the entry name of the folder r (shown as display,
// Windows path win); false when the walk was cancelled.
func (w *walker) visitName(r *os.Root, name, display, win string) bool {
	if ctxDone(w.ctx) {
		return false
	}
	cw := ""
	if win != "" {
		cw = strings.TrimSuffix(win, `\`) + `\` + name
	}
	w.visitEntry(r, name, filepath.Join(display, name), cw)
	return true
}

// visitEntry handles one name in the folder r.
func (w *walker) visitEntry(r *os.Root, name, display, win string) {
	info, err := r.Lstat(name)
	if err != nil {
		w.skipErr(display, err, true)
		return
	}
	if info.Mode()&fs.ModeSymlink != 0 {
		w.visitLink(display, win)
		return
	}
	switch {
	case info.IsDir():
		if !w.enter(info, display) {
			return
		}
		sub, err := r.OpenRoot(name)
		if err != nil {
			w.skipErr(display, err, false)
			return
		}
		w.walkRoot(sub, display, win)
		sub.Close()
	case info.Mode().IsRegular():
		w.file(display, win, info, func() (*os.File, error) { return openInRoot(r, name) })
	default:
		w.skip(display, SkipNotRegular, info.Mode().Type().String(), true)
	}
}

// visitLink handles a link inside the target: counted, or followed while
// it stays inside the target.
func (w *walker) visitLink(display, win string) {
	if !w.follow {
		w.skip(display, SkipSymlink, "", true)
		return
	}
	real, err := filepath.EvalSymlinks(display)
	if err == nil && !w.insideLinkRoot(real) {
		w.skip(display, SkipLinkOutside, "leads to "+real, true)
		return
	}
	st, err := os.Stat(display)
	if err != nil {
		if isLoop(err) {
			w.skip(display, SkipLinkLoop, err.Error(), true)
		} else {
			w.skipErr(display, err, true)
		}
		return
	}
	switch {
	case st.IsDir():
		if !w.enter(st, display) {
			return
		}
		sub, err := os.OpenRoot(display)
		if err != nil {
			w.skipErr(display, err, false)
			return
		}
		w.walkRoot(sub, display, win)
		sub.Close()
	case st.Mode().IsRegular():
		w.file(display, win, st, func() (*os.File, error) { return openReadOnly(display) })
	default:
		w.skip(display, SkipNotRegular, st.Mode().Type().String(), true)
	}
}

// enter reports whether the folder is entered for the first time.
func (w *walker) enter(info fs.FileInfo, display string) bool {
	if key := fileKey(info); key != "" {
		if w.visited[key] {
			w.skip(display, SkipLinkLoop, "folder already scanned", false)
			return false
		}
		w.visited[key] = true
	}
	return true
}

func (w *walker) skipErr(display string, err error, entry bool) {
	w.skip(display, errReason(err), err.Error(), entry)
}

func (w *walker) insideLinkRoot(real string) bool {
	root := w.linkRoot
	if root == "" {
		return false
	}
	rel, err := filepath.Rel(root, real)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// Measure counts the regular files and bytes under the targets without
// reading them, for a progress estimate, walking them as the checks do
// (links followed only when followLinks is set).
func Measure(targets []Target, followLinks bool) (files, bytes int64) {
	w := &walker{ctx: context.Background(), follow: followLinks,
		file: func(_, _ string, info fs.FileInfo, _ func() (*os.File, error)) {
			files++
			bytes += info.Size()
		},
		skip: func(string, string, string, bool) {},
	}
	for _, t := range targets {
		w.walk(t)
	}
	return files, bytes
}
