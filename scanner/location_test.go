package scanner

import (
	"testing"

	"exscan/scanner/finding"
)

const ex = `C:\Program Files\Microsoft\Exchange Server\V15\FrontEnd\HttpProxy\`

func TestClassify(t *testing.T) {
	cases := map[string]string{
		ex + `owa\auth\x.aspx`:            LocAuth,
		ex + `ecp\x.aspx`:                 LocWeb,
		`C:\inetpub\wwwroot\a\b.aspx`:     LocWeb,
		`C:\Windows\Temp\lsass.dmp`:       LocTemp,
		`C:\root\x.dmp`:                   LocTemp,
		`C:\ProgramData\it.zip`:           LocProgData,
		"/home/user/project/default.aspx": LocOther,
	}
	for p, want := range cases {
		if got := Classify(p); got != want {
			t.Errorf("Classify(%s) = %s, want %s", p, got, want)
		}
	}
}

func TestScoreWeighsAuthFolders(t *testing.T) {
	trait := []finding.Reason{{Severity: finding.Medium, Source: finding.SourceYARA}}
	if got := Score(LocWeb, trait); got != finding.Medium {
		t.Errorf("web folder: %s", got)
	}
	if got := Score(LocAuth, trait); got != finding.High {
		t.Errorf("auth folder: %s", got)
	}
	two := []finding.Reason{{Severity: finding.High, Source: finding.SourceYARA}, {Severity: finding.High, Source: finding.SourceHeuristic}}
	if got := Score(LocAuth, two); got != finding.Critical {
		t.Errorf("corroborated in auth folder: %s", got)
	}
	if got := Score(LocOther, []finding.Reason{{Severity: finding.Info, Source: finding.SourceIOC}}); got != finding.Info {
		t.Errorf("info raised: %s", got)
	}
	if got := Score(LocAuth, []finding.Reason{{Severity: finding.Critical, Source: finding.SourceYARA}, {Severity: finding.High, Source: finding.SourceIOC}}); got != finding.Critical {
		t.Errorf("cap: %s", got)
	}
}

func TestHeuristics(t *testing.T) {
	has := func(rs []finding.Reason, rule string) bool {
		for _, r := range rs {
			if r.Rule == rule {
				return true
			}
		}
		return false
	}
	if rs := heuristics(`C:\Windows\Temp\lsass.dmp`, []byte("MDMP....")); !has(rs, "exscan.file.lsass-dump") {
		t.Error("lsass dump not flagged")
	}
	if rs := heuristics(`C:\Windows\Temp\app.dmp`, []byte("MDMP....")); !has(rs, "exscan.file.minidump-in-temp") {
		t.Error("minidump in temp not flagged")
	}
	if rs := heuristics(ex+`owa\auth\x.aspx`, []byte("!BDN\x00\x00<script runat=server>")); !has(rs, "exscan.file.mailbox-export-page") || !has(rs, "exscan.file.unexpected-aspnet-page") {
		t.Errorf("PST-headed page in owa\\auth: %+v", rs)
	}
	if rs := heuristics(`C:\ProgramData\it.zip`, nil); !has(rs, "exscan.file.archive-in-programdata") {
		t.Error("archive at top of ProgramData not flagged")
	}
	if rs := heuristics(`C:\ProgramData\Vendor\update.zip`, nil); len(rs) != 0 {
		t.Errorf("archive deep in ProgramData flagged: %+v", rs)
	}
	if rs := heuristics(ex+`ecp\auth\TimeoutLogout.aspx`, []byte("<%@ Page %>")); len(rs) != 0 {
		t.Errorf("Microsoft's page flagged: %+v", rs)
	}
}
