package scanner

import (
	"context"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"sync"
	"time"

	"exscan/rules"
	"exscan/scanner/finding"
	"exscan/scanner/scriptview"
)

// Skip reasons, as counted in the summary.
const (
	SkipTooLarge    = "too-large"
	SkipNotRegular  = "not-regular-file" // FIFO, socket, device: never opened
	SkipSymlink     = "symlink-not-followed"
	SkipLinkLoop    = "symlink-loop"
	SkipLinkOutside = "symlink-outside-target" // --follow-links: the link leads out of the folder being scanned
	SkipPermission  = "permission-denied"
	SkipVanished    = "vanished"
	SkipReadError   = "read-error"
	SkipChanged     = "changed-while-read" // checked, but the file changed size while read
	SkipScanTimeout = "yara-timeout"       // checked partly: YARA gave up on it
	SkipYARAError   = "yara-error"
)

type fileJob struct {
	path    string
	win     string // Windows path on the scanned host, or "" when unknown
	info    fs.FileInfo
	fh      *os.File // opened read-only by the walker; nil when not opened
	openErr error
}

// ScanFiles runs the file checks on every regular file under the targets
// and returns the index of the webshells found, for ScanLogs.
func (e *Engine) ScanFiles(ctx context.Context, targets []Target) *WebshellIndex {
	jobs := make(chan fileJob, 64)
	var wg sync.WaitGroup
	for i := 0; i < e.opts.Threads; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := newFileWorker(e)
			defer w.close()
			for j := range jobs {
				if ctxDone(ctx) {
					if j.fh != nil {
						j.fh.Close()
					}
					continue
				}
				w.check(j)
			}
		}()
	}
	w := &walker{ctx: ctx, follow: e.opts.FollowLinks,
		file: func(display, win string, info fs.FileInfo, open func() (*os.File, error)) {
			// fh stays nil when the file is too large (or the open failed
			// with err): the worker still runs the name and path checks.
			var fh *os.File
			var err error
			if info.Size() <= e.opts.MaxFileSize {
				fh, err = open()
			}
			e.filesSeen.Add(1)
			jobs <- fileJob{path: display, win: win, info: info, fh: fh, openErr: err}
		},
		skip: func(display, reason, detail string, entry bool) {
			if entry {
				e.filesSeen.Add(1)
			}
			e.skip(display, reason, detail)
		},
	}
	for _, t := range targets {
		w.walk(t)
	}
	close(jobs)
	wg.Wait()
	return e.shells
}

// CheckFile runs the file checks on one file now (watch mode). win is its
// Windows path on the scanned host, or "" when unknown.
func (e *Engine) CheckFile(path, win string) {
	info, err := os.Lstat(path)
	if err != nil {
		e.skipErr(path, err)
		return
	}
	e.filesSeen.Add(1)
	if !info.Mode().IsRegular() {
		e.skip(path, SkipNotRegular, info.Mode().Type().String())
		return
	}
	fh, err := openReadOnly(path)
	w := newFileWorker(e)
	defer w.close()
	w.check(fileJob{path: path, win: win, info: info, fh: fh, openErr: err})
}

func isLoop(err error) bool {
	return strings.Contains(err.Error(), "too many levels of symbolic links")
}

func (e *Engine) skipErr(p string, err error) { e.skip(p, errReason(err), err.Error()) }

// errReason is the skip reason of an error reading p.
func errReason(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return SkipVanished
	case errors.Is(err, fs.ErrPermission):
		return SkipPermission
	}
	return SkipReadError
}

type fileWorker struct {
	e    *Engine
	buf  []byte
	ys   *rules.YARAScanner // raw and view rules
	view []byte             // reused view buffer
	// traits holds the capability rules matched in the current file, by
	// rule id, for combineTraits.
	traits map[string]trait
}

func newFileWorker(e *Engine) *fileWorker {
	w := &fileWorker{e: e}
	ys, errs := e.opts.YARA.NewScanner(e.opts.ScanTimeout)
	for _, err := range errs {
		e.Warn(err.Error())
	}
	w.ys = ys
	return w
}

func (w *fileWorker) close() {
	w.ys.Close()
}

