package iocs

import (
	"embed"
	"errors"
	"io/fs"
	"sync"
)

// builtinLists holds one list per source, in the exscan TSV format.
//
//go:embed data/*.tsv
var builtinLists embed.FS

var parseBuiltin = sync.OnceValues(func() (*Set, error) {
	s := NewSet()
	names, err := fs.Glob(builtinLists, "data/*.tsv")
	if err != nil {
		return nil, err
	}
	var errs []error
	for _, name := range names {
		f, err := builtinLists.Open(name)
		if err != nil {
			return nil, err
		}
		_, lerrs := s.load("iocs/"+name, f)
		f.Close()
		for _, e := range lerrs {
			errs = append(errs, e)
		}
	}
	return s, errors.Join(errs...)
})

// Builtin returns a set holding the built-in lists. They are parsed once;
// each call returns a new set that shares the parsed entries and compiled
// patterns, so callers may SetVars, LoadFile and Merge into it freely.
func Builtin() (*Set, error) {
	b, err := parseBuiltin()
	if err != nil {
		return nil, err
	}
	s := NewSet()
	s.Merge(b)
	return s, nil
}
