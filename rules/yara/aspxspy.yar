/*
   ASPXSpy (S0073) and its forks: a large ASP.NET administration webshell
   whose controls and handlers share the "Bin_" prefix, bundling a command
   shell, registry and IIS metabase browsers, an xp_cmdshell SQL console and
   a port scanner. Versions dropped on Exchange servers in 2021 kept this
   structure.
*/

rule exscan_aspxspy_structure
{
    meta:
        id = "exscan.webshell.aspxspy.structure"
        author = "exscan"
        description = "ASPXSpy-style page: many Bin_-prefixed controls/handlers together with its command, registry, IIS, SQL and port-scan modules"
        severity = "critical"
        campaign = "proxylogon"
        cves = "CVE-2021-26855,CVE-2021-26858,CVE-2021-27065"
        attack = "T1505.003"
        references = "https://attack.mitre.org/software/S0073/ https://www.microsoft.com/security/blog/2021/03/02/hafnium-targeting-exchange-servers/"
        date = "2026-11-27"
    strings:
        $bin = /[^A-Za-z0-9]Bin_[A-Z][A-Za-z]{2,30}/ ascii wide
        $name = "ASPXSpy" nocase ascii wide
        $iisspy = "IISSpy" nocase ascii wide
        $c1 = "xp_cmdshell" nocase ascii wide
        $c2 = "HKEY_LOCAL_MACHINE" ascii wide
        $c3 = "IIsWebVirtualDir" nocase ascii wide
        $c4 = "PortScan" nocase ascii wide
        $c5 = "RedirectStandardOutput" ascii wide
        $c6 = "GetLogicalDrives" ascii wide
        $c7 = "sp_oacreate" nocase ascii wide
        $c8 = "TcpClient" ascii wide
        $c9 = "OpenSubKey" ascii wide
    condition:
        uint16(0) != 0x5A4D and filesize < 3MB and
        (
            (#bin > 30 and 3 of ($c*)) or
            (($name or $iisspy) and #bin > 5 and 2 of ($c*))
        )
}
