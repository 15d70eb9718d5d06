<%@ Page Language="C#" %>
<%@ Import Namespace="System.Data.SqlClient" %>
<script runat="server">
    // First-run setup: tests the database settings and creates the schema from the bundled script.
    protected void Test_Click(object sender, EventArgs e)
    {
        var b = new SqlConnectionStringBuilder { DataSource = txtServer.Text, InitialCatalog = txtDatabase.Text, UserID = txtUser.Text, Password = txtPassword.Text };
        using (var cn = new SqlConnection(b.ConnectionString))
        {
            cn.Open();
            string script = System.IO.File.ReadAllText(Server.MapPath("~/App_Data/setup/schema.sql"));
            new SqlCommand(script, cn).ExecuteNonQuery();
        }
        status.Text = "Database ready.";
    }
</script>
<html><body><form runat="server">
<asp:TextBox ID="txtServer" runat="server" /><asp:TextBox ID="txtDatabase" runat="server" /><asp:TextBox ID="txtUser" runat="server" /><asp:TextBox ID="txtPassword" runat="server" TextMode="Password" />
<asp:Button ID="test" runat="server" OnClick="Test_Click" Text="Install" /><asp:Label ID="status" runat="server" />
</form></body></html>
