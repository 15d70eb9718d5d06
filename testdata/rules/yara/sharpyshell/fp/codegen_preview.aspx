<%@ Page Language="C#" %>
<%@ Import Namespace="System.CodeDom" %>
<%@ Import Namespace="System.CodeDom.Compiler" %>
<script runat="server">
    // Shows the C# proxy class the service generator would emit for a contract name.
    protected void Page_Load(object sender, EventArgs e)
    {
        var unit = new CodeCompileUnit();
        var ns = new CodeNamespace("Generated");
        var type = new CodeTypeDeclaration(Request.QueryString["contract"] ?? "Contract");
        ns.Types.Add(type);
        unit.Namespaces.Add(ns);
        using (var w = new System.IO.StringWriter())
        {
            CodeDomProvider.CreateProvider("CSharp").GenerateCodeFromCompileUnit(unit, w, new CodeGeneratorOptions());
            preview.Text = Server.HtmlEncode(w.ToString());
        }
        checksum.Text = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(type.Name));
    }
</script>
<html><body><form runat="server"><pre><asp:Literal ID="preview" runat="server" /></pre><asp:Literal ID="checksum" runat="server" /></form></body></html>
