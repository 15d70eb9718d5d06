package watch

import "exscan/scanner/logs"

// FamilyCount is what the watcher read of one log family (iis/W3SVC1,
// httpproxy/Owa, ...): the files, the records in scope (not before
// Config.Since) and the earliest and latest record times among them.
type FamilyCount struct {
	Files int64
	logs.Coverage
}

// LogCounts are the log counts of a watch, in the shape of the scan
// summary's log_records, log_malformed and log_coverage.
type LogCounts struct {
	Records   map[string]int64 // records read, by format
	Malformed map[string]int64 // lines skipped as malformed, by format
	Families  map[string]FamilyCount
}

// countPass adds what a pass over e's records read to the counts.
func (w *Watcher) countPass(e *logFile, res *logs.PassResult) {
	w.records.Add(res.Records)
	w.lines.Add(res.Stats.Lines)
	w.bytesRead.Add(res.Stats.BytesIn)
	if res.Format != logs.FormatUnknown {
		e.format = res.Format
	}
	if res.Records > 0 {
		w.counts.Records[string(res.Format)] += res.Records
	}
	w.countMalformed(e, res.Stats.Malformed)
	inScope := 0
	for fam, cov := range res.Families {
		if cov.Records == 0 {
			continue // only records older than Config.Since
		}
		inScope++
		c := w.counts.Families[fam]
		if e.family != fam {
			c.Files++
		}
		c.Merge(*cov)
		w.counts.Families[fam] = c
	}
	if fam := res.Family; inScope > 0 {
		if fam == "" {
			fam = string(res.Format)
		}
		e.family = fam
	}
}

// countMalformed adds n malformed lines of e (whose format may not be
// known: "unknown").
func (w *Watcher) countMalformed(e *logFile, n int64) {
	if n <= 0 {
		return
	}
	f := e.format
	if f == "" {
		f = "unknown"
	}
	w.counts.Malformed[string(f)] += n
}

// Counts returns the log counts so far; like Stats, safe to call from
// another goroutine only after Run returned.
func (w *Watcher) Counts() LogCounts {
	out := LogCounts{Records: map[string]int64{}, Malformed: map[string]int64{}, Families: map[string]FamilyCount{}}
	for k, v := range w.counts.Records {
		out.Records[k] = v
	}
	for k, v := range w.counts.Malformed {
		out.Malformed[k] = v
	}
	for k, v := range w.counts.Families {
		out.Families[k] = v
	}
	return out
}
