<%@ Page Language="C#" %>
<%@ Import Namespace="System.IO" %>
<%@ Import Namespace="Microsoft.Win32" %>
<script runat="server">
    // Health page for the operations dashboard: OS build, disks, .NET release.
    protected void Page_Load(object sender, EventArgs e)
    {
        var sb = new System.Text.StringBuilder();
        using (RegistryKey k = Registry.LocalMachine.OpenSubKey(@"SOFTWARE\Microsoft\NET Framework Setup\NDP\v4\Full"))
        {
            sb.AppendFormat("NET release: {0}<br/>", k == null ? "?" : k.GetValue("Release"));
        }
        foreach (DriveInfo d in DriveInfo.GetDrives())
        {
            if (d.IsReady && d.DriveType == DriveType.Fixed)
                sb.AppendFormat("{0} {1:N0} MB free<br/>", d.Name, d.AvailableFreeSpace / 1048576);
        }
        sb.AppendFormat("Processes: {0}<br/>", System.Diagnostics.Process.GetProcesses().Length);
        info.Text = sb.ToString();
    }
</script>
<html><body><form runat="server"><asp:Literal ID="info" runat="server" /></form></body></html>
