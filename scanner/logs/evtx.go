package logs

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/Velocidex/ordereddict"
	"www.velocidex.com/golang/evtx"
)

// FormatEVTX is the Windows event log (.evtx), detected by its
// "ElfFile\0" signature.
const FormatEVTX Format = "evtx"

// Windows event logs are read chunk by chunk (64 KiB each, one chunk in
// memory at a time) with www.velocidex.com/golang/evtx rendering the
// records. A record carries its System values (Channel, Provider, EventID,
// Level, Computer, EventRecordID, UserID) and every EventData/UserData
// value under its own name (unnamed EventData values are all named
// "Data"); Raw is the record as "Name=Value" pairs joined by tabs, Line is
// the EventRecordID (System's, else the record header's) and Family
// "evtx/<Channel>".
//
// The reader checks each chunk's signature; the parser walks a chunk's
// records by their size fields up to its free-space offset. A chunk that
// is not a chunk (another signature, not zero-filled) counts in
// Stats.DamagedChunks. A record whose size field is wrong (zero, past the
// chunk, not repeated at its end) is skipped and counted as Malformed, its
// chunk as damaged, and the walk resumes at the next consistent record
// header of the chunk. Nothing in a damaged file is fatal; the read ends
// at the end of the input.

const (
	evtxFileMagic   = "ElfFile\x00"
	evtxChunkMagic  = "ElfChnk\x00"
	evtxChunkSize   = 0x10000
	evtxChunkHeader = 0x200
	evtxRecordMagic = "\x2a\x2a\x00\x00"
)

var evtxSpec = &FormatSpec{
	Name: FormatEVTX,
	Columns: map[StdField][]string{
		StdComputer: {"Computer"}, StdChannel: {"Channel"}, StdEventID: {"EventID"},
		StdClientIP: {"IpAddress"}, StdUser: {"SubjectUserName"},
		StdPath: {"TargetFilename", "Image", "CommandLine", "ParentImage", "ParentCommandLine",
			"NewProcessName", "ParentProcessName", "ImagePath", "ServiceFileName"},
	},
	Serves:       servesWindows,
	Extensions:   []string{".evtx"},
	SigmaAliases: evtxSigmaAliases,
	sniff:        func(head []byte) bool { return bytes.HasPrefix(head, []byte(evtxFileMagic)) },
	records:      newEVTXSource,
	family:       fixedFamily("evtx"),
}

// pendingRecord is a rendered record and its bytes in the chunk (nil when
// not known).
type pendingRecord struct {
	r   *evtx.EventRecord
	raw []byte
}

// evtxSource reads the records of one .evtx stream.
type evtxSource struct {
	rd      *Reader
	src     io.Reader
	chunk   []byte
	pending []pendingRecord
	started bool
	done    bool
	rec     Record
	raw     []byte
	offset  int64 // bytes consumed
}

func newEVTXSource(rd *Reader, src io.Reader) recordSource {
	return &evtxSource{rd: rd, src: countingReader{r: src, n: &rd.stats.Bytes}, chunk: make([]byte, evtxChunkSize)}
}

func (s *evtxSource) next() (*Record, error) {
	p, err := s.nextPending(nil)
	if err != nil {
		return nil, err
	}
	return s.record(p), nil
}

// nextPending returns the next record not rendered into a Record yet,
// reading chunks as needed; read, if not nil, is called after each chunk
// read with the stats before it.
func (s *evtxSource) nextPending(read func(before Stats)) (pendingRecord, error) {
	for len(s.pending) == 0 {
		if s.done {
			return pendingRecord{}, io.EOF
		}
		before := s.rd.stats
		err := s.nextChunk()
		if read != nil {
			read(before)
		}
		if err != nil {
			s.done = true
			if err != io.EOF {
				return pendingRecord{}, err
			}
		}
	}
	p := s.pending[0]
	s.pending[0] = pendingRecord{}
	s.pending = s.pending[1:]
	return p, nil
}

// readHeader consumes the file header block.
func (s *evtxSource) readHeader() error {
	hdr := s.chunk[:4096]
	n, err := io.ReadFull(s.src, hdr)
	s.offset += int64(n)
	if err != nil {
		if err == io.ErrUnexpectedEOF || err == io.EOF {
			s.rd.stats.Truncated = true
			return io.EOF
		}
		return err
	}
	s.rd.stats.Directives++
	if flags := binary.LittleEndian.Uint32(hdr[120:]); flags&1 != 0 {
		s.rd.stats.Dirty = true
	}
	// the header block size is 4096 in every version; a larger one is
	// skipped
	if size := int64(binary.LittleEndian.Uint16(hdr[40:])); size > 4096 {
		k, err := io.CopyN(io.Discard, s.src, size-4096)
		s.offset += k
		if err != nil {
			return io.EOF
		}
	}
	return nil
}

