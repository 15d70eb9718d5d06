<%@ Page Language="C#" %>
<%@ Import Namespace="System.Net.Sockets" %>
<script runat="server">
    // Monitoring probe: is the relay answering on port 25?
    protected void Page_Load(object sender, EventArgs e)
    {
        string host = System.Configuration.ConfigurationManager.AppSettings["SmtpRelay"];
        try
        {
            using (var c = new TcpClient())
            {
                c.Connect(host, 25);
                byte[] banner = new byte[512];
                int n = c.Client.Receive(banner);
                c.Client.Send(System.Text.Encoding.ASCII.GetBytes("QUIT\r\n"));
                Session["lastSmtpCheck"] = DateTime.UtcNow;
                result.Text = Server.HtmlEncode(System.Text.Encoding.ASCII.GetString(banner, 0, n));
            }
        }
        catch (SocketException ex) { result.Text = "down: " + ex.SocketErrorCode; }
    }
</script>
<html><body><asp:Literal ID="result" runat="server" /></body></html>
