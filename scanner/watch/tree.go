package watch

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/fsnotify/fsnotify"

	"exscan/scanner/logs"
)

// fileStat is what the watcher needs to know about a file.
type fileStat struct {
	size  int64
	mtime int64 // Unix nanoseconds
	mode  os.FileMode
	id    fileID
}

// fileID identifies a file independently of its name: device and inode,
// or volume serial number and file index on Windows.
type fileID struct{ Dev, Ino uint64 }

func (id fileID) zero() bool { return id == fileID{} }

// sameID reports whether a and b may be the same file (unknown counts as same).
func sameID(a, b fileID) bool { return a.zero() || b.zero() || a == b }

// rootFor returns the root a path belongs to: the deepest one containing it.
func (w *Watcher) rootFor(path string) *root {
	for _, r := range w.roots {
		if path == r.abs || strings.HasPrefix(path, r.abs+string(filepath.Separator)) {
			return r
		}
	}
	return nil
}

// addTree watches dir and everything under it: the watch first, then the
// listing, so nothing created in between is missed.
func (w *Watcher) addTree(dir string, r *root, now time.Time, startup bool) {
	if w.dirs[dir] != nil || w.stopping() {
		return
	}
	if rr := w.rootFor(dir); rr != nil && rr != r {
		r = rr // a deeper root given on its own owns this folder
	}
	dw := &dirWatch{root: r}
	w.dirs[dir] = dw
	w.addWatch(dir, dw)
	ents, err := os.ReadDir(dir)
	if err != nil && len(ents) == 0 {
		if !errors.Is(err, os.ErrNotExist) {
			w.fileErr(dir, err, nil)
		}
		return
	}
	for _, ent := range ents {
		p := filepath.Join(dir, ent.Name())
		switch {
		case ent.IsDir():
			w.addTree(p, r, now, startup)
		case ent.Type().IsRegular():
			w.discoverFile(p, r, now, startup)
		}
	}
}

func (w *Watcher) addWatch(dir string, dw *dirWatch) {
	if w.fsw == nil {
		return
	}
	size := 64 << 10 // Windows: ReadDirectoryChangesW buffer per folder
	if dw.root.Kind == Files {
		size = 16 << 10 // web folders change rarely; an overflow rescans
	}
	err := w.fsw.AddWith(dir, fsnotify.WithBufferSize(size))
	if err == nil {
		dw.watched = true
		return
	}
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EMFILE) {
		if !w.watchLimit {
			w.watchLimit = true
			w.log.Warn().Msgf("watch: the system's limit of watched folders is reached at %s (%v); folders beyond it are listed again every %s instead (raise fs.inotify.max_user_watches for events)", dir, err, w.cfg.rescanLogs)
		}
		w.errs.Add(1)
		return
	}
	if !errors.Is(err, os.ErrNotExist) {
		w.fileErr(dir, err, nil)
	}
}

// forgetTree drops dir and everything under it: its watches, the web files
// and, after the grace time (a rename may bring them back), the logs.
func (w *Watcher) forgetTree(dir string, now time.Time) {
	pre := dir + string(filepath.Separator)
	under := func(p string) bool { return p == dir || strings.HasPrefix(p, pre) }
	for p, dw := range w.dirs {
		if under(p) {
			if dw.watched && w.fsw != nil {
				w.fsw.Remove(p)
			}
			delete(w.dirs, p)
		}
	}
	for p, e := range w.logs {
		if under(p) {
			w.markGone(e, now)
		}
	}
	for p := range w.web {
		if under(p) {
			w.dropWeb(p)
		}
	}
	for _, r := range w.roots {
		if r.abs == dir {
			r.missing = true
			w.log.Warn().Msgf("watch: %s was removed; it is watched for when it appears again", dir)
		}
	}
}

func (w *Watcher) onEvent(ev fsnotify.Event, now time.Time) {
	if ev.Op == fsnotify.Chmod || ev.Name == "" {
		return
	}
	name := filepath.Clean(ev.Name)
	self := w.dirs[name]
	parent := w.dirs[filepath.Dir(name)]
	if self == nil && parent == nil {
		return // a stale event from a folder no longer watched
	}
	switch {
	case ev.Has(fsnotify.Create):
		if parent != nil {
			w.discoverPath(name, parent.root, now)
		}
	case ev.Has(fsnotify.Write):
		if e := w.logs[name]; e != nil {
			w.hot[e] = true
		} else if wf := w.web[name]; wf != nil {
			w.checkWeb(wf, now)
		} else if parent != nil {
			w.discoverPath(name, parent.root, now)
		}
	case ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename):
		if self != nil {
			// The folder went away or moved: if it moved inside the
			// watched folders, its Create event brings it back.
			if _, err := os.Lstat(name); err != nil {
				w.forgetTree(name, now)
			}
			return
		}
		if e := w.logs[name]; e != nil {
			w.pollLog(e, now)
		}
		if wf := w.web[name]; wf != nil {
			w.checkWeb(wf, now)
		}
	}
}

