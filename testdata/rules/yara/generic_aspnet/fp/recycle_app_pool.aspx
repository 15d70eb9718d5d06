<%@ Page Language="C#" %>
<%@ Import Namespace="System.Diagnostics" %>
<script runat="server">
    // Recycle the app pool from the admin console (fixed command, admins only).
    protected void Recycle_Click(object sender, EventArgs e)
    {
        if (!User.IsInRole("Administrators")) return;
        var psi = new ProcessStartInfo(Environment.ExpandEnvironmentVariables(@"%windir%\system32\inetsrv\appcmd.exe"), "recycle apppool /apppool.name:Portal");
        psi.UseShellExecute = false;
        psi.RedirectStandardOutput = true;
        using (var p = Process.Start(psi)) { status.Text = Server.HtmlEncode(p.StandardOutput.ReadToEnd()); }
    }
</script>
<html><body><form runat="server"><asp:Button ID="r" runat="server" Text="Recycle" OnClick="Recycle_Click" /><asp:Label ID="status" runat="server" /></form></body></html>
