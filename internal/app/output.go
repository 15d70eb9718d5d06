package app

import (
	"errors"
	"fmt"
	"io"
	"os"

	"golang.org/x/term"

	"exscan/internal/sysfile"
	"exscan/scanner/finding"
	"exscan/scanner/report"
)

// chooseFormat: the format named, else the one --output's extension
// names, else text on a terminal and JSON Lines otherwise.
func chooseFormat(format, output string, stdout io.Writer) string {
	if format != "" {
		return format
	}
	if output != "" && output != "-" {
		return report.ForFile(output)
	}
	f, ok := stdout.(*os.File)
	return report.Default(ok && term.IsTerminal(int(f.Fd())))
}

// openOutput opens a report file owner-only, or returns stdout for "" and
// "-".
func openOutput(path string, stdout io.Writer) (io.Writer, func() error, error) {
	if path == "" || path == "-" {
		return stdout, func() error { return nil }, nil
	}
	f, err := sysfile.CreateOwnerOnly(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC)
	if err != nil {
		return nil, nil, err
	}
	return f, f.Close, nil
}

// openAppend opens a report file for appending (created owner-only), or
// returns stdout. A file whose last line was cut short (a crash mid-write)
// gets a newline first, so the next finding starts on its own line.
// existed says the file already held something.
func openAppend(path string, stdout io.Writer) (w io.Writer, f *os.File, existed bool, err error) {
	if path == "" || path == "-" {
		return stdout, nil, false, nil
	}
	f, err = sysfile.CreateOwnerOnly(path, os.O_RDWR|os.O_CREATE|os.O_APPEND)
	if err != nil {
		return nil, nil, false, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, false, err
	}
	existed = st.Size() > 0
	if existed {
		last := make([]byte, 1)
		if _, err := f.ReadAt(last, st.Size()-1); err == nil && last[0] != '\n' {
			if _, err := f.Write([]byte("\n")); err != nil {
				f.Close()
				return nil, nil, false, err
			}
		}
	}
	return f, f, existed, nil
}

// withAlsoOutputs returns a writer that writes to w and to one more writer
// per --also-output file, in the format the file's extension names, and
// the function that closes those files.
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
		out, closeOut, err := openOutput(f, nil)
		if err != nil {
			closeAll()
			return nil, nil, err
		}
		closers = append(closers, closeOut)
		fw, err := report.New(report.ForFile(f), out)
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
