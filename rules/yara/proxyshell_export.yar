/*
   ProxyShell (CVE-2021-34473/34523/31207) webshell drops: the attacker
   exports a mailbox item or certificate request to an .aspx path, so the
   file is a PST (or DER-encoded request) that carries an ASP.NET script
   block in clear text.
*/

rule exscan_proxyshell_export_pst_page
{
    meta:
        id = "exscan.webshell.proxyshell_export.pst_page"
        author = "exscan"
        description = "PST file (!BDN header) containing an ASP.NET page directive or server script block: mailbox-export webshell drop"
        severity = "critical"
        campaign = "proxyshell"
        cves = "CVE-2021-34473,CVE-2021-34523,CVE-2021-31207"
        attack = "T1505.003,T1190"
        references = "https://www.zerodayinitiative.com/blog/2021/8/17/from-pwn2own-2021-a-new-attack-surface-on-microsoft-exchange-proxyshell https://www.huntress.com/blog/rapid-response-microsoft-exchange-servers-still-vulnerable-to-proxyshell-exploit"
        date = "2026-11-27"
    strings:
        $s1 = "Page Language" nocase ascii wide
        $s2 = "runat=\"server\"" nocase ascii wide
        $s3 = "runat=server" nocase ascii wide
    condition:
        uint32(0) == 0x4e444221 and filesize < 20MB and any of ($s*)
}

rule exscan_proxyshell_export_der_page
{
    meta:
        id = "exscan.webshell.proxyshell_export.der_page"
        author = "exscan"
        description = "DER-encoded blob (certificate request export) containing an ASP.NET page directive or server script block: CSR-export webshell drop"
        severity = "critical"
        campaign = "proxyshell"
        cves = "CVE-2021-34473,CVE-2021-34523,CVE-2021-31207"
        attack = "T1505.003,T1190"
        references = "https://www.zerodayinitiative.com/blog/2021/8/17/from-pwn2own-2021-a-new-attack-surface-on-microsoft-exchange-proxyshell"
        date = "2026-11-27"
    strings:
        $s1 = "Page Language" nocase ascii wide
        $s2 = "runat=\"server\"" nocase ascii wide
        $s3 = "runat=server" nocase ascii wide
    condition:
        uint16(0) == 0x8230 and filesize < 64KB and any of ($s*)
}
