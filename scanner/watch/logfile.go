package watch

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"exscan/scanner/logs"
)

type logKind uint8

const (
	kUndecided logKind = iota // no complete line yet: the format is not known
	kLog                      // read line by line
	kGz                       // gzip: read whole once it stops changing
	kNotLog                   // content is not a log format (kept to notice replacement)
)

// kindNames name the kinds in the state ("unsupported", UTF-16 text that
// older versions did not follow, reads as undecided).
var kindNames = map[logKind]string{kUndecided: "undecided", kLog: "", kGz: "gz", kNotLog: "not-log"}

func parseKind(s string) logKind {
	for k, n := range kindNames {
		if n == s {
			return k
		}
	}
	return kUndecided
}

// logFile is one followed log file.
type logFile struct {
	path  string
	win   string // Windows path on the scanned host, or ""
	r     *root
	id    fileID
	fp    [sha256.Size]byte
	fpLen int
	evtx  bool   // a Windows event log: its fingerprint is its signature (the header changes as it grows)
	mark  uint32 // an event log's logs.EVTXMark when last read
	kind  logKind

	// cp is where the log reader stopped: just after a newline (the
	// chunk and record id of an event log), with the line number and the
	// header in force; cp.Blind for a baseline file not read yet.
	cp logs.Checkpoint

	seenSize, seenMod int64
	lastChange        time.Time
	next              time.Time
	backlog           bool
	gzChanged         time.Time

	gone    bool
	goneAt  time.Time
	errLogd bool
	inCold  bool // listed in FILE.files as a quiet file, left out of FILE

	format logs.Format // the format its lines were last read in
	family string      // the log family it was last counted in
}

// schedule sets the next size poll: every poll for files that changed in
// the last hour, every 10 s for the last day, else every 5 minutes (IIS and
// Exchange append only to their newest files; folder events and listings
// still notice any file that changes).
func (w *Watcher) schedule(e *logFile, now time.Time) {
	age := now.Sub(e.lastChange)
	switch {
	case age < time.Hour:
		// A little less than one poll: ticks come a little early or late,
		// and a file due just after a tick would wait a whole extra poll.
		e.next = now.Add(w.cfg.Poll * 3 / 4)
	case age < 24*time.Hour:
		e.next = now.Add(10 * time.Second)
	default:
		e.next = now.Add(5 * time.Minute)
	}
}

// discoverLog starts following a log file that is not followed yet.
func (w *Watcher) discoverLog(path string, r *root, st fileStat, now time.Time, startup bool) {
	// A file renamed inside the watched folders keeps its offset.
	if old := w.byID[st.id]; old != nil && !st.id.zero() && old.path != path {
		if !old.gone {
			if ost, err := statPath(old.path); err != nil || ost.id != old.id {
				w.markGone(old, now)
			}
		}
		if old.gone && st.size >= old.cp.Offset && w.samePrefix(path, old) {
			w.log.Info().Msgf("watch: %s was renamed to %s; following it from %s", old.path, path, old.where())
			old.path, old.win, old.r, old.gone = path, winPath(r, path), r, false
			w.logs[path] = old
			w.dirty = true
			w.pollLog(old, now)
			return
		}
	}
	e := &logFile{path: path, win: winPath(r, path), r: r, id: st.id, lastChange: time.Unix(0, st.mtime)}
	head, err := readHead(path, fpMax)
	if err != nil {
		if !notExist(err) {
			w.fileErr(path, err, nil)
		}
		return
	}
	e.setFP(head)
	e.kind = sniffKind(head, path)
	if e.kind == kNotLog && r.Kind == Auto {
		w.discoverWeb(path, r, st, now, startup)
		return
	}

	resumed := false
	if s, ok := w.savedLogs[path]; ok {
		delete(w.savedLogs, path)
		resumed = w.resume(e, s, st, head)
	} else if p, ok := w.savedByID[st.id]; ok && !st.id.zero() {
		// Renamed while exscan was stopped.
		if s, ok := w.savedLogs[p]; ok {
			if _, err := os.Lstat(p); err != nil {
				delete(w.savedLogs, p)
				if resumed = w.resume(e, s, st, head); resumed {
					w.log.Info().Msgf("watch: %s was renamed to %s while stopped; following it from %s", p, path, e.where())
				}
			}
		}
	}
	baseline := false
	switch {
	case resumed:
	case startup && !r.restored && !w.cfg.FromStart:
		// Baseline: follow from the end of the last complete line.
		w.tailFrom(e, st)
		baseline = true
	default:
		// New since the last run, or --from-start: read from the start.
		if e.kind == kGz {
			e.gzChanged = time.Unix(0, st.mtime)
		}
	}
	w.logs[path] = e
	if !st.id.zero() {
		if cur := w.byID[st.id]; cur == nil || cur.gone {
			w.byID[st.id] = e
		}
	}
	w.dirty = true
	if resumed || !startup || !baseline && e.cp.Offset < st.size {
		// Resumed files compare with the size saved: what was appended
		// while exscan was stopped is read now.
		w.pollLog(e, now)
	} else {
		e.seenSize, e.seenMod = st.size, st.mtime
		w.schedule(e, now)
	}
}

