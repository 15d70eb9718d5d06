<%@ Page Language="C#" %>
<%@ Import Namespace="System.Xml" %>
<%@ Import Namespace="System.Xml.Xsl" %>
<script runat="server">
    // Renders the cached news feed with the site stylesheet (no script, no document()).
    protected void Page_Load(object sender, EventArgs e)
    {
        var t = new XslCompiledTransform();
        t.Load(Server.MapPath("~/App_Data/news.xslt"), XsltSettings.Default, null);
        var args = new XsltArgumentList();
        args.AddParam("page", "", Request.QueryString["page"] ?? "1");
        t.Transform(Server.MapPath("~/App_Data/news.xml"), args, Response.Output);
    }
</script>
