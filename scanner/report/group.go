package report

import (
	"fmt"
	"time"

	"exscan/internal/exchange"
	"exscan/scanner/finding"
)

// groupExamples is how many findings of a group the text and HTML reports
// show; JSON Lines, CSV, SARIF and Timesketch keep one record per finding.
const groupExamples = 3

// group is findings with the same severity and rule from the same client
// (log findings without a client: from the same log file; file findings:
// the same file), shown as one entry: 3,000 probes from one scanner are
// one entry with a count, not 3,000.
type group struct {
	Findings    []*finding.Finding // in report order; Findings[0] stands for the group
	First, Last time.Time          // zero when no finding has a time
	By          string             // what the findings share besides the rule: "client 192.0.2.1" or "file ..."
}

// groupKey is what makes findings one entry.
func groupKey(f *finding.Finding) (key, by string) {
	k := f.Severity.String() + "\x00" + f.Rule + "\x00"
	if f.Kind == finding.KindLog && f.ClientIP != "" {
		return k + "ip\x00" + f.ClientIP, "client " + f.ClientIP
	}
	p := f.HostPath
	if p == "" {
		p = f.Path
	}
	return k + f.Kind + "\x00" + exchange.NormPath(p), "file " + p
}

// groupFindings groups sorted findings, keeping the order of each group's
// first finding.
func groupFindings(fs []*finding.Finding) []*group {
	var out []*group
	byKey := map[string]*group{}
	for _, f := range fs {
		k, by := groupKey(f)
		g := byKey[k]
		if g == nil {
			g = &group{By: by}
			byKey[k] = g
			out = append(out, g)
		}
		g.Findings = append(g.Findings, f)
		if t := f.Time(); !t.IsZero() {
			if g.First.IsZero() || t.Before(g.First) {
				g.First = t
			}
			if g.Last.IsZero() || t.After(g.Last) {
				g.Last = t
			}
		}
	}
	return out
}

// examples returns the findings of the group the reports show.
func (g *group) examples() []*finding.Finding {
	return g.Findings[:min(len(g.Findings), groupExamples)]
}

// telling names the evidence field whose values differ most across the
// examples (the first field on a tie): what tells the examples apart.
func (g *group) telling() string {
	best, most := "", 0
	for _, e := range g.Findings[0].Evidence {
		seen := map[string]bool{}
		for _, x := range g.examples() {
			for _, xe := range x.Evidence {
				if xe.Name == e.Name {
					seen[xe.Value] = true
					break
				}
			}
		}
		if len(seen) > most {
			best, most = e.Name, len(seen)
		}
	}
	return best
}

// entriesWord is "1 entry" or "N entries".
func entriesWord(n int) string {
	if n == 1 {
		return "1 entry"
	}
	return fmt.Sprintf("%d entries", n)
}
