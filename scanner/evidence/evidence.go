// Package evidence collects what a scan flagged into one encrypted zip
// (--collect FILE.zip) that a responder can take away: a copy of every
// flagged file, the log lines of every log finding, and a manifest.json
// with where each item came from, its times and hashes, and the findings
// that point at it.
//
// Entries are AES-256 encrypted with the password "infected", the usual
// convention for malware samples: antivirus on the responder's machine
// leaves the archive alone, and nobody opens a webshell by accident. A
// plain README.txt says so. Entry names are visible in any zip listing.
//
// Sources are opened read-only (without updating the access time where
// the kernel allows it), read once, and never moved or changed. The zip is
// created owner-only (0600) and an existing file is not overwritten unless
// Meta.Overwrite is set.
package evidence

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/yeka/zip"

	"exscan/internal/sysfile"
	"exscan/scanner/finding"
)

// Password is the password of every encrypted entry.
const Password = "infected"

// Limits on what is kept in memory for log lines until Close.
const (
	maxLineBytes    = 1 << 20   // a longer raw line is cut (and the cut noted)
	maxPendingBytes = 256 << 20 // beyond this, further raw lines are not kept
)

// Meta describes the scan for the manifest, and how to create the zip.
type Meta struct {
	Version string // exscan version
	Host    string // name of the machine that ran the scan
	// ScannedHost names the host the evidence comes from (read from its
	// logs, or --hostname); empty when unknown.
	ScannedHost string
	Command     string    // scan, files, logs, watch
	Root        string    // --root, when scanning a mounted image
	ScanTime    time.Time // when the scan started

	Overwrite   bool  // replace an existing zip instead of refusing
	MaxFileSize int64 // flagged files larger than this are listed, not copied; 0: no limit
	Password    string
}

// Manifest is manifest.json, the last entry of the zip.
type Manifest struct {
	Format        string    `json:"format"` // "exscan-evidence/1"
	ExscanVersion string    `json:"exscan_version"`
	ScannedHost   string    `json:"scanned_host"` // the host the evidence comes from ("" when unknown)
	Host          string    `json:"exscan_host"`  // the machine exscan ran on
	Command       string    `json:"command,omitempty"`
	Root          string    `json:"root,omitempty"`
	ScanTime      string    `json:"scan_time"`
	Created       string    `json:"created"`
	Encryption    string    `json:"encryption"`
	Entries       []Item    `json:"entries"`
	NotCollected  []Missing `json:"not_collected,omitempty"`
	Findings      int       `json:"findings"`
	Notes         []string  `json:"notes,omitempty"`
}

// Item is one archived entry.
type Item struct {
	Entry        string       `json:"entry"` // name inside the zip
	Kind         string       `json:"kind"`  // "file" or "log-lines"
	OriginalPath string       `json:"original_path"`
	HostPath     string       `json:"host_path,omitempty"`
	Size         int64        `json:"size"` // bytes archived
	SourceSize   int64        `json:"source_size"`
	MTime        string       `json:"mtime,omitempty"`
	CTime        string       `json:"ctime,omitempty"` // inode change time (Unix)
	ATime        string       `json:"atime,omitempty"` // as found, before the copy
	BTime        string       `json:"btime,omitempty"` // birth (creation) time where the file system keeps it
	Mode         string       `json:"mode,omitempty"`
	MD5          string       `json:"md5"`
	SHA1         string       `json:"sha1"`
	SHA256       string       `json:"sha256"`
	Lines        int          `json:"lines,omitempty"` // log-lines entries: records archived
	Findings     []FindingRef `json:"findings"`
	Notes        []string     `json:"notes,omitempty"`
}

// FindingRef ties an entry to a finding.
type FindingRef struct {
	Fingerprint string `json:"fingerprint"`
	Rule        string `json:"rule"`
	Severity    string `json:"severity"`
	Line        int    `json:"line,omitempty"`
	Timestamp   string `json:"timestamp,omitempty"`
}

// Missing is a flagged item that could not be archived.
type Missing struct {
	OriginalPath string       `json:"original_path"`
	HostPath     string       `json:"host_path,omitempty"`
	Reason       string       `json:"reason"`
	Findings     []FindingRef `json:"findings"`
}