// resume restores a file's saved state if it is still the same file.
func (w *Watcher) resume(e *logFile, s logState, st fileStat, head []byte) bool {
	if !sameID(parseID(s.ID), st.id) || st.size < s.Offset || s.FPLen > len(head) {
		return false
	}
	if s.FPLen > 0 {
		sum := sha256.Sum256(head[:s.FPLen])
		if hexString(sum[:fpKeep]) != s.FP {
			return false
		}
	}
	e.inCold = s.cold
	e.cp = logs.Checkpoint{Offset: s.Offset, Line: s.Line, Blind: !s.LineKnown, Skip: s.Skip, Record: s.Record}
	e.kind = parseKind(s.Kind)
	switch {
	case e.kind == kUndecided && s.Kind == "":
		e.kind = kLog
	case s.Kind == "unsupported":
		e.cp.Blind = true // UTF-16 followed from where it was left
	}
	if s.Header > 0 && s.Header <= len(w.savedHeaders) {
		e.cp.Header = w.savedHeaders[s.Header-1]
	}
	e.seenSize, e.seenMod = s.Size, s.MTime
	if e.kind == kGz && (st.size != s.Size || st.mtime != s.MTime) {
		e.cp.Offset = 0 // changed while stopped: read again once it settles
		e.gzChanged = time.Unix(0, st.mtime)
	}
	return true
}

// where says where a file is followed from, for the log.
func (e *logFile) where() string {
	if e.cp.Record > 0 {
		return fmt.Sprintf("record %d", e.cp.Record+1)
	}
	if e.cp.Blind {
		return fmt.Sprintf("byte %d", e.cp.Offset)
	}
	return fmt.Sprintf("line %d", e.cp.Line+1)
}

// tailFrom positions a baseline file at the end of its last complete line
// (an event log: at its last record). The line number and header of a
// text log are read from the top later, if it grows.
func (w *Watcher) tailFrom(e *logFile, st fileStat) {
	switch e.kind {
	case kGz, kNotLog:
		e.cp = logs.Checkpoint{Offset: st.size}
		return
	}
	f, err := openFile(e.path)
	if err != nil {
		e.cp = logs.Checkpoint{Offset: st.size, Blind: true}
		return
	}
	defer f.Close()
	if cp, ok := logs.EVTXEnd(f, st.size); ok {
		e.cp = cp
		return
	}
	e.cp = logs.Checkpoint{Offset: logs.TextEnd(f, st.size), Blind: true}
}