// nextChunk reads the next chunk and renders its valid records.
func (s *evtxSource) nextChunk() error {
	if !s.started {
		s.started = true
		if err := s.readHeader(); err != nil {
			return err
		}
	}
	n, err := io.ReadFull(s.src, s.chunk)
	s.offset += int64(n)
	if err == io.EOF {
		return io.EOF
	}
	cut := false
	if err == io.ErrUnexpectedEOF {
		// a cut last chunk (a copy taken while the log grew) is read as
		// far as it goes; other trailing bytes are not a chunk
		s.rd.stats.Truncated = true
		if !bytes.HasPrefix(s.chunk[:n], []byte(evtxChunkMagic)) {
			return io.EOF
		}
		clear(s.chunk[n:])
		s.rd.stats.DamagedChunks++
		s.done, cut = true, true
	} else if err != nil {
		return err
	}
	s.rd.stats.Chunks++
	c := s.chunk
	if !bytes.HasPrefix(c, []byte(evtxChunkMagic)) {
		if !allZero(c) {
			s.rd.stats.DamagedChunks++
		}
		return nil
	}
	recs, damaged, perr := parseChunk(c)
	if perr != nil {
		s.rd.stats.DamagedChunks++
		s.rd.stats.Malformed++
		return nil
	}
	if damaged > 0 && !cut {
		s.rd.stats.DamagedChunks++
		s.rd.stats.Malformed += int64(damaged)
	}
	for _, r := range recs {
		o := r.Offset
		s.pending = append(s.pending, pendingRecord{r: r, raw: c[o : o+int(r.Header.Size)]})
	}
	return nil
}

