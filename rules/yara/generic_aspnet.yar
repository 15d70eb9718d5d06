/*
   Generic ASP.NET webshell capabilities. Each rule keys on request (or
   page-control) input flowing into a dangerous sink, or on a combination of
   post-exploitation modules that benign pages do not bundle.

   The private rules below hold traits shared by several rules so that their
   strings are searched once per file.
*/

private rule exscan_generic_aspnet_request_input
{
    strings:
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
        $rq12 = ".Form.Get(\"" ascii wide
        $rq13 = ".QueryString.Get(\"" ascii wide
        $rq14 = ".Headers.Get(\"" ascii wide
    condition:
        any of them
}

private rule exscan_generic_aspnet_not_pe
{
    condition:
        uint16(0) != 0x5A4D
}

// ASP.NET server code (page, control, handler, service, global.asax or
// code-behind), as opposed to scripts and documents that merely mention APIs
private rule exscan_generic_aspnet_server_code
{
    strings:
        $a1 = "<%" ascii wide
        $a2 = "runat=" nocase ascii wide
        $a3 = "IHttpHandler" ascii wide
        $a4 = "IHttpModule" ascii wide
        $a5 = "HttpContext" ascii wide
        $a6 = "WebService" ascii wide
        $a7 = "System.Web.UI.Page" ascii wide
        $a8 = "Page_Load" nocase ascii wide
    condition:
        any of them
}

