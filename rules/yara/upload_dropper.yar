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
        uint16(0) != 0x5A4D and filesize < 4KB and $save and ($save_req or ($save_dir and not ($html or $form)))
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
        $open = /(StreamWriter|WriteAllText|WriteAllBytes|AppendAllText|FileStream|File\.Create)\s{0,3}\(\s{0,3}(Server\.MapPath\s{0,3}\(\s{0,3}|Path\.Combine\s{0,3}\([^;]{0,60})?(HttpContext\.Current\.|context\.|Context\.)?Request\s{0,3}(\.Form|\.QueryString|\.Params|\.Item)?\s{0,3}[\[\(]/ nocase ascii wide
        $write1 = /\.Write(Line)?\s{0,3}\(\s{0,3}(HttpContext\.Current\.|context\.|Context\.)?Request\s{0,3}(\.Form|\.QueryString|\.Params|\.Item)?\s{0,3}[\[\(]/ nocase ascii wide
        $write2 = /(WriteAllText|WriteAllBytes|AppendAllText)\s{0,3}\([^;]{0,120},\s{0,3}(Convert\.FromBase64String\s{0,3}\(\s{0,3})?(HttpContext\.Current\.|context\.|Context\.)?Request\s{0,3}(\.Form|\.QueryString|\.Params|\.Item)?\s{0,3}[\[\(]/ nocase ascii wide
    condition:
        uint16(0) != 0x5A4D and filesize < 2MB and $open and any of ($write*)
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
        $open = /(StreamWriter|WriteAllText|AppendAllText)\s{0,3}\(\s{0,3}(this\.)?\w{1,40}\.Text\s{0,3}[,)]/ ascii wide
        $write = /\.Write(Line)?\s{0,3}\(\s{0,3}(this\.)?\w{1,40}\.Text\s{0,3}\)/ ascii wide
        $write2 = /(WriteAllText|AppendAllText)\s{0,3}\(\s{0,3}(this\.)?\w{1,40}\.Text\s{0,3},\s{0,3}(this\.)?\w{1,40}\.Text\b/ ascii wide
    condition:
        uint16(0) != 0x5A4D and filesize < 1MB and (($open and $write) or $write2)
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
        $up1 = /Request\.Files\s{0,3}[\[\(]/ ascii wide
        $up2 = "PostedFile" ascii wide
        $dir1 = /FileInfo\s{0,3}\(\s{0,3}Request\.PhysicalPath\s{0,3}\)/ ascii wide
        $dir2 = /MapPath\s{0,3}\(\s{0,3}"\.\/?"\s{0,3}\)/ ascii wide
        $dir3 = "Request.PhysicalApplicationPath" ascii wide
        $name = /GetFileName\s{0,3}\(\s{0,3}\w{1,40}\.FileName\s{0,3}\)/ ascii wide
        $w1 = /\.SaveAs\s{0,3}\(/ ascii wide
        $w2 = "new FileStream(" ascii wide
    condition:
        uint16(0) != 0x5A4D and filesize < 200KB and any of ($up*) and ($dir1 or $dir2) and $name and any of ($w*) and not $dir3
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
        $ct = /(CreateTextFile|OpenTextFile)\s{0,3}\(\s{0,3}(server\.mappath\s{0,3}\(\s{0,3})?request\s{0,3}(\.form|\.querystring)?\s{0,3}\(/ nocase ascii wide
        $w = /\.Write(Line)?\s{0,3}\(?\s{0,3}(""\s{0,3}&\s{0,3})?request\s{0,3}(\.form|\.querystring)?\s{0,3}\(/ nocase ascii wide
        $fso = "FileSystemObject" nocase ascii wide
        $fso2 = /"scri"\s{0,3}&|"ing\.fil"|"Fil"\s{0,3}&\s{0,3}"eSyst/ nocase ascii wide
        $req = /request\s{0,3}(\.form|\.querystring)?\s{0,3}\(/ nocase ascii wide
    condition:
        uint16(0) != 0x5A4D and filesize < 200KB and $ct and $w and ($fso or $fso2) and #req >= 2
}

rule exscan_upload_dropper_asp_remote_fetch
{
    meta:
        id = "exscan.webshell.upload_dropper.asp_remote_fetch"
        author = "exscan"
        description = "Classic ASP page that downloads a remote file with XMLHTTP and writes it to disk with ADODB.Stream SaveToFile (stager/dropper)"
        severity = "high"
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
    condition:
        uint16(0) != 0x5A4D and filesize < 50KB and any of ($x*) and $body and $st and $save
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
