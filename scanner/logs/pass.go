package logs

import (
	"io"
	"time"
)

// A Pass reads the records of one Reader and runs the log checks on them:
// the line filter the checks declare, --since, and the coverage of the
// records in scope. `exscan scan`/`logs` make one pass over each file;
// `exscan watch` makes one over what each poll finds appended (a Reader
// from Resume).
type Pass struct {
	// Since: records older than this (with a time) are counted but not
	// checked, and not in the coverage.
	Since time.Time
	// Checks: nil only counts.
	Checks RecordChecks
	// Budget: the pass ends (More set) once it has read this many bytes
	// of the source; 0 reads to the end.
	Budget int64
	// Stop, polled every 4096 records, ends the pass early (More set).
	Stop func() bool
}

// RecordChecks are the checks a Pass runs on the records of one log.
type RecordChecks interface {
	// Filter returns the line filter for a format (see Reader.SetFilter),
	// or nil to parse every line.
	Filter(f Format) func(line []byte) (bool, uint64)
	// Check runs the checks on a record the filter kept; an error ends
	// the pass.
	Check(rec *Record) error
}

// Coverage is what was read of records in scope: how many, and the
// earliest and latest record times.
type Coverage struct {
	Records          int64
	Earliest, Latest time.Time
}

// Add counts one record of time t (zero: no time).
func (c *Coverage) Add(t time.Time) {
	c.Records++
	if t.IsZero() {
		return
	}
	if c.Earliest.IsZero() || t.Before(c.Earliest) {
		c.Earliest = t
	}
	if t.After(c.Latest) {
		c.Latest = t
	}
}

// Merge adds the records of o.
func (c *Coverage) Merge(o Coverage) {
	c.Records += o.Records
	if !o.Earliest.IsZero() && (c.Earliest.IsZero() || o.Earliest.Before(c.Earliest)) {
		c.Earliest = o.Earliest
	}
	if o.Latest.After(c.Latest) {
		c.Latest = o.Latest
	}
}

// PassResult is what a Pass read.
type PassResult struct {
	Format      Format
	Family      string // family of the last record read ("" when none)
	Records     int64  // records read, in scope or not
	BeforeSince int64  // of those, records older than Since
	// Families is the coverage of the records in scope by record family
	// (the format's name for records without one); a family whose
	// records are all older than Since has an empty one.
	Families map[string]*Coverage
	Stats    Stats
	ReadErr  error // a read error that ended the pass (not io.EOF)
	More     bool  // Budget or Stop ended the pass before the end
}

// Run makes the pass over r. The error is the one Check returned.
func (p Pass) Run(r *Reader) (PassResult, error) {
	res := PassResult{Format: r.Format(), Families: map[string]*Coverage{}}
	if p.Checks != nil {
		r.SetFilter(p.Checks.Filter(r.Format()))
	}
	var start int64
	if p.Budget > 0 {
		start = r.consumed()
	}
	var (
		err    error
		curFam string
		cur    *Coverage
	)
	for n := 1; ; n++ {
		if n&4095 == 0 && p.Stop != nil && p.Stop() {
			res.More = true
			break
		}
		rec, rerr := r.Next()
		if rerr != nil {
			if rerr != io.EOF {
				res.ReadErr = rerr
			}
			break
		}
		res.Records++
		res.Family = rec.Family
		if cur == nil || rec.Family != curFam {
			curFam = rec.Family
			fam := curFam
			if fam == "" {
				fam = string(rec.Format)
			}
			if cur = res.Families[fam]; cur == nil {
				cur = &Coverage{}
				res.Families[fam] = cur
			}
		}
		if !p.Since.IsZero() && !rec.Time.IsZero() && rec.Time.Before(p.Since) {
			res.BeforeSince++
		} else {
			cur.Add(rec.Time)
			if !rec.Skimmed && p.Checks != nil {
				if err = p.Checks.Check(rec); err != nil {
					break
				}
			}
		}
		if p.Budget > 0 && r.consumed()-start >= p.Budget {
			res.More = true
			break
		}
	}
	res.Stats = r.Stats()
	return res, err
}
