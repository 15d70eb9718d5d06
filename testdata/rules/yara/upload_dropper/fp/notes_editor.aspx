<%@ Page Language="C#" %>
<script runat="server">
    // Lets an editor update the announcement banner text.
    protected void Save_Click(object sender, EventArgs e)
    {
        System.IO.File.WriteAllText(Server.MapPath("~/App_Data/banner.txt"), Server.HtmlEncode(this.tbBanner.Text));
        msg.Text = "saved";
    }
</script>
<html><body><form runat="server"><asp:TextBox ID="tbBanner" runat="server" /><asp:Button ID="b" runat="server" OnClick="Save_Click" Text="Save" /><asp:Label ID="msg" runat="server" /></form></body></html>
