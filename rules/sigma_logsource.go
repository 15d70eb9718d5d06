package rules

// Logsource mapping: which record formats a rule's logsource applies to.

import (
	"strings"

	sigma "github.com/bradleyjkemp/sigma-go"

	"exscan/scanner/logs"
)

type formatMask uint16

// formatOrder is the registry's order of formats (logs.Formats).
var formatOrder = func() []logs.Format {
	var out []logs.Format
	for _, f := range logs.Formats() {
		out = append(out, f.Name)
	}
	return out
}()

func formatBit(f logs.Format) formatMask {
	for i, x := range formatOrder {
		if x == f {
			return 1 << i
		}
	}
	return 0
}

func (m formatMask) names() []string {
	var out []string
	for i, f := range formatOrder {
		if m&(1<<i) != 0 {
			out = append(out, string(f))
		}
	}
	return out
}

// formatsFor maps a rule's logsource to the record formats it is applied
// to (each format's FormatSpec.Serves; the table in the package comment
// above), and to the test that narrows it to some of a format's records
// (event-log channels and event ids).
func formatsFor(ls sigma.Logsource) (m, onlyMask formatMask, only func(*logs.Record) bool) {
	cat := strings.ToLower(strings.TrimSpace(ls.Category))
	prod := strings.ToLower(strings.TrimSpace(ls.Product))
	svc := strings.ToLower(strings.TrimSpace(ls.Service))
	for i, f := range logs.Formats() {
		ok, o := f.Serves(prod, svc, cat)
		if !ok {
			continue
		}
		m |= 1 << i
		if o != nil {
			only, onlyMask = o, onlyMask|1<<i
		}
	}
	return m, onlyMask, only
}
