/*
   Capability traits of server pages, matched on the normalised view
   (scanner/scriptview): comments removed, string pieces and Chr() calls
   joined, whitespace dropped inside server code (so "Process . Start (" is
   "Process.Start(") and one space kept between two words.

   Each rule is one thing a page can do (meta trait) with a weight (meta
   weight). exscan never reports a trait alone: it adds up the weights of
   a file's traits (the highest per trait name) and reports the sum
   (scanner/capability.go): 3 low, 6 medium, 10 high. A trait where
   request input feeds code execution directly weighs 10; reading the
   request weighs 1; the rest sit between, by how rarely ordinary
   applications do the same thing.

   The rules key on APIs and on how request data reaches them, never on a
   tool's password, banner or variable names.
*/

rule exscan_capability_eval_request
{
    meta:
        id = "exscan.webshell.capability.eval_request"
        author = "exscan"
        description = "Request input passed straight to Eval/Execute/ExecuteGlobal (also when the call or the word request is built from string pieces or Chr codes)"
        severity = "info"
        trait = "exec.eval-request"
        weight = "10"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1059.005"
        references = "https://attack.mitre.org/techniques/T1505/003/ https://learn.microsoft.com/en-us/previous-versions/windows/internet-explorer/ie-developer/scripting-articles/03t418d2(v=vs.84)"
        date = "2026-12-06"
    strings:
        $direct = /[^.a-z0-9_](eval|execute|executeglobal)[ (]+(request\b|"request"|session\(|httpcontext\.current\.request)/ nocase
        $item = /[^.a-z0-9_]eval\(request\.(item|form|querystring)\b/ nocase
        $unsafe = /\beval\([^;)]{1,80},"unsafe"\)/ nocase
    condition:
        any of them
}

rule exscan_capability_eval_dynamic
{
    meta:
        id = "exscan.webshell.capability.eval_dynamic"
        author = "exscan"
        description = "Execute/ExecuteGlobal/Eval of a variable or of a function's result (code that is not in the page)"
        severity = "info"
        trait = "exec.eval-dynamic"
        weight = "2"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1059.005"
        references = "https://attack.mitre.org/techniques/T1505/003/"
        date = "2026-12-06"
    strings:
        $vb = /[^.a-z0-9_](execute|executeglobal)[ (]+[a-z_][a-z0-9_]{0,30}[ )(:%]/ nocase
        $js = /<%[^>]{0,200}\beval\([a-z_][a-z0-9_.]{0,30}[,)]/ nocase
    condition:
        any of them
}

rule exscan_capability_eval_decoded
{
    meta:
        id = "exscan.webshell.capability.eval_decoded"
        author = "exscan"
        description = "Execute/Eval of a function applied to a long string literal: code kept encoded in the page and decoded to run"
        severity = "info"
        trait = "exec.eval-dynamic"
        weight = "5"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1027,T1059.005"
        references = "https://attack.mitre.org/techniques/T1027/"
        date = "2026-12-06"
    strings:
        $call = /[^.a-z0-9_](execute|executeglobal|eval)[ (]+[a-z_][a-z0-9_.]{0,30}\("[^"]{60}/ nocase
        $rev = /[^.a-z0-9_](execute|executeglobal|eval)[ (]+strreverse\(/ nocase
        $unesc = /\beval\((unescape|decodeuricomponent)\("[^"]{40}/ nocase
    condition:
        any of them
}

rule exscan_capability_script_encoded
{
    meta:
        id = "exscan.webshell.capability.script_encoded"
        author = "exscan"
        description = "Server script hidden with the Script Encoder (VBScript.Encode/JScript.Encode, #@~^ blocks): the page's code cannot be read without decoding"
        severity = "info"
        trait = "obf.script-encoded"
        weight = "6"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1027"
        references = "https://attack.mitre.org/techniques/T1027/ https://learn.microsoft.com/en-us/previous-versions/windows/internet-explorer/ie-developer/scripting-articles/cbfz1bat(v=vs.84)"
        date = "2026-12-06"
    strings:
        $lang = /language=["']?(vbscript|jscript)\.encode/ nocase
        $blk = /#@~\^[A-Za-z0-9+\/]{6}==/
    condition:
        $blk and ($lang or #blk > 1 or filesize < 200KB)
}

rule exscan_capability_process
{
    meta:
        id = "exscan.webshell.capability.process"
        author = "exscan"
        description = "Starts processes or shell commands: Process.Start/ProcessStartInfo, WScript.Shell or Shell.Application (also by CLSID), PowerShell runspaces, CreateProcess/WinExec through P/Invoke"
        severity = "info"
        trait = "exec.process"
        weight = "5"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1059.003"
        references = "https://attack.mitre.org/techniques/T1059/003/"
        date = "2026-12-06"
    strings:
        $p1 = "Process.Start(" nocase
        $p2 = "ProcessStartInfo" nocase
        $p3 = "new Process()" nocase
        $p4 = "New Process()" nocase
        $w1 = "WScript.Shell" nocase
        $w2 = "Shell.Application" nocase
        $w3 = "72C24DD5-D70A-438B-8A42-98424B88AFB8" nocase
        $w4 = "F935DC22-1CF0-11D0-ADB9-00C04FD58A0B" nocase
        $w5 = "13709620-C279-11CE-A49E-444553540000" nocase
        $ps1 = "PowerShell.Create(" nocase
        $ps2 = "RunspaceFactory.CreateRunspace" nocase
        $ps3 = ".AddScript(" nocase
        $pi1 = /DllImport\("(kernel32|shell32)(\.dll)?"[^\]]{0,80}\][^;]{0,200}\b(CreateProcess[AW]?|WinExec|ShellExecute[AW]?)\b/ nocase
        $pi2 = /Declare (Function|Sub) (CreateProcess|WinExec|ShellExecute)/ nocase
    condition:
        any of them
}

rule exscan_capability_process_request
{
    meta:
        id = "exscan.webshell.capability.process_request"
        author = "exscan"
        description = "Request input reaches a process or command call (Exec/Run/ShellExecute, Process.Start, ProcessStartInfo arguments, PowerShell AddCommand/AddScript)"
        severity = "info"
        trait = "exec.process-request"
        weight = "10"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1059.003"
        references = "https://attack.mitre.org/techniques/T1059/003/"
        date = "2026-12-06"
    strings:
        $vb = /\.(exec|run|shellexecute)[ (]+[^)\r\n]{0,60}\brequest\b/ nocase
        $net1 = /\b(Process\.Start|ProcessStartInfo)\([^;]{0,80}\bRequest\b/ nocase
        $net2 = /\.(Arguments|FileName)=[^;]{0,60}\bRequest\b/ nocase
        $ps = /\.(AddCommand|AddScript)\([^;]{0,40}\bRequest\b/ nocase
    condition:
        any of them and exscan_capability_process
}

rule exscan_capability_shell_command
{
    meta:
        id = "exscan.webshell.capability.shell_command"
        author = "exscan"
        description = "Builds a command-interpreter command line or reads a child process's output back (cmd /c, StdOut.ReadAll, StandardOutput.ReadToEnd)"
        severity = "info"
        trait = "exec.shell-command"
        weight = "2"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1059.003"
        references = "https://attack.mitre.org/techniques/T1059/003/"
        date = "2026-12-06"
    strings:
        $c1 = /cmd(\.exe)?"?[ ]?\/c\b/ nocase
        $c2 = ".StdOut.ReadAll" nocase
        $c3 = "StandardOutput.ReadToEnd" nocase
        $c4 = "RedirectStandardOutput=true" nocase
        $c5 = /powershell(\.exe)? -(enc|e|nop|exec)/ nocase
    condition:
        any of them
}

rule exscan_capability_shellcode
{
    meta:
        id = "exscan.webshell.capability.shellcode"
        author = "exscan"
        description = "Allocates executable memory and starts a thread in it through P/Invoke (VirtualAlloc + CreateThread/QueueUserAPC): a shellcode runner page"
        severity = "info"
        trait = "exec.shellcode"
        weight = "10"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1055"
        references = "https://attack.mitre.org/techniques/T1055/"
        date = "2026-12-06"
    strings:
        $imp = "DllImport(" nocase
        $a1 = "VirtualAlloc" nocase
        $a2 = "NtAllocateVirtualMemory" nocase
        $t1 = "CreateThread" nocase
        $t2 = "CreateRemoteThread" nocase
        $t3 = "QueueUserAPC" nocase
        $t4 = "ResumeThread" nocase
        $w1 = "WriteProcessMemory" nocase
        $w2 = "Marshal.Copy(" nocase
    condition:
        $imp and any of ($a*) and any of ($t*) and any of ($w*)
}

rule exscan_capability_assembly_load
{
    meta:
        id = "exscan.webshell.capability.assembly_load"
        author = "exscan"
        description = "Loads or compiles .NET code at run time from bytes or source text (Assembly.Load of a byte array, CompileAssemblyFromSource, JScript Eval engine)"
        severity = "info"
        trait = "exec.load-code"
        weight = "5"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1620"
        references = "https://attack.mitre.org/techniques/T1620/"
        date = "2026-12-06"
    strings:
        $l1 = /Assembly\.Load\([^"@]/ nocase
        $l2 = /AppDomain\.CurrentDomain\.Load\(/ nocase
        $l3 = "CompileAssemblyFromSource" nocase
        $l4 = "Microsoft.JScript.Eval" nocase
        $l5 = "VsaEngine.CreateEngine" nocase
        $l6 = "CompileAssemblyFromDom" nocase
        $x1 = /XsltSettings\([a-z]{4,5},true\)/ nocase
        $x2 = "EnableScript=true" nocase
    condition:
        any of them
}

rule exscan_capability_load_request
{
    meta:
        id = "exscan.webshell.capability.load_request"
        author = "exscan"
        description = "Request data reaches Assembly.Load or a compiler call (possibly through Base64 or a cipher on the way)"
        severity = "info"
        trait = "exec.load-request"
        weight = "10"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1620"
        references = "https://attack.mitre.org/techniques/T1620/"
        date = "2026-12-06"
    strings:
        $a = /(Assembly\.Load|CurrentDomain\.Load|CompileAssemblyFromSource)\([^;]{0,160}\b(Request|BinaryRead|InputStream)\b/ nocase
    condition:
        $a
}

rule exscan_capability_reflection
{
    meta:
        id = "exscan.webshell.capability.reflection"
        author = "exscan"
        description = "Creates objects or calls methods by name at run time (CreateInstance, GetMethod(...).Invoke, InvokeMember)"
        severity = "info"
        trait = "exec.reflection"
        weight = "2"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1620"
        references = "https://attack.mitre.org/techniques/T1620/"
        date = "2026-12-06"
    strings:
        $r1 = ".CreateInstance(" nocase
        $r2 = /\.GetMethod\([^;]{0,80}\.Invoke\(/ nocase
        $r3 = ".InvokeMember(" nocase
        $r4 = "Activator.CreateInstance(" nocase
    condition:
        any of them
}

rule exscan_capability_crypto_payload
{
    meta:
        id = "exscan.webshell.capability.crypto_payload"
        author = "exscan"
        description = "Decrypts or decodes a payload with a symmetric cipher or XOR loop over bytes read from the request (the wire format of encrypted webshell clients)"
        severity = "info"
        trait = "obf.crypto-payload"
        weight = "3"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1573.001"
        references = "https://attack.mitre.org/techniques/T1573/001/"
        date = "2026-12-06"
    strings:
        $c1 = "CreateDecryptor(" nocase
        $c2 = "TransformFinalBlock(" nocase
        $i1 = "Request.BinaryRead(" nocase
        $i2 = "Request.InputStream" nocase
        $i3 = "FromBase64String(Request" nocase
        $i4 = /FromBase64String\((Context\.)?Request/ nocase
    condition:
        any of ($c*) and any of ($i*)
}

rule exscan_capability_request_body
{
    meta:
        id = "exscan.webshell.capability.request_body"
        author = "exscan"
        description = "Reads the raw request body (Request.BinaryRead, InputStream, TotalBytes)"
        severity = "info"
        trait = "input.body"
        weight = "1"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003"
        references = "https://attack.mitre.org/techniques/T1505/003/"
        date = "2026-12-06"
    strings:
        $b1 = "Request.BinaryRead(" nocase
        $b2 = "Request.InputStream" nocase
        $b3 = "Request.TotalBytes" nocase
    condition:
        any of them
}

rule exscan_capability_request
{
    meta:
        id = "exscan.webshell.capability.request"
        author = "exscan"
        description = "Reads request input (Request(...), Request.Form, QueryString, Item, Params)"
        severity = "info"
        trait = "input.request"
        weight = "1"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003"
        references = "https://attack.mitre.org/techniques/T1505/003/"
        date = "2026-12-06"
    strings:
        $r = /\brequest(\(|\[|\.(form|querystring|item|params)\b)/ nocase
        $t = /\b[a-z_][a-z0-9_]{0,30}\.Text\)/ nocase
        $u1 = ".PostedFile" nocase
        $u2 = ".HasFile" nocase
    condition:
        any of them
}

rule exscan_capability_file_write_request
{
    meta:
        id = "exscan.webshell.capability.file_write_request"
        author = "exscan"
        description = "Writes a file whose path or content comes straight from the request (SaveToFile/SaveAs/WriteAllText/CreateTextFile/ADODB.Stream WriteText of request data)"
        severity = "info"
        trait = "file.write-request"
        weight = "6"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1105"
        references = "https://attack.mitre.org/techniques/T1105/"
        date = "2026-12-06"
    strings:
        $p1 = /\b(savetofile|saveas|writealltext|writeallbytes|appendalltext|createtextfile|opentextfile)[ (]+(server\.mappath\()?request\b/ nocase
        $p2 = /\.writetext[ =(]+request\b/ nocase
        $p3 = /\b(writealltext|writeallbytes|appendalltext)\([^;]{0,80}\brequest\b[^;]{0,80}\brequest\b/ nocase
        $p4 = /new StreamWriter\((server\.mappath\()?request\b/ nocase
        $p6 = /\.(SaveAs|WriteAllText|WriteAllBytes|AppendAllText|SaveToFile|CreateTextFile)\([a-z_][a-z0-9_]{0,30}\.(Text|Value)\b/ nocase
    condition:
        any of them
}

rule exscan_capability_file_write
{
    meta:
        id = "exscan.webshell.capability.file_write"
        author = "exscan"
        description = "Writes files on the server (ADODB.Stream SaveToFile, FileSystemObject CreateTextFile, File.Write*, StreamWriter, SaveAs)"
        severity = "info"
        trait = "file.write"
        weight = "1"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1105"
        references = "https://attack.mitre.org/techniques/T1105/"
        date = "2026-12-06"
    strings:
        $w1 = ".SaveToFile" nocase
        $w2 = ".CreateTextFile(" nocase
        $w3 = /File\.(WriteAllText|WriteAllBytes|AppendAllText|Create)\(/ nocase
        $w4 = "new StreamWriter(" nocase
        $w5 = ".SaveAs(" nocase
        $w6 = /\.OpenTextFile\([^)]{1,80},(2|8|ForWriting|ForAppending)\b/ nocase
    condition:
        any of them
}

rule exscan_capability_file_browse
{
    meta:
        id = "exscan.webshell.capability.file_browse"
        author = "exscan"
        description = "Lists, reads or deletes any folder or file named in the request (GetFolder/GetFile/Directory.GetFiles/DirectoryInfo/DeleteFile of request data)"
        severity = "info"
        trait = "file.browse-request"
        weight = "4"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1083"
        references = "https://attack.mitre.org/techniques/T1083/"
        date = "2026-12-06"
    strings:
        $b1 = /\b(getfolder|getfile|folderexists|fileexists|deletefile|deletefolder|opentextfile|copyfile|movefile|copyfolder|movefolder)[ (]+(trim\(|server\.mappath\()?request(\(|\.form\b|\.querystring\b|\.item\b|\[)/ nocase
        $b2 = /\b(Directory\.GetFiles|Directory\.GetDirectories|new DirectoryInfo|File\.ReadAllText|File\.ReadAllBytes|File\.Delete|Directory\.Delete|File\.Copy|File\.Move|new FileInfo)\((Server\.MapPath\()?Request(\(|\.form\b|\.querystring\b|\.item\b|\[)/ nocase
        $b3 = /\bloadfromfile[ (]+request(\(|\.form\b|\.querystring\b|\.item\b|\[)/ nocase
    condition:
        any of them
}

rule exscan_capability_file_manager
{
    meta:
        id = "exscan.webshell.capability.file_manager"
        author = "exscan"
        description = "File-manager set: lists drives or folders and also deletes, moves or changes attributes of files"
        severity = "info"
        trait = "file.manager"
        weight = "2"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1083"
        references = "https://attack.mitre.org/techniques/T1083/"
        date = "2026-12-06"
    strings:
        $l1 = ".Drives" nocase
        $l2 = "GetDrives()" nocase
        $l3 = "GetLogicalDrives" nocase
        $l4 = ".SubFolders" nocase
        $l5 = "GetDirectories(" nocase
        $l6 = "GetSpecialFolder(" nocase
        $m1 = ".DeleteFile" nocase
        $m2 = ".DeleteFolder" nocase
        $m3 = ".MoveFile" nocase
        $m4 = "File.Delete(" nocase
        $m5 = "Directory.Delete(" nocase
        $m6 = ".Attributes=" nocase
        $m7 = "File.Move(" nocase
        $m8 = "SetAttributes(" nocase
    condition:
        2 of ($l*) and any of ($m*)
}

rule exscan_capability_sql_request
{
    meta:
        id = "exscan.webshell.capability.sql_request"
        author = "exscan"
        description = "Opens a database with a connection string from the request, or runs SQL text taken straight from the request"
        severity = "info"
        trait = "sql.request"
        weight = "5"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1213"
        references = "https://attack.mitre.org/techniques/T1213/"
        date = "2026-12-06"
    strings:
        $c1 = /\b(new (SqlConnection|OleDbConnection|OdbcConnection|MySqlConnection)|ConnectionString=)[ (]*(Request|txt[a-z]{0,20}\.Text)\b/ nocase
        $c2 = /\.open[ (]+(trim\()?request\b/ nocase
        $q1 = /\b(\.execute|executereader|executenonquery|executescalar|new (SqlCommand|OleDbCommand|OdbcCommand|SqlDataAdapter|OleDbDataAdapter))[ (]+(trim\()?request\b/ nocase
        $q2 = /\.CommandText=(trim\()?Request\b/ nocase
    condition:
        any of them
}

rule exscan_capability_sql_text_box
{
    meta:
        id = "exscan.webshell.capability.sql_text_box"
        author = "exscan"
        description = "Runs SQL typed into a form field, with a connection string from another field (an ad hoc database console)"
        severity = "info"
        trait = "sql.console"
        weight = "5"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1213"
        references = "https://attack.mitre.org/techniques/T1213/"
        date = "2026-12-06"
    strings:
        $c = /(Connection|ConnectionString)[ (=]+[a-z_][a-z0-9_]{0,30}\.Text\b/ nocase
        $q = /(Command|DataAdapter)\([a-z_][a-z0-9_]{0,30}\.Text\b/ nocase
    condition:
        $c and $q
}

rule exscan_capability_socket
{
    meta:
        id = "exscan.webshell.capability.socket"
        author = "exscan"
        description = "Opens raw TCP sockets from the page (System.Net.Sockets Socket/TcpClient, MSWinsock)"
        severity = "info"
        trait = "net.socket"
        weight = "3"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1090"
        references = "https://attack.mitre.org/techniques/T1090/"
        date = "2026-12-06"
    strings:
        $s1 = "new Socket(" nocase
        $s2 = "new TcpClient(" nocase
        $s3 = "New TcpClient(" nocase
        $s4 = "MSWinsock" nocase
        $s5 = "Sockets.Socket(" nocase
        $s6 = "New Socket(" nocase
    condition:
        any of them
}

rule exscan_capability_tunnel
{
    meta:
        id = "exscan.webshell.capability.tunnel"
        author = "exscan"
        description = "Keeps a socket between requests (in Session or Application state) and relays the request body to it: the shape of HTTP tunnels (reGeorg, ABPTTS and kin)"
        severity = "info"
        trait = "net.tunnel"
        weight = "7"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1090.001,T1572"
        references = "https://attack.mitre.org/techniques/T1572/"
        date = "2026-12-06"
    strings:
        $k1 = /(Session|Application)\[[^\]]{1,60}\]=[a-z_][a-z0-9_]{0,30}(sock|Socket|tcp)/ nocase
        $k2 = /\((Socket|TcpClient)\)(Session|Application)\[/ nocase
        $k3 = /(Session|Application)\.Add\([^,]{1,60},[a-z_][a-z0-9_]{0,30}(sock|Socket)/ nocase
        $k4 = /(Session|Application)\("[^"]{1,40}"\)=[a-z_][a-z0-9_]{0,30}(sock|Socket)/ nocase
        $io1 = ".Receive(" nocase
        $io2 = ".Send(" nocase
    condition:
        exscan_capability_socket and any of ($k*) and any of ($io*)
}

rule exscan_capability_http_relay
{
    meta:
        id = "exscan.webshell.capability.http_relay"
        author = "exscan"
        description = "Fetches a URL named in the request from the server (XMLHTTP/WinHttp/HttpWebRequest/WebClient to request data)"
        severity = "info"
        trait = "net.http-request"
        weight = "3"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1090"
        references = "https://attack.mitre.org/techniques/T1090/"
        date = "2026-12-06"
    strings:
        $u1 = /\.open[ (]+"(get|post)",(trim\()?request\b/ nocase
        $u2 = /WebRequest\.Create\((new Uri\()?Request\b/ nocase
        $u3 = /\.(DownloadString|DownloadData|DownloadFile|OpenRead|UploadString)\(Request\b/ nocase
    condition:
        any of them
}

rule exscan_capability_password_gate
{
    meta:
        id = "exscan.webshell.capability.password_gate"
        author = "exscan"
        description = "Compares a request or session value with a hard-coded string to unlock the page (a one-password gate instead of an account check)"
        severity = "info"
        trait = "ui.password-gate"
        weight = "2"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003"
        references = "https://attack.mitre.org/techniques/T1505/003/"
        date = "2026-12-06"
    strings:
        $g1 = /\b(if|and|or)[ (]+(trim\()?(request|session)(\.form|\.querystring|\.item)?[(\[]"[a-z_]{0,10}(pass|pwd|key|token)[a-z0-9_]{0,10}"[)\]]{1,2}(=|==|<>|!=)"[^"]{3,64}"/ nocase
        $g4 = /const string [a-z_]{0,10}(pass|pwd|password|key)[a-z0-9_]{0,10}="[^"]{3,64}"/ nocase
        $g3 = /(md5|sha1|hash)[a-z0-9_]{0,10}\([^()]{1,60}(\([^()]{0,40}\))?\)(=|==|<>|!=)"[0-9a-f]{32,64}"/ nocase
        $g2 = /\bif[ (]+[a-z_]{0,10}(pass|pwd|password|key)[a-z0-9_]{0,10}(<>|!=|=|==)"[^"]{4,64}"/ nocase
    condition:
        any of them
}

rule exscan_capability_command_box
{
    meta:
        id = "exscan.webshell.capability.command_box"
        author = "exscan"
        description = "Form field for a command line or a program path (cmd, command, exe path box) next to a process call"
        severity = "info"
        trait = "ui.command-box"
        weight = "2"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1059.003"
        references = "https://attack.mitre.org/techniques/T1059/003/"
        date = "2026-12-06"
    strings:
        $f1 = /name=["']?(cmd|cmdx|command|shell|exec|cmdline|cmdstr)["' >]/ nocase
        $f2 = /id=["']?(cmd|command|txtcmd|cmdline|txtarg)["' >]/ nocase
        $f3 = /value=["'][a-z]:\\[^"']{0,60}cmd\.exe["']/ nocase
    condition:
        any of them and exscan_capability_process
}

rule exscan_capability_server_probe
{
    meta:
        id = "exscan.webshell.capability.server_probe"
        author = "exscan"
        description = "Probes which server components are installed (a list of COM ProgIDs such as WScript.Shell, Scripting.FileSystemObject, ADODB tried one by one)"
        severity = "info"
        trait = "recon.component-probe"
        weight = "3"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1082"
        references = "https://attack.mitre.org/techniques/T1082/"
        date = "2026-12-06"
    strings:
        $o1 = "\"WScript.Shell\"" nocase
        $o2 = "\"Scripting.FileSystemObject\"" nocase
        $o3 = "\"Adodb.Connection\"" nocase
        $o4 = "\"Shell.Application\"" nocase
        $o5 = "\"MSWC.AdRotator\"" nocase
        $o6 = "\"JMail.SmtpMail\"" nocase
        $o7 = "\"Persits.Upload" nocase
        $o8 = "\"WScript.Network\"" nocase
        $o9 = "\"CDONTS.NewMail\"" nocase
    condition:
        5 of them
}

rule exscan_capability_privesc_ftp_admin
{
    meta:
        id = "exscan.webshell.capability.privesc_ftp_admin"
        author = "exscan"
        description = "Talks to the local Serv-U FTP administration port with its maintenance commands (-SETUSERSETUP, SITE MAINTENANCE): the classic local privilege escalation from an IIS page"
        severity = "info"
        trait = "privesc.servu"
        weight = "7"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1068"
        references = "https://attack.mitre.org/techniques/T1068/"
        date = "2026-12-06"
    strings:
        $s1 = "-SETUSERSETUP" nocase
        $s2 = "SITE MAINTENANCE" nocase
        $s3 = "-SETDOMAIN" nocase
        $s4 = "-DELETEDOMAIN" nocase
    condition:
        2 of them
}

rule exscan_capability_huge_timeout
{
    meta:
        id = "exscan.webshell.capability.huge_timeout"
        author = "exscan"
        description = "Sets Server.ScriptTimeout to a very large value (long-running operations such as scans, brute force or bulk file work)"
        severity = "info"
        trait = "env.long-run"
        weight = "1"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003"
        references = "https://attack.mitre.org/techniques/T1505/003/"
        date = "2026-12-06"
    strings:
        $t = /scripttimeout=[0-9]{5,}/ nocase
    condition:
        $t
}

rule exscan_capability_part_of_app
{
    meta:
        id = "exscan.webshell.capability.part_of_app"
        author = "exscan"
        description = "Page built into an application: server-side includes of the application's files, a master page or a code-behind class (webshells are self-contained); lowers the capability score"
        severity = "info"
        trait = "app.part-of-app"
        weight = "-2"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003"
        references = "https://learn.microsoft.com/en-us/previous-versions/iis/6.0-sdk/ms524876(v=vs.90)"
        date = "2026-12-06"
    strings:
        $i1 = /<!-- ?#include ?(file|virtual)=/ nocase
        $m1 = /<%@(Page|Control)[^%]{0,300}\b(MasterPageFile|CodeBehind|CodeFile)=/ nocase
    condition:
        any of them
}

rule exscan_capability_file_read_out
{
    meta:
        id = "exscan.webshell.capability.file_read_out"
        author = "exscan"
        description = "Reads a whole file and writes it into the response (ReadAll/ReadAllText/LoadFromFile to Response.Write/BinaryWrite, WriteFile, TransmitFile)"
        severity = "info"
        trait = "file.read-out"
        weight = "2"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1005"
        references = "https://attack.mitre.org/techniques/T1005/"
        date = "2026-12-06"
    strings:
        $r1 = /response\.write[ (]+[a-z_][a-z0-9_]{0,30}\.readall\b/ nocase
        $r2 = /response\.binarywrite[ (]+[a-z_][a-z0-9_]{0,30}\.read\b/ nocase
        $r3 = /Response\.(WriteFile|TransmitFile)\(/ nocase
        $r4 = /Response\.Write\(File\.ReadAllText\(/ nocase
        $r5 = /Server\.HTMLEncode\([a-z_][a-z0-9_]{0,30}\.readall\)/ nocase
    condition:
        any of them
}

rule exscan_capability_fetch_to_disk
{
    meta:
        id = "exscan.webshell.capability.fetch_to_disk"
        author = "exscan"
        description = "Downloads content with XMLHTTP/WinHttp and saves the response body to a file with ADODB.Stream (a stager's download-and-save)"
        severity = "info"
        trait = "net.fetch-to-disk"
        weight = "3"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1105"
        references = "https://attack.mitre.org/techniques/T1105/"
        date = "2026-12-06"
    strings:
        $x1 = "XMLHTTP" nocase
        $x2 = "WinHttpRequest" nocase
        $b = ".responseBody" nocase
        $s = ".SaveToFile" nocase
    condition:
        any of ($x*) and $b and $s
}

rule exscan_capability_write_script_page
{
    meta:
        id = "exscan.webshell.capability.write_script_page"
        author = "exscan"
        description = "Writes a file with a server-script extension (.asp, .aspx, .ashx, .asa, .cer, .asmx): a page that creates pages"
        severity = "info"
        trait = "file.write-script"
        weight = "2"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1105"
        references = "https://attack.mitre.org/techniques/T1505/003/"
        date = "2026-12-06"
    strings:
        $w = /(savetofile|createtextfile|writealltext|saveas)[ (]+[^)\n]{0,120}\.(asp|aspx|ashx|asa|cer|asmx)"/ nocase
    condition:
        $w
}

rule exscan_capability_sql_login_request
{
    meta:
        id = "exscan.webshell.capability.sql_login_request"
        author = "exscan"
        description = "Builds a database connection string from the request: the server, user or password of the database typed into the page (a database console for whoever reaches it)"
        severity = "info"
        trait = "sql.login-request"
        weight = "6"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1213"
        references = "https://learn.microsoft.com/en-us/dotnet/api/system.data.sqlclient.sqlconnection.connectionstring https://attack.mitre.org/techniques/T1213/"
        date = "2026-12-06"
    strings:
        $k = /(data source|server|uid|user id|pwd|password)="(\+|&)(trim\()?(request\b|[a-z_][a-z0-9_]{0,30}\.text\b)/ nocase
    condition:
        $k
}

rule exscan_capability_sql_os_command
{
    meta:
        id = "exscan.webshell.capability.sql_os_command"
        author = "exscan"
        description = "Runs operating-system commands through SQL Server (xp_cmdshell, or sp_OACreate of WScript.Shell): command execution by way of the database"
        severity = "info"
        trait = "exec.sql-command"
        weight = "5"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1059.003"
        references = "https://learn.microsoft.com/en-us/sql/relational-databases/system-stored-procedures/xp-cmdshell-transact-sql https://learn.microsoft.com/en-us/sql/relational-databases/system-stored-procedures/sp-oacreate-transact-sql"
        date = "2026-12-06"
    strings:
        $x = "xp_cmdshell" nocase
        $oa = /sp_oacreate[ (]*[@a-z_]{0,30},?'?wscript\.shell/ nocase
    condition:
        any of them
}
