package watch

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"errors"
	"io"
	"os"
	"strings"
	"time"

	"exscan/scanner/logs"
)

type logKind uint8

const (
	kUndecided   logKind = iota // no complete line yet: the format is not known
	kLog                        // read line by line
	kGz                         // gzip: read whole once it stops changing
	kNotLog                     // content is not a log format (kept to notice replacement)
	kUnsupported                // UTF-16: not followed
)

var kindNames = map[logKind]string{kUndecided: "undecided", kLog: "", kGz: "gz", kNotLog: "not-log", kUnsupported: "unsupported"}

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
	kind  logKind

	offset    int64 // read up to here: always just after a newline
	line      int64 // lines before offset
	lineKnown bool  // line and header below offset are known (false for a baseline file not read yet)
	header    []hline
	skip      bool // inside a line longer than a chunk: skip to its newline

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

// hline is one header line and its key: the directive name ("#fields") or
// "csv" for a bare Exchange CSV header.
type hline struct {
	key  string
	line string
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
		if old.gone && st.size >= old.offset && w.samePrefix(path, old) {
			w.log.Info().Msgf("watch: %s was renamed to %s; following it from line %d", old.path, path, old.line+1)
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
					w.log.Info().Msgf("watch: %s was renamed to %s while stopped; following it from line %d", p, path, e.line+1)
				}
			}
		}
	}
	switch {
	case resumed:
	case startup && !r.restored && !w.cfg.FromStart:
		// Baseline: follow from the end of the last complete line.
		w.tailFrom(e, st)
	default:
		// New since the last run, or --from-start: read from the start.
		e.lineKnown = true
		if e.kind == kGz {
			e.gzChanged = time.Unix(0, st.mtime)
		}
	}
	if e.kind == kUnsupported {
		w.log.Warn().Msgf("watch: %s is UTF-16 text; such logs are read by 'exscan logs', not followed", path)
	}
	w.logs[path] = e
	if !st.id.zero() {
		if cur := w.byID[st.id]; cur == nil || cur.gone {
			w.byID[st.id] = e
		}
	}
	w.dirty = true
	if resumed || !startup || e.offset < st.size && e.lineKnown {
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
	e.offset, e.line, e.lineKnown, e.skip = s.Offset, s.Line, s.LineKnown, s.Skip
	e.kind = parseKind(s.Kind)
	if e.kind == kUndecided && s.Kind == "" {
		e.kind = kLog
	}
	if s.Header > 0 && s.Header <= len(w.savedHeaders) {
		for _, l := range w.savedHeaders[s.Header-1] {
			if k := headerKey([]byte(l)); k != "" {
				e.header = append(e.header, hline{key: k, line: l})
			}
		}
	}
	e.seenSize, e.seenMod = s.Size, s.MTime
	if e.kind == kGz && (st.size != s.Size || st.mtime != s.MTime) {
		e.offset = 0 // changed while stopped: read again once it settles
		e.gzChanged = time.Unix(0, st.mtime)
	}
	return true
}

// tailFrom positions a baseline file at the end of its last complete line.
// Its line number and header are read from the top later, if it grows.
func (w *Watcher) tailFrom(e *logFile, st fileStat) {
	switch e.kind {
	case kGz, kNotLog, kUnsupported:
		e.offset, e.lineKnown = st.size, true
		return
	}
	f, err := openFile(e.path)
	if err != nil {
		e.offset = st.size
		return
	}
	defer f.Close()
	from := max(st.size-tailSniff, 0)
	buf := make([]byte, st.size-from)
	n, _ := f.ReadAt(buf, from)
	if i := bytes.LastIndexByte(buf[:n], '\n'); i >= 0 {
		e.offset = from + int64(i) + 1
	} else if from == 0 {
		e.offset, e.lineKnown = 0, true // one partial line: read it when complete
	} else {
		e.offset = st.size // a very long last line: start after it
		e.skip = true
	}
}

