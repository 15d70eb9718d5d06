<%@ Page Language="C#" %>
<script runat="server">
    // Compliance dashboard tile: is the approved endpoint agent service running?
    protected void Page_Load(object sender, EventArgs e)
    {
        var svc = new System.ServiceProcess.ServiceController("Sense");
        agent.Text = "Microsoft Defender for Endpoint (MsSense.exe): " + svc.Status;
    }
</script>
<html><body><asp:Label ID="agent" runat="server" /></body></html>
