/*
   Godzilla (BeichenDream) ASP.NET payload stubs (AES/XOR, base64 or raw).
   The stub decrypts the request body, loads the decrypted bytes as an
   assembly once, caches it in the session and hands the HttpContext to the
   payload through Object.Equals; replies are wrapped in halves of an MD5.
*/

rule exscan_godzilla_session_assembly
{
    meta:
        id = "exscan.webshell.godzilla.session_assembly"
        author = "exscan"
        description = "Godzilla ASP.NET stub: decrypts request data, loads it as an assembly cached in Session and passes the context to it via Equals()"
        severity = "critical"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1620,T1573.001"
        references = "https://github.com/BeichenDream/Godzilla https://attack.mitre.org/techniques/T1505/003/"
        date = "2026-11-27"
    strings:
        $sess_asm = /Session\s{0,3}\[[^\]]{1,40}\]\s{0,3}=\s{0,3}\(\s{0,3}(System\.Reflection\.)?Assembly\s{0,3}\)/ ascii wide
        $sess_cast = /\(\s{0,3}\(\s{0,3}(System\.Reflection\.)?Assembly\s{0,3}\)\s{0,3}(Context\.|HttpContext\.Current\.)?Session\s{0,3}\[/ ascii wide
        $rload = /typeof\s{0,3}\(\s{0,3}(System\.Reflection\.)?Assembly\s{0,3}\)\s{0,3}\.GetMethod\s{0,3}\(\s{0,3}"Load"/ ascii wide
        $aload = /Assembly\.Load\s{0,3}\(/ ascii wide
        $eq = /\.Equals\s{0,3}\(\s{0,3}(Context|HttpContext\.Current|this|\w{1,20})\s{0,3}\)/ ascii wide
        $inst = "CreateInstance" ascii wide
        $aes1 = "CreateDecryptor" ascii wide
        $aes2 = "TransformFinalBlock" ascii wide
        $xor = /\^\s{0,3}\w{1,12}\s{0,3}\[\s{0,3}\(?\s{0,3}\w{1,6}\s{0,3}\+\s{0,3}1\s{0,3}\)?\s{0,3}&\s{0,3}15\s{0,3}\]/ ascii wide
        $md5a = /\.Substring\s{0,3}\(\s{0,3}0\s{0,3},\s{0,3}16\s{0,3}\)/ ascii wide
        $md5b = /\.Substring\s{0,3}\(\s{0,3}16\s{0,3}\)/ ascii wide
        $req_rq1 = "Request[" ascii wide
        $req_rq2 = "Request.Form[" ascii wide
        $req_rq4 = "Request.Params[" ascii wide
        $req_rq5 = "Request.Item[" ascii wide
        $req2 = "BinaryRead" ascii wide
        $req3 = "Request.InputStream" ascii wide
    condition:
        uint16(0) != 0x5A4D and filesize < 1MB and any of ($req*) and $inst and
        (any of ($aes*) or $xor) and
        (
            (($sess_asm or $sess_cast) and ($rload or $aload)) or
            (($rload or $aload) and $eq and $md5a and $md5b)
        )
}
