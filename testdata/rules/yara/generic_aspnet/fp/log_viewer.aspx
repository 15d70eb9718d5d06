<%@ Page Language="C#" %>
<%@ Import Namespace="System.IO" %>
<script runat="server">
    // Ops page: free disk space and download of the current application log.
    protected void Page_Load(object sender, EventArgs e)
    {
        string logDir = Server.MapPath("~/App_Data/logs");
        if (Request.QueryString["download"] != null)
        {
            string name = Path.GetFileName(Request.QueryString["download"]);
            Response.ContentType = "text/plain";
            Response.TransmitFile(Path.Combine(logDir, name));
            Response.End();
        }
        var sb = new System.Text.StringBuilder();
        foreach (DriveInfo d in DriveInfo.GetDrives()) if (d.IsReady) sb.AppendFormat("{0}: {1:N0} MB free<br/>", d.Name, d.AvailableFreeSpace >> 20);
        foreach (FileInfo f in new DirectoryInfo(logDir).GetFiles("*.log")) sb.AppendFormat("<a href='?download={0}'>{0}</a><br/>", Server.UrlEncode(f.Name));
        body.Text = sb.ToString();
    }
</script>
<html><body><asp:Literal ID="body" runat="server" /></body></html>
