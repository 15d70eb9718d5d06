<%@ Page Language="C#" %>
<%@ Import Namespace="System.Xml" %>
<%@ Import Namespace="System.Xml.Xsl" %>
<script runat="server">
    // Legacy report: the stylesheet uses an msxsl:script helper to format dates.
    const string Sheet = @"<xsl:stylesheet version='1.0' xmlns:xsl='http://www.w3.org/1999/XSL/Transform' xmlns:msxsl='urn:schemas-microsoft-com:xslt' xmlns:f='urn:fmt'>
  <msxsl:script language='C#' implements-prefix='f'>public string Day(string iso) { return System.DateTime.Parse(iso).ToString(""yyyy-MM-dd""); }</msxsl:script>
  <xsl:param name='region'/>
  <xsl:template match='/'><xsl:for-each select='//order[@region=$region]'><p><xsl:value-of select='f:Day(@date)'/></p></xsl:for-each></xsl:template>
</xsl:stylesheet>";
    protected void Page_Load(object sender, EventArgs e)
    {
        var t = new XslCompiledTransform();
        t.Load(XmlReader.Create(new System.IO.StringReader(Sheet)), new XsltSettings(false, true), null);
        var args = new XsltArgumentList();
        args.AddParam("region", "", Request.QueryString["region"] ?? "EU");
        t.Transform(Server.MapPath("~/App_Data/orders.xml"), args, Response.Output);
    }
</script>
