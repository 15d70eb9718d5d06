package watch

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"exscan/internal/sysfile"
)

// The state file (--state FILE) is JSON, written atomically: to a
// temporary file in the same folder, synced, renamed over FILE, and the
// folder synced. It holds:
//
//   - roots: the folders watched when it was written. A root that is not
//     listed is new to the state: its existing files are a baseline (logs
//     are followed from their end, web files are not scanned) unless
//     --from-start.
//   - logs: one entry per followed log file: path, identity (device and
//     inode, or volume serial and file index on Windows), a fingerprint
//     of its first bytes, the offset and line number read up to (always
//     the end of a complete line; for an event log, the chunk and the
//     identifier of the last record read), the header lines in force there
//     (IIS #Fields, the Exchange CSV header), the size and modification
//     time last seen.
//   - hits: the fingerprints of the findings already reported, with the
//     time each was first reported, newest last (bounded in number and
//     age), so that nothing is reported twice after a restart.
//   - webshells: the webshells the checks found on disk (by this run or
//     earlier ones), so requests to them stay tied to them after a
//     restart.
//   - output: the size of the output file when the state was written; on
//     restart the findings written after that point (JSON output) are
//     read back into hits, which closes the gap between a finding being
//     written and the next save, even after kill -9.
//
// A second file, FILE.files, holds what can be many and changes rarely:
// the web files (path, identity, size, modification time and SHA-256 of
// each file as last checked, or taken as the baseline) and the log files
// that have been quiet for an hour (without their header: if one grows
// again, it is read from the top for its line number and header). It is
// written at most once a minute, when it changed. On a real server FILE
// then holds the newest file of each log folder and stays small, however
// many old logs the folders keep.
const stateVersion = 1

type stateFile struct {
	Version int         `json:"version"`
	Program string      `json:"program"`
	Saved   string      `json:"saved"`
	Roots   []string    `json:"roots"`
	Output  *outputPos  `json:"output,omitempty"`
	Headers [][]string  `json:"headers,omitempty"`
	Logs    []logState  `json:"logs"`
	Hits    []hitRecord `json:"hits"`
	// Webshells found on disk (WebshellMemory).
	Webshells []Webshell `json:"webshells,omitempty"`
}

type outputPos struct {
	Path string `json:"path"`
	Size int64  `json:"size"`
	ID   string `json:"id,omitempty"`
}

type logState struct {
	Path      string `json:"path"`
	ID        string `json:"id,omitempty"`
	FP        string `json:"fp,omitempty"`
	FPLen     int    `json:"fp_len,omitempty"`
	Offset    int64  `json:"offset"`
	Line      int64  `json:"line,omitempty"`
	LineKnown bool   `json:"line_known,omitempty"` // false: line number and header below offset not read yet
	Header    int    `json:"header,omitempty"`     // 1-based index into headers
	Skip      bool   `json:"skip_line,omitempty"`  // inside an over-long line: skip to the next newline
	Record    uint64 `json:"record,omitempty"`     // event logs: the last record id read (Offset is its chunk)
	Kind      string `json:"kind,omitempty"`       // "", "gz", "not-log", "undecided"
	Size      int64  `json:"size"`
	MTime     int64  `json:"mtime"`

	cold bool // loaded from FILE.files
}

type hitRecord struct {
	FP string `json:"fp"`
	T  int64  `json:"t"`
}

type filesState struct {
	Version int        `json:"version"`
	Program string     `json:"program"`
	Saved   string     `json:"saved"`
	Roots   []string   `json:"roots"`
	Files   []webState `json:"files"`
	Logs    []logState `json:"logs"` // quiet log files
}

// fpKeep is how much of the SHA-256 of a file's first bytes the state keeps.
const fpKeep = 16

type webState struct {
	Path   string `json:"path"`
	ID     string `json:"id,omitempty"`
	Size   int64  `json:"size"`
	MTime  int64  `json:"mtime"`
	SHA256 string `json:"sha256,omitempty"`
}

func (id fileID) String() string {
	if id.zero() {
		return ""
	}
	return strconv.FormatUint(id.Dev, 16) + ":" + strconv.FormatUint(id.Ino, 16)
}

func parseID(s string) fileID {
	d, i, ok := strings.Cut(s, ":")
	if !ok {
		return fileID{}
	}
	dv, err1 := strconv.ParseUint(d, 16, 64)
	iv, err2 := strconv.ParseUint(i, 16, 64)
	if err1 != nil || err2 != nil {
		return fileID{}
	}
	return fileID{Dev: dv, Ino: iv}
}

// loadJSON reads a state file; a missing file is not an error (ok false).
func loadJSON(path string, v any) (bool, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return false, fmt.Errorf("%s: not a valid exscan watch state: %v", path, err)
	}
	return true, nil
}

// writeAtomic replaces path with data: a temporary file in the same
// folder (owner-only), synced, renamed over path, then the folder synced,
// so that a crash leaves either the old or the new state, never a mix.
func writeAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	name := tmp.Name()
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			os.Remove(name)
		}
	}()
	if err := sysfile.RestrictFile(tmp); err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(name, path); err != nil {
		return err
	}
	ok = true
	syncDir(dir)
	return nil
}

// syncDir makes a rename in dir durable (a no-op where folders cannot be
// opened for syncing).
func syncDir(dir string) {
	if runtime.GOOS == "windows" {
		return
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// recoverOutput reads the findings written to the output file after the
// state was saved (from pos.Size on) and returns their fingerprints. It
// reads JSON lines (jsonl, timesketch); other lines are ignored. If the
// file is not the one the state saw (another identity, or shorter), it
// returns nothing.
func recoverOutput(path string, pos *outputPos) ([]string, error) {
	if pos == nil || path == "" {
		return nil, nil
	}
	abs, _ := filepath.Abs(path)
	if abs != pos.Path {
		return nil, nil
	}
	st, err := statPath(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, err
	}
	if id := parseID(pos.ID); !id.zero() && !st.id.zero() && id != st.id || st.size < pos.Size {
		return nil, nil
	}
	f, err := openShared(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if _, err := f.Seek(pos.Size, io.SeekStart); err != nil {
		return nil, err
	}
	var out []string
	br := bufio.NewReaderSize(f, 64<<10)
	var line []byte
	for {
		part, err := br.ReadSlice('\n')
		if len(line)+len(part) <= 16<<20 {
			line = append(line, part...)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if bytes.Contains(line, []byte(`"fingerprint"`)) {
			var v struct {
				Type        string `json:"type"`
				Fingerprint string `json:"fingerprint"`
			}
			if json.Unmarshal(line, &v) == nil && v.Fingerprint != "" && v.Type != "summary" {
				out = append(out, v.Fingerprint)
			}
		}
		line = line[:0]
		if err != nil {
			break
		}
	}
	return out, nil
}

func nowRFC3339() string { return time.Now().UTC().Format(time.RFC3339) }
