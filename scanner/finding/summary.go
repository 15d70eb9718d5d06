package finding

// Summary is the closing record of a scan: what was looked at, what was
// skipped and why, and how far back the logs reach.
type Summary struct {
	Type         string           `json:"type"` // always "summary"
	Version      string           `json:"version"`
	Command      string           `json:"command"`
	Root         string           `json:"root,omitempty"`
	Host         *HostLayout      `json:"host,omitempty"`
	ScannedHost  *ScannedHost     `json:"scanned_host"`       // the host the evidence comes from; null when nothing names it
	ExscanHost   string           `json:"exscan_host"`        // the machine exscan ran on
	Exchange     *ExchangeBuild   `json:"exchange,omitempty"` // the Exchange build seen on the scanned host
	Started      string           `json:"started"`
	Duration     float64          `json:"duration_seconds"`
	FilesSeen    int64            `json:"files_seen"`
	FilesScanned int64            `json:"files_scanned"`
	Bytes        int64            `json:"bytes"`
	Skipped      map[string]int64 `json:"skipped"`                 // by reason
	YARARuledOut FileCount        `json:"yara_ruled_out,omitzero"` // checked without libyara: size and first bytes rule out every YARA rule
	SkippedItems []Skip           `json:"skipped_items,omitempty"` // filled with --verbose
	LogFiles     int64            `json:"log_files"`
	LogBytes     int64            `json:"log_bytes"`
	LogRecords   map[string]int64 `json:"log_records"`                        // by format, all records read
	LogRuledOut  int64            `json:"log_records_ruled_out,omitempty"`    // of those, records not split into fields: they hold no literal any log check looks for
	Since        string           `json:"since,omitempty"`                    // --since: older records were read but not checked
	BeforeSince  int64            `json:"log_records_before_since,omitempty"` // of the records read, those older than --since (not checked)
	Malformed    map[string]int64 `json:"log_malformed"`
	Coverage     []Coverage       `json:"log_coverage"`
	Findings     map[string]int64 `json:"findings"` // by severity
	Suppressed   int64            `json:"suppressed,omitempty"`
	Rules        RuleCounts       `json:"rules"`
	Warnings     []string         `json:"warnings,omitempty"`
	Webshells    []WebshellAccess `json:"webshell_access,omitempty"`
	Verdict      string           `json:"verdict"`
	VerdictText  string           `json:"verdict_text"`
	NextSteps    []string         `json:"next_steps"` // what to do next, in order, fitting the verdict
	FailOn       string           `json:"fail_on"`
	ExitCode     int              `json:"exit_code"`
}

// FileCount is a number of files and their bytes.
type FileCount struct {
	Files int64 `json:"files"`
	Bytes int64 `json:"bytes"`
}

// Skip is one item that was not checked, with why.
type Skip struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
	Detail string `json:"detail,omitempty"`
}

// Coverage is what one log family covers in time.
type Coverage struct {
	Family   string  `json:"family"`
	Files    int64   `json:"files"`
	Records  int64   `json:"records"`
	Earliest string  `json:"earliest,omitempty"`
	Latest   string  `json:"latest,omitempty"`
	Days     float64 `json:"days"`
	TooShort bool    `json:"too_short,omitempty"`
}

// RuleCounts says what the scan ran with.
type RuleCounts struct {
	YARA       int `json:"yara"`
	Sigma      int `json:"sigma"`
	IOCs       int `json:"iocs"`
	UserErrors int `json:"user_rule_errors"`
}

// HostLayout is what host discovery found under the root.
type HostLayout struct {
	Root    string        `json:"root"`
	Found   []LayoutEntry `json:"found"`
	Missing []LayoutEntry `json:"missing"`
}

// LayoutEntry is one well-known location: its role, its Windows path and
// where it is on this machine.
type LayoutEntry struct {
	Role    string `json:"role"`
	WinPath string `json:"win_path"`
	Path    string `json:"path,omitempty"`
}

// WebshellAccess lists who reached a webshell found on disk.
type WebshellAccess struct {
	File     string   `json:"file"`
	URL      string   `json:"url"`
	Requests int64    `json:"requests"`
	Clients  []string `json:"clients"`
	First    string   `json:"first,omitempty"`
	Last     string   `json:"last,omitempty"`
}

// ScannedHost names the scanned host and says where the name was read.
type ScannedHost struct {
	Name   string   `json:"name"`
	Source string   `json:"source"`           // --hostname, or the log field it was read from (iis s-computername, ...)
	Path   string   `json:"path,omitempty"`   // the file the name was read from
	Others []string `json:"others,omitempty"` // other names the evidence holds (logs copied from several servers)
}

// ExchangeBuild is the Exchange build seen on the scanned host, where it
// was read and which of the four chains it was exposed to.
type ExchangeBuild struct {
	Build       string     `json:"build"` // 15.1.2106.13; three parts when only the CU line is known
	Exact       bool       `json:"exact"` // four parts: the SU level is known
	Name        string     `json:"name"`  // Exchange 2016 CU18 Mar21SU, or "Exchange 2016 CU18 or a later SU of it"
	ReleaseDate string     `json:"release_date,omitempty"`
	KB          string     `json:"kb,omitempty"`
	From        string     `json:"from"`             // what the build was taken from
	Seen        []string   `json:"seen"`             // every version exscan read, with where
	Source      string     `json:"source,omitempty"` // where the build's name, date and KB come from
	Exposure    []Exposure `json:"exposure"`
	Note        string     `json:"note,omitempty"`
}