// Collector writes the evidence zip. All methods are safe for concurrent use.
type Collector struct {
	mu       sync.Mutex
	path     string
	file     *os.File
	zw       *zip.Writer
	meta     Meta
	self     os.FileInfo
	names    map[string]bool
	byPath   map[string]int // cleaned source path -> index in man.Entries (files)
	missing  map[string]int // cleaned source path -> index in man.NotCollected
	logs     map[string]*logFile
	logOrder []string
	pending  int64
	man      Manifest
	closed   bool
	err      error // first archive write error: the zip is unusable after it
}

type logFile struct {
	path, hostPath string
	lines          map[int]*logLine
	headers        [][]headerLine // header blocks found by reread
}

// headerLine is a header line of a log (a '#' directive such as #Fields,
// or a bare CSV header on line 1) with its line number.
type headerLine struct {
	n    int
	text []byte
}

// Limits on the header lines kept per log.
const (
	maxHeaderLines  = 32       // per block
	maxHeaderBlocks = 4096     // blocks (IIS writes one per restart)
	maxHeaderBytes  = 64 << 10 // per line
)

type logLine struct {
	raw      []byte
	haveRaw  bool
	cut      bool
	header   int // 1-based index into logFile.headers of the header in force, 0: none found
	fields   []finding.Evidence
	findings []FindingRef
}

// ErrExist is returned by Create when the zip exists and Meta.Overwrite is
// not set.
var ErrExist = errors.New("already exists")

// Create creates the zip at path (0600, refusing an existing file unless
// meta.Overwrite) and writes the README entry.
func Create(zipPath string, meta Meta) (*Collector, error) {
	if meta.Password == "" {
		meta.Password = Password
	}
	if meta.ScanTime.IsZero() {
		meta.ScanTime = time.Now()
	}
	flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
	f, err := sysfile.CreateOwnerOnly(zipPath, flags)
	if errors.Is(err, os.ErrExist) && meta.Overwrite {
		// Remove and recreate rather than truncate: the new file gets
		// owner-only permissions, and a symlink planted at the path is
		// replaced, not followed.
		if info, lerr := os.Lstat(zipPath); lerr == nil && !info.Mode().IsRegular() && info.Mode()&os.ModeSymlink == 0 {
			return nil, fmt.Errorf("%s exists and is not a regular file", zipPath)
		}
		if rerr := os.Remove(zipPath); rerr != nil {
			return nil, rerr
		}
		f, err = sysfile.CreateOwnerOnly(zipPath, flags)
	}
	if errors.Is(err, os.ErrExist) {
		return nil, fmt.Errorf("%s %w", zipPath, ErrExist)
	}
	if err != nil {
		return nil, err
	}
	self, _ := f.Stat()
	c := &Collector{
		path: zipPath, file: f, zw: zip.NewWriter(f), meta: meta, self: self,
		names: map[string]bool{}, byPath: map[string]int{}, missing: map[string]int{}, logs: map[string]*logFile{},
	}
	c.man = Manifest{
		Format: "exscan-evidence/1", ExscanVersion: meta.Version, ScannedHost: meta.ScannedHost, Host: meta.Host, Command: meta.Command, Root: meta.Root,
		ScanTime:   meta.ScanTime.UTC().Format(time.RFC3339),
		Encryption: "every entry except README.txt: WinZip AES-256 (AE-2), password \"" + meta.Password + "\"",
	}
	if err := c.writeReadme(); err != nil {
		f.Close()
		os.Remove(zipPath)
		return nil, err
	}
	return c, nil
}

// Path returns the zip's path.
func (c *Collector) Path() string { return c.path }

func (c *Collector) writeReadme() error {
	h := &zip.FileHeader{Name: "README.txt", Method: zip.Deflate}
	h.SetModTime(c.meta.ScanTime)
	h.SetMode(0o644)
	w, err := c.zw.CreateHeader(h)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, `exscan evidence archive

Evidence from host %s, collected by exscan %s on %s by "exscan %s",
started %s.

The other entries are encrypted with AES-256; the password is: %s
They may hold live webshells and attack tools: handle them as malware, open
them only on an analysis machine. AES zip entries need 7-Zip (7z x -p%s),
WinZip or a similar tool; Windows Explorer and Info-ZIP unzip cannot open them.

manifest.json lists every entry with its original path, its times, its
size and MD5/SHA-1/SHA-256 of the archived bytes, and the findings (by
fingerprint) that point at it.
files/  copies of flagged files, under their path on the scanned host
logs/   the flagged records of each log file, one per line:
        line number, a tab, the record as read
`, orDash(c.meta.ScannedHost), orDash(c.meta.Version), orDash(c.meta.Host), orDash(c.meta.Command), c.meta.ScanTime.UTC().Format(time.RFC3339), c.meta.Password, c.meta.Password)
	return err
}

