package logcheck

import (
	"exscan/rules"
	"exscan/scanner/finding"
	"exscan/scanner/logs"
)

// A Check is one kind of log check: the Sigma rules, the indicator
// lookups, the correlation with webshells found on disk. The line
// prefilter is built from the Needs of every check of a Checker, so a
// check that declares no literals gets every line.
type Check interface {
	// Check returns the reasons the record matches. Evidence values are
	// copies; the record may be reused.
	Check(rec *logs.Record) []finding.Reason
	// Needs says what a raw line of format f must hold for Check to
	// match its record.
	Needs(f logs.Format) Needs
}

// Needs is what a raw line must hold, ASCII case-insensitively (or in its
// URL decoding), for a check to match its record.
type Needs struct {
	// Every: no literal bound is known; every line must be checked.
	Every bool
	// Any: a line holding one of these literals may match.
	Any []string
	// Units: or a line holding a literal of each group of one unit. The
	// unit's ID is passed to CheckUnits for lines that satisfy it.
	Units []Unit
}

// Unit is a set of literal groups a line must all touch.
type Unit struct {
	Groups [][]string
	ID     int32
}

// UnitChecker is a Check that can run only the units a line satisfies
// (see Needs.Units).
type UnitChecker interface {
	Check
	CheckUnits(rec *logs.Record, ids []int32) []finding.Reason
}

// sigmaCheck runs a Sigma rule set; each rule is a unit.
type sigmaCheck struct{ s *rules.SigmaSet }

func (c sigmaCheck) Check(rec *logs.Record) []finding.Reason { return c.s.Match(rec) }

func (c sigmaCheck) CheckUnits(rec *logs.Record, ids []int32) []finding.Reason {
	return c.s.MatchRules(rec, ids)
}

func (c sigmaCheck) Needs(f logs.Format) Needs {
	reqs, idx, ok := c.s.LineRequirements(f, minNeedle)
	if !ok {
		return Needs{Every: true}
	}
	n := Needs{Units: make([]Unit, len(reqs))}
	for i, r := range reqs {
		n.Units[i] = Unit{Groups: r, ID: idx[i]}
	}
	return n
}

// indicatorCheck looks client addresses, user agents and URL paths up in
// the indicator lists.
type indicatorCheck struct{ ind Indicators }

func (c indicatorCheck) Check(rec *logs.Record) []finding.Reason { return indicatorReasons(c.ind, rec) }

func (c indicatorCheck) Needs(logs.Format) Needs {
	src, ok := c.ind.(interface{ LogNeedles() ([]string, bool) })
	if !ok {
		return Needs{Every: true}
	}
	n, ok := src.LogNeedles()
	if !ok {
		return Needs{Every: true}
	}
	return Needs{Any: n}
}

// Literals is a check that matches nothing itself and keeps the lines
// holding one of its literals, for callers that check those lines
// another way.
type Literals []string

func (Literals) Check(*logs.Record) []finding.Reason { return nil }
func (l Literals) Needs(logs.Format) Needs           { return Needs{Any: l} }
