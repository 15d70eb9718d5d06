// Command fleetcheck checks what the Velociraptor artifacts in
// deploy/velociraptor return against exscan's own output, for
// scripts/fleet-check.sh:
//
//	fleetcheck scan -run scan=CODE=exscan.jsonl [-run files=...] -collection ZIP [-evidence] [-mutate drop|change]
//	fleetcheck failed -collection ZIP
//	fleetcheck events -rows FILE -ids a,b [-timeout 120s] [-not-in FILE]
//	fleetcheck serve -file BIN -url-file F -log F
//
// scan compares the Findings, Summary and Uploads of a
// Generic.Detection.Exscan collection (the zip of its JSON results and
// uploads) with the JSON Lines exscan wrote for the same host:
// every finding is one row with the same fields and fingerprint, no row
// more, and the summary row has exscan's verdict, counts and exit code.
// -mutate drops or changes one row first, to show the check fails then.
//
// failed checks a collection whose exscan could not run: no finding, and a
// Summary row that says so with exscan's error and a non-zero exit code.
//
// events waits (polling, up to -timeout) until the rows a
// Generic.Events.ExscanWatch collection wrote hold a finding for each id
// (a string in the finding's evidence), then checks those rows, and that no
// fingerprint of the -not-in rows (an earlier run) is reported again.
//
// serve serves one file on 127.0.0.1 (a random port, written to -url-file)
// and logs each request to -log, so a tool download can be tested offline.
package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: fleetcheck scan|events|serve [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "scan":
		err = runScan(os.Args[2:])
	case "failed":
		err = runFailed(os.Args[2:])
	case "events":
		err = runEvents(os.Args[2:])
	case "serve":
		err = runServe(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "fleetcheck %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}

// record is one JSON object: a JSON Lines record of exscan or a row of
// Velociraptor.
type record = map[string]any

// readRecords reads JSON objects from a file of JSON Lines or a JSON array
// (Velociraptor writes either, depending on the output format).
func readRecords(path string) ([]record, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return parseRecords(data)
}

func parseRecords(data []byte) ([]record, error) {
	if t := bytes.TrimSpace(data); len(t) > 0 && t[0] == '[' {
		var rows []record
		if err := json.Unmarshal(t, &rows); err != nil {
			return nil, err
		}
		return rows, nil
	}
	var out []record
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var r record
		if err := json.Unmarshal(line, &r); err != nil {
			return nil, fmt.Errorf("line %d: %v", n, err)
		}
		out = append(out, r)
	}
	return out, sc.Err()
}

func str(r record, k string) string {
	s, _ := r[k].(string)
	return s
}

// attribution is the one-line attribution of an exscan finding: its own
// field when exscan writes one, else the names of its inline campaign
// context joined the way the artifact joins them.
func attribution(f record) string {
	if a := str(f, "attribution"); a != "" {
		return a
	}
	ctx, _ := f["context"].([]any)
	var names []string
	for _, c := range ctx {
		if m, ok := c.(map[string]any); ok {
			names = append(names, str(m, "name"))
		}
	}
	return strings.Join(names, "; ")
}

// expectedRow is the Findings row the artifact must return for an exscan
// finding: column name to value, as JSON decodes it.
func expectedRow(f record) record {
	return record{
		"Severity":    f["severity"],
		"Rule":        f["rule"],
		"Title":       f["title"],
		"Kind":        f["kind"],
		"Path":        f["path"],
		"HostPath":    f["host_path"],
		"Line":        f["line"],
		"Timestamp":   f["timestamp"],
		"ClientIP":    f["client_ip"],
		"Campaigns":   f["campaigns"],
		"Attribution": attribution(f),
		"CVEs":        f["cves"],
		"SHA256":      f["sha256"],
		"Fingerprint": f["fingerprint"],
		"Evidence":    f["evidence"],
	}
}

// empty says whether a value is what a missing field reads as: Velociraptor
// shows an absent field as null, exscan leaves it out.
func empty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case float64:
		return x == 0
	case []any:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	}
	return false
}

func same(a, b any) bool {
	if empty(a) && empty(b) {
		return true
	}
	return reflect.DeepEqual(a, b)
}

