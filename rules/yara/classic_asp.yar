/*
   Classic ASP (VBScript/JScript) webshells: Eval/Execute of request input
   or of locally decoded text, WScript.Shell/Shell.Application command
   execution, script-encoded (screnc) and UTF-7 pages, ScriptControl
   runners, remote code fetch-and-execute, and the large multi-module
   Chinese/Turkish "da ma" kits.
*/

private rule exscan_classic_asp_request_word
{
    strings:
        $req = "request" nocase fullword ascii wide
    condition:
        $req
}

private rule exscan_classic_asp_server_code
{
    strings:
        $t1 = "<%" ascii wide
        $t2 = "runat=server" nocase ascii wide
        $t3 = "runat=\"server\"" nocase ascii wide
    condition:
        any of them
}

private rule exscan_classic_asp_fso
{
    strings:
        $fso1 = "FileSystemObject" nocase ascii wide
        $fso2 = /"Scri"\s{0,3}&\s{0,3}"pting|"scr"\s{0,3}&\s{0,3}"ipt|"Script"\s{0,3}&\s{0,3}"ing\.Fil/ nocase ascii wide
    condition:
        any of them
}

rule exscan_classic_asp_tiny_eval
{
    meta:
        id = "exscan.webshell.classic_asp.tiny_eval"
        author = "exscan"
        description = "Very small ASP page that reads request data and calls Eval/Execute/ExecuteGlobal"
        severity = "low"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003"
        references = "https://attack.mitre.org/techniques/T1505/003/"
        date = "2026-11-27"
    strings:
        $tag1 = "<%" ascii wide
        $tag2 = "runat=\"server\"" nocase ascii wide
        $tag3 = "runat=server" nocase ascii wide
        $ev = /[^A-Za-z0-9_.](eval|execute|executeglobal)[\s(]{1,10}[A-Za-z_]/ nocase ascii wide
        $databind = "<%#" ascii wide
    condition:
        uint16(0) != 0x5A4D and filesize < 2KB and any of ($tag*) and $ev and exscan_classic_asp_request_word and not $databind
}

rule exscan_classic_asp_execute_decoded
{
    meta:
        id = "exscan.webshell.classic_asp.execute_decoded"
        author = "exscan"
        description = "ASP page that Executes/Evals text produced by a local string decoder (Chr arithmetic, character-table substitution, StrReverse, unescape, hex) or builds the keyword from split strings"
        severity = "critical"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1027"
        references = "https://attack.mitre.org/techniques/T1505/003/ https://attack.mitre.org/techniques/T1027/"
        date = "2026-11-27"
    strings:
        $tag = "<%" ascii wide
        $exfn = /[^A-Za-z0-9_.](execute|executeglobal)\s{0,5}\(?\s{0,5}\w{1,30}\s{0,3}\(/ nocase ascii wide
        $exvar = /[^A-Za-z0-9_.](execute|executeglobal)\s{1,5}\w{1,30}\s{0,3}[\r\n:%]/ nocase ascii wide
        $d1 = /chr\s{0,3}\(\s{0,3}(\w{1,20}\s{0,3}\(\s{0,3}\w{1,10}\s{0,3}\)|\(?\s{0,3}"?&H)/ nocase ascii wide
        $d2 = /chr[wb]?\s{0,3}\([^\r\n;]{1,60}[-+*\/]\s{0,3}\d{1,4}\s{0,3}\)/ nocase ascii wide
        $d3 = /chr\s{0,3}\(\s{0,3}asc\s{0,3}\(/ nocase ascii wide
        $d4 = "StrReverse" nocase ascii wide
        $d5 = "unescape" nocase ascii wide
        $d6 = /Mid\s{0,3}\(\s{0,3}\w{1,20}\s{0,3},\s{0,3}\w{1,10}\s{0,3},\s{0,3}[12]\s{0,3}\)/ nocase ascii wide
        $sub = /instr\s{0,3}\(\s{0,3}\w{1,20}\s{0,3},\s{0,3}\w{1,20}\s{0,3}\)/ nocase ascii wide
        $split1 = /"exe"\s{0,3}&\s{0,3}"cute"/ nocase ascii wide
        $split2 = /"ev"\s{0,3}&\s{0,3}"al"/ nocase ascii wide
        $split3 = /"execute"\s{0,3}\)\s{0,3},\s{0,3}"\w{2,8}"/ nocase ascii wide
    condition:
        uint16(0) != 0x5A4D and $tag and
        (
            (filesize < 20KB and $exfn and any of ($d*)) or
            (filesize < 300KB and $exvar and $d6 and $sub) or
            (filesize < 100KB and ($split1 or $split2) and ($exfn or $exvar or $split3))
        )
}

rule exscan_classic_asp_shell_exec
{
    meta:
        id = "exscan.webshell.classic_asp.shell_exec"
        author = "exscan"
        description = "ASP page that creates WScript.Shell or Shell.Application and runs a request-supplied command line"
        severity = "critical"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1059.003"
        references = "https://attack.mitre.org/techniques/T1505/003/"
        date = "2026-11-27"
    strings:
        $o1 = "WScript.Shell" nocase ascii wide
        $o2 = "Shell.Application" nocase ascii wide
        $o3 = /"wscr"\s{0,3}&\s{0,3}"ipt\.shell"/ nocase ascii wide
        $run1 = ".Run " nocase ascii wide
        $run2 = ".Run(" nocase ascii wide
        $run3 = ".Exec(" nocase ascii wide
        $run4 = ".Exec " nocase ascii wide
        $run5 = ".ShellExecute" nocase ascii wide
        $cmd1 = "cmd.exe" nocase ascii wide
        $cmd2 = "cmd /c" nocase ascii wide
        $cmd3 = "%ComSpec%" nocase ascii wide
        $cmd4 = "StdOut.ReadAll" nocase ascii wide
    condition:
        uint16(0) != 0x5A4D and exscan_classic_asp_server_code and filesize < 2MB and any of ($o*) and any of ($run*) and exscan_classic_asp_request_word and any of ($cmd*)
}

rule exscan_classic_asp_script_encoded
{
    meta:
        id = "exscan.webshell.classic_asp.script_encoded"
        author = "exscan"
        description = "ASP page whose server code is hidden with the Script Encoder (VBScript.Encode/JScript.Encode #@~^ blocks); benign use is rare and webshell kits rely on it"
        severity = "medium"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1027"
        references = "https://attack.mitre.org/techniques/T1027/"
        date = "2026-11-27"
    strings:
        $lang = /(VBScript|JScript)\.Encode/ nocase ascii wide
        $blk = /#@~\^[A-Za-z0-9+\/]{6}==/ ascii wide
        $end = "^#~@" ascii wide
        $tag = "<%" ascii wide
    condition:
        uint16(0) != 0x5A4D and filesize < 5MB and $blk and $end and ($lang or $tag)
}

rule exscan_classic_asp_utf7_page
{
    meta:
        id = "exscan.webshell.classic_asp.utf7_page"
        author = "exscan"
        description = "ASP page declaring the UTF-7 code page (65000) with UTF-7 encoded script, a WAF/AV evasion trick for one-liners"
        severity = "high"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1027"
        references = "https://attack.mitre.org/techniques/T1027/"
        date = "2026-11-27"
    strings:
        $cp = /codepage\s{0,3}=\s{0,3}"?65000/ nocase ascii wide
        $u7 = /\+A[A-Za-z0-9+\/]{20}/ ascii wide
    condition:
        uint16(0) != 0x5A4D and filesize < 100KB and $cp and $u7
}

rule exscan_classic_asp_scriptcontrol_runner
{
    meta:
        id = "exscan.webshell.classic_asp.scriptcontrol_runner"
        author = "exscan"
        description = "ASP page that exposes Request/Response to an MSScriptControl instance and executes code through it"
        severity = "critical"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003"
        references = "https://attack.mitre.org/techniques/T1505/003/"
        date = "2026-11-27"
    strings:
        $add = /\.AddObject\s{0,3}\(?\s{0,3}"/ nocase ascii wide
        $run1 = /\.ExecuteStatement[\s(]/ nocase ascii wide
        $run2 = /\.AddCode[\s(]{1,5}request/ nocase ascii wide
        $run3 = /\.Eval[\s(]{1,5}request/ nocase ascii wide
        $lang = /\.language\s{0,3}=/ nocase ascii wide
    condition:
        uint16(0) != 0x5A4D and exscan_classic_asp_server_code and filesize < 100KB and $add and any of ($run*) and $lang
}

rule exscan_classic_asp_remote_execute
{
    meta:
        id = "exscan.webshell.classic_asp.remote_execute"
        author = "exscan"
        description = "ASP page that downloads script text over HTTP (XMLHTTP) and runs it with Execute/ExecuteGlobal"
        severity = "critical"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1105"
        references = "https://attack.mitre.org/techniques/T1105/"
        date = "2026-11-27"
    strings:
        $x = /(MSXML2|Microsoft)\.(Server)?XMLHTTP/ nocase ascii wide
        $rb1 = "responseBody" nocase ascii wide
        $rb2 = "responseText" nocase ascii wide
        $ex = /[^A-Za-z0-9_.](execute|executeglobal)\s{1,5}\w{1,30}\s{0,5}[\r\n%:]/ nocase ascii wide
    condition:
        uint16(0) != 0x5A4D and exscan_classic_asp_server_code and filesize < 200KB and $x and any of ($rb*) and $ex
}

rule exscan_classic_asp_multi_capability
{
    meta:
        id = "exscan.webshell.classic_asp.multi_capability"
        author = "exscan"
        description = "ASP page bundling command execution or SQL shell with several file-system, stream, network and privilege-escalation modules (multi-function 'da ma' kit)"
        severity = "critical"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003"
        references = "https://attack.mitre.org/techniques/T1505/003/"
        date = "2026-11-27"
    strings:
        $sh1 = "ipt.Shell" nocase ascii wide
        $sh2 = "ell.Applicat" nocase ascii wide
        $sh3 = "cmd.exe" nocase ascii wide
        $sh4 = "xp_cmdshell" nocase ascii wide
        $sh5 = "cmd /c" nocase ascii wide
        $f1 = "Scripting.FileSystemObject" nocase ascii wide
        $f2 = "ADODB.Stream" nocase ascii wide
        $f3 = "WScript.Network" nocase ascii wide
        $f4 = "SaveToFile" nocase ascii wide
        $f5 = "LoadFromFile" nocase ascii wide
        $f6 = "BinaryRead" nocase ascii wide
        $f7 = /Timeout\s{0,3}=\s{0,3}\d{5}/ nocase ascii wide
        $f8 = "net user" nocase ascii wide
        $f9 = "Serv-U" nocase ascii wide
        $f10 = "CreateTextFile" nocase ascii wide
        $f11 = "DeleteFile" nocase ascii wide
        $f12 = "ADODB.Connection" nocase ascii wide
        $f13 = "ServerVariables" nocase ascii wide
        $f14 = "GetFolder" nocase ascii wide
        $f15 = "WinNT://" nocase ascii wide
        $f16 = "IIS://" nocase ascii wide
    condition:
        uint16(0) != 0x5A4D and exscan_classic_asp_server_code and filesize < 5MB and 2 of ($sh*) and 6 of ($f*)
}

rule exscan_classic_asp_file_manager
{
    meta:
        id = "exscan.webshell.classic_asp.file_manager"
        author = "exscan"
        description = "ASP page that browses, reads, writes, uploads, deletes or re-attributes arbitrary request-named paths through FileSystemObject/ADODB.Stream (file-manager webshell)"
        severity = "low"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1083"
        references = "https://attack.mitre.org/techniques/T1505/003/"
        date = "2026-11-27"
    strings:
        $rqa = "request(\"" nocase ascii wide
        $rqb = "request.form(\"" nocase ascii wide
        $rqc = "request.querystring(\"" nocase ascii wide
        $direct1 = ".CopyFile Request" nocase ascii wide
        $direct2 = ".CopyFolder Request" nocase ascii wide
        $direct3 = ".MoveFile Request" nocase ascii wide
        $direct4 = ".DeleteFile Request" nocase ascii wide
        $direct5 = ".DeleteFolder Request" nocase ascii wide
        $direct6 = ".DeleteFile(Request" nocase ascii wide
        $direct7 = ".OpenTextFile(Request" nocase ascii wide
        $direct8 = ".CreateTextFile(Request" nocase ascii wide
        $direct9 = ".GetFolder(Request" nocase ascii wide
        $direct10 = ".GetFile(Request" nocase ascii wide
        $root = /"[c-eC-E]:\\"/ ascii wide
        // one string per file-system capability
        $o1 = ".GetFolder" nocase ascii wide
        $o2 = ".DeleteF" nocase ascii wide
        $o3 = "TextFile" nocase ascii wide
        $o4 = ".CopyF" nocase ascii wide
        $o5 = /\.attributes\s{0,3}=/ nocase ascii wide
        $o6 = "LoadFromFile" nocase ascii wide
        $o7 = ".Drives" nocase ascii wide
        $o8 = ".ReadAll" nocase ascii wide
        $o9 = ".BinaryWrite" nocase ascii wide
        $o14 = "SaveToFile" nocase ascii wide
        $o10 = "ParseName" nocase ascii wide
        $o11 = "Request.BinaryRead" nocase ascii wide
        $o13 = /\.ModifyDate\s{0,3}=/ nocase ascii wide
        $o12 = /ascb\s{0,2}\(\s{0,2}midb/ nocase ascii wide
    condition:
        uint16(0) != 0x5A4D and exscan_classic_asp_server_code and filesize < 5MB and exscan_classic_asp_fso and
        (
            ((#rqa + #rqb + #rqc) >= 2 and 4 of ($o*)) or
            (3 of ($o*) and ($root or any of ($direct*)))
        )
}

rule exscan_classic_asp_db_manager
{
    meta:
        id = "exscan.webshell.classic_asp.db_manager"
        author = "exscan"
        description = "ASP page that opens an ADODB connection with a request/session-supplied connection string (online DB manager/dumper)"
        severity = "medium"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1005"
        references = "https://attack.mitre.org/techniques/T1505/003/"
        date = "2026-11-27"
    strings:
        $c = "ADODB.Connection" nocase ascii wide
        $open1 = ".Open Request(" nocase ascii wide
        $open2 = ".Open(Request(" nocase ascii wide
        $open3 = ".Open Session(" nocase ascii wide
        $open4 = ".Open(Session(" nocase ascii wide
        $s = /session\s{0,3}\(\s{0,3}"\w{1,20}"\s{0,3}\)\s{0,3}=\s{0,3}request\s{0,3}\(/ nocase ascii wide
        // connection-string variable assigned straight from the request
        $cs1 = "ConnString = Request" nocase ascii wide
        $cs2 = "ConnString=Request" nocase ascii wide
        $cs3 = "ConnString = Trim(Request" nocase ascii wide
        $cs4 = "ConnString=Trim(Request" nocase ascii wide
        $cs5 = "ConnStr = Request" nocase ascii wide
        $cs6 = "ConnStr=Request" nocase ascii wide
        $cs7 = "dbstr = Request" nocase ascii wide
        $cs8 = "dbstr=Request" nocase ascii wide
        $q = /\.Execute\s{0,3}\(?\s{0,3}(request|s?sql)/ nocase ascii wide
    condition:
        uint16(0) != 0x5A4D and exscan_classic_asp_server_code and filesize < 2MB and $c and (any of ($open*) or $s or any of ($cs*)) and $q
}

rule exscan_classic_asp_writable_dir_scan
{
    meta:
        id = "exscan.webshell.classic_asp.writable_dir_scan"
        author = "exscan"
        description = "ASP page that walks folders and probes write access by creating and deleting files (post-exploitation helper)"
        severity = "medium"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1083"
        references = "https://attack.mitre.org/techniques/T1083/"
        date = "2026-11-27"
    strings:
        $c = ".CreateTextFile" nocase ascii wide
        $d = ".DeleteFile" nocase ascii wide
        $w = ".SubFolders" nocase ascii wide
        $t = /Timeout\s{0,3}=\s{0,3}\d{5}/ nocase ascii wide
    condition:
        uint16(0) != 0x5A4D and exscan_classic_asp_server_code and filesize < 100KB and $c and $d and $w and $t and exscan_classic_asp_request_word
}

rule exscan_classic_asp_small_writer
{
    meta:
        id = "exscan.webshell.classic_asp.small_writer"
        author = "exscan"
        description = "Small ASP page that takes a path and content from the request and writes them with FileSystemObject (file-drop 'xiao ma')"
        severity = "low"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1105"
        references = "https://attack.mitre.org/techniques/T1505/003/"
        date = "2026-11-27"
    strings:
        $open1 = ".CreateTextFile(" nocase ascii wide
        $open2 = /OpenTextFile\s{0,2}\([^\r\n]{1,80},\s{0,2}[28]\s{0,2}[,)]/ ascii wide
        $w = /\.Write(Line)?[\s(]/ nocase ascii wide
        $rqa = "request(" nocase ascii wide
        $rqb = "request.form(" nocase ascii wide
        $rqc = "request.querystring(" nocase ascii wide
    condition:
        uint16(0) != 0x5A4D and exscan_classic_asp_server_code and filesize < 10KB and exscan_classic_asp_fso and any of ($open*) and $w and (#rqa + #rqb + #rqc) >= 2
}
