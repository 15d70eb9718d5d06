<%@ WebHandler Language="C#" Class="Tiles" %>
using System.Web;
public class Tiles : IHttpHandler
{
    public bool IsReusable { get { return true; } }
    public void ProcessRequest(HttpContext context)
    {
        string z1 = context.Request.Form["z1"], z2 = context.Request.Form["z2"], z3 = context.Request.Form["z3"];
        context.Response.ContentType = "application/json";
        context.Response.Write("{\"zoom\":[" + HttpUtility.JavaScriptStringEncode(z1) + "," + HttpUtility.JavaScriptStringEncode(z2) + "," + HttpUtility.JavaScriptStringEncode(z3) + "]}");
    }
}