// compareFindings returns one line per difference between exscan's
// findings and the artifact's rows, matched by fingerprint.
func compareFindings(want, got []record, run string) []string {
	var problems []string
	byFP := map[string]record{}
	for _, r := range got {
		fp := str(r, "Fingerprint")
		if fp == "" {
			problems = append(problems, fmt.Sprintf("row without a fingerprint: %v %v", r["Rule"], r["Path"]))
			continue
		}
		if _, dup := byFP[fp]; dup {
			problems = append(problems, fmt.Sprintf("fingerprint %s in two rows", fp))
		}
		byFP[fp] = r
	}
	seen := map[string]bool{}
	for _, f := range want {
		fp := str(f, "fingerprint")
		seen[fp] = true
		row, ok := byFP[fp]
		if !ok {
			problems = append(problems, fmt.Sprintf("finding %s (%s, %s) has no row", fp, str(f, "rule"), str(f, "path")))
			continue
		}
		exp := expectedRow(f)
		keys := make([]string, 0, len(exp))
		for k := range exp {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if !same(exp[k], row[k]) {
				problems = append(problems, fmt.Sprintf("finding %s: %s is %s in the row, %s in exscan's output", fp, k, js(row[k]), js(exp[k])))
			}
		}
		if r := str(row, "Run"); r != run {
			problems = append(problems, fmt.Sprintf("finding %s: Run is %q, want %s", fp, r, run))
		}
		if f2, ok := row["_Finding"].(map[string]any); !ok || !reflect.DeepEqual(f2, map[string]any(f)) {
			problems = append(problems, fmt.Sprintf("finding %s: _Finding is not exscan's record", fp))
		}
	}
	for fp, r := range byFP {
		if !seen[fp] {
			problems = append(problems, fmt.Sprintf("row %s (%v, %v) is not one of exscan's findings", fp, r["Rule"], r["Path"]))
		}
	}
	sort.Strings(problems)
	return problems
}

func js(v any) string {
	b, _ := json.Marshal(v)
	if len(b) > 160 {
		return string(b[:160]) + "..."
	}
	return string(b)
}

// compareSummary checks the Summary rows: one, for the scan, with exscan's
// verdict, counts by severity, version, files scanned and exit code.
func compareSummary(want record, code int, run string, evidence bool, rows []record) []string {
	if len(rows) != 1 {
		return []string{fmt.Sprintf("%d summary rows for %s, want 1", len(rows), run)}
	}
	r := rows[0]
	var problems []string
	check := func(col string, w any) {
		if !same(w, r[col]) || empty(w) != empty(r[col]) {
			problems = append(problems, fmt.Sprintf("%s summary %s is %s, exscan says %s", run, col, js(r[col]), js(w)))
		}
	}
	counts, _ := want["findings"].(map[string]any)
	check("Run", run)
	check("Verdict", want["verdict"])
	check("VerdictText", want["verdict_text"])
	check("ExitCode", float64(code))
	for _, s := range []string{"critical", "high", "medium", "low", "info"} {
		if v, ok := counts[s]; ok && !same(v, r[strings.ToUpper(s[:1])+s[1:]]) {
			problems = append(problems, fmt.Sprintf("summary %s count is %s, exscan says %s", s, js(r[strings.ToUpper(s[:1])+s[1:]]), js(v)))
		}
	}
	check("Version", want["version"])
	check("FilesScanned", want["files_scanned"])
	check("LogRecords", want["log_records"])
	check("Rules", want["rules"])
	if !evidence {
		check("NextSteps", want["next_steps"])
	} else if w, g := want["next_steps"].([]any), r["NextSteps"].([]any); len(w) != len(g) {
		// With --collect a step names the evidence zip's path, which is
		// the collection's own: only the number of steps is compared.
		problems = append(problems, fmt.Sprintf("%s summary has %d next steps, exscan gives %d", run, len(g), len(w)))
	}
	check("Exchange", want["exchange"])
	check("Layout", want["host"])
	// The whole summary record, but for the run's own time and, with
	// evidence, the zip's path.
	got, _ := r["_Summary"].(map[string]any)
	for k, w := range want {
		switch k {
		case "started", "duration_seconds":
			continue
		case "next_steps":
			if evidence {
				continue
			}
		}
		if !reflect.DeepEqual(w, got[k]) {
			problems = append(problems, fmt.Sprintf("%s summary record: %s is %s, exscan says %s", run, k, js(got[k]), js(w)))
		}
	}
	if h, ok := want["scanned_host"].(map[string]any); ok {
		check("ScannedHost", h["name"])
	}
	if cl, _ := r["CommandLine"].([]any); len(cl) < 2 || cl[1] != run {
		problems = append(problems, fmt.Sprintf("summary CommandLine %s is not an exscan %s command line", js(r["CommandLine"]), run))
	}
	return problems
}

// collection is a Velociraptor collection zip: its results (one JSON file
// per source, results/<artifact>%2F<source>.json) and its uploads.
type collection map[string][]byte