// check runs every file check on one file, reading it once: the hashes,
// the YARA scan and the header checks all use the same bytes.
func (w *fileWorker) check(j fileJob) {
	e := w.e
	if e.opts.Progress != nil {
		defer e.opts.Progress(1, j.info.Size())
	}
	hostPath := j.win
	if hostPath == "" {
		hostPath = j.path
	}
	var reasons []finding.Reason
	clear(w.traits)
	// Name and path indicators need no read: checked even for files that
	// are skipped by size or cannot be read.
	reasons = append(reasons, e.pathIOCs(hostPath)...)

	data, readErr := w.read(j)
	if j.fh != nil {
		j.fh.Close()
	}
	if cap(w.buf) > keepBuffer {
		// A big file's buffer is let go once it is checked, so each
		// worker holds at most keepBuffer between files.
		defer func() { w.buf = nil }()
	}
	f := finding.Finding{Kind: finding.KindFile, Path: j.path, HostPath: j.win}
	size := j.info.Size()
	f.Size = &size
	f.MTime = j.info.ModTime().UTC().Format(time.RFC3339)
	if readErr == nil {
		e.filesScanned.Add(1)
		e.bytes.Add(int64(len(data)))
		// SHA-256 always; MD5 and SHA-1 cost as much again, so they are
		// computed up front only when an indicator list or a rule needs
		// them (every built-in MD5/SHA-1 indicator has its SHA-256 too),
		// and otherwise only for files that end up in a finding.
		s256 := sha256.Sum256(data)
		f.SHA256 = hex.EncodeToString(s256[:])
		runYARA := w.needsYARA(data)
		if e.opts.AllDigests || runYARA && e.opts.YARA.UsesMD5() {
			f.MD5, f.SHA1 = md5hex(data), sha1hex(data)
		}
		reasons = append(reasons, e.hashIOCs(f.MD5, f.SHA1, f.SHA256)...)
		if runYARA {
			reasons = append(reasons, w.yaraScan(j, hostPath, data, data, f.MD5, false)...)
		}
		if w.ys.HasView() {
			if base, _ := winSplit(hostPath); scriptview.IsScript(base, data) {
				w.view = scriptview.AppendView(w.view[:0], base, data)
				reasons = appendNew(reasons, w.yaraScan(j, hostPath, data, w.view, f.MD5, true)...)
				for _, t := range viewTraits(w.view) {
					if w.traits == nil {
						w.traits = map[string]trait{}
					}
					w.traits[t.reason.Rule] = t
					reasons = append(reasons, t.reason)
				}
				if cap(w.view) > keepBuffer {
					w.view = nil
				}
			}
		}
	}
	reasons = combineTraits(reasons, w.traits)
	reasons = append(reasons, heuristics(hostPath, dataOrNil(data, readErr))...)
	if len(reasons) == 0 {
		return
	}
	if readErr == nil && f.MD5 == "" {
		f.MD5, f.SHA1 = md5hex(data), sha1hex(data)
	}
	f.Reasons = reasons
	f.Severity, f.Scoring = ScoreExplained(Classify(hostPath), reasons)
	if IsScriptPage(hostPath) && f.Severity >= finding.High {
		e.noteWebshell(j.path, hostPath)
	}
	e.emit(f)
}

func md5hex(b []byte) string {
	h := md5.Sum(b)
	return hex.EncodeToString(h[:])
}

func sha1hex(b []byte) string {
	h := sha1.Sum(b)
	return hex.EncodeToString(h[:])
}

func dataOrNil(d []byte, err error) []byte {
	if err != nil {
		return nil
	}
	return d
}

// read reads the whole file into the worker's buffer, read-only and, where
// the OS allows it, without changing its access time.
func (w *fileWorker) read(j fileJob) ([]byte, error) {
	e := w.e
	if j.info.Size() > e.opts.MaxFileSize {
		e.skip(j.path, SkipTooLarge, fmt.Sprintf("%d bytes > --max-file-size %d", j.info.Size(), e.opts.MaxFileSize))
		return nil, errSkipped
	}
	fh := j.fh
	if fh == nil {
		err := j.openErr
		if err == nil {
			err = errors.New("not opened")
		}
		e.skipErr(j.path, err)
		return nil, err
	}
	st, err := fh.Stat()
	if err != nil {
		e.skipErr(j.path, err)
		return nil, err
	}
	if !st.Mode().IsRegular() {
		// Replaced by something else between the walk and the open.
		e.skip(j.path, SkipNotRegular, st.Mode().Type().String())
		return nil, errSkipped
	}
	size := st.Size()
	if size > e.opts.MaxFileSize {
		e.skip(j.path, SkipTooLarge, fmt.Sprintf("%d bytes > --max-file-size %d", size, e.opts.MaxFileSize))
		return nil, errSkipped
	}
	if int64(cap(w.buf)) < size+1 {
		w.buf = make([]byte, size+1)
	}
	buf := w.buf[:size+1]
	n, err := readFull(fh, buf, e.throttle)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		e.skipErr(j.path, err)
		return nil, err
	}
	if int64(n) != size {
		// Shrank or grew while read: check what is there and say so.
		e.skip(j.path, SkipChanged, fmt.Sprintf("size %d at open, %d read", size, n))
		if int64(n) > size {
			n = int(size)
		}
	}
	return buf[:n], nil
}

