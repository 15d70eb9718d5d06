/*
   China Chopper server-side components: JScript.NET and VBScript/JScript
   one-liners that hand request data to eval/execute, their obfuscated and
   split-string forms, the "customize" file-manager handlers (.ashx/.asmx/.cs)
   that speak the client's "->|" ... "|<-" protocol, and the OAB virtual
   directory settings export used to plant a one-liner via CVE-2021-27065.
*/

rule exscan_china_chopper_jscript_eval_request
{
    meta:
        id = "exscan.webshell.china_chopper.jscript_eval"
        author = "exscan"
        description = "JScript(.NET) server page that passes request data to eval(), optionally with the 'unsafe' security argument (China Chopper one-liner)"
        severity = "critical"
        campaign = "proxylogon"
        cves = "CVE-2021-26855,CVE-2021-26858,CVE-2021-27065"
        attack = "T1505.003"
        references = "https://attack.mitre.org/software/S0020/ https://www.microsoft.com/security/blog/2021/03/02/hafnium-targeting-exchange-servers/ https://www.cisa.gov/news-events/cybersecurity-advisories/aa21-062a"
        date = "2026-11-27"
    strings:
        // eval(<anything>, "unsafe") - the JScript.NET trust argument
        $unsafe = /[^A-Za-z0-9_.]eval\s{0,10}\([^;]{1,300},\s{0,10}["']unsafe["']\s{0,10}\)/ nocase ascii wide
        // eval(Request[...]) / eval(Request.Item[...]) / eval(Request.Form(...))
        $eval_req = /[^A-Za-z0-9_.]eval\s{0,10}\(\s{0,10}(System\.Web\.HttpContext\.Current\.|HttpContext\.Current\.|this\.|Context\.)?Request\s{0,5}(\.Item|\.Form|\.QueryString|\.Params)?\s{0,5}[\[\(]/ nocase ascii wide
        // eval of base64-decoded text
        $eval_b64 = /[^A-Za-z0-9_.]eval\s{0,10}\(\s{0,10}(System\.Text\.)?Encoding\.[^;]{0,120}FromBase64String/ nocase ascii wide
        // Microsoft.JScript.Eval.JScriptEvaluate(Request[...], ...) from C#/VB
        $jsc_eval = /JScriptEvaluate\s{0,5}\([^;]{0,80}Request/ nocase ascii wide
    condition:
        uint16(0) != 0x5A4D and filesize < 2MB and any of them
}

rule exscan_china_chopper_jscript_obfuscated
{
    meta:
        id = "exscan.webshell.china_chopper.jscript_obfuscated"
        author = "exscan"
        description = "Small JScript server page that calls eval() on request input or on split, escaped or base64-built text (obfuscated China Chopper)"
        severity = "critical"
        campaign = "proxylogon"
        cves = "CVE-2021-26855,CVE-2021-26858,CVE-2021-27065"
        attack = "T1505.003,T1027"
        references = "https://attack.mitre.org/software/S0020/ https://www.mandiant.com/resources/blog/the-little-malware-that-could-detecting-and-defeating-the-china-chopper-web-shell"
        date = "2026-11-27"
    strings:
        // JScript is a server-side language here; JavaScript only with the page directive or runat=server
        $js1 = "language=\"jscript\"" nocase ascii wide
        $js2 = "language=jscript" nocase ascii wide
        $js3 = "language = jscript" nocase ascii wide
        $js4 = "language='jscript'" nocase ascii wide
        $js5 = "language = \"jscript\"" nocase ascii wide
        $js15 = "language= \"jscript\"" nocase ascii wide
        $js16 = "language =\"jscript\"" nocase ascii wide
        $js17 = "language= jscript" nocase ascii wide
        $js18 = "language =jscript" nocase ascii wide
        $js6 = "<%@ Language=\"javascript\"" nocase ascii wide
        $js11 = "<%@Language=\"javascript\"" nocase ascii wide
        $js12 = "<%@ Language=javascript" nocase ascii wide
        $js13 = "<%@Language=javascript" nocase ascii wide
        $js14 = "<%@ Language = javascript" nocase ascii wide
        $js7 = "runat=\"server\" language=\"javascript\"" nocase ascii wide
        $js8 = "language=\"javascript\" runat=\"server\"" nocase ascii wide
        $js9 = "runat=server language=javascript" nocase ascii wide
        $js10 = "language=javascript runat=server" nocase ascii wide
        $eval_call = /[^A-Za-z0-9_.]eval\s{0,10}\(/ nocase ascii wide
        $eval_ref = /[:=]\s{0,5}eval\s{0,5}[;,}]/ nocase ascii wide
        // JScript.NET two-argument eval(code, securityContext) with a non-literal first argument
        $eval2 = /[^A-Za-z0-9_.]eval\s{0,10}\((\s{0,5}\/\*[^*]{0,40}\*\/)*\s{0,10}[A-Za-z_][\w.\[\]]{0,40}(\s{0,5}\/\*[^*]{0,40}\*\/)*\s{0,5},/ nocase ascii wide
        $eval_id = /[^A-Za-z0-9_.]eval\s{0,10}\(\s{0,10}[A-Za-z_]/ nocase ascii wide
        $req = "request" nocase fullword ascii wide
        $b64 = "FromBase64String" nocase ascii wide
        $getenc = "Encoding.GetEncoding(" nocase ascii wide
        $hex_unsafe = "\\x75\\x6e\\x73\\x61" nocase ascii wide
        $split_unsafe1 = "\"u\"+\"n\"" nocase ascii wide
        $split_unsafe2 = "'u'+'n'" nocase ascii wide
        $split_unsafe3 = "\"u\" + \"n\"" nocase ascii wide
        $split_eval1 = "\"e\"+\"v\"" nocase ascii wide
        $split_eval2 = "'e'+'v'" nocase ascii wide
        $split_eval3 = "\"e\" + \"v\"" nocase ascii wide
        $concat_unsafe1 = "\"ns\" +" ascii wide
        $concat_unsafe2 = "\"ns\"+" ascii wide
        $concat_unsafe3 = "'ns'+" ascii wide
        $concat_unsafe4 = "'ns' +" ascii wide
        $fromcharcode = "String.fromCharCode" nocase ascii wide
        $char_math = /char\s{0,3}\(\s{0,3}(0x)?[0-9a-f]{2,6}\s{0,3}[-+\/*]/ nocase ascii wide
    condition:
        uint16(0) != 0x5A4D and filesize < 300KB and
        any of ($js*) and
        (
            ($eval2 and ($req or filesize < 5KB)) or
            ($eval_id and $req and filesize < 2KB) or
            ($eval_ref and $req) or
            (($eval_call or $eval_ref) and
             ($hex_unsafe or any of ($split*) or any of ($concat_unsafe*) or ($b64 and $getenc) or $char_math or
              (filesize < 20KB and $fromcharcode)))
        )
}

rule exscan_china_chopper_asp_eval_request
{
    meta:
        id = "exscan.webshell.china_chopper.asp_eval_request"
        author = "exscan"
        description = "Classic ASP one-liner that runs request or session data through Eval/Execute/ExecuteGlobal (China Chopper ASP server)"
        severity = "critical"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003"
        references = "https://attack.mitre.org/software/S0020/ https://www.mandiant.com/resources/blog/the-little-malware-that-could-detecting-and-defeating-the-china-chopper-web-shell"
        date = "2026-11-27"
    strings:
        $e1 = /[^A-Za-z0-9_.]eval[\s(]{1,10}request\s{0,5}(\.form|\.querystring|\.item)?\s{0,5}\(/ nocase ascii wide
        $e2 = /[^A-Za-z0-9_.]execute[\s(]{1,10}request\s{0,5}(\.form|\.querystring|\.item)?\s{0,5}\(/ nocase ascii wide
        $e3 = /[^A-Za-z0-9_.]executeglobal[\s(]{1,10}request\s{0,5}(\.form|\.querystring|\.item)?\s{0,5}\(/ nocase ascii wide
        $e4 = /[^A-Za-z0-9_.](eval|execute|executeglobal)[\s(]{1,10}session\s{0,5}\(/ nocase ascii wide
        $e5 = /[^A-Za-z0-9_.](execute|executeglobal)[\s(]{1,10}(unescape|strreverse)\s{0,5}\(/ nocase ascii wide
        $e6 = /ExecuteStatement\s{0,5}\(/ nocase ascii wide
        $sc_req = /AddObject\s{0,5}["(]\s{0,3}["']?r["&]/ nocase ascii wide
    condition:
        uint16(0) != 0x5A4D and filesize < 2MB and (any of ($e1, $e2, $e3, $e4, $e5) or ($e6 and $sc_req))
}

rule exscan_china_chopper_customize_protocol
{
    meta:
        id = "exscan.webshell.china_chopper.customize_protocol"
        author = "exscan"
        description = "Server-side China Chopper/AntSword 'customize' handler: file, directory and command actions framed with the client's ->| and |<- markers"
        severity = "critical"
        campaign = "proxylogon"
        cves = "CVE-2021-26855,CVE-2021-26858,CVE-2021-27065"
        attack = "T1505.003"
        references = "https://attack.mitre.org/software/S0020/ https://github.com/AntSwordProject/AwesomeScript"
        date = "2026-11-27"
    strings:
        $m1 = "\\x2D\\x3E\\x7C" nocase ascii wide
        $m2 = "\\x7C\\x3C\\x2D" nocase ascii wide
        $m3 = "\"->|\"" ascii wide
        $m4 = "\"|<-\"" ascii wide
        $m5 = "'->|'" ascii wide
        $m6 = "'|<-'" ascii wide
        $h1 = "H2DH3EH7C" nocase ascii wide
        $h2 = "H7CH3CH2D" nocase ascii wide
        $z1 = /Request\s{0,3}\.Form\s{0,3}[\[\(]\s{0,3}["']z[0-9]["']/ nocase ascii wide
        $op1 = "GetLogicalDrives" nocase ascii wide
        $op2 = "WriteFile(" nocase ascii wide
        $op3 = "GetDirectories(" nocase ascii wide
        $op4 = "FileSystemObject" nocase ascii wide
        $op5 = "SetLastWriteTime" nocase ascii wide
        $op6 = "cmd.exe" nocase ascii wide
        $op7 = "ExecuteReader" nocase ascii wide
        $sw = /case\s{1,3}["']A["']\s{0,3}:/ ascii wide
        $eval_alias = /[{,]\s{0,3}["']?E["']?\s{0,3}:\s{0,3}eval\s{0,3}[,}]/ nocase ascii wide
    condition:
        uint16(0) != 0x5A4D and filesize < 2MB and
        (
            (($m1 and $m2) or ($m3 and $m4) or ($m5 and $m6)) and ($z1 or $sw or 2 of ($op*))
            or (($h1 or $h2) and $eval_alias)
            or ($z1 and $sw and 2 of ($op*))
        )
}

rule exscan_china_chopper_oab_externalurl
{
    meta:
        id = "exscan.webshell.china_chopper.oab_externalurl"
        author = "exscan"
        description = "Exported Exchange virtual directory settings (OAB and others) whose ExternalUrl/InternalUrl value carries a server-side script block: the CVE-2021-27065 file-write drop of a China Chopper page"
        severity = "critical"
        campaign = "proxylogon"
        cves = "CVE-2021-26855,CVE-2021-27065"
        attack = "T1505.003,T1190"
        references = "https://www.microsoft.com/security/blog/2021/03/02/hafnium-targeting-exchange-servers/ https://www.volexity.com/blog/2021/03/02/active-exploitation-of-microsoft-exchange-zero-day-vulnerabilities/ https://www.cisa.gov/news-events/cybersecurity-advisories/aa21-062a"
        date = "2026-11-27"
    strings:
        // "ExternalUrl : http://f/<script language=... runat=server>" (Format-List style) or an attribute/element value
        $url_script = /(External|Internal)Url\s{0,3}[:=>]\s{0,3}["']?https?:\/\/[^\s<"']{0,60}\/<script/ nocase ascii wide
        $s1 = "runat=\"server\"" nocase ascii wide
        $s2 = "runat=server" nocase ascii wide
        $s3 = "runat='server'" nocase ascii wide
        $vd1 = "VirtualDirectory" nocase ascii wide
        $vd2 = "AuthenticationMethods" nocase ascii wide
        $vd3 = "PollInterval" nocase ascii wide
        $vd4 = "MetabasePath" nocase ascii wide
        $vd5 = "OfflineAddressBook" nocase ascii wide
        $vd6 = "RequireSSL" nocase ascii wide
    condition:
        uint16(0) != 0x5A4D and filesize < 2MB and $url_script and any of ($s*) and any of ($vd*)
}