func openCollection(path string) (collection, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	c := collection{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("%s: %v", f.Name, err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %v", f.Name, err)
		}
		c[f.Name] = data
	}
	return c, nil
}

// find returns the one entry whose name passes match.
func (c collection) find(what string, match func(name string) bool) ([]byte, error) {
	var names []string
	for n := range c {
		if match(n) {
			names = append(names, n)
		}
	}
	if len(names) != 1 {
		all := make([]string, 0, len(c))
		for n := range c {
			all = append(all, n)
		}
		sort.Strings(all)
		return nil, fmt.Errorf("%d entries for %s in the collection (entries: %s)", len(names), what, strings.Join(all, ", "))
	}
	return c[names[0]], nil
}

func (c collection) rows(source string) ([]record, error) {
	data, err := c.find("source "+source, func(n string) bool {
		return strings.HasPrefix(n, "results/") && strings.HasSuffix(n, "%2F"+source+".json")
	})
	if err != nil {
		return nil, err
	}
	return parseRecords(data)
}

func (c collection) upload(name string) ([]byte, error) {
	return c.find("upload "+name, func(n string) bool {
		return strings.HasPrefix(n, "uploads/") && path.Base(n) == name
	})
}

// findingsAndSummary opens a collection zip and reads its Findings and
// Summary rows.
func findingsAndSummary(zipPath string) (col collection, findings, summaries []record, err error) {
	if col, err = openCollection(zipPath); err != nil {
		return nil, nil, nil, fmt.Errorf("-collection: %v", err)
	}
	if findings, err = col.rows("Findings"); err != nil {
		return nil, nil, nil, err
	}
	if summaries, err = col.rows("Summary"); err != nil {
		return nil, nil, nil, err
	}
	return col, findings, summaries, nil
}

// runFlag is one -run NAME=CODE=FILE: exscan's JSON Lines and exit code
// for the artifact's run NAME (scan, files, logs).
type runFlag []wantRun

type wantRun struct {
	name, file string
	code       int
}

func (r *runFlag) String() string { return fmt.Sprint(*r) }

func (r *runFlag) Set(v string) error {
	parts := strings.SplitN(v, "=", 3)
	var code int
	if len(parts) != 3 {
		return fmt.Errorf("want NAME=CODE=FILE, not %q", v)
	}
	if _, err := fmt.Sscan(parts[1], &code); err != nil {
		return fmt.Errorf("%q: exit code: %v", v, err)
	}
	*r = append(*r, wantRun{parts[0], parts[2], code})
	return nil
}

// exscanOutput is exscan's JSON Lines split by record type.
type exscanOutput struct {
	findings, other []record // other: the campaign context, once per run
	summary         record
}

func readExscanOutput(path string) (exscanOutput, error) {
	var out exscanOutput
	all, err := readRecords(path)
	if err != nil {
		return out, err
	}
	for _, r := range all {
		switch str(r, "type") {
		case "finding":
			out.findings = append(out.findings, r)
		case "summary":
			out.summary = r
		default:
			out.other = append(out.other, r)
		}
	}
	if len(out.findings) == 0 || out.summary == nil {
		return out, fmt.Errorf("%s: %d findings and no summary: nothing to compare", path, len(out.findings))
	}
	return out, nil
}

// onlyRun keeps the rows of one run.
func onlyRun(rows []record, run string) []record {
	var out []record
	for _, r := range rows {
		if str(r, "Run") == run {
			out = append(out, r)
		}
	}
	return out
}

// compareContext checks that the Summary row's Context holds the context
// records exscan wrote. They come in the order of the findings that first
// name them, which the scan's workers decide: they are matched by id.
func compareContext(want []record, sum record) []string {
	byID := func(rs []any) map[string]any {
		m := map[string]any{}
		for _, r := range rs {
			if rec, ok := r.(map[string]any); ok {
				m[str(rec, "type")+"/"+str(rec, "id")] = rec
			}
		}
		return m
	}
	var ctx []any
	for _, r := range want {
		ctx = append(ctx, r)
	}
	got, _ := sum["Context"].([]any)
	if len(got) != len(ctx) || !reflect.DeepEqual(byID(ctx), byID(got)) {
		return []string{fmt.Sprintf("summary Context has %d record(s), not the %d exscan wrote besides findings and the summary", len(got), len(ctx))}
	}
	return nil
}

