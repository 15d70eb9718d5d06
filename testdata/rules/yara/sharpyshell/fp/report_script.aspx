<%@ Page Language="C#" %>
<%@ Import Namespace="System.CodeDom.Compiler" %>
<script runat="server">
    // Compiles the reviewed report extensions shipped in App_Data at start-up.
    protected void Page_Load(object sender, EventArgs e)
    {
        var cp = new CompilerParameters { GenerateInMemory = true };
        cp.ReferencedAssemblies.Add("System.dll");
        string src = System.IO.File.ReadAllText(Server.MapPath("~/App_Data/reports/extensions.cs"));
        CompilerResults cr = CodeDomProvider.CreateProvider("CSharp").CompileAssemblyFromSource(cp, src);
        status.Text = cr.Errors.HasErrors ? "errors" : "ok";
    }
</script>
<html><body><asp:Literal ID="status" runat="server" /></body></html>