// Add archives what f points at: for a file finding or an event-log
// finding, a copy of the file at f.Path (once per file, however many
// findings name it); for another log finding, its record, re-read from the log at Close by line number (the
// matched fields are kept in case the line cannot be read again). An
// error about one source is also recorded in the manifest; the collector
// stays usable.
func (c *Collector) Add(f *finding.Finding) error {
	return c.add(f, nil, false)
}

// AddLogLine archives a log finding with the raw record line the caller
// already holds (no re-read at Close).
func (c *Collector) AddLogLine(f *finding.Finding, raw []byte) error {
	return c.add(f, raw, true)
}

func (c *Collector) add(f *finding.Finding, raw []byte, haveRaw bool) error {
	if f == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return errors.New("evidence: collector is closed")
	}
	if c.err != nil {
		return c.err
	}
	c.man.Findings++
	ref := FindingRef{Fingerprint: f.Fingerprint, Rule: f.Rule, Severity: f.Severity.String(), Line: f.Line, Timestamp: f.Timestamp}
	if f.Kind == finding.KindLog && f.Channel == "" {
		c.addLine(f, ref, raw, haveRaw)
		return nil
	}
	// files, and event logs (a binary .evtx has no lines to cut out: the
	// file itself is kept, once, with every finding's record id)
	return c.addFile(f, ref)
}

func (c *Collector) addLine(f *finding.Finding, ref FindingRef, raw []byte, haveRaw bool) {
	key := filepath.Clean(f.Path)
	lf := c.logs[key]
	if lf == nil {
		lf = &logFile{path: f.Path, hostPath: f.HostPath, lines: map[int]*logLine{}}
		c.logs[key] = lf
		c.logOrder = append(c.logOrder, key)
	}
	ln := lf.lines[f.Line]
	if ln == nil {
		ln = &logLine{fields: append([]finding.Evidence(nil), f.Evidence...)}
		lf.lines[f.Line] = ln
	}
	ln.findings = append(ln.findings, ref)
	if haveRaw && !ln.haveRaw {
		ln.setRaw(raw, c)
	}
}

func (ln *logLine) setRaw(raw []byte, c *Collector) {
	raw = bytes.TrimRight(raw, "\r\n")
	if len(raw) > maxLineBytes {
		raw, ln.cut = raw[:maxLineBytes], true
	}
	if c.pending+int64(len(raw)) > maxPendingBytes {
		return
	}
	c.pending += int64(len(raw))
	ln.raw, ln.haveRaw = append([]byte(nil), raw...), true
}

func (c *Collector) addFile(f *finding.Finding, ref FindingRef) error {
	src := f.Path
	key := filepath.Clean(src)
	if i, ok := c.byPath[key]; ok {
		c.man.Entries[i].Findings = append(c.man.Entries[i].Findings, ref)
		return nil
	}
	if i, ok := c.missing[key]; ok {
		c.man.NotCollected[i].Findings = append(c.man.NotCollected[i].Findings, ref)
		return nil
	}
	miss := func(reason string) error {
		c.missing[key] = len(c.man.NotCollected)
		c.man.NotCollected = append(c.man.NotCollected, Missing{OriginalPath: src, HostPath: f.HostPath, Reason: reason, Findings: []FindingRef{ref}})
		return fmt.Errorf("evidence: %s not collected: %s", src, reason)
	}
	in, err := openReadOnly(src)
	if err != nil {
		return miss(err.Error())
	}
	defer in.Close()
	info, err := in.Stat()
	if err != nil {
		return miss(err.Error())
	}
	if !info.Mode().IsRegular() {
		return miss("not a regular file")
	}
	if c.self != nil && os.SameFile(info, c.self) {
		return miss("it is the evidence zip itself")
	}
	if c.meta.MaxFileSize > 0 && info.Size() > c.meta.MaxFileSize {
		return miss(fmt.Sprintf("larger than the collection limit (%d > %d bytes)", info.Size(), c.meta.MaxFileSize))
	}
	it := Item{Kind: "file", OriginalPath: src, HostPath: f.HostPath, SourceSize: info.Size(), Mode: info.Mode().String(), Findings: []FindingRef{ref}}
	it.MTime = stamp(info.ModTime())
	t := fileTimes(in, info)
	it.CTime, it.ATime, it.BTime = stamp(t.ctime), stamp(t.atime), stamp(t.btime)
	name := f.HostPath
	if name == "" {
		name = src
	}
	it.Entry = c.uniqueName("files/" + sanitise(name))

	w, err := c.create(it.Entry, info.ModTime())
	if err != nil {
		return err
	}
	sums := newSums()
	n, rerr := io.Copy(io.MultiWriter(w, sums), in)
	if c.err != nil {
		return c.err // the archive is broken, not the source
	}
	it.Size = n
	sums.fill(&it)
	if rerr != nil {
		it.Notes = append(it.Notes, fmt.Sprintf("read error after %d bytes, partial copy: %v", n, rerr))
	}
	if after, err := in.Stat(); err == nil && (after.Size() != info.Size() || !after.ModTime().Equal(info.ModTime())) {
		it.Notes = append(it.Notes, "the file changed while it was being copied")
	} else if n != info.Size() && rerr == nil {
		it.Notes = append(it.Notes, fmt.Sprintf("read %d bytes, the file system reports %d", n, info.Size()))
	}
	if f.SHA256 != "" && !strings.EqualFold(f.SHA256, it.SHA256) {
		it.Notes = append(it.Notes, "SHA-256 differs from the one the scan computed ("+f.SHA256+"): the file changed between scan and collection")
	}
	c.byPath[key] = len(c.man.Entries)
	c.man.Entries = append(c.man.Entries, it)
	if rerr != nil {
		return fmt.Errorf("evidence: %s: partial copy: %v", src, rerr)
	}
	return nil
}