// compareUploads checks that a run's HTML report and JSON Lines were
// uploaded and hold every finding, and its evidence zip when asked.
func compareUploads(col collection, run string, want []record, evidence bool) []string {
	var problems []string
	html, err := col.upload("exscan-" + run + ".html")
	if err != nil {
		problems = append(problems, err.Error())
	}
	jsonl, err := col.upload("exscan-" + run + ".jsonl")
	if err != nil {
		problems = append(problems, err.Error())
	}
	upRecs, err := parseRecords(jsonl)
	if err != nil {
		problems = append(problems, fmt.Sprintf("uploaded exscan-%s.jsonl: %v", run, err))
	}
	upFP := map[string]bool{}
	for _, r := range upRecs {
		upFP[str(r, "fingerprint")] = true
	}
	for _, f := range want {
		fp := str(f, "fingerprint")
		if !bytes.Contains(html, []byte(fp)) {
			problems = append(problems, fmt.Sprintf("uploaded HTML report of %s lacks finding %s", run, fp))
		}
		if !upFP[fp] {
			problems = append(problems, fmt.Sprintf("uploaded JSON Lines of %s lack finding %s", run, fp))
		}
	}
	if evidence {
		// AES-encrypted entries still list their names.
		data, err := col.upload("exscan-" + run + "-evidence.zip")
		if err != nil {
			problems = append(problems, err.Error())
		} else if zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data))); err != nil {
			problems = append(problems, fmt.Sprintf("exscan-%s-evidence.zip: %v", run, err))
		} else if !slices.ContainsFunc(zr.File, func(f *zip.File) bool { return f.Name == "manifest.json" }) {
			problems = append(problems, fmt.Sprintf("exscan-%s-evidence.zip has no manifest.json", run))
		}
	}
	return problems
}

func runScan(args []string) error {
	fl := flag.NewFlagSet("scan", flag.ContinueOnError)
	var runs runFlag
	fl.Var(&runs, "run", "`NAME=CODE=FILE`: exscan's exit code and JSON Lines for the artifact's run NAME (scan, files, logs); repeatable")
	zipPath := fl.String("collection", "", "the collection zip (artifacts collect --output)")
	evidence := fl.Bool("evidence", false, "the collection was asked for the evidence zips")
	mutate := fl.String("mutate", "", "drop or change one Findings row before comparing")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if len(runs) == 0 {
		return fmt.Errorf("give at least one -run")
	}
	col, rows, sums, err := findingsAndSummary(*zipPath)
	if err != nil {
		return err
	}
	switch *mutate {
	case "":
	case "drop":
		rows = rows[1:]
	case "change":
		rows[len(rows)-1]["Line"] = 1 + toInt(rows[len(rows)-1]["Line"])
	default:
		return fmt.Errorf("-mutate %q: want drop or change", *mutate)
	}
	var problems, done []string
	matched := 0
	for _, run := range runs {
		want, err := readExscanOutput(run.file)
		if err != nil {
			return fmt.Errorf("-run %s: %v", run.name, err)
		}
		runRows, runSums := onlyRun(rows, run.name), onlyRun(sums, run.name)
		matched += len(runRows)
		problems = append(problems, compareFindings(want.findings, runRows, run.name)...)
		problems = append(problems, compareSummary(want.summary, run.code, run.name, *evidence, runSums)...)
		if len(runSums) == 1 {
			problems = append(problems, compareContext(want.other, runSums[0])...)
		}
		problems = append(problems, compareUploads(col, run.name, want.findings, *evidence)...)
		done = append(done, fmt.Sprintf("%s: %d rows, verdict %s, exit code %d", run.name, len(runRows), str(want.summary, "verdict"), run.code))
	}
	if matched != len(rows) || len(sums) != len(runs) {
		problems = append(problems, fmt.Sprintf("%d Findings and %d Summary rows in all, of runs other than %v too", len(rows), len(sums), runs))
	}
	if len(problems) > 0 {
		return fmt.Errorf("%d difference(s) between the artifact and exscan:\n  %s", len(problems), strings.Join(problems, "\n  "))
	}
	fmt.Printf("fleetcheck scan: Findings rows equal exscan's findings (fingerprints and fields), Summary rows its verdict, counts and exit code, Uploads its reports (%s)\n", strings.Join(done, "; "))
	return nil
}

func runFailed(args []string) error {
	fl := flag.NewFlagSet("failed", flag.ContinueOnError)
	zipPath := fl.String("collection", "", "the collection zip (artifacts collect --output)")
	if err := fl.Parse(args); err != nil {
		return err
	}
	_, rows, sums, err := findingsAndSummary(*zipPath)
	if err != nil {
		return err
	}
	if len(rows) != 0 {
		return fmt.Errorf("%d Findings rows from a run that could not start", len(rows))
	}
	if len(sums) != 1 {
		return fmt.Errorf("%d Summary rows, want 1 that tells why exscan did not run", len(sums))
	}
	s := sums[0]
	if str(s, "Verdict") != "error" || toInt(s["ExitCode"]) == 0 || str(s, "Stderr") == "" || str(s, "VerdictText") == "" {
		return fmt.Errorf("the Summary row does not say that exscan failed: %s", js(s))
	}
	fmt.Printf("fleetcheck failed: no Findings rows; Summary: verdict %s, exit code %v, %q\n", str(s, "Verdict"), s["ExitCode"], str(s, "Stderr"))
	return nil
}

