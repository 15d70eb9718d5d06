<%@ Page Language="C#" %>
<script runat="server">
    protected void Upload_Click(object sender, EventArgs e)
    {
        if (!fileUpload.HasFile) return;
        string safe = System.IO.Path.GetFileName(fileUpload.FileName);
        fileUpload.SaveAs(Server.MapPath("~/App_Data/uploads/") + safe);
        System.IO.File.AppendAllText(Server.MapPath("~/App_Data/uploads.log"), safe + " by " + User.Identity.Name + "\r\n");
        status.Text = "Uploaded " + Server.HtmlEncode(safe);
    }
</script>
<html><body><form runat="server">
<asp:FileUpload ID="fileUpload" runat="server" /><asp:Button ID="up" runat="server" OnClick="Upload_Click" Text="Upload" />
<asp:Label ID="status" runat="server" />
</form></body></html>
