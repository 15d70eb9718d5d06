package app

import (
	"time"

	"exscan/iocs"
	"exscan/scanner/evidence"
	"exscan/scanner/finding"
	"exscan/scanner/ignore"
	"exscan/scanner/report"
)

// Handler takes one finding from the checks; its error is a write error.
// The engine hands findings over one at a time, so handlers need no lock.
type Handler func(f *finding.Finding) error

// Stage is one step of the finding pipeline: it gets the handler of the
// stages after it and returns its own, which passes a finding on or drops
// it.
type Stage func(next Handler) Handler

// Chain joins stages in order into one handler: each finding goes through
// the stages from first to last until one drops it.
func Chain(stages ...Stage) Handler {
	h := Handler(func(*finding.Finding) error { return nil })
	for i := len(stages) - 1; i >= 0; i-- {
		h = stages[i](h)
	}
	return h
}

// Pipeline is the one order every command runs a finding through:
// enrich, ignore, dedup (watch), collect (scan), tally, write. The nil
// stages of a command are left out.
func Pipeline(ign, dedup, collect, tally, write Stage) Handler {
	var stages []Stage
	for _, s := range []Stage{Enrich(), ign, dedup, collect, tally, write} {
		if s != nil {
			stages = append(stages, s)
		}
	}
	return Chain(stages...)
}

// Enrich adds the public context of the finding's campaigns (records and
// attribution line) before any later stage reads or writes it.
func Enrich() Stage {
	return func(next Handler) Handler {
		return func(f *finding.Finding) error {
			iocs.Enrich(f)
			return next(f)
		}
	}
}

// Suppressor drops the findings an --ignore list names and counts them.
type Suppressor struct {
	List       *ignore.List
	Now        func() time.Time // when entries expire: the scan's start, or each finding's arrival in watch
	Suppressed int64
}

// Stage is the ignore stage; nil without a list.
func (s *Suppressor) Stage() Stage {
	if s == nil || s.List == nil {
		return nil
	}
	return func(next Handler) Handler {
		return func(f *finding.Finding) error {
			if s.List.Match(f, s.Now()) {
				s.Suppressed++
				return nil
			}
			return next(f)
		}
	}
}

// Collect copies what each finding points at into the evidence archive;
// an archive error is reported through warn and does not stop the finding.
func Collect(col *evidence.Collector, warn func(error)) Stage {
	if col == nil {
		return nil
	}
	return func(next Handler) Handler {
		return func(f *finding.Finding) error {
			if err := col.Add(f); err != nil {
				warn(err)
			}
			return next(f)
		}
	}
}

// Tally counts the findings that reach the report, for the verdict, the
// summary's counts and the exit code.
type Tally struct {
	report.Tally
	FailOn    finding.Severity
	AtOrAbove int // findings at or above FailOn
}

// Stage is the tally stage.
func (t *Tally) Stage() Stage {
	return func(next Handler) Handler {
		return func(f *finding.Finding) error {
			t.Add(f)
			if f.Severity >= t.FailOn {
				t.AtOrAbove++
			}
			return next(f)
		}
	}
}

// Counts are the findings per severity name, every severity present.
func (t *Tally) Counts() map[string]int64 {
	out := map[string]int64{}
	for _, sv := range []finding.Severity{finding.Info, finding.Low, finding.Medium, finding.High, finding.Critical} {
		out[sv.String()] = int64(t.BySeverity[sv])
	}
	return out
}

// Write hands each finding to the report writer; it ends the pipeline.
func Write(w report.Writer) Stage {
	return func(next Handler) Handler {
		return func(f *finding.Finding) error {
			if err := w.Finding(f); err != nil {
				return err
			}
			return next(f)
		}
	}
}
