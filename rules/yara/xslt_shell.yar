/*
   XSLT-transform webshells: the page compiles a stylesheet with script
   enabled (msxsl:script) so that JScript/C# inside the XSL runs on the
   server, or transforms a stylesheet taken from the request. Used on
   Exchange after ProxyShell (the "DropHell" stage) and in ASP/ASPX kits.
*/

rule exscan_xslt_shell_aspnet_script
{
    meta:
        id = "exscan.webshell.xslt_shell.aspnet_script"
        author = "exscan"
        description = "ASP.NET page that runs an msxsl:script stylesheet with scripting enabled whose code evaluates request input or spawns commands"
        severity = "critical"
        campaign = "proxyshell"
        cves = "CVE-2021-34473,CVE-2021-34523,CVE-2021-31207"
        attack = "T1505.003,T1220"
        references = "https://www.deepinstinct.com/blog/do-not-exchange-it-has-a-shell-inside https://attack.mitre.org/techniques/T1220/"
        date = "2026-11-27"
    strings:
        $xct1 = "XslCompiledTransform" ascii wide
        $xct2 = "XslTransform" ascii wide
        $en1 = "TrustedXslt" ascii wide
        $en2 = /EnableScript\s{0,3}=\s{0,3}true/ nocase ascii wide
        $en3 = /new\s{1,3}XsltSettings\s{0,3}\(\s{0,3}(true|false)\s{0,3},\s{0,3}true\s{0,3}\)/ ascii wide
        $msx = "msxsl:script" nocase ascii wide
        // what the embedded script does: evaluate code, start processes, load code
        $p2 = /eval\s{0,3}\(/ ascii wide
        $p3 = "ActiveXObject" nocase ascii wide
        $p4 = "WScript.Shell" nocase ascii wide
        $p5 = "Process.Start" ascii wide
        $p6 = "ProcessStartInfo" ascii wide
        $p7 = "Assembly.Load" ascii wide
        $p8 = "JScriptEvaluate" ascii wide
    condition:
        uint16(0) != 0x5A4D and filesize < 1MB and any of ($xct*) and any of ($en*) and $msx and any of ($p*)
}

rule exscan_xslt_shell_request_stylesheet
{
    meta:
        id = "exscan.webshell.xslt_shell.request_stylesheet"
        author = "exscan"
        description = "ASP.NET page that loads an XSL stylesheet decoded from request data and transforms with it (script executes on the server)"
        severity = "critical"
        campaign = "proxyshell"
        cves = "CVE-2021-34473,CVE-2021-34523,CVE-2021-31207"
        attack = "T1505.003,T1220"
        references = "https://www.deepinstinct.com/blog/do-not-exchange-it-has-a-shell-inside https://attack.mitre.org/techniques/T1220/"
        date = "2026-11-27"
    strings:
        $lx = /LoadXml\s{0,3}\([^;]{0,120}(FromBase64String\s{0,3}\(\s{0,3})?Request\s{0,3}(\.Item|\.Form|\.QueryString)?\s{0,3}[\[\(]/ ascii wide
        $xct1 = "XslCompiledTransform" ascii wide
        $xct2 = "XslTransform" ascii wide
        $tr = /\.Transform\s{0,3}\(/ ascii wide
        $en1 = "TrustedXslt" ascii wide
        $en2 = /EnableScript\s{0,3}=\s{0,3}true/ nocase ascii wide
        $en3 = /XsltSettings\s{0,3}\(\s{0,3}(true|false)\s{0,3},\s{0,3}true\s{0,3}\)/ ascii wide
    condition:
        uint16(0) != 0x5A4D and filesize < 1MB and $lx and any of ($xct*) and $tr and any of ($en*)
}

rule exscan_xslt_shell_asp_transformnode
{
    meta:
        id = "exscan.webshell.xslt_shell.asp_transformnode"
        author = "exscan"
        description = "Classic ASP page that runs an msxsl:script stylesheet through MSXML transformNode to execute commands or request input"
        severity = "critical"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1220"
        references = "https://attack.mitre.org/techniques/T1220/"
        date = "2026-11-27"
    strings:
        $dom1 = "MSXML2.DOMDocument" nocase ascii wide
        $dom2 = "Microsoft.XMLDOM" nocase ascii wide
        $dom3 = "MSXML2.FreeThreadedDOMDocument" nocase ascii wide
        $tn = "transformNode" nocase ascii wide
        $msx = "msxsl:script" nocase ascii wide
        $p1 = "wscript.shell" nocase ascii wide
        $p2 = "ActiveXObject" nocase ascii wide
        $p3 = /eval\s{0,3}\(/ nocase ascii wide
        $p4 = "request" nocase fullword ascii wide
        $asp_tag = "<%" ascii wide
    condition:
        uint16(0) != 0x5A4D and $asp_tag and filesize < 1MB and any of ($dom*) and $tn and $msx and any of ($p*)
}
