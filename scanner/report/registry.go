package report

import (
	"path/filepath"
	"strings"
)

// fallback is the format of a report file whose extension no format
// claims, and of a report on a terminal.
const fallback = "text"

// machine is the format of a report written to a pipe or a file with no
// format named: one record per line for a SIEM or jq.
const machine = "jsonl"

// Lookup returns the registered format of that name.
func Lookup(name string) (Format, bool) {
	for _, f := range formats {
		if f.Name == name {
			return f, true
		}
	}
	return Format{}, false
}

// ForFile names the format of a report file from its extension (any
// case); text for an extension no format claims.
func ForFile(path string) string {
	ext := strings.ToLower(filepath.Ext(path))
	for _, f := range formats {
		for _, e := range f.Extensions {
			if e == ext {
				return f.Name
			}
		}
	}
	return fallback
}

// Default names the format when none is given and the report goes to
// stdout: text for a person on a terminal, JSON Lines otherwise.
func Default(terminal bool) string {
	if terminal {
		return fallback
	}
	return machine
}

// Streaming names the formats that can be written finding by finding.
func Streaming() []string {
	var n []string
	for _, f := range Formats() {
		if f.Stream {
			n = append(n, f.Name)
		}
	}
	return n
}

// FileExtensions lists every extension a format claims, for help texts.
func FileExtensions() []string {
	var out []string
	for _, f := range Formats() {
		out = append(out, f.Extensions...)
	}
	return out
}
