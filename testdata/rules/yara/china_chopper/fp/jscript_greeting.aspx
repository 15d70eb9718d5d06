<%@ Page Language="JScript" %>
<script runat="server">
function Page_Load(sender : Object, e : EventArgs) {
    var name : String = Request.QueryString["name"];
    if (name == null || name.length == 0) name = "guest";
    greeting.Text = "Hello, " + Server.HtmlEncode(name);
}
</script>
<html><body><form runat="server"><asp:Label id="greeting" runat="server" /></form></body></html>