func (e *logFile) setFP(head []byte) {
	e.fp = sha256.Sum256(head)
	e.fpLen = len(head)
}

// sniffKind tells from the first bytes what kind of file it is.
func sniffKind(head []byte, path string) logKind {
	switch {
	case len(head) >= 2 && head[0] == 0x1f && head[1] == 0x8b:
		return kGz
	case len(head) >= 2 && (head[0] == 0xff && head[1] == 0xfe || head[0] == 0xfe && head[1] == 0xff):
		return kUnsupported
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
	if st.size == e.seenSize && st.mtime == e.seenMod && !e.backlog && !(e.kind == kGz && e.offset < st.size) {
		return
	}
	w.readLog(e, now)
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
	if st.size < e.offset || !w.prefixSame(e, f, st.size) {
		w.truncs.Add(1)
		w.log.Info().Msgf("watch: %s was truncated or replaced; reading it from the start", e.path)
		e.offset, e.line, e.lineKnown, e.header, e.skip = 0, 0, true, nil, false
		e.fpLen = 0
		if e.kind != kGz {
			e.kind = kUndecided
		}
		w.prefixSame(e, f, st.size)
		w.dirty = true
	}
	switch e.kind {
	case kNotLog, kUnsupported:
		e.seenSize, e.seenMod = st.size, st.mtime
		w.setBacklog(e, false)
		return
	case kGz:
		w.readGz(e, f, st, now)
		return
	}
	if !e.lineKnown {
		if err := w.scanPrefix(e, f); err != nil {
			w.fileErr(e.path, err, &e.errLogd)
			return
		}
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
	if e.fpLen >= fpMax || int64(e.fpLen) >= size {
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
		if k := sniffKind(buf, e.path); k == kGz || k == kUnsupported {
			e.kind = k
		}
	}
	return true
}

// scanPrefix reads a baseline file from the top to its offset, for the line
// number and the header in force there.
func (w *Watcher) scanPrefix(e *logFile, f *os.File) error {
	br := bufio.NewReaderSize(io.NewSectionReader(f, 0, e.offset), 1<<20)
	var line []byte
	lines := int64(0)
	e.header = nil
	first, cand := true, false
	for {
		part, err := br.ReadSlice('\n')
		if first {
			cand = len(part) > 0 && headerStart(part[0])
			line = line[:0]
		}
		if cand && len(line) < headerMax {
			line = append(line, part...)
		}
		if err == bufio.ErrBufferFull {
			first = false
			continue
		}
		if len(part) > 0 && part[len(part)-1] == '\n' {
			lines++
		}
		if cand {
			w.noteHeader(e, line)
		}
		first = true
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
	}
	e.line, e.lineKnown = lines, true
	return nil
}

// headerStart reports whether a line starting with c may be a header line:
// a directive, a bare CSV header (DateTime,... or TimeStamp,...) or a BOM.
func headerStart(c byte) bool {
	switch c {
	case '#', 'D', 'd', 'T', 't', '"', 0xef:
		return true
	}
	return false
}

// headerKey names a header line, or returns "" for a data line.
func headerKey(line []byte) string {
	line = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf"))
	line = bytes.TrimRight(line, "\r\n")
	if len(line) == 0 {
		return ""
	}
	if line[0] == '#' {
		k, _, _ := strings.Cut(string(line[1:]), ":")
		return "#" + strings.ToLower(strings.TrimSpace(k))
	}
	i := bytes.IndexByte(line, ',')
	if i <= 0 {
		return ""
	}
	switch strings.ToLower(strings.Trim(string(line[:i]), " \"")) {
	case "datetime", "timestamp", "date-time", "time-stamp":
		return "csv"
	}
	return ""
}

// noteHeader keeps a header line: the latest line of each key, in the order
// keys first appeared.
func (w *Watcher) noteHeader(e *logFile, line []byte) {
	k := headerKey(line)
	if k == "" || len(line) > headerMax {
		return
	}
	l := string(bytes.TrimRight(bytes.TrimPrefix(line, []byte("\xef\xbb\xbf")), "\r\n"))
	for i := range e.header {
		if e.header[i].key == k {
			if e.header[i].line != l {
				e.header[i].line = l
				w.dirty = true
			}
			return
		}
	}
	total := 0
	for _, h := range e.header {
		total += len(h.line)
	}
	if len(e.header) >= maxHeaders || total+len(l) > headerMax {
		return
	}
	e.header = append(e.header, hline{key: k, line: l})
	w.dirty = true
}

var errMovedToWeb = errors.New("not a log: checked as a web file")

// readAppended reads complete lines from e.offset on.
func (w *Watcher) readAppended(e *logFile, f *os.File, size int64) error {
	budget := int64(w.cfg.round)
	w.setBacklog(e, false)
	for e.offset < size {
		if budget <= 0 || w.stopping() {
			w.setBacklog(e, !w.stopping())
			return nil
		}
		n := min(size-e.offset, int64(w.cfg.chunk))
		if int64(cap(w.buf)) < n {
			w.buf = make([]byte, n)
		}
		buf := w.buf[:n]
		m, err := f.ReadAt(buf, e.offset)
		buf = buf[:m]
		if m == 0 {
			if err != nil && err != io.EOF {
				return err
			}
			return nil
		}
		if e.skip {
			i := bytes.IndexByte(buf, '\n')
			if i < 0 {
				e.offset += int64(m)
				budget -= int64(m)
				continue
			}
			e.offset += int64(i) + 1
			e.line++
			e.skip = false
			w.dirty = true
			continue
		}
		k := bytes.LastIndexByte(buf, '\n')
		if k < 0 {
			if m == w.cfg.chunk {
				// A line longer than a chunk: skip it, counted as an error.
				w.log.Warn().Msgf("watch: %s: line %d is longer than %d bytes; skipped", e.path, e.line+1, w.cfg.chunk)
				w.errs.Add(1)
				e.skip = true
				e.offset += int64(m)
				continue
			}
			return nil // a partial line: wait for its newline
		}
		chunk := buf[:k+1]
		if err := w.feed(e, chunk); err != nil {
			return err
		}
		nl := int64(bytes.Count(chunk, []byte{'\n'}))
		e.offset += int64(len(chunk))
		e.line += nl
		budget -= int64(len(chunk))
		w.lines.Add(nl)
		w.bytesRead.Add(int64(len(chunk)))
		w.dirty = true
	}
	return nil
}

// feed parses complete lines with the file's header in front of them and
// runs the log checks on each record.
func (w *Watcher) feed(e *logFile, chunk []byte) error {
	var hdr []byte
	for _, h := range e.header {
		hdr = append(hdr, h.line...)
		hdr = append(hdr, '\n')
	}
	hN := len(e.header)
	rd, err := logs.NewReader(&twoPart{a: hdr, b: chunk}, e.path)
	if err != nil {
		if !errors.Is(err, logs.ErrUnknownFormat) {
			return err
		}
		if e.kind == kUndecided && e.offset == 0 {
			if e.r.Kind == Auto {
				w.toWeb(e)
				return errMovedToWeb
			}
			e.kind = kNotLog
			w.log.Info().Msgf("watch: %s is not a log format exscan reads; skipped", e.path)
			return nil
		}
		nl := int64(bytes.Count(chunk, []byte{'\n'}))
		w.log.Debug().Msgf("watch: %s: lines %d-%d are in no log format exscan reads; counted as malformed", e.path, e.line+1, e.line+nl)
		w.countMalformed(e, nl-int64(headerLines(chunk)))
		w.noteHeaders(e, chunk)
		return nil
	}
	defer rd.Close()
	if e.kind == kUndecided && rd.Format() != logs.FormatUnknown {
		e.kind = kLog
	}
	if err := w.checkRecords(e, rd, int(e.line)-hN); err != nil {
		return err
	}
	w.noteHeaders(e, chunk)
	return nil
}

// checkRecords runs the log checks on every record of rd (lineShift is
// added to its line numbers to give the file's own) and counts them and
// the malformed lines.
func (w *Watcher) checkRecords(e *logFile, rd *logs.Reader, lineShift int) error {
	if rd.Format() != logs.FormatUnknown {
		e.format = rd.Format()
	}
	defer func() { w.countMalformed(e, rd.Stats().Malformed) }()
	for {
		rec, err := rd.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			w.fileErr(e.path, err, &e.errLogd)
			return nil
		}
		w.records.Add(1)
		rec.Line += lineShift
		inScope := w.cfg.Since.IsZero() || rec.Time.IsZero() || !rec.Time.Before(w.cfg.Since)
		w.countRecord(e, rec, inScope)
		if !inScope {
			continue
		}
		w.chk.CheckRecord(e.path, e.win, rec)
		if err := w.takeWriteErr(); err != nil {
			return err
		}
	}
}

// headerLines counts the header lines of a chunk.
func headerLines(chunk []byte) int {
	n := 0
	for len(chunk) > 0 {
		line := chunk
		if i := bytes.IndexByte(chunk, '\n'); i >= 0 {
			line, chunk = chunk[:i], chunk[i+1:]
		} else {
			chunk = nil
		}
		if len(line) > 0 && headerStart(line[0]) && headerKey(line) != "" {
			n++
		}
	}
	return n
}

// noteHeaders keeps the header lines of a chunk for the next one.
func (w *Watcher) noteHeaders(e *logFile, chunk []byte) {
	for len(chunk) > 0 {
		i := bytes.IndexByte(chunk, '\n')
		var line []byte
		if i < 0 {
			line, chunk = chunk, nil
		} else {
			line, chunk = chunk[:i], chunk[i+1:]
		}
		if len(line) > 0 && headerStart(line[0]) {
			w.noteHeader(e, line)
		}
	}
}

// readGz reads a gzip log whole once it has stopped changing.
func (w *Watcher) readGz(e *logFile, f *os.File, st fileStat, now time.Time) {
	if st.size != e.seenSize || st.mtime != e.seenMod {
		e.seenSize, e.seenMod = st.size, st.mtime
		e.gzChanged = now
		w.setBacklog(e, false)
		if e.offset == st.size {
			return
		}
	}
	if e.offset == st.size {
		return
	}
	if now.Sub(e.gzChanged) < w.cfg.Debounce {
		return // still being written: the next polls look again
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		w.fileErr(e.path, err, &e.errLogd)
		return
	}
	rd, err := logs.NewReader(f, e.path)
	if err != nil {
		w.fileErr(e.path, err, &e.errLogd)
		e.offset = st.size
		return
	}
	defer rd.Close()
	if w.checkRecords(e, rd, 0) != nil {
		return
	}
	s := rd.Stats()
	w.lines.Add(s.Lines)
	w.bytesRead.Add(s.BytesIn)
	e.offset = st.size
	w.dirty = true
}

// twoPart reads a then b; Len lets the log reader size its buffer.
type twoPart struct{ a, b []byte }

func (t *twoPart) Read(p []byte) (int, error) {
	if len(t.a) > 0 {
		n := copy(p, t.a)
		t.a = t.a[n:]
		return n, nil
	}
	if len(t.b) == 0 {
		return 0, io.EOF
	}
	n := copy(p, t.b)
	t.b = t.b[n:]
	return n, nil
}

func (t *twoPart) Len() int { return len(t.a) + len(t.b) }

const hexDigits = "0123456789abcdef"

func hexString(b []byte) string {
	out := make([]byte, len(b)*2)
	for i, c := range b {
		out[2*i], out[2*i+1] = hexDigits[c>>4], hexDigits[c&15]
	}
	return string(out)
}