// parseChunk renders the records of a chunk and counts the damaged ones
// it skipped; a panic in the renderer outside a record becomes an error.
func parseChunk(c []byte) (recs []*evtx.EventRecord, damaged int, err error) {
	defer func() {
		if p := recover(); p != nil {
			recs, err = nil, fmt.Errorf("damaged chunk: %v", p)
		}
	}()
	ch := &evtx.Chunk{Fd: bytes.NewReader(c)}
	recs, err = ch.Parse(0)
	return recs, ch.Damaged, err
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// record turns a rendered record into the shared Record.
func (s *evtxSource) record(p pendingRecord) *Record {
	er := p.r
	rec := &s.rec
	*rec = Record{Format: FormatEVTX, Spec: evtxSpec, Names: rec.Names[:0], Values: rec.Values[:0], Hint: NoHint}
	rec.Line = int(er.Header.RecordID)
	if ft := er.Header.FileTime; ft > 116444736000000000 {
		rec.Time = time.Unix(0, int64(ft-116444736000000000)*100).UTC()
	} else {
		rec.Time = zeroTime
		s.rd.stats.BadTime++
	}
	add := func(n, v string) {
		rec.Names = append(rec.Names, n)
		rec.Values = append(rec.Values, v)
	}
	ev, _ := er.Event.(*ordereddict.Dict)
	if ev != nil {
		if e, ok := ev.Get("Event"); ok {
			ev, _ = e.(*ordereddict.Dict)
		}
	}
	if ev == nil {
		s.rd.stats.Malformed++
		add("EventRecordID", strconv.FormatUint(er.Header.RecordID, 10))
	} else {
		sys := dictAt(ev, "System")
		add("Channel", stringAt(sys, "Channel"))
		add("Provider", stringAt(dictAt(sys, "Provider"), "Name"))
		if id := dictAt(sys, "EventID"); id != nil {
			add("EventID", stringAt(id, "Value"))
		} else {
			add("EventID", stringAt(sys, "EventID"))
		}
		add("Level", stringAt(sys, "Level"))
		add("Computer", stringAt(sys, "Computer"))
		// the record id Event Viewer shows; exported logs renumber
		// their record headers
		rid := stringAt(sys, "EventRecordID")
		if n, err := strconv.Atoi(rid); err == nil && n > 0 {
			rec.Line = n
		} else {
			rid = strconv.FormatUint(er.Header.RecordID, 10)
		}
		add("EventRecordID", rid)
		if u := stringAt(dictAt(sys, "Security"), "UserID"); u != "" {
			add("UserID", u)
		}
		for _, k := range []string{"EventData", "UserData"} {
			if v, ok := ev.Get(k); ok {
				flatten(k, v, add)
			}
		}
	}
	if id, _ := rec.Get("EventID"); id == "" && p.raw != nil {
		// the renderer could not make sense of the record (an event
		// forwarded with its values inline, as Windows Event Collector
		// stores them): its text is kept so keyword rules still see it
		s.rd.stats.Unrendered++
		strs := utf16Strings(p.raw[24:])
		// element names are followed by their values
		for i := 0; i+1 < len(strs); i++ {
			switch strs[i] {
			case "Channel", "Computer", "Level":
				set(rec, strs[i], strs[i+1])
			case "Provider":
				if i+2 < len(strs) && strs[i+1] == "Name" {
					set(rec, "Provider", strs[i+2])
				}
			case "EventID":
				// <EventID Qualifiers="16384">1</EventID>
				v := strs[i+1]
				if v == "Qualifiers" && i+3 < len(strs) {
					v = strs[i+3]
				}
				if _, err := strconv.Atoi(v); err == nil {
					set(rec, "EventID", v)
				}
			case "EventRecordID":
				if n, err := strconv.Atoi(strs[i+1]); err == nil && n > 0 {
					rec.Line = n
					for k, name := range rec.Names {
						if name == "EventRecordID" {
							rec.Values[k] = strs[i+1]
						}
					}
				}
			}
		}
		for _, str := range strs {
			add("Strings", str)
		}
	}
	ch, _ := rec.Get("Channel")
	rec.Family = "evtx/" + ch
	if ch == "" {
		rec.Family = "evtx"
	}
	s.raw = appendEventRaw(s.raw[:0], rec.Names, rec.Values)
	rec.Raw = s.raw
	return rec
}

// appendEventRaw appends an event record's Raw: "Name=Value" pairs
// joined by tabs.
func appendEventRaw(dst []byte, names, values []string) []byte {
	for i, n := range names {
		if i > 0 {
			dst = append(dst, '\t')
		}
		dst = append(dst, n...)
		dst = append(dst, '=')
		dst = append(dst, values[i]...)
	}
	return dst
}

// NewEventRecord returns an event-log record with the given fields (in
// order), as the EVTX reader makes them: Raw, Family and Line (from
// EventRecordID) filled. Tests and fixtures use it to write events as
// field lists.
func NewEventRecord(names, values []string, t time.Time) *Record {
	rec := &Record{Format: FormatEVTX, Spec: evtxSpec, Time: t, Hint: NoHint,
		Names: slices.Clone(names), Values: slices.Clone(values)}
	rec.Raw = appendEventRaw(nil, names, values)
	ch, _ := rec.Get("Channel")
	rec.Family = "evtx/" + ch
	if id, ok := rec.Get("EventRecordID"); ok {
		rec.Line, _ = strconv.Atoi(id)
	}
	return rec
}

// utf16Strings returns the runs of printable UTF-16LE Latin-1 text in b
// at any byte offset: at least two characters each, or one when it is a
// whole BinXML value text (token 0x05, string type, length 1: an event id,
// a level).
func utf16Strings(b []byte) []string {
	var out []string
	for i := 0; i+1 < len(b); {
		j := i
		for j+1 < len(b) && b[j+1] == 0 && ((b[j] >= 0x20 && b[j] < 0x7f) || b[j] >= 0xa0 || b[j] == '\t') {
			j += 2
		}
		if j-i >= 4 || (j-i == 2 && i >= 4 && string(b[i-4:i]) == "\x05\x01\x01\x00") {
			u := make([]uint16, 0, (j-i)/2)
			for k := i; k < j; k += 2 {
				u = append(u, uint16(b[k]))
			}
			out = append(out, string(utf16.Decode(u)))
			i = j
			continue
		}
		i++
	}
	return out
}

// set replaces the value of a field the record already has.
func set(rec *Record, name, val string) {
	for i, n := range rec.Names {
		if n == name && rec.Values[i] == "" {
			rec.Values[i] = val
			return
		}
	}
}

func dictAt(d *ordereddict.Dict, k string) *ordereddict.Dict {
	if d == nil {
		return nil
	}
	v, _ := d.Get(k)
	r, _ := v.(*ordereddict.Dict)
	return r
}

func stringAt(d *ordereddict.Dict, k string) string {
	if d == nil {
		return ""
	}
	v, ok := d.Get(k)
	if !ok {
		return ""
	}
	return valueString(v)
}

// flatten adds the leaves of an EventData/UserData value under their own
// names; list items repeat their parent's name.
func flatten(name string, v any, add func(n, v string)) {
	switch x := v.(type) {
	case *ordereddict.Dict:
		for _, k := range x.Keys() {
			if strings.HasPrefix(k, "xmlns") {
				continue
			}
			e, _ := x.Get(k)
			flatten(k, e, add)
		}
	case []any:
		for _, e := range x {
			flatten(name, e, add)
		}
	default:
		if name == "EventData" || name == "UserData" {
			name = "Data"
		}
		add(name, valueString(v))
	}
}

func valueString(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return strings.TrimRight(x, "\x00")
	case []byte:
		return strings.ToUpper(hex.EncodeToString(x))
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case *ordereddict.Dict:
		var b strings.Builder
		flatten("", x, func(n, v string) {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(n + "=" + v)
		})
		return b.String()
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = valueString(e)
		}
		return strings.Join(parts, " ")
	}
	return fmt.Sprint(v)
}