rule exscan_generic_aspnet_process_from_request
{
    meta:
        id = "exscan.webshell.generic_aspnet.process_from_request"
        author = "exscan"
        description = "ASP.NET code that builds a process command line or stdin from request data"
        severity = "critical"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1059.003"
        references = "https://attack.mitre.org/techniques/T1505/003/ https://www.microsoft.com/en-us/security/blog/2021/02/11/web-shell-attacks-continue-to-rise/"
        date = "2026-11-27"
    strings:
        $r1 = /ProcessStartInfo\s{0,3}\([^;]{0,120}Request\s{0,3}(\.Form|\.QueryString|\.Params|\.Item|\.Headers|\.Cookies)?\s{0,3}[\[\(]/ nocase ascii wide
        $r2 = /Process\.Start\s{0,3}\([^;]{0,120}Request\s{0,3}(\.Form|\.QueryString|\.Params|\.Item|\.Headers|\.Cookies)?\s{0,3}[\[\(]/ nocase ascii wide
        $r3 = /\.(Arguments|FileName)\s{0,3}=[^;]{0,120}Request\s{0,3}(\.Form|\.QueryString|\.Params|\.Item|\.Headers|\.Cookies)?\s{0,3}[\[\(]/ nocase ascii wide
        $r4 = /StandardInput\.Write(Line)?\s{0,3}\([^;]{0,80}Request\s{0,3}(\.Form|\.QueryString|\.Params|\.Item|\.Headers|\.Cookies)?\s{0,3}[\[\(]/ nocase ascii wide
        $r5 = /\.Arguments\s{0,3}=\s{0,3}["']\s{0,3}\/c\s{0,3}["']?\s{0,3}[+&]/ nocase ascii wide
        $x1 = "Process" ascii wide
    condition:
        exscan_generic_aspnet_not_pe and exscan_generic_aspnet_server_code and filesize < 3MB and $x1 and any of ($r*)
}

rule exscan_generic_aspnet_cmd_shell_page
{
    meta:
        id = "exscan.webshell.generic_aspnet.cmd_shell_page"
        author = "exscan"
        description = "ASP.NET page, handler or web service that runs cmd.exe/powershell with redirected output and takes its input from a form control, request or web method"
        severity = "high"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1059.003"
        references = "https://attack.mitre.org/techniques/T1505/003/"
        date = "2026-11-27"
    strings:
        $shell1 = "cmd.exe" nocase ascii wide
        $shell2 = "powershell.exe" nocase ascii wide
        $shell3 = "\"cmd\"" nocase ascii wide
        $shell4 = "\"/c \"" nocase ascii wide
        $shell5 = "\"/c\"" nocase ascii wide
        $p1 = "ProcessStartInfo" ascii wide
        $p2 = ".StartInfo" ascii wide
        $redir1 = "RedirectStandardOutput" ascii wide
        $redir2 = "StandardOutput.ReadToEnd" ascii wide
        $in1 = "<asp:TextBox" nocase ascii wide
        $in2 = "[WebMethod" ascii wide
        $in3 = "<input" nocase ascii wide
        // the command line is built at run time, not a fixed maintenance command
        $dyn1 = "\"/c \" +" nocase ascii wide
        $dyn2 = "\"/c \"+" nocase ascii wide
        $dyn3 = "\"/c \" &" nocase ascii wide
        $dyn4 = "\"/c \"&" nocase ascii wide
        $dyn5 = /\.Arguments\s{0,2}=\s{0,2}[A-Za-z_][\w.]{0,40}\s{0,2}[;\r\n]/ nocase ascii wide
        $dyn6 = /ProcessStartInfo\s{0,2}\(\s{0,2}[A-Za-z_][\w.]{0,40}\s{0,2}[,)]/ nocase ascii wide
        $dyn7 = /StandardInput\.WriteLine\s{0,2}\(\s{0,2}[A-Za-z_]/ ascii wide
        $dyn8 = /\.Arguments\s{0,2}=[^;\r\n]{0,120}[+&]\s{0,2}[A-Za-z_][\w.]{0,40}\s{0,2}[;\r\n]/ nocase ascii wide
    condition:
        exscan_generic_aspnet_not_pe and exscan_generic_aspnet_server_code and filesize < 3MB and any of ($shell*) and any of ($p*) and any of ($redir*) and
        any of ($dyn*) and (any of ($in*) or exscan_generic_aspnet_request_input)
}

rule exscan_generic_aspnet_process_stdin_shell
{
    meta:
        id = "exscan.webshell.generic_aspnet.process_stdin_shell"
        author = "exscan"
        description = "ASP.NET page that starts a process with redirected stdin/stdout, feeds it a command line and reads the output back, with request-driven input"
        severity = "high"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1059.003"
        references = "https://attack.mitre.org/techniques/T1505/003/"
        date = "2026-11-27"
    strings:
        $in = "RedirectStandardInput" ascii wide
        $out = "RedirectStandardOutput" ascii wide
        $wl = /StandardInput\.WriteLine\s{0,3}\(\s{0,3}\w{1,30}\s{0,3}\)/ ascii wide
        $rd = "StandardOutput.ReadToEnd" ascii wide
        $fn = /\.FileName\s{0,3}=\s{0,3}\w{1,30}\s{0,3};/ ascii wide
    condition:
        exscan_generic_aspnet_not_pe and exscan_generic_aspnet_server_code and filesize < 2MB and $in and $out and $wl and $rd and $fn and exscan_generic_aspnet_request_input
}

rule exscan_generic_aspnet_powershell_request
{
    meta:
        id = "exscan.webshell.generic_aspnet.powershell_request"
        author = "exscan"
        description = "ASP.NET page that creates a PowerShell runspace/pipeline and adds a script taken from the request or a form control"
        severity = "high"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1059.001"
        references = "https://attack.mitre.org/techniques/T1059/001/"
        date = "2026-11-27"
    strings:
        $ps1 = "RunspaceFactory" ascii wide
        $ps2 = "PowerShell.Create" ascii wide
        $add = /\.AddScript\s{0,3}\(\s{0,3}[^;)]{0,60}(Request\s{0,3}(\.Form|\.QueryString|\.Params|\.Item)?\s{0,3}[\[\(]|\.Text\b|\w{1,30}\s{0,3}\))/ ascii wide
        $in2 = "<asp:TextBox" nocase ascii wide
        $out = /\.Invoke\s{0,3}\(/ ascii wide
    condition:
        exscan_generic_aspnet_not_pe and exscan_generic_aspnet_server_code and filesize < 2MB and any of ($ps*) and $add and $out and
        ($in2 or exscan_generic_aspnet_request_input)
}

rule exscan_generic_aspnet_assembly_load_request
{
    meta:
        id = "exscan.webshell.generic_aspnet.assembly_load_request"
        author = "exscan"
        description = "ASP.NET code that loads a .NET assembly from request bytes (directly, base64 or decrypted) and instantiates or invokes it"
        severity = "critical"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1620"
        references = "https://attack.mitre.org/techniques/T1620/ https://attack.mitre.org/techniques/T1505/003/"
        date = "2026-11-27"
    strings:
        $load1 = /Assembly\.Load\s{0,3}\(/ ascii wide
        $load2 = /GetMethod\s{0,3}\(\s{0,3}"Load"/ ascii wide
        $load3 = /AppDomain\.CurrentDomain\.Load\s{0,3}\(/ ascii wide
        $direct = /Assembly\.Load\s{0,3}\([^;]{0,160}(Request|FromBase64String|BinaryRead|InputStream)/ ascii wide
        $body1 = "BinaryRead" ascii wide
        $body2 = "Request.InputStream" ascii wide
        $dec1 = "CreateDecryptor" ascii wide
        $dec2 = "TransformFinalBlock" ascii wide
        $dec3 = "FromBase64String" ascii wide
        $use1 = "CreateInstance" ascii wide
        $use2 = ".Invoke(" ascii wide
        $use3 = "EntryPoint" ascii wide
    condition:
        exscan_generic_aspnet_not_pe and exscan_generic_aspnet_server_code and filesize < 3MB and any of ($load*) and any of ($use*) and
        ($direct or any of ($dec*)) and
        (any of ($body*) or exscan_generic_aspnet_request_input)
}

rule exscan_generic_aspnet_compile_request
{
    meta:
        id = "exscan.webshell.generic_aspnet.compile_request"
        author = "exscan"
        description = "ASP.NET code that compiles decoded or request-supplied source in memory with CodeDom and runs it"
        severity = "high"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1027.004"
        references = "https://attack.mitre.org/techniques/T1027/004/ https://attack.mitre.org/techniques/T1505/003/"
        date = "2026-11-27"
    strings:
        $c1 = "CompileAssemblyFromSource" ascii wide
        $c2 = "CompileAssemblyFromDom" ascii wide
        $mem = "GenerateInMemory" ascii wide
        $in1 = "FromBase64String" ascii wide
        $run1 = "CompiledAssembly" ascii wide
        $run2 = ".Invoke(" ascii wide
        $run3 = "CreateInstance" ascii wide
    condition:
        exscan_generic_aspnet_not_pe and exscan_generic_aspnet_server_code and filesize < 3MB and any of ($c*) and $mem and any of ($run*) and
        ($in1 or exscan_generic_aspnet_request_input)
}

rule exscan_generic_aspnet_multi_capability
{
    meta:
        id = "exscan.webshell.generic_aspnet.multi_capability"
        author = "exscan"
        description = "ASP.NET page bundling a command or SQL shell with several other post-exploitation modules (registry, IIS metabase, port scan, drives, processes, users, timestomping)"
        severity = "critical"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003"
        references = "https://attack.mitre.org/techniques/T1505/003/"
        date = "2026-11-27"
    strings:
        $shell_cmd1 = "cmd.exe" nocase ascii wide
        $shell_cmd2 = "RedirectStandardOutput" ascii wide
        $shell_sql1 = "xp_cmdshell" nocase ascii wide
        $shell_sql2 = "sp_oacreate" nocase ascii wide
        $shell_sql3 = "sp_makewebtask" nocase ascii wide
        // one string per module, so that "N of ($cap*)" counts modules
        $cap_reg = /HKEY_LOCAL_MACHINE|Registry\.LocalMachine/ ascii wide
        $cap_iis = /IIS:\/\/localhost|IIsWebVirtualDir/ nocase ascii wide
        $cap_scan = /TcpClient|new\s{1,3}Socket\s{0,3}\(/ ascii wide
        $cap_drv = /GetLogicalDrives|DriveInfo\.GetDrives/ ascii wide
        $cap_ps = "GetProcesses" ascii wide
        $cap_usr = "WinNT://" nocase ascii wide
        $cap_ts = /SetLastWriteTime|SetCreationTime/ ascii wide
        $cap_svc = "ServiceController" ascii wide
        $cap_wmi = "ManagementObjectSearcher" ascii wide
        $cap_dl = /WriteFile\(|TransmitFile\(/ ascii wide
    condition:
        exscan_generic_aspnet_not_pe and exscan_generic_aspnet_server_code and filesize < 3MB and
        (any of ($shell_cmd*) or any of ($shell_sql*)) and
        (
            (any of ($shell_cmd*) and any of ($shell_sql*) and 3 of ($cap*)) or
            4 of ($cap*)
        )
}

rule exscan_generic_aspnet_db_manager
{
    meta:
        id = "exscan.webshell.generic_aspnet.db_manager"
        author = "exscan"
        description = "ASP.NET page that opens a database with a connection string built from form input and runs or dumps user-chosen SQL (DB manager/dumper webshell)"
        severity = "medium"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1005"
        references = "https://attack.mitre.org/techniques/T1505/003/"
        date = "2026-11-27"
    strings:
        // connection string taken from, or concatenated with, form input
        $cs1a = "ConnectionString = txt" nocase ascii wide
        $cs1b = "ConnectionString=txt" nocase ascii wide
        $cs1c = "ConnectionString = Request" nocase ascii wide
        $cs1d = "ConnectionString=Request" nocase ascii wide
        $cs2 = /Connection\s{0,2}\(\s{0,2}(this\.)?\w{1,30}\.Text\s{0,2}\)/ ascii wide
        $cs3 = "Connection(Request" ascii wide
        $cat1 = "Server=\" +" nocase ascii wide
        $cat2 = "Server=\"+" nocase ascii wide
        $cat3 = "Data Source=\" +" nocase ascii wide
        $cat4 = "Data Source=\"+" nocase ascii wide
        $cat5 = "uid=\" +" nocase ascii wide
        $cat6 = "uid=\"+" nocase ascii wide
        $cat7 = "User Id=\" +" nocase ascii wide
        $cat8 = "User Id=\"+" nocase ascii wide
        $cat9 = "pwd=\" +" nocase ascii wide
        $cat10 = "pwd=\"+" nocase ascii wide
        $cat11 = "Password=\" +" nocase ascii wide
        $cat12 = "Password=\"+" nocase ascii wide
        $ctl = /=\s{0,3}(this\.)?txt\w{1,30}\.Text\s{0,3};/ ascii wide
        $ctl2 = /\+\s{0,2}(this\.)?txt\w{1,30}\.Text\s{0,2}\+/ ascii wide
        // statement text from form input, stored procedures, dumps
        $q1 = /(Sql|OleDb|Odbc)Command\s{0,3}\(\s{0,3}(this\.)?\w{1,40}\.(Text|SelectedItem\.Value|SelectedValue)\b/ ascii wide
        $q2 = /CommandText\s{0,2}=\s{0,2}(this\.)?\w{1,40}\.Text\s{0,2};/ ascii wide
        $q3 = "sp_stored_procedures" nocase ascii wide
        $q4 = "Command(Request" ascii wide
        $dump1 = "StreamWriter" ascii wide
        $dump2 = /ExecuteReader|DataAdapter/ ascii wide
        $dyn = /"select \* from "\s{0,3}\+/ nocase ascii wide
    condition:
        exscan_generic_aspnet_not_pe and exscan_generic_aspnet_server_code and filesize < 2MB and
        (
            (any of ($cs*) or (any of ($cat*) and ($ctl or $ctl2))) and any of ($q*)
            or (any of ($cat*) and ($ctl or $ctl2) and $dyn and all of ($dump*))
        )
}

rule exscan_generic_aspnet_file_manager
{
    meta:
        id = "exscan.webshell.generic_aspnet.file_manager"
        author = "exscan"
        description = "ASP.NET page that enumerates server drives, browses request-named directories and downloads or deletes request-named files (file-manager webshell)"
        severity = "high"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1083"
        references = "https://attack.mitre.org/techniques/T1505/003/"
        date = "2026-11-27"
    strings:
        $drv1 = "GetLogicalDrives" ascii wide
        $drv2 = "DriveInfo.GetDrives" ascii wide
        $op1 = "Response.WriteFile(" ascii wide
        $op1b = "Response.TransmitFile(" ascii wide
        $op2 = /File\.Delete\s{0,3}\(\s{0,3}Request/ ascii wide
        $nav1 = /DirectoryInfo\s{0,3}\(/ ascii wide
        $nav2 = /\.GetDirectories\s{0,3}\(/ ascii wide
        $rqa = "Request[\"" ascii wide
        $rqb = "Request.Form[\"" ascii wide
        $rqc = "Request.QueryString[\"" ascii wide
        $rqd = "Request.Params[\"" ascii wide
        $rqe = "Request.Item[\"" ascii wide
        $up = /\.SaveAs\s{0,3}\(/ ascii wide
    condition:
        exscan_generic_aspnet_not_pe and exscan_generic_aspnet_server_code and filesize < 2MB and any of ($drv*) and (#rqa + #rqb + #rqc + #rqd + #rqe) > 2 and
        ($op1 or $op1b or $op2) and all of ($nav*) and ($op2 or $up or (#rqa + #rqb + #rqc + #rqd + #rqe) > 3)
}

rule exscan_generic_aspnet_raw_sniffer
{
    meta:
        id = "exscan.webshell.generic_aspnet.raw_sniffer"
        author = "exscan"
        description = "ASP.NET page that opens a raw IP socket in promiscuous (receive-all) mode to sniff traffic"
        severity = "high"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1040"
        references = "https://attack.mitre.org/techniques/T1040/"
        date = "2026-11-27"
    strings:
        $raw = "SocketType.Raw" ascii wide
        $all1 = "IOControlCode.ReceiveAll" ascii wide
        $all2 = "SocketOptionName.HeaderIncluded" ascii wide
        $all3 = "SIO_RCVALL" ascii wide
        $page1 = "<%@" ascii wide
        $page2 = "runat=" nocase ascii wide
    condition:
        exscan_generic_aspnet_not_pe and exscan_generic_aspnet_server_code and filesize < 2MB and $raw and any of ($all*) and any of ($page*)
}

rule exscan_generic_aspnet_registry_walker
{
    meta:
        id = "exscan.webshell.generic_aspnet.registry_walker"
        author = "exscan"
        description = "ASP.NET page that walks every registry hive and prints the values (path and credential harvesting helper)"
        severity = "medium"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1012"
        references = "https://attack.mitre.org/techniques/T1012/"
        date = "2026-11-27"
    strings:
        $h1 = "Registry.ClassesRoot" ascii wide
        $h2 = "Registry.CurrentConfig" ascii wide
        $h3 = "Registry.CurrentUser" ascii wide
        $h4 = "Registry.LocalMachine" ascii wide
        $h5 = "Registry.Users" ascii wide
        $e1 = "GetSubKeyNames" ascii wide
        $e2 = "GetValueNames" ascii wide
        $out = "Response.Write" ascii wide
        $page1 = "<%@" ascii wide
        $page2 = "runat=" nocase ascii wide
    condition:
        exscan_generic_aspnet_not_pe and exscan_generic_aspnet_server_code and filesize < 2MB and 4 of ($h*) and all of ($e*) and $out and any of ($page*)
}

rule exscan_generic_aspnet_writable_dir_scan
{
    meta:
        id = "exscan.webshell.generic_aspnet.writable_dir_scan"
        author = "exscan"
        description = "ASP.NET page that recursively probes directories for write access by creating and deleting a file (post-exploitation helper)"
        severity = "medium"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1083"
        references = "https://attack.mitre.org/techniques/T1083/"
        date = "2026-11-27"
    strings:
        $probe = /File\.Create\s{0,3}\([^;]{1,80}\)\s{0,3}\.Close\s{0,3}\(\s{0,3}\)/ ascii wide
        $del = /File\.Delete\s{0,3}\(/ ascii wide
        $walk = /GetDirectories\s{0,3}\(/ ascii wide
        $in1 = "<asp:TextBox" nocase ascii wide
        $in2 = "Request" ascii wide
    condition:
        exscan_generic_aspnet_not_pe and exscan_generic_aspnet_server_code and filesize < 1MB and $probe and $del and $walk and any of ($in*)
}

rule exscan_generic_aspnet_edr_recon
{
    meta:
        id = "exscan.webshell.generic_aspnet.edr_recon"
        author = "exscan"
        description = "Small server page that checks whether endpoint security products (EDR/AV agents) are installed or running, a reconnaissance step seen before further webshell use"
        severity = "high"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1518.001"
        references = "https://attack.mitre.org/techniques/T1518/001/ https://www.microsoft.com/security/blog/2021/03/02/hafnium-targeting-exchange-servers/"
        date = "2026-11-27"
    strings:
        $edr1 = "xagt.exe" nocase ascii wide
        $edr2 = "csfalconservice" nocase ascii wide
        $edr3 = "MsSense.exe" nocase ascii wide
        $edr4 = "SentinelAgent" nocase ascii wide
        $edr5 = "CylanceSvc" nocase ascii wide
        $edr6 = "RepMgr.exe" nocase ascii wide
        $edr7 = "CbDefense" nocase ascii wide
        $edr8 = "TaniumClient" nocase ascii wide
        $edr9 = "cyserver.exe" nocase ascii wide
        $edr10 = "SophosHealth" nocase ascii wide
        $edr11 = "ekrn.exe" nocase ascii wide
        $edr12 = "ccSvcHst.exe" nocase ascii wide
        $chk1 = "File.Exists" ascii wide
        $chk2 = "GetProcessesByName" ascii wide
        $chk3 = "GetProcesses" ascii wide
        $chk4 = "Directory.Exists" ascii wide
        $chk5 = "ServiceController" ascii wide
        $chk6 = "FileExists" nocase ascii wide
        $chk7 = "FolderExists" nocase ascii wide
    condition:
        exscan_generic_aspnet_not_pe and exscan_generic_aspnet_server_code and filesize < 50KB and 2 of ($edr*) and any of ($chk*)
}

rule exscan_generic_aspnet_credential_logger
{
    meta:
        id = "exscan.webshell.generic_aspnet.credential_logger"
        author = "exscan"
        description = "ASP.NET logon or handler code that writes the posted password field to a file (credential harvesting added to an OWA/web logon page)"
        severity = "high"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1056.003"
        references = "https://attack.mitre.org/techniques/T1056/003/ https://attack.mitre.org/techniques/T1505/003/"
        date = "2026-11-27"
    strings:
        // the posted password field inside the write call itself
        $w1 = /AppendAllText\s{0,2}\([^;]{0,300}Request(\.Form|\.Params)?\s{0,2}[\[(]\s{0,2}"(password|passwd|pwd)"/ nocase ascii wide
        $w2 = /WriteAllText\s{0,2}\([^;]{0,300}Request(\.Form|\.Params)?\s{0,2}[\[(]\s{0,2}"(password|passwd|pwd)"/ nocase ascii wide
        $w3 = /\.WriteLine\s{0,2}\([^;]{0,300}Request(\.Form|\.Params)?\s{0,2}[\[(]\s{0,2}"(password|passwd|pwd)"/ nocase ascii wide
        $file1 = "System.IO" ascii wide
        $file2 = "StreamWriter" ascii wide
        $file3 = "AppendText" ascii wide
    condition:
        exscan_generic_aspnet_not_pe and exscan_generic_aspnet_server_code and filesize < 1MB and
        ($w1 or $w2 or ($w3 and any of ($file*)))
}
