/*
   Upload-and-save droppers: minimal pages whose only job is to write a
   caller-supplied file to a caller-chosen path, e.g. SIMPLESEESHARP
   (Request.Files[0].SaveAs with a form-supplied name) seen in the March 2021
   Exchange intrusions, and the "write what I send to where I say" writers.
*/

rule exscan_upload_dropper_simpleseesharp
{
    meta:
        id = "exscan.webshell.upload_dropper.simpleseesharp"
        author = "exscan"
        description = "Tiny page that saves the first uploaded file to a path taken from the request (SIMPLESEESHARP-style dropper)"
        severity = "critical"
        campaign = "proxylogon"
        cves = "CVE-2021-26855,CVE-2021-26858,CVE-2021-27065"
        attack = "T1505.003,T1105"
        references = "https://www.volexity.com/blog/2021/03/02/active-exploitation-of-microsoft-exchange-zero-day-vulnerabilities/ https://attack.mitre.org/techniques/T1505/003/"
        date = "2026-11-27"
    strings:
        $save = /Files\s{0,3}[\[\(]\s{0,3}0\s{0,3}[\]\)]\s{0,3}\.SaveAs\s{0,3}\(/ nocase ascii wide
        $save_req = /\.SaveAs\s{0,3}\([^;]{0,160}Request\s{0,3}(\.Form|\.QueryString|\.Params|\.Item|\.Headers)?\s{0,3}(\.Get\s{0,3})?[\[\(]/ nocase ascii wide
        $save_dir = /\.SaveAs\s{0,3}\(\s{0,3}Server\.MapPath\s{0,3}\(\s{0,3}"\.\/?"\s{0,3}\)/ nocase ascii wide
        $html = "<html" nocase ascii wide
        $form = "<form" nocase ascii wide
    condition:
        uint16(0) != 0x5A4D and filesize < 4KB and $save and ($save_req or $save_dir) and not ($html or $form)
}

rule exscan_upload_dropper_request_writer
{
    meta:
        id = "exscan.webshell.upload_dropper.request_writer"
        author = "exscan"
        description = "ASP.NET code that writes request-supplied content to a request-supplied path (StreamWriter/File.Write*/FileStream)"
        severity = "critical"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1105"
        references = "https://attack.mitre.org/techniques/T1505/003/"
        date = "2026-11-27"
    strings:
        // file opened at a request-supplied path ...
        $open1 = "StreamWriter(Request" nocase ascii wide
        $open2 = "StreamWriter(Server.MapPath(Request" nocase ascii wide
        $open3 = "StreamWriter(context.Request" nocase ascii wide
        $open4 = "StreamWriter(HttpContext.Current.Request" nocase ascii wide
        $open5 = "WriteAllBytes(Request" ascii wide
        $open6 = "WriteAllBytes(Server.MapPath(Request" ascii wide
        $open7 = "WriteAllBytes(context.Request" ascii wide
        $open8 = "WriteAllText(Request" ascii wide
        $open9 = "WriteAllText(Server.MapPath(Request" ascii wide
        $open10 = "WriteAllText(context.Request" ascii wide
        $open11 = "FileStream(Request" ascii wide
        $open12 = "FileStream(Server.MapPath(Request" ascii wide
        $open13 = "FileStream(context.Request" ascii wide
        // ... and filled with request-supplied content
        $w1 = ".Write(Request" nocase ascii wide
        $w2 = ".WriteLine(Request" nocase ascii wide
        $w3 = ".Write(context.Request" nocase ascii wide
        $w4 = ".Write(HttpContext.Current.Request" nocase ascii wide
        $w5 = /FromBase64String\s{0,2}\(\s{0,2}(\w{1,20}\.){0,2}Request/ ascii wide
        $w6 = ", Request.Form[" ascii wide
        $w7 = ", Request[" ascii wide
        $w8 = ", context.Request.Form[" ascii wide
        $w9 = ", context.Request[" ascii wide
    condition:
        uint16(0) != 0x5A4D and filesize < 2MB and any of ($open*) and any of ($w*)
}

rule exscan_upload_dropper_control_writer
{
    meta:
        id = "exscan.webshell.upload_dropper.control_writer"
        author = "exscan"
        description = "ASP.NET page that writes the text of a form control to a file path taken from another form control (arbitrary file writer)"
        severity = "high"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1105"
        references = "https://attack.mitre.org/techniques/T1505/003/"
        date = "2026-11-27"
    strings:
        $open1 = /StreamWriter\s{0,2}\(\s{0,2}(this\.)?\w{1,40}\.Text\s{0,2}[,)]/ ascii wide
        $open2 = /AllText\s{0,2}\(\s{0,2}(this\.)?\w{1,40}\.Text\s{0,2}[,)]/ ascii wide
        $write1 = ".Write(this." ascii wide
        $write2 = ".WriteLine(this." ascii wide
        $write3 = ".Write(txt" ascii wide
        $both = /AllText\s{0,2}\(\s{0,2}(this\.)?\w{1,40}\.Text\s{0,2},\s{0,2}(this\.)?\w{1,40}\.Text\b/ ascii wide
    condition:
        uint16(0) != 0x5A4D and filesize < 1MB and ((any of ($open*) and any of ($write*)) or $both)
}

rule exscan_upload_dropper_upload_to_page_dir
{
    meta:
        id = "exscan.webshell.upload_dropper.upload_to_page_dir"
        author = "exscan"
        description = "ASP.NET upload code that stores a posted file under its client-supplied name in the directory of the executing page (drops executable pages next to itself)"
        severity = "medium"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1105"
        references = "https://attack.mitre.org/techniques/T1505/003/"
        date = "2026-11-27"
    strings:
        $up1 = "Request.Files" ascii wide
        $up2 = "PostedFile" ascii wide
        $dir1 = "FileInfo(Request.PhysicalPath)" ascii wide
        $dir3 = "Request.PhysicalApplicationPath" ascii wide
        $name = /GetFileName\s{0,3}\(\s{0,3}\w{1,40}\.FileName\s{0,3}\)/ ascii wide
        $w1 = /\.SaveAs\s{0,3}\(/ ascii wide
        $w2 = "new FileStream(" ascii wide
    condition:
        uint16(0) != 0x5A4D and filesize < 200KB and any of ($up*) and $dir1 and $name and any of ($w*) and not $dir3
}

rule exscan_upload_dropper_asp_writer
{
    meta:
        id = "exscan.webshell.upload_dropper.asp_writer"
        author = "exscan"
        description = "Classic ASP page that creates a text file at a request-supplied path and writes request-supplied content into it"
        severity = "critical"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1105"
        references = "https://attack.mitre.org/techniques/T1505/003/"
        date = "2026-11-27"
    strings:
        $ct1 = "CreateTextFile(Request" nocase ascii wide
        $ct2 = "OpenTextFile(Request" nocase ascii wide
        $ct3 = "CreateTextFile(Server.MapPath(Request" nocase ascii wide
        $ct4 = "OpenTextFile(Server.MapPath(Request" nocase ascii wide
        $w1 = ".Write Request" nocase ascii wide
        $w2 = ".Write(Request" nocase ascii wide
        $w3 = ".WriteLine Request" nocase ascii wide
        $w4 = ".WriteLine(Request" nocase ascii wide
        $w5 = ".Write(\"\"&Request" nocase ascii wide
        $w6 = ".Write \"\"&Request" nocase ascii wide
        $fso = "FileSystemObject" nocase ascii wide
        $fso2 = /"scri"\s{0,3}&|"ing\.fil"|"Fil"\s{0,3}&\s{0,3}"eSyst/ nocase ascii wide
        $rqa = "request(" nocase ascii wide
        $rqb = "request.form(" nocase ascii wide
        $rqc = "request.querystring(" nocase ascii wide
        $asp_tag = "<%" ascii wide
    condition:
        uint16(0) != 0x5A4D and $asp_tag and filesize < 200KB and any of ($ct*) and any of ($w*) and ($fso or $fso2) and (#rqa + #rqb + #rqc) >= 2
}

rule exscan_upload_dropper_asp_remote_fetch
{
    meta:
        id = "exscan.webshell.upload_dropper.asp_remote_fetch"
        author = "exscan"
        description = "Small classic ASP page that downloads a remote file with XMLHTTP and writes it to disk with ADODB.Stream SaveToFile (stager/dropper)"
        severity = "low"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1105"
        references = "https://attack.mitre.org/techniques/T1105/"
        date = "2026-11-27"
    strings:
        $x1 = "Microsoft.XMLHTTP" nocase ascii wide
        $x2 = "MSXML2.ServerXMLHTTP" nocase ascii wide
        $x3 = "MSXML2.XMLHTTP" nocase ascii wide
        $body = "responseBody" nocase ascii wide
        $st = "ADODB.Stream" nocase ascii wide
        $save = "SaveToFile" nocase ascii wide
        $asp_tag = "<%" ascii wide
    condition:
        uint16(0) != 0x5A4D and $asp_tag and filesize < 10KB and any of ($x*) and $body and $st and $save
}

rule exscan_upload_dropper_upload_to_request_path
{
    meta:
        id = "exscan.webshell.upload_dropper.upload_to_request_path"
        author = "exscan"
        description = "ASP.NET code that saves an uploaded file to a path taken directly from the request (arbitrary upload location)"
        severity = "high"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1105"
        references = "https://attack.mitre.org/techniques/T1505/003/"
        date = "2026-11-27"
    strings:
        $save = /\.SaveAs\s{0,3}\(\s{0,3}(Server\.MapPath\s{0,3}\(\s{0,3})?(HttpContext\.Current\.|context\.|Context\.)?Request\s{0,3}(\.Form|\.QueryString|\.Params|\.Item)?\s{0,3}(\.Get\s{0,3})?[\[\(]/ nocase ascii wide
        $up1 = "Request.Files" ascii wide
        $up2 = "PostedFile" ascii wide
        $up3 = "HttpPostedFile" ascii wide
    condition:
        uint16(0) != 0x5A4D and filesize < 2MB and $save and any of ($up*)
}
