package watch

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// isCold reports whether a log file has been quiet long enough to move to
// FILE.files: unchanged for coldAfter and fully read.
func (w *Watcher) isCold(e *logFile, now time.Time) bool {
	return !e.backlog && now.Sub(e.lastChange) >= w.cfg.coldAfter
}

func (w *Watcher) anyGoingCold(now time.Time) bool {
	for _, e := range w.logs {
		if !e.inCold && w.isCold(e, now) {
			return true
		}
	}
	return false
}

// save writes the state. The output is synced first, so the offsets saved
// never run ahead of the findings written.
//
// FILE holds the hits and the log files that changed recently, and is
// written whenever they change (at most every SaveEvery). FILE.files holds
// the web files and the quiet log files (unchanged for an hour: on a real
// server, all but the newest file of each log folder), which can be many;
// it is written at most once a minute, and only when a file became quiet,
// went away or a web file was checked. A file is left out of FILE only
// once FILE.files lists it; on load, FILE's entry wins.
func (w *Watcher) save(final bool) error {
	now := time.Now()
	w.lastSave = now
	if w.cfg.State == "" {
		w.mu.Lock()
		w.newHits = false
		w.mu.Unlock()
		w.dirty, w.webDirty, w.coldDirty = false, false, false
		return nil
	}
	if w.cfg.Out.Sync != nil {
		if err := w.cfg.Out.Sync(); err != nil {
			return fmt.Errorf("syncing the output before saving the state: %w", err)
		}
	}
	roots := make([]string, 0, len(w.roots))
	for _, r := range w.roots {
		roots = append(roots, r.abs)
	}
	saved := now.UTC().Format(time.RFC3339)
	paths := make([]string, 0, len(w.logs))
	for p := range w.logs {
		paths = append(paths, p)
	}
	sort.Strings(paths)

	// FILE.files first: what leaves FILE must be there already.
	if (w.webDirty || w.coldDirty || w.anyGoingCold(now)) && (final || now.Sub(w.lastCold) >= w.cfg.coldEvery) {
		fs := filesState{Version: stateVersion, Program: "exscan watch", Saved: saved, Roots: roots, Files: []webState{}, Logs: []logState{}}
		for _, p := range paths {
			e := w.logs[p]
			e.inCold = w.isCold(e, now)
			if e.inCold {
				fs.Logs = append(fs.Logs, w.coldLogState(e))
			}
		}
		web := make([]string, 0, len(w.web))
		for p := range w.web {
			web = append(web, p)
		}
		sort.Strings(web)
		for _, p := range web {
			wf := w.web[p]
			if !wf.scannedOK {
				continue // never checked: new again after a restart
			}
			fs.Files = append(fs.Files, webState{Path: p, ID: wf.scanned.id.String(), Size: wf.scanned.size, MTime: wf.scanned.mtime, SHA256: wf.sha})
		}
		data, err := json.Marshal(fs)
		if err != nil {
			return err
		}
		if err := writeAtomic(w.cfg.State+".files", data); err != nil {
			return fmt.Errorf("saving the state: %w", err)
		}
		w.webDirty, w.coldDirty = false, false
		w.lastCold = now
	}

	s := stateFile{Version: stateVersion, Program: "exscan watch", Saved: saved, Roots: roots, Logs: []logState{}, Hits: []hitRecord{}}
	if m, ok := w.chk.(WebshellMemory); ok {
		s.Webshells = m.Webshells()
	} else {
		s.Webshells = w.savedShells
	}
	if w.cfg.Out.Path != "" {
		abs, _ := filepath.Abs(w.cfg.Out.Path)
		if st, err := statPath(w.cfg.Out.Path); err == nil {
			s.Output = &outputPos{Path: abs, Size: st.size, ID: st.id.String()}
		}
	}
	w.mu.Lock()
	cut := now.Add(-w.cfg.HitTTL).Unix()
	for w.hitHead < len(w.hitOrder) {
		fp := w.hitOrder[w.hitHead]
		if t, ok := w.hits[fp]; ok && t >= cut {
			break
		}
		delete(w.hits, fp)
		w.hitOrder[w.hitHead] = ""
		w.hitHead++
	}
	w.compactHits()
	for _, fp := range w.hitOrder[w.hitHead:] {
		if t, ok := w.hits[fp]; ok {
			s.Hits = append(s.Hits, hitRecord{FP: fp, T: t})
		}
	}
	w.newHits = false
	w.mu.Unlock()

	headers := map[string]int{}
	for _, p := range paths {
		if e := w.logs[p]; !e.inCold {
			s.Logs = append(s.Logs, w.logState(e, func(lines []string) int {
				key := strings.Join(lines, "\n")
				idx, ok := headers[key]
				if !ok {
					s.Headers = append(s.Headers, lines)
					idx = len(s.Headers)
					headers[key] = idx
				}
				return idx
			}))
		}
	}
	data, err := json.Marshal(s)
	if err != nil {
		return err
	}
	if err := writeAtomic(w.cfg.State, data); err != nil {
		return fmt.Errorf("saving the state: %w", err)
	}
	w.dirty = false
	return nil
}

// coldLogState is the entry of a quiet log file in FILE.files: without
// its header (if it grows again, its line number and header are read from
// the top); an event log's checkpoint has none.
func (w *Watcher) coldLogState(e *logFile) logState {
	ls := w.logState(e, nil)
	if !e.evtx {
		ls.Line, ls.LineKnown, ls.Header = 0, false, 0
	}
	return ls
}

// logState is a log file's entry; intern (nil for none) numbers headers.
func (w *Watcher) logState(e *logFile, intern func([]string) int) logState {
	ls := logState{
		Path: e.path, ID: e.id.String(), FPLen: e.fpLen, Offset: e.cp.Offset, Line: e.cp.Line, Record: e.cp.Record,
		LineKnown: !e.cp.Blind, Skip: e.cp.Skip, Kind: kindNames[e.kind], Size: e.seenSize, MTime: e.seenMod,
	}
	if e.fpLen > 0 {
		ls.FP = hexString(e.fp[:fpKeep])
	}
	if intern != nil && len(e.cp.Header) > 0 {
		ls.Header = intern(e.cp.Header)
	}
	return ls
}
