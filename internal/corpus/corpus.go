// Package corpus reads the manifests of the shared webshell corpus
// (../shared/corpus/webshells next to the repository) for the tests and
// tools that measure detection on it.
package corpus

import (
	"encoding/csv"
	"fmt"
	"os"
)

// Manifest reads a manifest.csv: one map per row, keyed by the header.
func Manifest(path string) ([]map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(recs) < 2 {
		return nil, fmt.Errorf("%s: empty manifest", path)
	}
	var out []map[string]string
	for _, rec := range recs[1:] {
		row := map[string]string{}
		for i, k := range recs[0] {
			if i < len(rec) {
				row[k] = rec[i]
			}
		}
		out = append(out, row)
	}
	return out, nil
}
