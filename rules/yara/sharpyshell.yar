/*
   SharPyShell (antonioCoco) ASP.NET agents: a minimal page that either
   XOR-decrypts an embedded DLL, loads it and invokes its Run method with the
   request data, or decrypts request data (XOR or AES) and compiles it in
   memory with CSharpCodeProvider before invoking it.
*/

rule exscan_sharpyshell_embedded_loader
{
    meta:
        id = "exscan.webshell.sharpyshell.embedded_loader"
        author = "exscan"
        description = "SharPyShell-style page: decodes an embedded byte array, Assembly.Load()s it and invokes a method with request form data"
        severity = "critical"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1620,T1027"
        references = "https://github.com/antonioCoco/SharPyShell"
        date = "2026-11-27"
    strings:
        $load = /Assembly\.Load\s{0,3}\(\s{0,3}\w{1,30}\s{0,3}\)/ ascii wide
        $gm = /\.GetMethod\s{0,3}\(\s{0,3}"/ ascii wide
        $inv = ".Invoke(" ascii wide
        $req = "Request.Form[" ascii wide
        $xor = /\[\s{0,3}\w{1,5}\s{0,3}\]\s{0,3}\^=\s{0,3}\(\s{0,3}byte\s{0,3}\)/ ascii wide
        $blk = "Buffer.BlockCopy" ascii wide
        $ulong = "ulong[]" ascii wide
    condition:
        uint16(0) != 0x5A4D and filesize < 5MB and $load and $gm and $inv and $req and ($xor or ($blk and $ulong))
}

rule exscan_sharpyshell_runtime_compiler
{
    meta:
        id = "exscan.webshell.sharpyshell.runtime_compiler"
        author = "exscan"
        description = "SharPyShell-style runtime compiler: base64+XOR/AES-decrypted source compiled in memory with CompileAssemblyFromSource and invoked, result encrypted back"
        severity = "critical"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1027.004"
        references = "https://github.com/antonioCoco/SharPyShell"
        date = "2026-11-27"
    strings:
        $comp = "CompileAssemblyFromSource" ascii wide
        $mem = "GenerateInMemory" ascii wide
        $b64 = "FromBase64String" ascii wide
        $ret = "ToBase64String" ascii wide
        $xor = /\(\s{0,3}byte\s{0,3}\)\s{0,3}\(\s{0,3}\w{1,20}\s{0,3}\[\s{0,3}\w{1,5}\s{0,3}\]\s{0,3}\^/ ascii wide
        $aes1 = "CreateDecryptor" ascii wide
        $aes2 = "Rijndael" ascii wide
        $inst = "CompiledAssembly.CreateInstance" ascii wide
        $inv = ".Invoke(" ascii wide
    condition:
        uint16(0) != 0x5A4D and filesize < 1MB and $comp and $mem and $b64 and $ret and ($xor or any of ($aes*)) and $inst and $inv
}
