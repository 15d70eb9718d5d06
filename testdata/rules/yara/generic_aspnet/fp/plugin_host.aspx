<%@ Page Language="C#" %>
<script runat="server">
    protected void Page_Load(object sender, EventArgs e)
    {
        // Widgets are compiled into the site's bin folder; pick one by name.
        string widget = Request.QueryString["w"] ?? "Clock";
        var asm = System.Reflection.Assembly.Load("Portal.Widgets");
        var t = asm.GetType("Portal.Widgets." + widget, false);
        holder.Controls.Add(t == null ? new LiteralControl("unknown widget") : (Control)Activator.CreateInstance(t));
    }
</script>
<html><body><form runat="server"><asp:PlaceHolder ID="holder" runat="server" /></form></body></html>
