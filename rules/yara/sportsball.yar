/*
   SPORTSBALL, the larger of the two ASPX webshells Volexity described from
   the January-March 2021 Exchange intrusions: a password form whose value
   is stored in a cookie, a command box whose text is written to a cmd.exe
   process's standard input, and file upload/download.
*/

rule exscan_sportsball_cookie_stdin_shell
{
    meta:
        id = "exscan.webshell.sportsball.cookie_stdin_shell"
        author = "exscan"
        description = "SPORTSBALL-style ASPX shell: auth cookie set from a posted form value, command text from the request written to a process's standard input, plus file upload"
        severity = "critical"
        campaign = "proxylogon"
        cves = "CVE-2021-26855,CVE-2021-26858,CVE-2021-27065"
        attack = "T1505.003,T1059.003"
        references = "https://www.volexity.com/blog/2021/03/02/active-exploitation-of-microsoft-exchange-zero-day-vulnerabilities/ https://attack.mitre.org/techniques/T1505/003/"
        date = "2026-11-27"
    strings:
        $cookie = /new\s{1,3}HttpCookie\s{0,3}\([^;]{0,80}Request\s{0,3}\.Form\s{0,3}\[/ ascii wide
        $cname = "fqrspt" ascii wide
        $stdin = /StandardInput\.WriteLine\s{0,3}\(\s{0,3}(HttpContext\.Current\.)?Request\s{0,3}(\.Form|\.Params|\.Item)?\s{0,3}\[/ ascii wide
        $proc = "Diagnostics.Process" ascii wide
        $redir = "RedirectStandardInput" ascii wide
        $up1 = /type\s{0,3}=\s{0,3}"file"/ nocase ascii wide
        $up2 = /\.SaveAs\s{0,3}\(/ ascii wide
        $up3 = "Request.Files" ascii wide
    condition:
        uint16(0) != 0x5A4D and filesize < 500KB and
        (
            ($cookie and $stdin) or
            ($cname and ($cookie or $stdin)) or
            ($stdin and $proc and $redir and 2 of ($up*))
        )
}