func toInt(v any) int {
	f, _ := v.(float64)
	return int(f)
}

// evidenceHas says whether a finding row's evidence mentions id.
func evidenceHas(r record, id string) bool {
	b, _ := json.Marshal(r["Evidence"])
	return bytes.Contains(b, []byte(id))
}

func runEvents(args []string) error {
	fl := flag.NewFlagSet("events", flag.ContinueOnError)
	rowsPath := fl.String("rows", "", "the rows the event artifact wrote (JSON Lines)")
	ids := fl.String("ids", "", "comma-separated strings, one per expected finding's evidence")
	timeout := fl.Duration("timeout", 180*time.Second, "how long to wait for the rows")
	notIn := fl.String("not-in", "", "rows of an earlier run: none of their fingerprints may come again")
	if err := fl.Parse(args); err != nil {
		return err
	}
	want := strings.Split(*ids, ",")
	deadline := time.Now().Add(*timeout)
	var rows []record
	for {
		data, err := os.ReadFile(*rowsPath)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		rows = completeRecords(data)
		if missing := missingIDs(rows, want); len(missing) == 0 {
			break
		} else if time.Now().After(deadline) {
			return fmt.Errorf("after %v, no event for %v; %d row(s) so far:\n%s", *timeout, missing, len(rows), data)
		}
		time.Sleep(200 * time.Millisecond)
	}
	var problems []string
	fps := map[string]bool{}
	for _, r := range rows {
		fp := str(r, "Fingerprint")
		for _, col := range []string{"Severity", "Rule", "Title", "Path", "Fingerprint"} {
			if str(r, col) == "" {
				problems = append(problems, fmt.Sprintf("event %s: %s empty", fp, col))
			}
		}
		if fps[fp] {
			problems = append(problems, fmt.Sprintf("event %s reported twice", fp))
		}
		fps[fp] = true
	}
	if *notIn != "" {
		earlier, err := readRecords(*notIn)
		if err != nil {
			return err
		}
		for _, r := range earlier {
			if fp := str(r, "Fingerprint"); fps[fp] {
				problems = append(problems, fmt.Sprintf("event %s (%v) of the earlier run reported again after the restart", fp, r["Rule"]))
			}
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("%s", strings.Join(problems, "\n  "))
	}
	fmt.Printf("fleetcheck events: %d event(s), one per finding, including %v\n", len(rows), want)
	return nil
}

// completeRecords parses the complete lines of a file still being written.
func completeRecords(data []byte) []record {
	if i := bytes.LastIndexByte(data, '\n'); i >= 0 {
		data = data[:i+1]
	} else {
		data = nil
	}
	var out []record
	for _, line := range bytes.Split(data, []byte("\n")) {
		var r record
		if json.Unmarshal(bytes.TrimSpace(line), &r) == nil && r != nil {
			out = append(out, r)
		}
	}
	return out
}

func missingIDs(rows []record, ids []string) []string {
	var missing []string
	for _, id := range ids {
		found := false
		for _, r := range rows {
			if evidenceHas(r, id) {
				found = true
				break
			}
		}
		if !found {
			missing = append(missing, id)
		}
	}
	return missing
}

func runServe(args []string) error {
	fl := flag.NewFlagSet("serve", flag.ContinueOnError)
	file := fl.String("file", "", "the file to serve")
	urlFile := fl.String("url-file", "", "where to write the file's URL")
	logPath := fl.String("log", "", "where to log requests")
	if err := fl.Parse(args); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	logf, err := os.Create(*logPath)
	if err != nil {
		return err
	}
	name := "/" + filepath.Base(*file)
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(logf, "%s %s\n", r.Method, r.URL.Path)
		if r.URL.Path != name {
			http.NotFound(w, r)
			return
		}
		f, err := os.Open(*file)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		defer f.Close()
		io.Copy(w, f)
	})
	url := "http://" + ln.Addr().String() + name
	if err := os.WriteFile(*urlFile+".tmp", []byte(url+"\n"), 0o644); err != nil {
		return err
	}
	if err := os.Rename(*urlFile+".tmp", *urlFile); err != nil {
		return err
	}
	return http.Serve(ln, nil)
}
