package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"exscan/scanner/finding"
)

func init() {
	Register(Format{Name: "csv", Description: "CSV: one finding per row, spreadsheet-safe", Extensions: []string{".csv"}, Stream: true, Lines: true, Header: true, New: func(w io.Writer) Writer { return &csvWriter{w: csv.NewWriter(w)} }})
}

type csvWriter struct{ w *csv.Writer }

var csvHeader = []string{"severity", "kind", "rule", "title", "path", "host_path", "line", "timestamp", "client_ip", "evidence", "sha256", "md5", "size", "mtime", "cves", "campaigns", "attack", "author", "fingerprint"}

func (c *csvWriter) Start(Meta) error { return c.w.Write(csvHeader) }

func (c *csvWriter) Finding(f *finding.Finding) error {
	var ev []string
	for _, e := range f.Evidence {
		ev = append(ev, e.Name+"="+e.Value)
	}
	line, size := "", ""
	if f.Line > 0 {
		line = fmt.Sprint(f.Line)
	}
	if f.Size != nil {
		size = fmt.Sprint(*f.Size)
	}
	row := []string{f.Severity.String(), f.Kind, f.Rule, f.Title, f.Path, f.HostPath, line, f.Timestamp, f.ClientIP,
		strings.Join(ev, " | "), f.SHA256, f.MD5, size, f.MTime, strings.Join(f.CVEs, " "), strings.Join(f.Campaigns, " "),
		strings.Join(f.Attack, " "), f.Author, f.Fingerprint}
	for i := range row {
		row[i] = CSVCell(row[i])
	}
	if err := c.w.Write(row); err != nil {
		return err
	}
	c.w.Flush()
	return c.w.Error()
}

func (c *csvWriter) Finish(*finding.Summary) error {
	c.w.Flush()
	return c.w.Error()
}
