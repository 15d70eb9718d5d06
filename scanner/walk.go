package scanner

import (
	"context"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// fileWalk is the walk of one file target: it owns the folders entered
// (loop protection) and the resolved target folder links must stay in.
type fileWalk struct {
	e       *Engine
	ctx     context.Context
	jobs    chan<- fileJob
	visited map[string]bool // folders entered, by device and inode
	// linkRoot is the resolved target folder: with --follow-links, links
	// are followed only while they stay inside it.
	linkRoot string
}

// walk feeds every file below t to jobs. Folders are opened relative to
// their parent (os.Root), one name at a time, so paths longer than the
// system's PATH_MAX are still walked and read. Each regular file is opened
// here, read-only, and handed to a worker with its descriptor; FIFOs,
// sockets and devices are never opened. Links are not followed unless
// FollowLinks is set; then each folder is entered once (by device and
// inode), so link loops end.
func (w *fileWalk) walk(t Target) {
	e := w.e
	// With --follow-links, links are followed only while they stay inside
	// the target: on a mounted image an absolute link means the scanned
	// host's path, and following it here would read the analyst's own
	// machine (and put its files in the evidence).
	if real, err := filepath.EvalSymlinks(t.Path); err == nil {
		w.linkRoot = real
	}
	info, err := os.Lstat(t.Path)
	if err != nil {
		e.filesSeen.Add(1)
		e.skipErr(t.Path, err)
		return
	}
	if info.Mode()&fs.ModeSymlink != 0 {
		// A link given on the command line is followed: it is what the
		// user asked for.
		if info, err = os.Stat(t.Path); err != nil {
			e.filesSeen.Add(1)
			e.skipErr(t.Path, err)
			return
		}
	}
	if !info.IsDir() {
		if !info.Mode().IsRegular() {
			e.filesSeen.Add(1)
			e.skip(t.Path, SkipNotRegular, info.Mode().Type().String())
			return
		}
		var fh *os.File
		var err error
		if info.Size() <= e.opts.MaxFileSize {
			fh, err = openReadOnly(t.Path) // follows a link the user named
		}
		w.send(t.Path, t.WinPath, info, fh, err)
		return
	}
	r, err := os.OpenRoot(t.Path)
	if err != nil {
		e.skipErr(t.Path, err)
		return
	}
	defer r.Close()
	if key := fileKey(info); key != "" {
		w.visited[key] = true
	}
	w.walkRoot(r, t.Path, t.WinPath)
}

// walkRoot visits every entry of the folder r (shown as display).
func (w *fileWalk) walkRoot(r *os.Root, display, win string) {
	e := w.e
	d, err := r.Open(".")
	if err != nil {
		e.skipErr(display, err)
		return
	}
	defer d.Close()
	for {
		ents, err := d.ReadDir(512)
		for _, c := range ents {
			if ctxDone(w.ctx) {
				return
			}
			cw := ""
			if win != "" {
				cw = strings.TrimSuffix(win, `\`) + `\` + c.Name()
			}
			w.visitEntry(r, c.Name(), filepath.Join(display, c.Name()), cw)
		}
		if err != nil {
			if err != io.EOF {
				e.skipErr(display, err)
			}
			return
		}
	}
}

// visitEntry handles one name in the folder r.
func (w *fileWalk) visitEntry(r *os.Root, name, display, win string) {
	e := w.e
	info, err := r.Lstat(name)
	if err != nil {
		e.filesSeen.Add(1)
		e.skipErr(display, err)
		return
	}
	if info.Mode()&fs.ModeSymlink != 0 {
		if !e.opts.FollowLinks {
			e.filesSeen.Add(1)
			e.skip(display, SkipSymlink, "")
			return
		}
		real, err := filepath.EvalSymlinks(display)
		if err == nil && !w.insideLinkRoot(real) {
			e.filesSeen.Add(1)
			e.skip(display, SkipLinkOutside, "leads to "+real)
			return
		}
		st, err := os.Stat(display)
		if err != nil {
			e.filesSeen.Add(1)
			if isLoop(err) {
				e.skip(display, SkipLinkLoop, err.Error())
			} else {
				e.skipErr(display, err)
			}
			return
		}
		if st.IsDir() {
			if key := fileKey(st); key != "" {
				if w.visited[key] {
					e.skip(display, SkipLinkLoop, "folder already scanned")
					return
				}
				w.visited[key] = true
			}
			sub, err := os.OpenRoot(display)
			if err != nil {
				e.skipErr(display, err)
				return
			}
			w.walkRoot(sub, display, win)
			sub.Close()
			return
		}
		if !st.Mode().IsRegular() {
			e.filesSeen.Add(1)
			e.skip(display, SkipNotRegular, st.Mode().Type().String())
			return
		}
		fh, err := openReadOnly(display)
		w.send(display, win, st, fh, err)
		return
	}
	switch {
	case info.IsDir():
		if key := fileKey(info); key != "" {
			if w.visited[key] {
				e.skip(display, SkipLinkLoop, "folder already scanned")
				return
			}
			w.visited[key] = true
		}
		sub, err := r.OpenRoot(name)
		if err != nil {
			e.skipErr(display, err)
			return
		}
		w.walkRoot(sub, display, win)
		sub.Close()
	case info.Mode().IsRegular():
		var fh *os.File
		var err error
		if info.Size() <= e.opts.MaxFileSize {
			fh, err = openInRoot(r, name)
		}
		w.send(display, win, info, fh, err)
	default:
		e.filesSeen.Add(1)
		e.skip(display, SkipNotRegular, info.Mode().Type().String())
	}
}

// send hands a file to the workers; fh may be nil (too large, or the open
// failed with err): the worker still runs the name and path checks.
func (w *fileWalk) send(display, win string, info fs.FileInfo, fh *os.File, err error) {
	w.e.filesSeen.Add(1)
	w.jobs <- fileJob{path: display, win: win, info: info, fh: fh, openErr: err}
}

func (w *fileWalk) insideLinkRoot(real string) bool {
	root := w.linkRoot
	if root == "" {
		return false
	}
	rel, err := filepath.Rel(root, real)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}
