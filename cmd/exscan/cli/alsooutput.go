package cli

import (
	"errors"
	"fmt"

	"exscan/scanner/finding"
	"exscan/scanner/report"
)

// alsoOutputHelp is the help line of --also-output: one scan, several
// reports (JSON Lines for a machine and HTML for a person, say), without
// reading the server twice.
const alsoOutputHelp = "also write the report to `FILE`, in the format its extension names (.html, .jsonl, .csv, .sarif, .timesketch; text otherwise); created owner-only; repeatable"

// withAlsoOutputs returns a writer that writes to w and to one more writer
// per --also-output file, and the function that closes those files.
func withAlsoOutputs(w report.Writer, files []string) (report.Writer, func() error, error) {
	if len(files) == 0 {
		return w, func() error { return nil }, nil
	}
	t := teeWriter{w}
	var closers []func() error
	closeAll := func() error {
		var errs []error
		for _, c := range closers {
			errs = append(errs, c())
		}
		return errors.Join(errs...)
	}
	for _, f := range files {
		if f == "" || f == "-" {
			closeAll()
			return nil, nil, fmt.Errorf("give a file name")
		}
		out, closeOut, err := openOutput(&options{output: f}, nil)
		if err != nil {
			closeAll()
			return nil, nil, err
		}
		closers = append(closers, closeOut)
		fw, err := report.New(formatOf(f), out)
		if err != nil {
			closeAll()
			return nil, nil, err
		}
		t = append(t, fw)
	}
	return t, closeAll, nil
}

// teeWriter hands every call to each of its writers; a writer that fails
// does not stop the others, and the first error is returned.
type teeWriter []report.Writer

func (t teeWriter) each(call func(report.Writer) error) error {
	var first error
	for _, w := range t {
		if err := call(w); err != nil && first == nil {
			first = err
		}
	}
	return first
}

func (t teeWriter) Start(m report.Meta) error {
	return t.each(func(w report.Writer) error { return w.Start(m) })
}

func (t teeWriter) Finding(f *finding.Finding) error {
	return t.each(func(w report.Writer) error { return w.Finding(f) })
}

func (t teeWriter) Finish(s *finding.Summary) error {
	return t.each(func(w report.Writer) error { return w.Finish(s) })
}
