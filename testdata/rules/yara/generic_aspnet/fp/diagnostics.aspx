<%@ Page Language="C#" %>
<%@ Import Namespace="System.Diagnostics" %>
<script runat="server">
    // Network diagnostics for the help desk: fixed commands only.
    protected void Page_Load(object sender, EventArgs e)
    {
        string tool = Request.QueryString["tool"] == "route" ? "route.exe" : "ipconfig.exe";
        string args = tool == "route.exe" ? "print" : "/all";
        var si = new ProcessStartInfo(tool, args) { UseShellExecute = false, RedirectStandardOutput = true, CreateNoWindow = true };
        using (var p = Process.Start(si))
        {
            output.Text = Server.HtmlEncode(p.StandardOutput.ReadToEnd());
        }
    }
</script>
<html><body><pre><asp:Literal ID="output" runat="server" /></pre></body></html>
