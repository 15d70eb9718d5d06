/*
   AntSword server scripts: the custom-mode ASP.NET handlers that read
   encoded z0..z3 parameters and answer inside ->| |<- markers, and the
   classic ASP eval-wrapper that pairs with AntSword's "xxxxdog" encoders.
*/

rule exscan_antsword_custom_handler
{
    meta:
        id = "exscan.webshell.antsword.custom_handler"
        author = "exscan"
        description = "AntSword custom-mode ASP.NET handler: decodes z0..z3 request parameters and dispatches file, database and shell actions"
        severity = "critical"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003"
        references = "https://github.com/AntSwordProject/antSword https://github.com/AntSwordProject/AwesomeScript"
        date = "2026-11-27"
    strings:
        $z = /Request\s{0,3}\.Form\s{0,3}\[\s{0,3}"z[0-3]"\s{0,3}\]/ nocase ascii wide
        $dz = /decode\s{0,3}\(\s{0,3}(context\.)?Request\s{0,3}\.Form\s{0,3}\[\s{0,3}"z[0-3]"/ nocase ascii wide
        $mk1 = "\\x2D\\x3E\\x7C" nocase ascii wide
        $mk2 = "\\x7C\\x3C\\x2D" nocase ascii wide
        $mk3 = "\"->|\"" ascii wide
        $mk4 = "\"|<-\"" ascii wide
        $enc = /switch\s{0,3}\(\s{0,3}encoder\s{0,3}\)/ ascii wide
        $case = /case\s{1,3}"[A-Q]"\s{0,3}:/ ascii wide
    condition:
        uint16(0) != 0x5A4D and filesize < 2MB and
        (
            ($dz and ($enc or any of ($mk*))) or
            (#z >= 3 and #case >= 5 and any of ($mk*))
        )
}

rule exscan_antsword_asp_eval_wrapper
{
    meta:
        id = "exscan.webshell.antsword.asp_eval_wrapper"
        author = "exscan"
        description = "Classic ASP page that wraps Eval/Execute in a one-line function and feeds it request data (AntSword encoder-compatible stub)"
        severity = "critical"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1027"
        references = "https://github.com/AntSwordProject/AwesomeScript"
        date = "2026-11-27"
    strings:
        // "Function f(s) Eval s End Function": the body is only eval/execute of the argument
        $wrap1 = /\)\s{1,20}eval\s{1,3}\w{1,30}\s{1,20}End\s{1,5}Function/ nocase ascii wide
        $wrap2 = /\)\s{1,20}execute(global)?\s{1,3}\w{1,30}\s{1,20}End\s{1,5}Function/ nocase ascii wide
        $req = "request" nocase fullword ascii wide
    condition:
        uint16(0) != 0x5A4D and filesize < 200KB and any of ($wrap*) and $req
}
