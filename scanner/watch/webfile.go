package watch

import (
	"crypto/sha256"
	"io"
	"path/filepath"
	"strings"
	"time"
)

// sig is what says a web file is unchanged: size, modification time and
// identity.
type sig struct {
	size, mtime int64
	id          fileID
}

func sigOf(st fileStat) sig { return sig{size: st.size, mtime: st.mtime, id: st.id} }

// webFile is one file in a watched web folder.
type webFile struct {
	path, win string
	r         *root
	seen      sig // at the last look
	scanned   sig // when last checked (or taken as the baseline)
	scannedOK bool
	sha       string // SHA-256 of the content last checked, if known
	due       time.Time
	busy      bool
	lastCheck time.Time
	backoff   time.Duration // a file that keeps changing is checked at most this often
}

type webJob struct {
	path, win string
	prevSHA   string
}

type webResult struct {
	path    string
	st      sig
	sha     string
	err     error
	checked bool
	skipped bool
}

// winPath maps a path under r to its Windows path on the scanned host.
func winPath(r *root, path string) string {
	if r.WinPath == "" {
		return ""
	}
	rel, err := filepath.Rel(r.abs, path)
	if err != nil || strings.HasPrefix(rel, "..") {
		return ""
	}
	if rel == "." {
		return r.WinPath
	}
	return strings.TrimSuffix(r.WinPath, `\`) + `\` + strings.ReplaceAll(filepath.ToSlash(rel), "/", `\`)
}

// discoverWeb takes a web file not known yet.
func (w *Watcher) discoverWeb(path string, r *root, st fileStat, now time.Time, startup bool) {
	wf := &webFile{path: path, win: winPath(r, path), r: r, seen: sigOf(st)}
	w.web[path] = wf
	w.webDirty = true
	if s, ok := w.savedFiles[path]; ok {
		delete(w.savedFiles, path)
		wf.scanned, wf.scannedOK, wf.sha = sig{size: s.Size, mtime: s.MTime, id: parseID(s.ID)}, true, s.SHA256
	} else if startup && !r.webRestored && !w.cfg.FromStart {
		// Baseline: existing files are not scanned (exscan scan does that).
		wf.scanned, wf.scannedOK = wf.seen, true
		return
	}
	w.checkWeb(wf, now)
}

// checkWeb looks at a web file again; a change waits for the debounce.
func (w *Watcher) checkWeb(wf *webFile, now time.Time) {
	st, err := statPath(wf.path)
	if err != nil || !st.mode.IsRegular() {
		if err == nil || notExist(err) {
			w.dropWeb(wf.path)
		}
		return
	}
	s := sigOf(st)
	_, waiting := w.pending[wf.path]
	if wf.scannedOK && s == wf.scanned && !waiting {
		wf.seen = s
		return
	}
	if !waiting || s != wf.seen {
		wf.due = now.Add(w.cfg.Debounce)
	}
	wf.seen = s
	w.pending[wf.path] = wf
}

// pollWeb sends the web files that stopped changing to the checker.
func (w *Watcher) pollWeb(now time.Time) {
	for p, wf := range w.pending {
		if now.Before(wf.due) || wf.busy {
			continue
		}
		st, err := statPath(p)
		if err != nil || !st.mode.IsRegular() {
			if err == nil || notExist(err) {
				w.dropWeb(p)
			}
			continue
		}
		if s := sigOf(st); s != wf.seen {
			wf.seen, wf.due = s, now.Add(w.cfg.Debounce)
			continue
		}
		if wf.scannedOK && wf.seen == wf.scanned {
			delete(w.pending, p)
			continue
		}
		if now.Before(wf.lastCheck.Add(wf.backoff)) {
			continue // checked a short while ago: a busy file waits its turn
		}
		select {
		case w.jobs <- webJob{path: p, win: wf.win, prevSHA: wf.sha}:
			wf.busy = true
			delete(w.pending, p)
		default:
			return // the checker is busy: the next tick sends more
		}
	}
}

func (w *Watcher) dropWeb(p string) {
	if _, ok := w.web[p]; ok {
		delete(w.web, p)
		w.webDirty = true
	}
	delete(w.pending, p)
}

// toWeb moves a file from the logs to the web files: its content is no
// log format.
func (w *Watcher) toWeb(e *logFile) {
	if w.logs[e.path] == e {
		delete(w.logs, e.path)
	}
	if w.byID[e.id] == e {
		delete(w.byID, e.id)
	}
	delete(w.hot, e)
	w.dirty = true
	if e.inCold {
		w.coldDirty = true
	}
	st, err := statPath(e.path)
	if err != nil {
		return
	}
	w.discoverWeb(e.path, e.r, st, time.Now(), false)
}

// worker checks web files one at a time, off the loop that reads logs.
func (w *Watcher) worker() {
	for j := range w.jobs {
		if w.stopJob.Load() {
			w.results <- webResult{path: j.path, skipped: true}
			continue
		}
		res := webResult{path: j.path}
		res.sha, res.st, res.err = hashFile(j.path, w.cfg.MaxFileSize)
		if res.err == nil {
			if res.sha != "" && res.sha == j.prevSHA {
				w.log.Debug().Msgf("watch: %s changed but its content did not; not checked again", j.path)
			} else {
				w.chk.CheckFile(j.path, j.win)
				w.checked.Add(1)
				res.checked = true
			}
		}
		w.results <- res
	}
}

func (w *Watcher) applyResult(res webResult) {
	wf := w.web[res.path]
	if wf == nil {
		return
	}
	wf.busy = false
	switch {
	case res.skipped:
	case res.err != nil:
		if notExist(res.err) {
			w.dropWeb(res.path)
		} else {
			w.fileErr(res.path, res.err, nil)
		}
	default:
		wf.scanned, wf.scannedOK, wf.sha = res.st, true, res.sha
		w.webDirty = true
		if res.checked {
			// A file that changes again soon after each check (an
			// application's own log in ProgramData) is checked less and
			// less often, up to every 10 minutes; a quiet one at once.
			now := time.Now()
			if !wf.lastCheck.IsZero() && now.Sub(wf.lastCheck) < 2*wf.backoff+w.cfg.Debounce {
				wf.backoff = min(2*wf.backoff, 10*time.Minute)
			} else {
				wf.backoff = w.cfg.recheck
			}
			wf.lastCheck = now
		}
	}
}

// hashFile returns the SHA-256 of a file (or "" when it is larger than
// max) and its signature from the open handle.
func hashFile(path string, max int64) (string, sig, error) {
	f, err := openFile(path)
	if err != nil {
		return "", sig{}, err
	}
	defer f.Close()
	st, err := statOpen(f)
	if err != nil {
		return "", sig{}, err
	}
	if !st.mode.IsRegular() {
		return "", sig{}, errNotRegular
	}
	if st.size > max {
		return "", sigOf(st), nil
	}
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", sig{}, err
	}
	return hexString(h.Sum(nil)), sigOf(st), nil
}