// errWriter records a write error on the zip side of a copy: it breaks the
// archive, while a read error on the source does not.
type errWriter struct {
	w io.Writer
	c *Collector
}

func (e errWriter) Write(p []byte) (int, error) {
	n, err := e.w.Write(p)
	if err != nil {
		e.c.err = fmt.Errorf("evidence: writing %s: %w", e.c.path, err)
	}
	return n, err
}

// create starts an encrypted entry.
func (c *Collector) create(name string, mtime time.Time) (io.Writer, error) {
	h := &zip.FileHeader{Name: name, Method: zip.Deflate}
	if !mtime.IsZero() {
		h.SetModTime(mtime)
	}
	h.SetMode(0o600)
	h.SetPassword(c.meta.Password)
	h.SetEncryptionMethod(zip.AES256Encryption)
	w, err := c.zw.CreateHeader(h)
	if err != nil {
		c.err = fmt.Errorf("evidence: writing %s: %w", c.path, err)
		return nil, c.err
	}
	return errWriter{w, c}, nil
}

// Close writes the log-line entries and the manifest and closes the zip.
// The zip is complete only after Close returns nil.
func (c *Collector) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil
	}
	c.closed = true
	err := c.err
	if err == nil {
		err = c.writeLogs()
	}
	if err == nil {
		err = c.writeManifest()
	}
	if cerr := c.zw.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if serr := c.file.Sync(); err == nil && serr != nil {
		err = serr
	}
	if cerr := c.file.Close(); err == nil && cerr != nil {
		err = cerr
	}
	return err
}

// Manifest returns a copy of the manifest as it stands.
func (c *Collector) Manifest() Manifest {
	c.mu.Lock()
	defer c.mu.Unlock()
	m := c.man
	m.Entries = append([]Item(nil), m.Entries...)
	m.NotCollected = append([]Missing(nil), m.NotCollected...)
	return m
}

