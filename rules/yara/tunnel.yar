/*
   HTTP-to-TCP tunnel pages (reGeorg, Neo-reGeorg, Tunna, ABPTTS,
   pivotnacci and look-alikes). The page opens a TCP socket to a host and
   port chosen by the client, parks it in Session/Application state between
   requests and relays the request body to it and its reads back into the
   response, driven by CONNECT/FORWARD/READ/DISCONNECT style commands.
*/

rule exscan_tunnel_socket_relay
{
    meta:
        id = "exscan.webshell.tunnel.socket_relay"
        author = "exscan"
        description = "Server page that keeps a client-chosen TCP socket in Session/Application state and relays request bodies to it (reGeorg-family HTTP tunnel)"
        severity = "critical"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1572,T1090"
        references = "https://github.com/sensepost/reGeorg https://github.com/L-codes/Neo-reGeorg https://github.com/SECFORCE/Tunna https://github.com/nccgroup/ABPTTS https://github.com/blackarrowsec/pivotnacci"
        date = "2026-11-27"
    strings:
        $sock1 = /new\s{1,3}(System\.Net\.Sockets\.)?Socket\s{0,3}\(/ ascii wide
        $sock2 = /new\s{1,3}(System\.Net\.Sockets\.)?TcpClient\s{0,3}\(/ ascii wide
        $fetch = /(Socket|TcpClient|NetworkStream)\s{0,2}\)\s{0,2}(\w{1,20}\.){0,3}([Ss]ession|[Aa]pplication)\s{0,2}[\[.(]/ ascii wide
        $store1 = "Session.Add(" ascii wide
        $store2 = "Application.Add(" ascii wide
        $store3 = /(Session|Application)\[[^\]\r\n]{1,60}\]\s{0,2}=\s{0,2}\w{1,30}\s{0,2};/ ascii wide
        $body1 = "Request.InputStream" ascii wide
        $body2 = "BinaryRead" ascii wide
        $send = /\.Send\s{0,3}\(/ ascii wide
        $recv = /\.Receive\s{0,3}\(/ ascii wide
        $v1 = "\"CONNECT\"" ascii wide
        $v2 = "\"DISCONNECT\"" ascii wide
        $v3 = "\"FORWARD\"" ascii wide
        $v4 = "\"READ\"" ascii wide
        $hdr = /Headers\s{0,3}(\.Get\s{0,3}\(|\[)\s{0,3}"X-/ ascii wide
    condition:
        uint16(0) != 0x5A4D and filesize < 2MB and any of ($sock*) and any of ($body*) and ($send or $recv) and
        ($fetch or any of ($store*)) and
        (2 of ($v*) or $hdr or $fetch)
}

rule exscan_tunnel_socket_relay_weak
{
    meta:
        id = "exscan.webshell.tunnel.socket_relay_weak"
        author = "exscan"
        description = "Server page that opens TCP sockets, stores them in Session/Application and pipes request and response bodies through them"
        severity = "high"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1572,T1090"
        references = "https://github.com/sensepost/reGeorg https://attack.mitre.org/techniques/T1572/"
        date = "2026-11-27"
    strings:
        $sock1 = /new\s{1,3}(System\.Net\.Sockets\.)?Socket\s{0,3}\(/ ascii wide
        $sock2 = /new\s{1,3}(System\.Net\.Sockets\.)?TcpClient\s{0,3}\(/ ascii wide
        $store1 = "Session.Add(" ascii wide
        $store2 = "Application.Add(" ascii wide
        $store3 = /(Session|Application)\[[^\]\r\n]{1,60}\]\s{0,2}=/ ascii wide
        $body1 = "Request.InputStream" ascii wide
        $body2 = "BinaryRead" ascii wide
        $out1 = "Response.BinaryWrite" ascii wide
        $out2 = "Response.OutputStream" ascii wide
        $send = /\.Send\s{0,3}\(/ ascii wide
        $recv = /\.Receive\s{0,3}\(/ ascii wide
        $fetch = /(Socket|TcpClient|NetworkStream)\s{0,2}\)\s{0,2}(\w{1,20}\.){0,3}([Ss]ession|[Aa]pplication)\s{0,2}[\[.(]/ ascii wide
        $in1 = "Request.Form[" ascii wide
        $in2 = "Request[" ascii wide
        $in3 = "Request.QueryString[" ascii wide
        $in4 = "Request.Headers" ascii wide
    condition:
        uint16(0) != 0x5A4D and filesize < 2MB and any of ($sock*) and $send and $recv and
        (
            (any of ($store*) and any of ($body*) and any of ($out*)) or
            ($fetch and (any of ($body*) or any of ($in*)))
        )
}

rule exscan_tunnel_asp_http_proxy
{
    meta:
        id = "exscan.webshell.tunnel.asp_http_proxy"
        author = "exscan"
        description = "Classic ASP/JScript page that fetches a request-supplied URL server-side with XMLHTTP and relays the response (open HTTP proxy into the internal network)"
        severity = "low"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1090"
        references = "https://attack.mitre.org/techniques/T1090/"
        date = "2026-11-27"
    strings:
        $x = /(MSXML2|Microsoft)\.(Server)?XMLHTTP/ nocase ascii wide
        $u = /request(\.querystring|\.form)?\s{0,3}\(\s{0,3}"\w{0,12}url"\s{0,3}\)/ nocase ascii wide
        $rb1 = "responseBody" nocase ascii wide
        $rb2 = "responseText" nocase ascii wide
        $out1 = "Response.BinaryWrite" nocase ascii wide
        $out2 = "Response.Write" nocase ascii wide
        $asp_tag = "<%" ascii wide
    condition:
        uint16(0) != 0x5A4D and $asp_tag and filesize < 200KB and $x and $u and any of ($rb*) and any of ($out*)
}
