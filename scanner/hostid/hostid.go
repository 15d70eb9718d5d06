// Package hostid tells which host the evidence comes from: its name, read
// from the logs it wrote, and its Exchange build, read from the install's
// versioned web folders and the file version of ExSetup.exe, with what that
// build was exposed to. Everything is read, nothing on the host is changed.
package hostid

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"exscan/iocs"
	"exscan/scanner/finding"
	"exscan/scanner/host"
	"exscan/scanner/logs"
)

const (
	authFolder = `FrontEnd\HttpProxy\owa\auth`
	binFolder  = `Bin`
	exSetup    = "ExSetup.exe"
	// maxNeighbours bounds how many other PE files in V15\Bin are read
	// for a file version when ExSetup.exe gives none.
	maxNeighbours = 20
	maxPESize     = 64 << 20
)

// Build reads the Exchange build of the install at install (a path on this
// machine; installWin is its Windows path). The highest versioned folder
// under FrontEnd\HttpProxy\owa\auth gives the CU line (its name may have
// three parts); the file version of V15\Bin\ExSetup.exe (or, failing that,
// of another PE file in Bin) gives the exact build, SU included. It
// returns nil when neither is there.
func Build(install, installWin string) *finding.ExchangeBuild {
	if install == "" {
		return nil
	}
	b := &finding.ExchangeBuild{}
	var folder, file iocs.Version
	var folderWhere, fileWhere string
	if dir, ok := host.Resolve(install, authFolder); ok {
		if v, name, ok := highestVersionFolder(dir); ok {
			folder, folderWhere = v, installWin+`\`+authFolder+`\`+name
			b.Seen = append(b.Seen, fmt.Sprintf("folder %s", folderWhere))
		}
	}
	if dir, ok := host.Resolve(install, binFolder); ok {
		if v, name, ok := binVersion(dir, folder); ok {
			file, fileWhere = v, installWin+`\`+binFolder+`\`+name
			b.Seen = append(b.Seen, fmt.Sprintf("file version %s of %s", v, fileWhere))
		}
	}
	var v iocs.Version
	switch {
	case file[0] > 0:
		v = file
		b.From = "the file version of " + fileWhere
		if folder[0] > 0 && !folder.Exact() && folder.Line() == file.Line() {
			b.From += " (it settles the SU; the folder name " + folder.String() + " gives the CU line only)"
		}
		if folder[0] > 0 && folder.Line() != file.Line() {
			b.Note = fmt.Sprintf("the newest owa\\auth folder (%s) is of another CU line than %s (%s): a CU upgrade leaves older folders, and a failed one can leave files of two builds; check the build with Get-ExchangeServer", folder, fileWhere, file)
		}
	case folder[0] > 0:
		v = folder
		b.From = "the folder name " + folderWhere
	default:
		return nil
	}
	b.Build, b.Exact = v.String(), v.Exact()
	if v.Exact() {
		if r, ok := iocs.LookupBuild(v); ok {
			b.Name, b.ReleaseDate, b.KB, b.Source = r.Name, r.Date, r.KB, r.Source
		} else {
			b.Name = fmt.Sprintf("%s, build %s (not in exscan's build table: an interim update, a private fix or a build newer than the table)", v.Product(), v)
		}
	} else {
		b.From += " (it names the CU line only; no four-part file version was found to settle the SU)"
		if r, ok := iocs.LineBuild(v); ok {
			b.Name, b.ReleaseDate, b.KB, b.Source = r.Name+" or a later SU of it", r.Date, r.KB, r.Source
		} else {
			b.Name = fmt.Sprintf("%s, CU line %s (not in exscan's build table)", v.Product(), v)
		}
	}
	b.Exposure = iocs.BuildExposure(v)
	return b
}

// highestVersionFolder returns the highest 15.x.y[.z] folder in dir.
func highestVersionFolder(dir string) (iocs.Version, string, bool) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return iocs.Version{}, "", false
	}
	var best iocs.Version
	var name string
	for _, e := range ents {
		v, ok := iocs.ParseVersion(e.Name())
		if !e.IsDir() || !ok || v[0] != 15 {
			continue
		}
		if name == "" || best.Less(v) {
			best, name = v, e.Name()
		}
	}
	return best, name, name != ""
}

// binVersion returns the file version of ExSetup.exe in dir, or else of
// the first other .exe/.dll there (by name) whose version is 15.x and, when
// the folder gave a CU line, on that line.
func binVersion(dir string, line iocs.Version) (iocs.Version, string, bool) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return iocs.Version{}, "", false
	}
	sort.SliceStable(ents, func(i, j int) bool { // ExSetup.exe first
		return strings.EqualFold(ents[i].Name(), exSetup) && !strings.EqualFold(ents[j].Name(), exSetup)
	})
	tried := 0
	for _, e := range ents {
		n := e.Name()
		ext := strings.ToLower(filepath.Ext(n))
		if !e.Type().IsRegular() || ext != ".exe" && ext != ".dll" {
			continue
		}
		setup := strings.EqualFold(n, exSetup)
		if !setup {
			if tried++; tried > maxNeighbours {
				break
			}
		}
		v, err := peVersion(filepath.Join(dir, n))
		if err != nil || v[0] != 15 || !v.Exact() {
			continue
		}
		if setup || line[0] == 0 || v.Line() == line.Line() {
			return v, n, true
		}
	}
	return iocs.Version{}, "", false
}

func peVersion(path string) (iocs.Version, error) {
	f, err := os.Open(path)
	if err != nil {
		return iocs.Version{}, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return iocs.Version{}, err
	}
	if st.Size() > maxPESize {
		return iocs.Version{}, fmt.Errorf("%s: %d bytes, more than a version resource is looked for in", path, st.Size())
	}
	fv, err := FileVersion(io.NewSectionReader(f, 0, st.Size()))
	if err != nil {
		return iocs.Version{}, err
	}
	return iocs.Version{int(fv[0]), int(fv[1]), int(fv[2]), int(fv[3])}, nil
}

const (
	// maxLogFiles bounds the log files read per folder for a host name,
	// and maxRecords the records read from each.
	maxLogFiles = 3
	maxRecords  = 200
)

// Name reads the scanned host's name from the first records of the logs
// under folders: the standard field logs.StdComputer (IIS s-computername,
// HttpProxy ServerHostName, EVTX Computer). The name seen in most files wins; the
// others are listed. It returns nil when no log names its host.
func Name(folders []string) *finding.ScannedHost {
	type seen struct {
		name, source, at string
		files, first     int
	}
	names := map[string]*seen{}
	order := 0
	for _, dir := range folders {
		for _, p := range logFiles(dir) {
			name, source := hostInLog(p)
			if name == "" {
				continue
			}
			key := strings.ToUpper(name)
			s := names[key]
			if s == nil {
				order++
				s = &seen{name: name, source: source, at: p, first: order}
				names[key] = s
			}
			s.files++
		}
	}
	if len(names) == 0 {
		return nil
	}
	keys := make([]string, 0, len(names))
	for k := range names {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := names[keys[i]], names[keys[j]]
		if a.files != b.files {
			return a.files > b.files
		}
		return a.first < b.first
	})
	best := names[keys[0]]
	h := &finding.ScannedHost{Name: best.name, Source: best.source, Path: best.at}
	for _, k := range keys[1:] {
		h.Others = append(h.Others, names[k].name)
	}
	return h
}

// logFiles returns up to maxLogFiles files per folder under dir (or dir
// itself when it is a file), newest name first.
func logFiles(dir string) []string {
	st, err := os.Stat(dir)
	if err != nil {
		return nil
	}
	if !st.IsDir() {
		return []string{dir}
	}
	byDir := map[string][]string{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			byDir[filepath.Dir(p)] = append(byDir[filepath.Dir(p)], p)
		}
		return nil
	})
	var dirs []string
	for d := range byDir {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	var out []string
	for _, d := range dirs {
		fs := byDir[d]
		sort.Sort(sort.Reverse(sort.StringSlice(fs)))
		out = append(out, fs[:min(len(fs), maxLogFiles)]...)
	}
	return out
}

// hostInLog returns the first host name the log's records give, and the
// field it came from.
func hostInLog(p string) (string, string) {
	r, err := logs.Open(p)
	if err != nil {
		return "", ""
	}
	defer r.Close()
	for i := 0; i < maxRecords; i++ {
		rec, err := r.Next()
		if err != nil {
			return "", ""
		}
		if v, native, ok := rec.Std(logs.StdComputer); ok && v != "" && v != "-" {
			return strings.Clone(v), fmt.Sprintf("%s log field %s", rec.Format, native)
		}
	}
	return "", ""
}