// discoverPath looks at a path that an event named.
func (w *Watcher) discoverPath(path string, r *root, now time.Time) {
	fi, err := os.Lstat(path)
	if err != nil {
		return
	}
	switch {
	case fi.IsDir():
		if w.dirs[path] == nil {
			w.addTree(path, r, now, false)
		}
	case fi.Mode().IsRegular():
		w.discoverFile(path, r, now, false)
	}
}

// excluded reports whether path is one of exscan's own files (the output,
// the state and its temporary files), which are never checked: an output
// inside a watched folder would otherwise be checked for the evidence
// it quotes, and report on itself.
func (w *Watcher) excluded(path string) bool {
	for _, x := range w.exclude {
		if path == x {
			return true
		}
	}
	if w.cfg.State != "" {
		st, _ := filepath.Abs(w.cfg.State)
		if path == st+".files" || strings.HasPrefix(filepath.Base(path), "."+filepath.Base(st)) && filepath.Dir(path) == filepath.Dir(st) {
			return true
		}
	}
	return false
}

// discoverFile takes a regular file found by a listing or an event.
func (w *Watcher) discoverFile(path string, r *root, now time.Time, startup bool) {
	if w.excluded(path) {
		return
	}
	if e := w.logs[path]; e != nil {
		w.pollLog(e, now)
		return
	}
	if wf := w.web[path]; wf != nil {
		w.checkWeb(wf, now)
		return
	}
	st, err := statPath(path)
	if err != nil {
		if !notExist(err) {
			w.fileErr(path, err, nil)
		}
		return
	}
	if !st.mode.IsRegular() {
		return
	}
	if r.Kind == Logs || r.Kind == Auto && (logs.LogFileName(path) || w.followedID(st.id)) {
		w.discoverLog(path, r, st, now, startup)
		return
	}
	w.discoverWeb(path, r, st, now, startup)
}

// followedID reports whether id is a log followed now, or one that
// vanished within the grace time or was followed before a restart: a log
// renamed to any name (u_ex210303.log.old) stays a log.
func (w *Watcher) followedID(id fileID) bool {
	if id.zero() {
		return false
	}
	if w.byID[id] != nil {
		return true
	}
	_, ok := w.savedByID[id]
	return ok
}

// rescan lists the folders again: the log roots (and Auto roots), or the
// web roots. New files are taken; files that are gone are dropped.
func (w *Watcher) rescan(now time.Time, web bool) {
	for _, r := range w.roots {
		if (r.Kind == Files) != web || r.missing || w.stopping() {
			continue
		}
		seen := map[string]bool{}
		w.relist(r.abs, r, now, seen)
		for p, e := range w.logs {
			if e.r == r && !seen[p] {
				if _, err := os.Lstat(p); err != nil {
					w.markGone(e, now)
				}
			}
		}
		for p, wf := range w.web {
			if wf.r == r && !seen[p] {
				if _, err := os.Lstat(p); err != nil {
					w.dropWeb(p)
				}
			}
		}
	}
}

func (w *Watcher) relist(dir string, r *root, now time.Time, seen map[string]bool) {
	if w.stopping() {
		return
	}
	dw := w.dirs[dir]
	if dw == nil {
		if rr := w.rootFor(dir); rr != r {
			return // belongs to another root
		}
		w.addTree(dir, r, now, false)
		dw = w.dirs[dir]
		if dw == nil {
			return
		}
	} else if !dw.watched {
		w.addWatch(dir, dw)
	}
	ents, err := os.ReadDir(dir)
	if err != nil && len(ents) == 0 {
		if errors.Is(err, os.ErrNotExist) {
			w.forgetTree(dir, now)
		}
		return
	}
	for _, ent := range ents {
		p := filepath.Join(dir, ent.Name())
		switch {
		case ent.IsDir():
			w.relist(p, dw.root, now, seen)
		case ent.Type().IsRegular():
			seen[p] = true
			w.discoverFile(p, dw.root, now, false)
		}
	}
}

// openFile opens files for reading (a variable so tests can make it fail).
var openFile = openShared