func (c *Collector) writeLogs() error {
	for _, key := range c.logOrder {
		lf := c.logs[key]
		nums := make([]int, 0, len(lf.lines))
		for n := range lf.lines {
			nums = append(nums, n)
		}
		sort.Ints(nums)
		var notes []string
		// Read again for the header lines in force at each line (and the
		// raw lines not kept)
		if err := c.reread(lf, nums); err != nil {
			if missingRaw(lf, nums) {
				notes = append(notes, "could not re-read the log ("+err.Error()+"): the lines marked [fields] hold only the matched fields")
			} else {
				notes = append(notes, "could not re-read the log ("+err.Error()+"): its header lines (#Fields) are not included")
			}
		}
		it := Item{Kind: "log-lines", OriginalPath: lf.path, HostPath: lf.hostPath, Lines: len(nums), Notes: notes}
		if info, err := os.Stat(lf.path); err == nil {
			it.SourceSize, it.MTime, it.Mode = info.Size(), stamp(info.ModTime()), info.Mode().String()
			t := fileTimes(nil, info)
			it.CTime, it.ATime, it.BTime = stamp(t.ctime), stamp(t.atime), stamp(t.btime)
		}
		name := lf.hostPath
		if name == "" {
			name = lf.path
		}
		it.Entry = c.uniqueName("logs/" + sanitise(name) + ".lines.txt")
		var buf bytes.Buffer
		cut, fieldsOnly := 0, 0
		lastHeader := 0
		for _, n := range nums {
			ln := lf.lines[n]
			it.Findings = append(it.Findings, ln.findings...)
			// The header lines in force, before the first line under them,
			// with their own line numbers
			if ln.header > 0 && ln.header != lastHeader {
				for _, h := range lf.headers[ln.header-1] {
					buf.WriteString(strconv.Itoa(h.n))
					buf.WriteByte('\t')
					buf.Write(h.text)
					buf.WriteByte('\n')
				}
				lastHeader = ln.header
			}
			buf.WriteString(strconv.Itoa(n))
			buf.WriteByte('\t')
			if ln.haveRaw {
				buf.Write(ln.raw)
				if ln.cut {
					cut++
				}
			} else {
				fieldsOnly++
				buf.WriteString("[fields]")
				for _, e := range ln.fields {
					buf.WriteString(" " + oneLine(e.Name) + "=" + oneLine(e.Value))
				}
			}
			buf.WriteByte('\n')
		}
		if cut > 0 {
			it.Notes = append(it.Notes, fmt.Sprintf("%d line(s) longer than %d bytes were cut", cut, maxLineBytes))
		}
		if fieldsOnly > 0 && len(notes) == 0 {
			it.Notes = append(it.Notes, fmt.Sprintf("%d line(s) not found again in the log (rotated, truncated or over the memory limit): they hold only the matched fields", fieldsOnly))
		}
		var mt time.Time
		if info, err := os.Stat(lf.path); err == nil {
			mt = info.ModTime()
		}
		w, err := c.create(it.Entry, mt)
		if err != nil {
			return err
		}
		sums := newSums()
		if _, err := io.Copy(io.MultiWriter(w, sums), &buf); err != nil {
			return c.err
		}
		it.Size = int64(sums.n)
		sums.fill(&it)
		c.man.Entries = append(c.man.Entries, it)
	}
	return nil
}

func missingRaw(lf *logFile, nums []int) bool {
	for _, n := range nums {
		if !lf.lines[n].haveRaw && n > 0 {
			return true
		}
	}
	return false
}

// reread streams the log once and picks the wanted physical lines (1-based,
// counted in the decompressed file, as the log reader counts them).
func (c *Collector) reread(lf *logFile, nums []int) error {
	in, err := openReadOnly(lf.path)
	if err != nil {
		return err
	}
	defer in.Close()
	br := bufio.NewReaderSize(in, 64<<10)
	var r io.Reader = br
	if head, _ := br.Peek(2); len(head) == 2 && head[0] == 0x1f && head[1] == 0x8b {
		z, err := gzip.NewReader(br)
		if err != nil {
			return err
		}
		defer z.Close()
		r = z
	} else if len(head) == 2 && (head[0] == 0xff && head[1] == 0xfe || head[0] == 0xfe && head[1] == 0xff) {
		return errors.New("UTF-16 log")
	}
	lr := bufio.NewReaderSize(r, 64<<10)
	want := 0
	for want < len(nums) && nums[want] <= 0 {
		want++
	}
	lf.headers = nil
	inHeader := false // the previous line was a header line
	for line := 1; want < len(nums); line++ {
		keep := line == nums[want]
		var rec, head []byte
		cut, any := false, false
		for {
			chunk, err := lr.ReadSlice('\n')
			if !any && len(chunk) > 0 && (chunk[0] == '#' || line == 1) {
				head = []byte{} // a header line: kept whole (up to a limit)
			}
			any = any || len(chunk) > 0
			if head != nil && len(head) < maxHeaderBytes {
				head = append(head, chunk[:min(len(chunk), maxHeaderBytes-len(head))]...)
			}
			if keep {
				if room := maxLineBytes - len(rec); len(chunk) > room {
					chunk, cut = chunk[:room], true
				}
				rec = append(rec, chunk...)
			}
			if err == bufio.ErrBufferFull {
				continue
			}
			if err == io.EOF && !any {
				return nil // past the end: the remaining lines keep their fields
			}
			if err != nil && err != io.EOF {
				return err
			}
			break
		}
		if head != nil {
			if !inHeader && len(lf.headers) < maxHeaderBlocks {
				lf.headers = append(lf.headers, nil)
			}
			if b := len(lf.headers) - 1; b >= 0 && len(lf.headers[b]) < maxHeaderLines {
				lf.headers[b] = append(lf.headers[b], headerLine{n: line, text: bytes.TrimRight(head, "\r\n")})
			}
		}
		inHeader = head != nil
		if keep {
			ln := lf.lines[line]
			if !ln.haveRaw {
				ln.setRaw(rec, c)
				ln.cut = ln.cut || cut
			}
			ln.header = len(lf.headers)
			want++
		}
	}
	return nil
}

