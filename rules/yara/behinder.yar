/*
   Behinder (rebeyond, "Ice Scorpion") server stubs. ASP.NET: the request
   body is AES-decrypted with a session-held key and loaded as an assembly
   whose instance receives the page through Object.Equals. Classic ASP: the
   body is XOR-decoded with the session key and passed to Execute.
*/

rule exscan_behinder_aspnet_loader
{
    meta:
        id = "exscan.webshell.behinder.aspnet_loader"
        author = "exscan"
        description = "Behinder ASP.NET stub: Assembly.Load of the decrypted request body, CreateInstance and Equals(this/context)"
        severity = "critical"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1620,T1573.001"
        references = "https://github.com/rebeyond/Behinder https://attack.mitre.org/techniques/T1505/003/"
        date = "2026-11-27"
    strings:
        $chain = /Assembly\.Load\s{0,3}\([^;]{0,300}\)\s{0,3}\.CreateInstance\s{0,3}\([^;]{0,40}\)\s{0,3}\.Equals\s{0,3}\(/ ascii wide
        $load = /Assembly\.Load\s{0,3}\(/ ascii wide
        $inst = "CreateInstance" ascii wide
        $body1 = "BinaryRead" ascii wide
        $body2 = "Request.InputStream" ascii wide
        $dec1 = "CreateDecryptor" ascii wide
        $dec2 = "TransformFinalBlock" ascii wide
        $key = /Session\.Add\s{0,3}\(\s{0,3}"\w{1,12}"\s{0,3},\s{0,3}"[0-9a-f]{16}"/ ascii wide
        $key2 = /Session\s{0,3}\[\s{0,3}0\s{0,3}\]/ ascii wide
    condition:
        uint16(0) != 0x5A4D and filesize < 1MB and
        (
            ($chain and (any of ($body*) or any of ($dec*))) or
            ($load and $inst and any of ($body*) and any of ($dec*) and ($key or $key2))
        )
}

rule exscan_behinder_asp_xor_execute
{
    meta:
        id = "exscan.webshell.behinder.asp_xor_execute"
        author = "exscan"
        description = "Behinder classic ASP stub: reads the raw request body, XOR-decodes it with a session key and runs it with Execute"
        severity = "critical"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1573.001"
        references = "https://github.com/rebeyond/Behinder https://attack.mitre.org/techniques/T1505/003/"
        date = "2026-11-27"
    strings:
        $body = "Request.BinaryRead" nocase ascii wide
        $xor = /\)\s{0,3}xor\s{1,3}asc[bw]?\s{0,3}\(/ nocase ascii wide
        $exec = /[^A-Za-z0-9_.](execute|executeglobal|eval)\s{0,3}[\( ]\s{0,3}\w{1,30}\s{0,3}\)?/ nocase ascii wide
        $sess = /Session\s{0,3}\(\s{0,3}"\w{1,12}"\s{0,3}\)/ nocase ascii wide
    condition:
        uint16(0) != 0x5A4D and filesize < 100KB and $body and $xor and $exec and $sess
}