var errSkipped = errors.New("skipped")

// keepBuffer is the largest read buffer a worker keeps between files.
const keepBuffer = 8 << 20

func readFull(r io.Reader, buf []byte, t *throttle) (int, error) {
	n := 0
	for n < len(buf) {
		chunk := len(buf) - n
		if chunk > 4<<20 {
			chunk = 4 << 20
		}
		m, err := r.Read(buf[n : n+chunk])
		n += m
		if t != nil {
			t.wait(m)
		}
		if err != nil {
			return n, err
		}
		if m == 0 {
			return n, io.ErrUnexpectedEOF
		}
	}
	return n, nil
}

// needsYARA says whether the YARA scan of data could report anything.
// libyara searches every byte for every rule's strings before it looks at
// a condition, so a file whose size and first bytes no rule admits (a DLL
// against webshell rules that all demand uint16(0) != 0x5A4D) is left
// out, and counted.
func (w *fileWorker) needsYARA(data []byte) bool {
	e := w.e
	if !w.ys.HasRules() {
		return false
	}
	if e.opts.YARAEveryFile || e.opts.YARA.CanMatch(int64(len(data)), data) {
		return true
	}
	e.yaraRuledOut.Add(1)
	e.yaraRuledOutBytes.Add(int64(len(data)))
	return false
}

// yaraScan runs the raw rules on buf (the file's bytes, data) or, with
// view, the view rules on buf (the normalised view of a script page),
// records the capability traits matched and skips the file on a YARA
// error (matches found before it are kept).
func (w *fileWorker) yaraScan(j fileJob, hostPath string, data, buf []byte, md5hex string, view bool) []finding.Reason {
	e := w.e
	base, dir := winSplit(hostPath)
	file := rules.YARAFile{Name: base, Dir: dir, Type: FileType(data), MD5: md5hex}
	scan := w.ys.Scan
	if view {
		scan = w.ys.ScanView
	}
	matches, err := scan(buf, file)
	switch {
	case errors.Is(err, rules.ErrYARATimeout):
		e.skip(j.path, SkipScanTimeout, fmt.Sprintf("YARA gave up after %s; matches so far are reported", e.opts.ScanTimeout))
	case err != nil:
		e.skip(j.path, SkipYARAError, err.Error())
	}
	var out []finding.Reason
	for _, m := range matches {
		if m.Trait != "" {
			if w.traits == nil {
				w.traits = map[string]trait{}
			}
			w.traits[m.Rule] = trait{reason: m.Reason, name: m.Trait, weight: m.Weight}
		}
		out = append(out, m.Reason)
	}
	return out
}

// appendNew appends the reasons whose rule is not in out yet.
func appendNew(out []finding.Reason, add ...finding.Reason) []finding.Reason {
	for _, r := range add {
		dup := false
		for _, o := range out {
			if o.Rule == r.Rule {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, r)
		}
	}
	return out
}

// winSplit splits a Windows or native path into base name and folder.
func winSplit(p string) (base, dir string) {
	i := strings.LastIndexAny(p, `\/`)
	if i < 0 {
		return p, ""
	}
	return p[i+1:], p[:i]
}

func (e *Engine) hashIOCs(md5hex, sha1hex, sha256hex string) []finding.Reason {
	if e.opts.IOCs == nil {
		return nil
	}
	var out []finding.Reason
	for _, h := range []string{sha256hex, sha1hex, md5hex} {
		if h == "" {
			continue
		}
		for _, en := range e.opts.IOCs.Hash(h) {
			out = append(out, iocReason(en, "exscan.ioc.hash", "Known-bad file hash", h))
		}
	}
	return out
}

func (e *Engine) pathIOCs(hostPath string) []finding.Reason {
	if e.opts.IOCs == nil {
		return nil
	}
	var out []finding.Reason
	for _, en := range e.opts.IOCs.Path(hostPath) {
		out = append(out, iocReason(en, "exscan.ioc."+string(en.Kind), "File name or path of a known webshell or tool", hostPath))
	}
	return out
}