func (e *logFile) setFP(head []byte) {
	if e.evtx = logs.IsEVTX(head); e.evtx {
		head = head[:8]
	}
	e.fp = sha256.Sum256(head)
	e.fpLen = len(head)
}

// sniffKind tells from the first bytes what kind of file it is.
func sniffKind(head []byte, path string) logKind {
	switch {
	case len(head) >= 2 && head[0] == 0x1f && head[1] == 0x8b:
		return kGz
	case logs.IsEVTX(head):
		return kLog
	}
	i := bytes.LastIndexByte(head, '\n')
	if i < 0 {
		return kUndecided
	}
	rd, err := logs.NewReader(bytes.NewReader(head[:i+1]), path)
	if err != nil {
		if errors.Is(err, logs.ErrUnknownFormat) {
			return kNotLog
		}
		return kUndecided
	}
	if rd.Format() == logs.FormatUnknown {
		return kUndecided
	}
	return kLog
}

func readHead(path string, n int) ([]byte, error) {
	f, err := openFile(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf := make([]byte, n)
	m, err := io.ReadFull(f, buf)
	if err == io.ErrUnexpectedEOF || err == io.EOF {
		err = nil
	}
	return buf[:m], err
}

// samePrefix reports whether the file at path starts with the bytes e
// was fingerprinted on.
func (w *Watcher) samePrefix(path string, e *logFile) bool {
	head, err := readHead(path, e.fpLen)
	return err == nil && len(head) == e.fpLen && sha256.Sum256(head) == e.fp
}

// markGone takes a file that vanished (or whose name now holds another
// file) out of the followed set. Its offset waits for the grace time in
// case it shows up under another name.
func (w *Watcher) markGone(e *logFile, now time.Time) {
	if w.logs[e.path] == e {
		delete(w.logs, e.path)
	}
	delete(w.hot, e)
	if e.gone {
		return
	}
	e.gone, e.goneAt = true, now
	w.setBacklog(e, false)
	if e.inCold {
		w.coldDirty = true
	}
	w.gone = append(w.gone, e)
	w.dirty = true
}

func (w *Watcher) expireGone(now time.Time) {
	keep := w.gone[:0]
	for _, e := range w.gone {
		switch {
		case !e.gone: // came back under another name
		case now.Sub(e.goneAt) >= w.cfg.grace:
			if w.byID[e.id] == e {
				delete(w.byID, e.id)
			}
		default:
			keep = append(keep, e)
		}
	}
	for i := len(keep); i < len(w.gone); i++ {
		w.gone[i] = nil
	}
	w.gone = keep
}

// pollLog looks at a followed file's size and reads what was appended.
func (w *Watcher) pollLog(e *logFile, now time.Time) {
	defer w.schedule(e, now)
	st, err := statPath(e.path)
	if err != nil || !st.mode.IsRegular() {
		if err == nil || notExist(err) {
			w.markGone(e, now)
			return
		}
		w.fileErr(e.path, err, &e.errLogd)
		e.next = now.Add(10 * time.Second)
		return
	}
	if !sameID(e.id, st.id) {
		// Another file under this name (replaced, or rotated by rename):
		// follow the new one from its start; the old one may reappear
		// under another name.
		w.markGone(e, now)
		w.discoverLog(e.path, e.r, st, now, false)
		return
	}
	if st.size == e.seenSize && st.mtime == e.seenMod && !e.backlog && !(e.kind == kGz && e.cp.Offset < st.size) && !w.evtxMoved(e) {
		return
	}
	w.readLog(e, now)
}

// evtxMoved reports whether records were written to an event log whose
// size and time did not change.
func (w *Watcher) evtxMoved(e *logFile) bool {
	if !e.evtx || e.kind != kLog {
		return false
	}
	f, err := openFile(e.path)
	if err != nil {
		return false
	}
	defer f.Close()
	return logs.EVTXMark(f, e.cp) != e.mark
}

// setBacklog marks a file with more to read than one round reads.
func (w *Watcher) setBacklog(e *logFile, v bool) {
	e.backlog = v
	if v {
		w.backlogged[e] = true
	} else {
		delete(w.backlogged, e)
	}
}

// readLog reads what was appended to e since its offset.
func (w *Watcher) readLog(e *logFile, now time.Time) {
	f, err := openFile(e.path)
	if err != nil {
		if notExist(err) {
			w.markGone(e, now)
		} else {
			w.fileErr(e.path, err, &e.errLogd)
		}
		return
	}
	defer f.Close()
	st, err := statOpen(f)
	if err != nil {
		w.fileErr(e.path, err, &e.errLogd)
		return
	}
	if !sameID(e.id, st.id) {
		return // replaced between stat and open: the next poll takes the new file
	}
	e.lastChange = now
	e.errLogd = false
	e.inCold = false
	if st.size < e.cp.Offset || !w.prefixSame(e, f, st.size) {
		w.truncs.Add(1)
		w.log.Info().Msgf("watch: %s was truncated or replaced; reading it from the start", e.path)
		e.cp = logs.Checkpoint{}
		e.fpLen = 0
		if e.kind != kGz {
			e.kind = kUndecided
		}
		w.prefixSame(e, f, st.size)
		w.dirty = true
	}
	switch e.kind {
	case kNotLog:
		e.seenSize, e.seenMod = st.size, st.mtime
		w.setBacklog(e, false)
		return
	case kGz:
		w.readGz(e, f, st, now)
		return
	}
	if err := w.readAppended(e, f, st.size); err != nil {
		if errors.Is(err, errMovedToWeb) {
			return
		}
		w.fileErr(e.path, err, &e.errLogd)
		return
	}
	if !e.backlog {
		e.seenSize, e.seenMod = st.size, st.mtime
	}
}

// prefixSame checks e's first bytes against its fingerprint, and extends
// the fingerprint while the file is shorter than fpMax.
func (w *Watcher) prefixSame(e *logFile, f *os.File, size int64) bool {
	if e.fpLen >= fpMax || e.evtx || int64(e.fpLen) >= size {
		if e.fpLen == 0 {
			return true
		}
		if int64(e.fpLen) > size {
			return false
		}
		buf := make([]byte, e.fpLen)
		if n, _ := f.ReadAt(buf, 0); n != e.fpLen {
			return false
		}
		return sha256.Sum256(buf) == e.fp
	}
	n := min(size, fpMax)
	buf := make([]byte, n)
	m, _ := f.ReadAt(buf, 0)
	buf = buf[:m]
	if e.fpLen > 0 && (len(buf) < e.fpLen || sha256.Sum256(buf[:e.fpLen]) != e.fp) {
		return false
	}
	e.setFP(buf)
	if e.kind == kUndecided || e.kind == kNotLog {
		if k := sniffKind(buf, e.path); k == kGz {
			e.kind = k
		}
	}
	return true
}

var errMovedToWeb = errors.New("not a log: checked as a web file")

// readAppended reads the records appended to e since its checkpoint, up
// to the end of the last complete line (an event log: of its last whole
// chunk), at most a round's worth before the other files get a turn.
func (w *Watcher) readAppended(e *logFile, f *os.File, size int64) error {
	w.setBacklog(e, false)
	if e.evtx && e.cp.Blind && e.cp.Record == 0 {
		// a baseline event log that could not be read at first: its end
		// is taken now
		if cp, ok := logs.EVTXEnd(f, size); ok {
			e.cp = cp
			w.dirty = true
		}
		return nil
	}
	if e.evtx {
		// taken before reading: what is written meanwhile is read next time
		e.mark = logs.EVTXMark(f, e.cp)
	}
	rd, err := logs.Resume(f, size, e.path, e.cp, logs.ResumeOptions{Tail: true, MaxLine: w.cfg.chunk})
	if errors.Is(err, logs.ErrUnknownFormat) {
		if e.r.Kind == Auto {
			w.toWeb(e)
			return errMovedToWeb
		}
		e.kind = kNotLog
		w.log.Info().Msgf("watch: %s is not a log format exscan reads; skipped", e.path)
		return nil
	}
	if err != nil {
		return err
	}
	defer rd.Close()
	if e.kind == kUndecided && rd.Format() != logs.FormatUnknown {
		e.kind = kLog
	}
	res, err := logs.Pass{Since: w.cfg.Since, Checks: w.recordChecks(e), Budget: int64(w.cfg.round), Stop: w.stopping}.Run(rd)
	if err != nil {
		return err // not written: read again
	}
	if cp := rd.Checkpoint(); cp.Offset != e.cp.Offset || cp.Record != e.cp.Record || cp.Blind != e.cp.Blind {
		e.cp = cp
		w.dirty = true
	}

	w.countPass(e, &res)
	if n := res.Stats.CutLines; n > 0 {
		w.log.Warn().Msgf("watch: %s: %d line(s) longer than %d bytes before line %d; skipped", e.path, n, w.cfg.chunk, e.cp.Line+1)
		w.errs.Add(n)
	}
	if res.ReadErr != nil {
		w.fileErr(e.path, res.ReadErr, &e.errLogd)
	}
	w.setBacklog(e, res.More && !w.stopping())
	return nil
}

// recordChecks are the checks a pass over e's records runs: the
// Checker's, with its line prefilter when it has one.
func (w *Watcher) recordChecks(e *logFile) logs.RecordChecks {
	c := watchChecks{w: w, e: e}
	if fc, ok := w.chk.(FilteredChecker); ok {
		c.inner = fc.RecordChecks(e.path, e.win)
	}
	return c
}

type watchChecks struct {
	w     *Watcher
	e     *logFile
	inner logs.RecordChecks
}

func (c watchChecks) Filter(f logs.Format) func([]byte) (bool, uint64) {
	if c.inner == nil {
		return nil
	}
	return c.inner.Filter(f)
}

// Check runs the checks; a finding that could not be written ends the pass.
func (c watchChecks) Check(rec *logs.Record) error {
	if c.inner != nil {
		if err := c.inner.Check(rec); err != nil {
			return err
		}
	} else {
		c.w.chk.CheckRecord(c.e.path, c.e.win, rec)
	}
	return c.w.takeWriteErr()
}

// readGz reads a gzip log whole once it has stopped changing.
func (w *Watcher) readGz(e *logFile, f *os.File, st fileStat, now time.Time) {
	if st.size != e.seenSize || st.mtime != e.seenMod {
		e.seenSize, e.seenMod = st.size, st.mtime
		e.gzChanged = now
		w.setBacklog(e, false)
		if e.cp.Offset == st.size {
			return
		}
	}
	if e.cp.Offset == st.size {
		return
	}
	if now.Sub(e.gzChanged) < w.cfg.Debounce {
		return // still being written: the next polls look again
	}
	rd, err := logs.NewReader(io.NewSectionReader(f, 0, st.size), e.path)
	if err != nil {
		w.fileErr(e.path, err, &e.errLogd)
		e.cp.Offset = st.size
		return
	}
	defer rd.Close()
	res, err := logs.Pass{Since: w.cfg.Since, Checks: w.recordChecks(e), Stop: w.stopping}.Run(rd)
	if err != nil {
		return
	}
	w.countPass(e, &res)
	if res.ReadErr != nil {
		w.fileErr(e.path, res.ReadErr, &e.errLogd)
	}
	e.cp.Offset = st.size
	w.dirty = true
}

const hexDigits = "0123456789abcdef"

func hexString(b []byte) string {
	out := make([]byte, len(b)*2)
	for i, c := range b {
		out[2*i], out[2*i+1] = hexDigits[c>>4], hexDigits[c&15]
	}
	return string(out)
}
