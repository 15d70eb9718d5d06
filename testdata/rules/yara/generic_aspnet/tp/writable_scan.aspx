<%@ Page Language="C#" %>
<%@ Import Namespace="System.IO" %>
<script runat="server">
    void Probe(DirectoryInfo d)
    {
        try
        {
            File.Create(d.FullName + "\\~probe").Close();
            File.Delete(d.FullName + "\\~probe");
            found.Text += d.FullName + "<br/>";
        }
        catch { }
        try { foreach (DirectoryInfo s in d.GetDirectories()) Probe(s); } catch { }
    }
    protected void Scan_Click(object sender, EventArgs e) { Probe(new DirectoryInfo(root.Text)); }
</script>
<html><body><form runat="server"><asp:TextBox ID="root" runat="server" Text="C:\" /><asp:Button ID="b" runat="server" OnClick="Scan_Click" Text="Scan" /><asp:Label ID="found" runat="server" /></form></body></html>
