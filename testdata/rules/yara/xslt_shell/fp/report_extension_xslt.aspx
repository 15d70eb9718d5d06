<%@ Page Language="C#" %>
<%@ Import Namespace="System.Xml.Xsl" %>
<script runat="server">
    // Report layouts use msxsl:script helpers for date formatting; the stylesheets ship with the app.
    protected void Page_Load(object sender, EventArgs e)
    {
        var settings = new XsltSettings(false, true);
        var t = new XslCompiledTransform();
        t.Load(Server.MapPath("~/App_Data/reports/monthly.xslt"), settings, new System.Xml.XmlUrlResolver());
        t.Transform(Server.MapPath("~/App_Data/reports/monthly.xml"), null, Response.Output);
    }
</script>
