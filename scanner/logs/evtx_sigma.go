package logs

import "strings"

// Sigma's Windows logsources, mapped the way SigmaHQ's backends (pySigma's
// windows and sysmon pipelines) map them: product windows with a service
// names a channel; a category names Sysmon event ids (and for
// process_creation also Security 4688, whose fields get Sysmon's names).

// windowsServices maps a Sigma service to its channel.
var windowsServices = map[string]string{
	"security":                             "Security",
	"system":                               "System",
	"application":                          "Application",
	"sysmon":                               "Microsoft-Windows-Sysmon/Operational",
	"powershell":                           "Microsoft-Windows-PowerShell/Operational",
	"powershell-classic":                   "Windows PowerShell",
	"msexchange-management":                "MSExchange Management",
	"taskscheduler":                        "Microsoft-Windows-TaskScheduler/Operational",
	"wmi":                                  "Microsoft-Windows-WMI-Activity/Operational",
	"windefend":                            "Microsoft-Windows-Windows Defender/Operational",
	"dns-server":                           "DNS Server",
	"dns-server-analytic":                  "Microsoft-Windows-DNS-Server/Analytical",
	"bits-client":                          "Microsoft-Windows-Bits-Client/Operational",
	"codeintegrity-operational":            "Microsoft-Windows-CodeIntegrity/Operational",
	"firewall-as":                          "Microsoft-Windows-Windows Firewall With Advanced Security/Firewall",
	"ntlm":                                 "Microsoft-Windows-NTLM/Operational",
	"terminalservices-localsessionmanager": "Microsoft-Windows-TerminalServices-LocalSessionManager/Operational",
	"smbclient-security":                   "Microsoft-Windows-SmbClient/Security",
	"printservice-admin":                   "Microsoft-Windows-PrintService/Admin",
	"printservice-operational":             "Microsoft-Windows-PrintService/Operational",
	"shell-core":                           "Microsoft-Windows-Shell-Core/Operational",
	"openssh":                              "OpenSSH/Operational",
	"capi2":                                "Microsoft-Windows-CAPI2/Operational",
	"driver-framework":                     "Microsoft-Windows-DriverFrameworks-UserMode/Operational",
	"security-mitigations":                 "Microsoft-Windows-Security-Mitigations/Kernel Mode",
	"iis-configuration":                    "Microsoft-IIS-Configuration/Operational",
	"appxdeployment-server":                "Microsoft-Windows-AppXDeploymentServer/Operational",
	"lsa-server":                           "Microsoft-Windows-LSA/Operational",
	"diagnosis-scripted":                   "Microsoft-Windows-Diagnosis-Scripted/Operational",
	"vhdmp":                                "Microsoft-Windows-VHDMP/Operational",
}

// eventSel selects records by channel and event ids.
type eventSel struct {
	channel string
	ids     []string
}

const sysmonChannel = "Microsoft-Windows-Sysmon/Operational"

func sysmon(ids ...string) []eventSel { return []eventSel{{sysmonChannel, ids}} }

// windowsCategories maps a Sigma category to the events that carry it.
var windowsCategories = map[string][]eventSel{
	"process_creation":          {{sysmonChannel, []string{"1"}}, {"Security", []string{"4688"}}},
	"file_change":               sysmon("2"),
	"network_connection":        sysmon("3"),
	"sysmon_status":             sysmon("4", "16"),
	"process_termination":       sysmon("5"),
	"driver_load":               sysmon("6"),
	"image_load":                sysmon("7"),
	"create_remote_thread":      sysmon("8"),
	"raw_access_thread":         sysmon("9"),
	"process_access":            sysmon("10"),
	"file_event":                sysmon("11"),
	"registry_add":              sysmon("12"),
	"registry_delete":           sysmon("12"),
	"registry_set":              sysmon("13"),
	"registry_rename":           sysmon("14"),
	"registry_event":            sysmon("12", "13", "14"),
	"create_stream_hash":        sysmon("15"),
	"pipe_created":              sysmon("17", "18"),
	"wmi_event":                 sysmon("19", "20", "21"),
	"dns_query":                 sysmon("22"),
	"file_delete":               sysmon("23", "26"),
	"clipboard_capture":         sysmon("24"),
	"process_tampering":         sysmon("25"),
	"file_block_executable":     sysmon("27"),
	"file_block_shredding":      sysmon("28"),
	"file_executable_detected":  sysmon("29"),
	"sysmon_error":              sysmon("255"),
	"ps_module":                 {{"Microsoft-Windows-PowerShell/Operational", []string{"4103"}}},
	"ps_script":                 {{"Microsoft-Windows-PowerShell/Operational", []string{"4104"}}},
	"ps_classic_start":          {{"Windows PowerShell", []string{"400"}}},
	"ps_classic_provider_start": {{"Windows PowerShell", []string{"600"}}},
	"ps_classic_script":         {{"Windows PowerShell", []string{"800"}}},
}

// servesWindows maps a Sigma logsource to the event-log records it
// applies to: product windows with a known service or category.
func servesWindows(prod, svc, cat string) (bool, func(*Record) bool) {
	if prod != "windows" || cat == "webserver" {
		return false, nil
	}
	var channel string
	if svc != "" {
		c, ok := windowsServices[svc]
		if !ok {
			return false, nil
		}
		channel = c
	}
	var sels []eventSel
	if cat != "" {
		s, ok := windowsCategories[cat]
		if !ok {
			return false, nil
		}
		sels = s
	}
	if channel == "" && sels == nil {
		return false, nil
	}
	return true, func(r *Record) bool {
		ch, _ := r.Get("Channel")
		if channel != "" && !strings.EqualFold(ch, channel) {
			return false
		}
		if sels == nil {
			return true
		}
		id, _ := r.Get("EventID")
		for _, s := range sels {
			if !strings.EqualFold(ch, s.channel) {
				continue
			}
			for _, x := range s.ids {
				if id == x {
					return true
				}
			}
		}
		return false
	}
}

// evtxSigmaAliases gives event-log records Sigma's generic field names:
// Provider_Name, and for Security 4688 the Sysmon process-creation names
// (as SigmaHQ's backends map them).
func evtxSigmaAliases(rec *Record, add func(name, val, native string)) {
	if v, ok := rec.Get("Provider"); ok {
		add("Provider_Name", v, "Provider")
	}
	id, _ := rec.Get("EventID")
	ch, _ := rec.Get("Channel")
	if id == "4688" && strings.EqualFold(ch, "Security") {
		for _, p := range [][2]string{
			{"Image", "NewProcessName"}, {"ParentImage", "ParentProcessName"},
			{"ProcessId", "NewProcessId"}, {"ParentProcessId", "ProcessId"},
			{"User", "SubjectUserName"}, {"LogonId", "SubjectLogonId"},
			{"IntegrityLevel", "MandatoryLabel"},
		} {
			if v, ok := rec.Get(p[1]); ok {
				add(p[0], v, p[1])
			}
		}
	}
}
