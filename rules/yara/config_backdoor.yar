/*
   Configuration-file backdoors: web.config files that carry ASP code and
   remap *.config to the ASP engine so the config itself is executable, and
   global.asax files whose application/session events execute request
   input on every request.
*/

rule exscan_config_backdoor_webconfig_code
{
    meta:
        id = "exscan.webshell.config_backdoor.webconfig_code"
        author = "exscan"
        description = "web.config that contains server-side ASP code (<% ... %>) using request input, command execution or object creation"
        severity = "critical"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003"
        references = "https://attack.mitre.org/techniques/T1505/003/ https://soroush.me/blog/2019/08/uploading-web-config-for-fun-and-profit-2/"
        date = "2026-11-27"
    strings:
        $cfg = "<configuration" nocase ascii wide
        $sys = /<system\.web(Server)?>/ nocase ascii wide
        $code = /<%[^@=]/ ascii wide
        $c1 = "request" nocase fullword ascii wide
        $c2 = "CreateObject" nocase ascii wide
        $c3 = "WScript.Shell" nocase ascii wide
        $c4 = /[^A-Za-z0-9_.](execute|eval)\s{0,3}[\( ]/ nocase ascii wide
        $c5 = "Response.Write" nocase ascii wide
        $c6 = "ProcessStartInfo" ascii wide
    condition:
        uint16(0) != 0x5A4D and filesize < 500KB and $cfg in (0..1024) and $sys and $code and 2 of ($c*)
}

rule exscan_config_backdoor_webconfig_script_mapping
{
    meta:
        id = "exscan.webshell.config_backdoor.webconfig_script_mapping"
        author = "exscan"
        description = "web.config that maps *.config to a script engine and lifts the request-filtering protection of .config files (makes the config file executable)"
        severity = "high"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003"
        references = "https://soroush.me/blog/2019/08/uploading-web-config-for-fun-and-profit-2/"
        date = "2026-11-27"
    strings:
        $cfg = "<configuration" nocase ascii wide
        $map = /path\s{0,3}=\s{0,3}"\*\.config"/ nocase ascii wide
        $proc1 = /scriptProcessor\s{0,3}=\s{0,3}"[^"]{0,120}(asp\.dll|aspnet_isapi\.dll)"/ nocase ascii wide
        $proc2 = /type\s{0,3}=\s{0,3}"System\.Web\.UI\.PageHandlerFactory/ nocase ascii wide
        $rm1 = /<remove\s{1,3}fileExtension\s{0,3}=\s{0,3}"\.config"/ nocase ascii wide
        $rm2 = /<remove\s{1,3}segment\s{0,3}=\s{0,3}"web\.config"/ nocase ascii wide
    condition:
        uint16(0) != 0x5A4D and filesize < 500KB and $cfg and $map and any of ($proc*) and any of ($rm*)
}

rule exscan_config_backdoor_global_asax
{
    meta:
        id = "exscan.webshell.config_backdoor.global_asax"
        author = "exscan"
        description = "global.asax whose application or session events read named request parameters and run commands, load code or manage files for the caller"
        severity = "critical"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1546"
        references = "https://attack.mitre.org/techniques/T1505/003/"
        date = "2026-11-27"
    strings:
        $app1 = "<%@ Application" nocase ascii wide
        $app2 = "<%@Application" nocase ascii wide
        $app3 = /:\s{0,3}(System\.Web\.)?HttpApplication\b/ ascii wide
        $ev = /(Application_BeginRequest|Application_AuthenticateRequest|Application_PreRequestHandlerExecute|Application_PostAuthenticateRequest|Application_AcquireRequestState|Application_Start|Session_Start|Application_Error)\s{0,3}\(/ ascii wide
        $rq1 = "Request[" ascii wide
        $rq2 = "Request.Form[" ascii wide
        $rq3 = "Request.QueryString[" ascii wide
        $rq4 = "Request.Params[" ascii wide
        $rq5 = "Request.Item[" ascii wide
        $rq6 = "Request.Headers[" ascii wide
        $rq7 = "Request.Cookies[" ascii wide
        $rq8 = "Request(\"" ascii wide
        $rq9 = "Request.Form(\"" ascii wide
        $rq10 = "Request.QueryString(\"" ascii wide
        $rq11 = "Request.Item(\"" ascii wide
        $rq12 = ".Get(\"" ascii wide
        $x1 = "Assembly.Load" ascii wide
        $x2 = "ProcessStartInfo" ascii wide
        $x3 = /Process\.Start\s{0,3}\(/ ascii wide
        $x4 = "CompileAssemblyFromSource" ascii wide
        $x5 = "JScriptEvaluate" ascii wide
        $x6 = "cmd.exe" nocase ascii wide
        $x7 = "GetLogicalDrives" ascii wide
        $x8 = "Response.WriteFile(" ascii wide
        $x10 = "Response.TransmitFile(" ascii wide
        $x9 = "RedirectStandardOutput" ascii wide
    condition:
        uint16(0) != 0x5A4D and filesize < 1MB and any of ($app*) and $ev and any of ($rq*) and 2 of ($x*)
}

rule exscan_config_backdoor_http_module
{
    meta:
        id = "exscan.webshell.config_backdoor.http_module"
        author = "exscan"
        description = "Managed IHttpModule whose pipeline event handler reads request input and runs commands, loads code or decrypts payloads (module backdoor registered through web.config)"
        severity = "high"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1505.004"
        references = "https://attack.mitre.org/techniques/T1505/004/ https://www.microsoft.com/en-us/security/blog/2022/07/26/malicious-iis-extensions-quietly-open-persistent-backdoors-into-servers/"
        date = "2026-11-27"
    strings:
        $mod = "IHttpModule" ascii wide
        $ev = /\.(BeginRequest|AuthenticateRequest|PostAuthenticateRequest|AuthorizeRequest|PreRequestHandlerExecute|PostMapRequestHandler|AcquireRequestState|EndRequest)\s{0,3}\+=/ ascii wide
        $rq1 = "Request[" ascii wide
        $rq2 = "Request.Form[" ascii wide
        $rq3 = "Request.QueryString[" ascii wide
        $rq4 = "Request.Headers[" ascii wide
        $rq5 = "Request.Cookies[" ascii wide
        $rq6 = "Request.InputStream" ascii wide
        $rq7 = "BinaryRead" ascii wide
        $x1 = "Assembly.Load" ascii wide
        $x2 = "ProcessStartInfo" ascii wide
        $x3 = /Process\.Start\s{0,3}\(/ ascii wide
        $x4 = "CompileAssemblyFromSource" ascii wide
        $x5 = "JScriptEvaluate" ascii wide
        $x6 = "cmd.exe" nocase ascii wide
        $x7 = "CreateDecryptor" ascii wide
    condition:
        uint16(0) != 0x5A4D and filesize < 1MB and $mod and $ev and any of ($rq*) and any of ($x*)
}
