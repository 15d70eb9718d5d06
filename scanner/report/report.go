// Package report writes findings and the scan summary, one file per
// format behind one interface. Attacker-controlled text is escaped by
// every writer for its medium (see escape.go).
package report

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"exscan/scanner/finding"
)

// Meta describes the run for the report header.
type Meta struct {
	Command string
	Args    []string
	Root    string
	Layout  *finding.HostLayout
	FailOn  finding.Severity
	Started time.Time
	Version string
	Host    string // the machine exscan runs on
	// ScannedHost names the host the evidence comes from (its logs, or
	// --hostname); "" when unknown.
	ScannedHost string
	Stream      bool // watch mode: write each finding as it comes, no closing report
	// InlineContext puts each finding's full campaign context into the
	// finding (jsonl), instead of one context record per campaign per run.
	InlineContext bool
}

// Writer is one output format.
type Writer interface {
	Start(m Meta) error
	Finding(f *finding.Finding) error
	Finish(s *finding.Summary) error
}

// Format is a registered output format; the list drives --format
// validation and help.
type Format struct {
	Name        string
	Description string
	New         func(w io.Writer) Writer
	// Extensions name the format in a report file's name (".csv"); see
	// ForFile.
	Extensions []string
	// Stream: the writer writes each finding as it comes and needs no
	// closing document, so watch can use it and append to a file.
	Stream bool
	// Header: Start writes a header that a file appended to already has.
	Header bool
	// Lines: one record per line, findings in the order they come (a
	// scan's findings in the order its workers finish them).
	Lines bool
}

var formats []Format

// Register adds a format; called from each format's file.
func Register(f Format) { formats = append(formats, f) }

// Formats returns the registered formats, sorted by name.
func Formats() []Format {
	out := append([]Format(nil), formats...)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Names lists the format names.
func Names() []string {
	var n []string
	for _, f := range Formats() {
		n = append(n, f.Name)
	}
	return n
}

// New returns the writer for a format name.
func New(name string, w io.Writer) (Writer, error) {
	for _, f := range formats {
		if f.Name == name {
			return f.New(w), nil
		}
	}
	return nil, fmt.Errorf("unknown format %q (choose one of: %s)", name, strings.Join(Names(), ", "))
}
