/*
   In-memory ("fileless") ASP.NET webshell injectors: a page that, when
   requested once, registers code into the running application so that the
   shell survives deletion of the page: a VirtualPathProvider, a route with
   a custom handler, an MVC/Web API filter, or an HttpModule / pipeline event
   hook added at run time.
*/

rule exscan_memshell_injector_virtualpathprovider
{
    meta:
        id = "exscan.webshell.memshell_injector.virtualpathprovider"
        author = "exscan"
        description = "Page or handler that registers its own VirtualPathProvider at run time (optionally forcing it through HostingEnvironment internals) to serve attacker-controlled pages from memory"
        severity = "critical"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1620"
        references = "https://learn.microsoft.com/en-us/dotnet/api/system.web.hosting.hostingenvironment.registervirtualpathprovider https://attack.mitre.org/techniques/T1505/003/"
        date = "2026-11-27"
    strings:
        $reg = "RegisterVirtualPathProvider" ascii wide
        $cls = /:\s{0,3}(System\.Web\.Hosting\.)?VirtualPathProvider\b/ ascii wide
        $vf = /:\s{0,3}(System\.Web\.Hosting\.)?VirtualFile\b/ ascii wide
        $priv1 = "_theHostingEnvironment" ascii wide
        $priv2 = "BindingFlags.NonPublic" ascii wide
        $page1 = "<%@" ascii wide
        $page2 = "runat=\"server\"" nocase ascii wide
        $page3 = "runat=server" nocase ascii wide
        $in1 = "FromBase64String" ascii wide
        $in_rq1 = "Request[" ascii wide
        $in_rq2 = "Request.Form[" ascii wide
        $in_rq3 = "Request.QueryString[" ascii wide
        $in_rq6 = "Request.Headers[" ascii wide
        $in_rq7 = "Request.Cookies[" ascii wide
        $x1 = "Assembly.Load" ascii wide
        $x2 = "ProcessStartInfo" ascii wide
        $x3 = "eval(" ascii wide
    condition:
        uint16(0) != 0x5A4D and filesize < 1MB and $reg and ($cls or $vf) and
        (
            ($priv1 and $priv2) or
            (any of ($page*) and (any of ($in*) or any of ($x*)))
        )
}

rule exscan_memshell_injector_pipeline_hook
{
    meta:
        id = "exscan.webshell.memshell_injector.pipeline_hook"
        author = "exscan"
        description = "Page or handler that registers an HttpModule or attaches to HttpApplication pipeline events at run time and executes request-supplied code or commands"
        severity = "critical"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003,T1505.004"
        references = "https://attack.mitre.org/techniques/T1505/004/ https://www.microsoft.com/en-us/security/blog/2022/07/26/malicious-iis-extensions-quietly-open-persistent-backdoors-into-servers/"
        date = "2026-11-27"
    strings:
        $hook = /ApplicationInstance\.(BeginRequest|AuthenticateRequest|PostAuthenticateRequest|AuthorizeRequest|PostAuthorizeRequest|AcquireRequestState|PostAcquireRequestState|PreRequestHandlerExecute|PostMapRequestHandler|ResolveRequestCache|PostResolveRequestCache|EndRequest)\s{0,3}\+=/ ascii wide
        $reg1 = /HttpApplication\.RegisterModule\s{0,3}\(/ ascii wide
        $reg2 = /DynamicModuleUtility\.RegisterModule\s{0,3}\(/ ascii wide
        $reflect1 = "_moduleCollection" ascii wide
        $reflect2 = /GetField\s{0,3}\(\s{0,3}"_?(modules|moduleCollection|_moduleConfigInfo)"/ nocase ascii wide
        $page1 = "<%@" ascii wide
        $page2 = "runat=\"server\"" nocase ascii wide
        $page3 = "runat=server" nocase ascii wide
        $x1 = "Assembly.Load" ascii wide
        $x2 = "ProcessStartInfo" ascii wide
        $x3 = /Process\.Start\s{0,3}\(/ ascii wide
        $x4 = "CompileAssemblyFromSource" ascii wide
        $x5 = "JScriptEvaluate" ascii wide
        $x6 = "cmd.exe" nocase ascii wide
        $x7 = "CreateDecryptor" ascii wide
    condition:
        uint16(0) != 0x5A4D and filesize < 1MB and
        ($hook or ((any of ($reg*) or any of ($reflect*)) and any of ($page*))) and
        any of ($x*)
}

rule exscan_memshell_injector_route_or_filter
{
    meta:
        id = "exscan.webshell.memshell_injector.route_or_filter"
        author = "exscan"
        description = "Page or handler that inserts a route with a custom handler, or a global MVC/Web API filter or message handler, at run time and executes request-supplied code or commands"
        severity = "critical"
        campaign = "webshell-generic"
        cves = ""
        attack = "T1505.003"
        references = "https://attack.mitre.org/techniques/T1505/003/ https://learn.microsoft.com/en-us/dotnet/api/system.web.routing.routetable.routes"
        date = "2026-11-27"
    strings:
        $r1 = /RouteTable\.Routes\.Insert\s{0,3}\(\s{0,3}0\s{0,3},/ ascii wide
        $r2 = /RouteTable\.Routes\.Add\s{0,3}\(/ ascii wide
        $rh = /:\s{0,3}(System\.Web\.Routing\.)?IRouteHandler\b/ ascii wide
        $f1 = /GlobalFilters\.Filters\.Add\s{0,3}\(/ ascii wide
        $f2 = /GlobalConfiguration\.Configuration\.(Filters|MessageHandlers)\.Add\s{0,3}\(/ ascii wide
        $fc1 = "IActionFilter" ascii wide
        $fc2 = "IResultFilter" ascii wide
        $fc3 = "IAuthorizationFilter" ascii wide
        $fc4 = "ActionFilterAttribute" ascii wide
        $fc5 = "DelegatingHandler" ascii wide
        $page1 = "<%@" ascii wide
        $page2 = "runat=\"server\"" nocase ascii wide
        $page3 = "runat=server" nocase ascii wide
        $x1 = "Assembly.Load" ascii wide
        $x2 = "ProcessStartInfo" ascii wide
        $x3 = /Process\.Start\s{0,3}\(/ ascii wide
        $x4 = "CompileAssemblyFromSource" ascii wide
        $x5 = "JScriptEvaluate" ascii wide
        $x6 = "cmd.exe" nocase ascii wide
        $x7 = "CreateDecryptor" ascii wide
    condition:
        uint16(0) != 0x5A4D and filesize < 1MB and any of ($page*) and any of ($x*) and
        ((($r1 or $r2) and $rh) or (($f1 or $f2) and any of ($fc*)))
}
