package scanner

import (
	"testing"

	"exscan/scanner/finding"
)

const ex = `C:\Program Files\Microsoft\Exchange Server\V15\FrontEnd\HttpProxy\`

func TestUnexpectedAuthPage(t *testing.T) {
	cases := map[string]bool{
		ex + `owa\auth\logon.aspx`:                           false,
		ex + `owa\auth\RedirSuiteServiceProxy.aspx`:          false, // Microsoft's
		ex + `owa\auth\RedirSuiteServerProxy.aspx`:           true,  // an attacker's name
		ex + `ecp\auth\TimeoutLogout.aspx`:                   false,
		ex + `ecp\auth\TimeoutLogout2.aspx`:                  true,
		ex + `owa\auth\15.2.858\themes\resources\x.aspx`:     true,
		ex + `owa\auth\15.2.858\themes\resources\logo.png`:   false,
		`C:\inetpub\wwwroot\aspnet_client\shell.aspx`:        true,
		`C:\inetpub\wwwroot\aspnet_client\system_web\a.ashx`: true,
		`C:\inetpub\wwwroot\default.aspx`:                    false,
		ex + `owa\global.asax`:                               false,
		"/mnt/img/inetpub/wwwroot/aspnet_client/x.asmx":      true,
	}
	for p, want := range cases {
		if got := UnexpectedAuthPage(p); got != want {
			t.Errorf("UnexpectedAuthPage(%s) = %v, want %v", p, got, want)
		}
	}
}

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

func TestURLPath(t *testing.T) {
	if got := URLPath(ex + `owa\auth\X.aspx`); got != "/owa/auth/x.aspx" {
		t.Errorf("got %q", got)
	}
	if got := URLPath(`C:\inetpub\wwwroot\aspnet_client\a.aspx`); got != "/aspnet_client/a.aspx" {
		t.Errorf("got %q", got)
	}
	if got := URLPath(`C:\Windows\Temp\a.aspx`); got != "" {
		t.Errorf("got %q", got)
	}
	// a web folder copied or mounted on its own: from its virtual directory on
	if got := URLPath("/mnt/web/owa/auth/Shell.aspx"); got != "/owa/auth/shell.aspx" {
		t.Errorf("got %q", got)
	}
	if got := URLPath("/mnt/web/shell.aspx"); got != "" {
		t.Errorf("got %q", got)
	}
}

func TestScoreWeighsAuthFolders(t *testing.T) {
	trait := []finding.Reason{{Severity: finding.Medium, Source: SourceYARA}}
	if got := Score(LocWeb, trait); got != finding.Medium {
		t.Errorf("web folder: %s", got)
	}
	if got := Score(LocAuth, trait); got != finding.High {
		t.Errorf("auth folder: %s", got)
	}
	two := []finding.Reason{{Severity: finding.High, Source: SourceYARA}, {Severity: finding.High, Source: SourceHeuristic}}
	if got := Score(LocAuth, two); got != finding.Critical {
		t.Errorf("corroborated in auth folder: %s", got)
	}
	if got := Score(LocOther, []finding.Reason{{Severity: finding.Info, Source: SourceIOC}}); got != finding.Info {
		t.Errorf("info raised: %s", got)
	}
	if got := Score(LocAuth, []finding.Reason{{Severity: finding.Critical, Source: SourceYARA}, {Severity: finding.High, Source: SourceIOC}}); got != finding.Critical {
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
