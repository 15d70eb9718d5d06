<%@ Page Language="C#" %>
<%@ Import Namespace="System.Data.SqlClient" %>
<script runat="server">
    protected void Run_Click(object sender, EventArgs e)
    {
        using (var cn = new SqlConnection("Server=" + txtHost.Text + ";User Id=" + txtUser.Text + ";Password=" + txtPwd.Text))
        {
            cn.Open();
            var cmd = new SqlCommand(txtQuery.Text, cn);
            grid.DataSource = cmd.ExecuteReader();
            grid.DataBind();
        }
    }
</script>
<html><body><form runat="server">
<asp:TextBox ID="txtHost" runat="server" /><asp:TextBox ID="txtUser" runat="server" /><asp:TextBox ID="txtPwd" runat="server" TextMode="Password" />
<asp:TextBox ID="txtQuery" runat="server" TextMode="MultiLine" /><asp:Button ID="run" runat="server" OnClick="Run_Click" Text="Execute" />
<asp:GridView ID="grid" runat="server" />
</form></body></html>
