package scanner

import (
	"sort"
	"sync"
	"time"

	"exscan/scanner/finding"
)

// The engine's counts for the summary, each piece with its own lock: the
// items not checked (skipList), what the log phase read (logTally) and the
// engine's warnings (warnList). The plain counters are atomics on the
// Engine; the webshells found are in a WebshellIndex.

// skipList counts the items not (fully) checked, by reason, and lists
// them when verbose.
type skipList struct {
	mu      sync.Mutex
	verbose bool
	counts  map[string]int64
	items   []finding.Skip
}

func (s *skipList) add(path, reason, detail string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.counts == nil {
		s.counts = map[string]int64{}
	}
	s.counts[reason]++
	if s.verbose {
		s.items = append(s.items, finding.Skip{Path: path, Reason: reason, Detail: detail})
	}
}

func (s *skipList) snapshot() (map[string]int64, []finding.Skip) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return copyCounts(s.counts), append([]finding.Skip(nil), s.items...)
}

// logTally is what the log phase read: records and malformed records by
// format, and coverage by log family.
type logTally struct {
	mu        sync.Mutex
	records   map[string]int64
	malformed map[string]int64
	coverage  map[string]*coverage
}

type coverage struct {
	files, records   int64
	earliest, latest time.Time
}

// add adds the records and malformed records of one format, and the
// coverage of the families read.
func (l *logTally) add(records, malformed map[string]int64, covs map[string]coverage) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.records == nil {
		l.records, l.malformed, l.coverage = map[string]int64{}, map[string]int64{}, map[string]*coverage{}
	}
	for f, n := range records {
		l.records[f] += n
	}
	for f, n := range malformed {
		if n > 0 {
			l.malformed[f] += n
		}
	}
	for fam, cov := range covs {
		// each folder, iis/W3SVC1 or httpproxy/Owa, has its own retention
		c2 := l.coverage[fam]
		if c2 == nil {
			c2 = &coverage{}
			l.coverage[fam] = c2
		}
		c2.files += cov.files
		c2.records += cov.records
		if !cov.earliest.IsZero() && (c2.earliest.IsZero() || cov.earliest.Before(c2.earliest)) {
			c2.earliest = cov.earliest
		}
		if cov.latest.After(c2.latest) {
			c2.latest = cov.latest
		}
	}
}

// snapshot returns the counts and the coverage, by family name.
func (l *logTally) snapshot() (records, malformed map[string]int64, cov []finding.Coverage) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for fam, c := range l.coverage {
		cv := finding.Coverage{Family: fam, Files: c.files, Records: c.records}
		if !c.earliest.IsZero() {
			cv.Earliest = c.earliest.UTC().Format(time.RFC3339)
			cv.Latest = c.latest.UTC().Format(time.RFC3339)
			cv.Days = float64(int(c.latest.Sub(c.earliest).Hours()/24*10)) / 10
		}
		cv.TooShort = cv.Days < MinCoverageDays
		cov = append(cov, cv)
	}
	sort.Slice(cov, func(i, j int) bool { return cov[i].Family < cov[j].Family })
	return copyCounts(l.records), copyCounts(l.malformed), cov
}

// warnList is the engine's warnings for the summary.
type warnList struct {
	mu   sync.Mutex
	list []string
}

func (w *warnList) add(msg string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.list = append(w.list, msg)
}

func (w *warnList) snapshot() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.list...)
}