func (c *Collector) writeManifest() error {
	c.man.Created = time.Now().UTC().Format(time.RFC3339)
	if c.man.Entries == nil {
		c.man.Entries = []Item{}
	}
	b, err := json.MarshalIndent(c.man, "", "  ")
	if err != nil {
		return err
	}
	w, err := c.create("manifest.json", time.Now())
	if err != nil {
		return err
	}
	if _, err := w.Write(append(b, '\n')); err != nil {
		return c.err
	}
	return nil
}

// uniqueName returns name, or name with ~N before the extension when an
// entry of that name exists (case-insensitively, for Windows extraction).
func (c *Collector) uniqueName(name string) string {
	try := name
	for i := 2; c.names[strings.ToLower(try)]; i++ {
		ext := path.Ext(name)
		if len(ext) > 16 || strings.Contains(ext, "/") {
			ext = ""
		}
		try = strings.TrimSuffix(name, ext) + "~" + strconv.Itoa(i) + ext
	}
	c.names[strings.ToLower(try)] = true
	return try
}

// sanitise turns a Windows or Unix path into a relative zip entry name:
// '/' separators only, no drive colon, no empty, "." or ".." parts, no
// control, bidi or Windows-reserved characters, no invalid UTF-8, bounded
// length.
func sanitise(p string) string {
	p = strings.ReplaceAll(p, `\`, "/")
	var parts []string
	for _, part := range strings.Split(p, "/") {
		switch part {
		case "", ".":
			continue
		case "..":
			parts = append(parts, "__")
			continue
		}
		if len(part) == 2 && part[1] == ':' && (part[0]|0x20 >= 'a' && part[0]|0x20 <= 'z') {
			part = part[:1] // drive letter
		}
		var b strings.Builder
		for i := 0; i < len(part); {
			r, size := utf8.DecodeRuneInString(part[i:])
			i += size
			switch {
			case r == utf8.RuneError && size <= 1,
				r < 0x20, r == 0x7f, r >= 0x80 && r < 0xa0,
				r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c, r == 0xfeff,
				strings.ContainsRune(`:*?"<>|`, r):
				b.WriteByte('_')
			default:
				b.WriteRune(r)
			}
		}
		s := b.String()
		// Windows drops trailing dots and spaces from names.
		if t := strings.TrimRight(s, ". "); t != s {
			s = t + "_"
		}
		if len(s) > 120 {
			s = truncUTF8(s, 120)
		}
		parts = append(parts, s)
	}
	if len(parts) == 0 {
		return "unnamed"
	}
	out := strings.Join(parts, "/")
	for len(out) > 400 && len(parts) > 1 {
		parts = parts[1:]
		out = strings.Join(parts, "/")
	}
	return out
}

func truncUTF8(s string, n int) string {
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// oneLine keeps a matched field on one line of the text entry.
func oneLine(s string) string {
	return strings.NewReplacer("\r", `\r`, "\n", `\n`).Replace(s)
}

type sums struct {
	md5, sha1, sha256 hash.Hash
	n                 int
}

func newSums() *sums { return &sums{md5: md5.New(), sha1: sha1.New(), sha256: sha256.New()} }

func (s *sums) Write(p []byte) (int, error) {
	s.md5.Write(p)
	s.sha1.Write(p)
	s.sha256.Write(p)
	s.n += len(p)
	return len(p), nil
}

func (s *sums) fill(it *Item) {
	it.MD5 = hex.EncodeToString(s.md5.Sum(nil))
	it.SHA1 = hex.EncodeToString(s.sha1.Sum(nil))
	it.SHA256 = hex.EncodeToString(s.sha256.Sum(nil))
}

type times struct{ ctime, atime, btime time.Time }

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
