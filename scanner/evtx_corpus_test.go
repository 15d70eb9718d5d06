package scanner

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"exscan/iocs"
	"exscan/rules"
	"exscan/scanner/finding"
)

// evtxCorpus is the shared corpus of real .evtx files, beside the repository.
var evtxCorpus = filepath.Join("..", "..", "shared", "corpus", "evtx")

// scanEVTXCorpus runs the log checks (built-in rules, indicators, and the
// given user rule folders) over the EVTX corpus and returns the findings.
func scanEVTXCorpus(t *testing.T, sigmaDirs ...string) ([]finding.Finding, finding.Summary) {
	t.Helper()
	if _, err := os.Stat(evtxCorpus); err != nil {
		t.Skipf("EVTX corpus not available at %s: %v", evtxCorpus, err)
	}
	ss, errs := rules.LoadSigma(true, sigmaDirs)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	set, err := iocs.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var got []finding.Finding
	e := New(Options{Sigma: ss, IOCs: set, Threads: 2}, func(f finding.Finding) {
		mu.Lock()
		got = append(got, f)
		mu.Unlock()
	})
	e.ScanLogs(context.Background(), []Target{{Path: evtxCorpus}}, nil)
	return got, *e.Summary()
}

// evtxLabels reads the corpus manifest: file -> attack|benign|damaged.
func evtxLabels(t *testing.T) map[string]string {
	t.Helper()
	f, err := os.Open(filepath.Join(evtxCorpus, "manifest.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, r := range rows[1:] {
		out[r[0]] = r[7]
	}
	return out
}

func corpusRel(p string) string {
	rel, _ := filepath.Rel(evtxCorpus, p)
	return filepath.ToSlash(rel)
}

// TestEVTXCorpusFindings: on the real event logs of the shared corpus,
// each built-in event-log rule that has a public sample fires on it, the
// benign baselines (routine service installs, accounts, cleared logs)
// get nothing above medium, and every file is read (damaged ones too).
func TestEVTXCorpusFindings(t *testing.T) {
	got, sum := scanEVTXCorpus(t)
	labels := evtxLabels(t)
	byRule := map[string][]string{}
	for _, f := range got {
		rel := corpusRel(f.Path)
		if labels[rel] == "benign" && f.Severity > finding.Medium {
			t.Errorf("benign %s record %d: %s %s", rel, f.Line, f.Severity, f.Rule)
		}
		if f.Channel == "" || f.EventID == "" || f.Line <= 0 {
			t.Errorf("%s: finding without channel, event id or record id: %+v", rel, f)
		}
		for _, r := range f.Reasons {
			byRule[r.Rule] = append(byRule[r.Rule], rel)
		}
	}
	for rule, sample := range map[string]string{
		"exscan.log.webshell.iis_worker_shell":     "iis-webshell/sbousseaden__EVTX-ATTACK-SAMPLES/Credential Access/discovery_sysmon_1_iis_pwd_and_config_discovery_appcmd.evtx",
		"exscan.log.windows.appcmd_password":       "iis-webshell/sbousseaden__EVTX-ATTACK-SAMPLES/Credential Access/discovery_sysmon_1_iis_pwd_and_config_discovery_appcmd.evtx",
		"exscan.log.windows.comsvcs_minidump":      "lsass-dump/sbousseaden__EVTX-ATTACK-SAMPLES/Credential Access/sysmon_10_1_memdump_comsvcs_minidump.evtx",
		"exscan.log.windows.procdump_lsass":        "lsass-dump/sbousseaden__EVTX-ATTACK-SAMPLES/AutomatedTestingTools/PanacheSysmon_vs_AtomicRedTeam01.evtx",
		"exscan.log.windows.security_log_cleared":  "log-cleared/sbousseaden__EVTX-ATTACK-SAMPLES/Defense Evasion/DE_1102_security_log_cleared.evtx",
		"exscan.log.windows.system_log_cleared":    "log-cleared/sbousseaden__EVTX-ATTACK-SAMPLES/Defense Evasion/DE_104_system_log_cleared.evtx",
		"exscan.log.windows.service_install_shell": "persistence/sbousseaden__EVTX-ATTACK-SAMPLES/Privilege Escalation/System_7045_namedpipe_privesc.evtx",
		"exscan.log.windows.local_admin_added":     "persistence/sbousseaden__EVTX-ATTACK-SAMPLES/Persistence/Network_Service_Guest_added_to_admins_4732.evtx",
		"exscan.log.windows.user_created":          "persistence/mdecrevoisier__EVTX-to-MITRE-Attack/TA0003-Persistence/T1136-Create account/ID4720-Local user created.evtx",
		// each checked on samples it was not written from as well
		"exscan.log.windows.lsass_access":                       "lsass-dump/mdecrevoisier__EVTX-to-MITRE-Attack/TA0006-Credential Access/T1003-Credential dumping/ID10-Mimikatz LSASS process dump.evtx",
		"exscan.log.windows.lsass_dump_file":                    "lsass-dump/sbousseaden__EVTX-ATTACK-SAMPLES/Credential Access/sysmon_rdrleakdiag_lsass_dump.evtx",
		"exscan.log.windows.ps_credential_dump":                 "lsass-dump/sbousseaden__EVTX-ATTACK-SAMPLES/Credential Access/Powershell_4104_MiniDumpWriteDump_Lsass.evtx",
		"exscan.log.windows.ps_encoded_payload":                 "powershell/mdecrevoisier__EVTX-to-MITRE-Attack/TA0005-Defense Evasion/T1027-Obfuscated Files or Information/ID4103-4104-CrackMapExec payload execution.evtx",
		"exscan.log.windows.ps_log_clear":                       "powershell/mdecrevoisier__EVTX-to-MITRE-Attack/TA0005-Defense Evasion/T1070.001-Clear Windows event logs/ID800-4103-4104-Clear event log attempt.evtx",
		"exscan.log.windows.powershell_hidden_encoded":          "persistence/mdecrevoisier__EVTX-to-MITRE-Attack/TA0002-Execution/T1059.001-PowerShell/ID4688-Encoded PowerShell MSF payload via process execution.evtx",
		"exscan.log.windows.service_install_shell_security":     "persistence/mdecrevoisier__EVTX-to-MITRE-Attack/TA0003-Persistence/T1543.003-Create or Modify System Process-Windows Service/ID4697-MSF payload deployed via service.evtx",
		"exscan.log.windows.exchange_mailbox_forwarding":        "exchange/omerbenamram__evtx/samples/MSExchange_Management_wec.evtx",
		"exscan.log.windows.exchange_role_group_member_added":   "exchange/mdecrevoisier__EVTX-to-MITRE-Attack/TA0003-Persistence/T1098.xxx-Account manipulation/ID4756-Exchange admin group change.evtx",
		"exscan.log.windows.exchange_server_changes_domain_acl": "exchange/sbousseaden__EVTX-ATTACK-SAMPLES/Privilege Escalation/privexchange_dirkjan.evtx",
		"exscan.log.windows.lsass_object_access":                "lsass-dump/mdecrevoisier__EVTX-to-MITRE-Attack/TA0006-Credential Access/T1003-Credential dumping/ID4663-Task Manager used to dump LSASS process.evtx",
		"exscan.log.windows.lsass_silent_exit_dump":             "lsass-dump/sbousseaden__EVTX-ATTACK-SAMPLES/Credential Access/LsassSilentProcessExit_process_exit_monitor_3001_lsass.evtx",
		"exscan.log.webshell.iis_worker_tunnel":                 "iis-webshell/sbousseaden__EVTX-ATTACK-SAMPLES/Command and Control/tunna_iis_rdp_smb_tunneling_sysmon_3.evtx",
		"exscan.log.webshell.iis_worker_unusual_child":          "iis-webshell/sbousseaden__EVTX-ATTACK-SAMPLES/Privilege Escalation/privesc_rotten_potato_from_webshell_metasploit_sysmon_1_8_3.evtx",
		"exscan.log.windows.exchange_transport_agent_config":    "exchange/mdecrevoisier__EVTX-to-MITRE-Attack/TA0003-Persistence/T1505-Server Software Component/ID11-Exchange transport config modified.evtx",
	} {
		if !slices.Contains(byRule[rule], sample) {
			t.Errorf("%s did not fire on %s (fired on %d records: %v)", rule, sample, len(byRule[rule]), first(byRule[rule], 3))
		}
	}
	if sum.LogFiles == 0 || sum.LogRecords["evtx"] == 0 {
		t.Errorf("summary: %d log files, records %v", sum.LogFiles, sum.LogRecords)
	}
	for reason, n := range sum.Skipped {
		// the manifest and the sources note are not logs
		if reason != SkipNotALog || n != 2 {
			t.Errorf("skipped: %d %s", n, reason)
		}
	}
}

// TestEVTXCorpusSigmaHQ: SigmaHQ's rules (the unmodified copies in
// ../shared/research) load through --sigma and fire on the samples of
// what they describe.
func TestEVTXCorpusSigmaHQ(t *testing.T) {
	dir := filepath.Join("..", "..", "shared", "research", "data", "sigmahq-sigma", "rules")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("SigmaHQ rules not available at %s: %v", dir, err)
	}
	got, _ := scanEVTXCorpus(t, dir)
	byRule := map[string][]string{}
	for _, f := range got {
		for _, r := range f.Reasons {
			byRule[r.Rule] = append(byRule[r.Rule], corpusRel(f.Path))
		}
	}
	const webshell = "iis-webshell/sbousseaden__EVTX-ATTACK-SAMPLES/Credential Access/discovery_sysmon_1_iis_pwd_and_config_discovery_appcmd.evtx"
	for rule, sample := range map[string]string{
		"8202070f-edeb-4d31-a010-a26c72ac5600": webshell, // Suspicious Process By Web Server Process
		"4ebc877f-4612-45cb-b3a5-8e3834db36c9": webshell, // Webshell Hacking Activity Patterns
		"2d3cdeec-c0db-45b4-aa86-082f7eb75701": webshell, // Microsoft IIS Service Account Password Dumped
		"646ea171-dded-4578-8a4d-65e9822892e3": "lsass-dump/sbousseaden__EVTX-ATTACK-SAMPLES/Credential Access/sysmon_10_1_memdump_comsvcs_minidump.evtx",
		"d99b79d2-0a6f-4f46-ad8b-260b6e17f982": "log-cleared/sbousseaden__EVTX-ATTACK-SAMPLES/Defense Evasion/DE_1102_security_log_cleared.evtx",
		// GrantedAccess compared as Windows writes it ("0x1fffff")
		"5ef9853e-4d0e-4a70-846f-a9ca37d876da": "lsass-dump/mdecrevoisier__EVTX-to-MITRE-Attack/TA0006-Credential Access/T1003-Credential dumping/ID1-LSASS dump with LSASSY (SYSMON).evtx",
		"9bd012ee-0dff-44d7-84a0-aa698cfd87a3": "lsass-dump/sbousseaden__EVTX-ATTACK-SAMPLES/Credential Access/sysmon_10_11_outlfank_dumpert_and_andrewspecial_memdump.evtx",
		"a5a2d357-1ab8-4675-a967-ef9990a59391": "lsass-dump/sbousseaden__EVTX-ATTACK-SAMPLES/Credential Access/ppl_bypass_ppldump_knowdll_hijack_sysmon_security.evtx",
		"84c174ab-d3ef-481f-9c86-a50d0b8e3edb": "lsass-dump/sbousseaden__EVTX-ATTACK-SAMPLES/Credential Access/Powershell_4104_MiniDumpWriteDump_Lsass.evtx",
		"0f017df3-8f5a-414f-ad6b-24aff1128278": "powershell/mdecrevoisier__EVTX-to-MITRE-Attack/TA0005-Defense Evasion/T1070.001-Clear Windows event logs/ID800-4103-4104-Clear event log attempt.evtx",
	} {
		if !slices.Contains(byRule[rule], sample) {
			t.Errorf("SigmaHQ %s did not fire on %s", rule, sample)
		}
	}
}

func first(l []string, n int) []string {
	if len(l) > n {
		return l[:n]
	}
	return l
}
