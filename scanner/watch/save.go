package watch

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// save writes the state: first the output is synced, so the offsets saved
// never run ahead of the findings written. The web file list is written
// only when it changed.
func (w *Watcher) save(bool) error {
	now := time.Now()
	w.lastSave = now
	if w.cfg.State == "" {
		w.mu.Lock()
		w.newHits = false
		w.mu.Unlock()
		w.dirty, w.webDirty = false, false
		return nil
	}
	if w.cfg.Out.Sync != nil {
		if err := w.cfg.Out.Sync(); err != nil {
			return fmt.Errorf("syncing the output before saving the state: %w", err)
		}
	}
	s := stateFile{Version: stateVersion, Program: "exscan watch", Saved: now.UTC().Format(time.RFC3339), Logs: []logState{}, Hits: []hitRecord{}}
	for _, r := range w.roots {
		s.Roots = append(s.Roots, r.abs)
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
	paths := make([]string, 0, len(w.logs))
	for p := range w.logs {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		e := w.logs[p]
		ls := logState{
			Path: p, ID: e.id.String(), FPLen: e.fpLen, Offset: e.offset, Line: e.line,
			LineKnown: e.lineKnown, Skip: e.skip, Kind: kindNames[e.kind], Size: e.seenSize, MTime: e.seenMod,
		}
		if e.fpLen > 0 {
			ls.FP = hexString(e.fp[:])
		}
		if len(e.header) > 0 {
			lines := make([]string, len(e.header))
			for i, h := range e.header {
				lines[i] = h.line
			}
			key := strings.Join(lines, "\n")
			idx, ok := headers[key]
			if !ok {
				s.Headers = append(s.Headers, lines)
				idx = len(s.Headers)
				headers[key] = idx
			}
			ls.Header = idx
		}
		s.Logs = append(s.Logs, ls)
	}
	data, err := json.Marshal(s)
	if err != nil {
		return err
	}
	if err := writeAtomic(w.cfg.State, data); err != nil {
		return fmt.Errorf("saving the state: %w", err)
	}
	w.dirty = false

	if w.webDirty {
		fs := filesState{Version: stateVersion, Program: "exscan watch", Saved: s.Saved, Roots: s.Roots, Files: []webState{}}
		paths = paths[:0]
		for p := range w.web {
			paths = append(paths, p)
		}
		sort.Strings(paths)
		for _, p := range paths {
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
		w.webDirty = false
	}
	return nil
}
