package app

import (
	"time"

	"exscan/scanner"
	"exscan/scanner/finding"
	"exscan/scanner/host"
	"exscan/scanner/report"
)

// run is the state of one run that outlives its phases: what was found on
// the host, the content, and the pipeline's counters.
type run struct {
	o       *Options
	layout  *host.Layout
	content *Content
	scanned *finding.ScannedHost
	build   *finding.ExchangeBuild
	started time.Time
	tally   Tally
	ignore  Suppressor
	shells  *scanner.WebshellIndex // the webshells the log checks were given
}

func newRun(o *Options) *run {
	return &run{o: o, tally: Tally{FailOn: o.FailOn}}
}

// meta is the report header of the run.
func (r *run) meta(stream bool) report.Meta {
	o := r.o
	m := report.Meta{Command: o.Command, Args: o.Args, FailOn: o.FailOn, Started: r.started, Version: scanner.Version,
		Host: Hostname(), ScannedHost: scannedName(r.scanned), Stream: stream, InlineContext: o.InlineContext}
	if r.layout != nil {
		m.Root = r.layout.Root
		m.Layout = r.layout.Summary()
	}
	return m
}

// fillSummary sets, in one place, what the summary says about the run
// beyond the engine's counts: the command, the hosts, the findings that
// reached the report and those suppressed.
func (r *run) fillSummary(sum *finding.Summary) {
	sum.Command = r.o.Command
	sum.ScannedHost, sum.ExscanHost, sum.Exchange = r.scanned, Hostname(), r.build
	sum.FailOn = r.o.FailOn.String()
	sum.Findings = r.tally.Counts()
	sum.Suppressed = r.ignore.Suppressed
	sum.Webshells = r.shells.Access()
	if r.layout != nil {
		sum.Root = r.layout.Root
		sum.Host = r.layout.Summary()
	}
}

// targetPaths are the paths of targets.
func targetPaths(ts []scanner.Target) []string {
	var ps []string
	for _, t := range ts {
		ps = append(ps, t.Path)
	}
	return ps
}
