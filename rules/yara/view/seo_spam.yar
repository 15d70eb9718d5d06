/*
   SEO-spam implants, matched on the normalised view (scanner/scriptview):
   pages and global.asa/Global.asax handlers that serve search-engine
   crawlers (or visitors arriving from a search engine) content fetched
   from another server, or send them elsewhere. They are malicious but not
   interactive shells: the operator does not run commands through them, so
   their traits weigh little (scanner/capability.go adds them up): a
   remote-content doorway that reads the request comes out low, a page that
   also tells crawlers from people (cloaking) medium.

   The rules key on what the page does: a server-side HTTP fetch whose
   result is written to the response, the current host's name sent along,
   and a test of the User-Agent or Referer for crawler names.
*/

rule exscan_seo_spam_remote_doorway
{
    meta:
        id = "exscan.webshell.seo_spam.remote_doorway"
        author = "exscan"
        description = "Remote-content doorway: the page fetches a page from a hard-coded server, telling it which host is asking, and writes what comes back as its own response (SEO spam served from another server)"
        severity = "info"
        trait = "seo.remote-doorway"
        weight = "3"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1090"
        references = "https://attack.mitre.org/techniques/T1505/003/ https://developers.google.com/search/docs/essentials/spam-policies"
        date = "2026-12-06"
    strings:
        $f1 = "serverxmlhttp" nocase
        $f2 = "msxml2.xmlhttp" nocase
        $f3 = "microsoft.xmlhttp" nocase
        $f4 = "winhttp.winhttprequest" nocase
        $f5 = "new system.net.webclient" nocase
        $f6 = "new webclient" nocase
        $f7 = "webrequest.create" nocase
        $host1 = /servervariables\("(http_host|server_name)"\)/ nocase
        $host2 = /request\.(url\.(host|authority)|servervariables\["http_host"\])/ nocase
        // The remote server by address, or a URL the host's name is
        // appended to as a query parameter.
        $ip = /"https?:\/\/[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}[:\/"]/ nocase
        $param = /"[^"]{0,120}[?&](host|domain|site|url|h|d|u|s|ref|referer|referrer|from|name)="&/ nocase
        $out = /response\.(write|binarywrite)[ (]+[a-z_][a-z0-9_]{0,30}(\(|\)|%|;| |$)/ nocase
    condition:
        filesize < 96KB and any of ($f*) and any of ($host*) and ($ip or $param) and $out
}

rule exscan_seo_spam_crawler_cloak
{
    meta:
        id = "exscan.webshell.seo_spam.crawler_cloak"
        author = "exscan"
        description = "Cloaking: the page tests the User-Agent or Referer for search-engine crawler names and then fetches remote content or redirects (different pages for crawlers and people, SEO spam)"
        severity = "info"
        trait = "seo.crawler-cloak"
        weight = "5"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003"
        references = "https://developers.google.com/search/docs/essentials/spam-policies#cloaking"
        date = "2026-12-06"
    strings:
        $ua1 = "http_user_agent" nocase
        $ua2 = ".useragent" nocase
        $ua3 = "http_referer" nocase
        $ua4 = ".urlreferrer" nocase
        $bot = /(baiduspider|googlebot|sogou|360spider|haosouspider|yisouspider|bingbot|"baidu"|"google"|soso)/ nocase
        $f1 = "serverxmlhttp" nocase
        $f2 = "msxml2.xmlhttp" nocase
        $f3 = "microsoft.xmlhttp" nocase
        $f4 = "winhttp.winhttprequest" nocase
        $f5 = "webclient" nocase
        $f6 = "webrequest.create" nocase
        $r1 = "response.redirect" nocase
        $r2 = /\.status="30[12]/ nocase
        $r3 = "server.transfer" nocase
    condition:
        filesize < 256KB and any of ($ua*) and $bot and (any of ($f*) or any of ($r*))
}
