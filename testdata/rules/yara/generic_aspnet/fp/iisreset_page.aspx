<%@ Page Language="C#" %>
<%@ Import Namespace="System.Diagnostics" %>
<script runat="server">
    // Maintenance page: restarts IIS with a fixed command and shows the output.
    protected void Reset_Click(object sender, EventArgs e)
    {
        if (confirm.Text != "RESET") { status.Text = "type RESET to confirm"; return; }
        var psi = new ProcessStartInfo("cmd.exe", "/c iisreset /noforce");
        psi.UseShellExecute = false;
        psi.RedirectStandardOutput = true;
        using (var p = Process.Start(psi)) status.Text = Server.HtmlEncode(p.StandardOutput.ReadToEnd());
    }
</script>
<html><body><form runat="server">
<asp:TextBox ID="confirm" runat="server" /><asp:Button ID="go" runat="server" Text="Restart IIS" OnClick="Reset_Click" />
<pre><asp:Label ID="status" runat="server" /></pre>
</form></body></html>
