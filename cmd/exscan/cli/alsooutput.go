package cli

import (
	"strings"

	"exscan/scanner/report"
)

// alsoOutputHelp is the help line of --also-output: one scan, several
// reports (JSON Lines for a machine and HTML for a person, say), without
// reading the server twice.
func alsoOutputHelp() string {
	return "also write the report to `FILE`, in the format its extension names (" + strings.Join(report.FileExtensions(), ", ") + "; " + report.ForFile("") + " otherwise); created owner-only; repeatable"
}
