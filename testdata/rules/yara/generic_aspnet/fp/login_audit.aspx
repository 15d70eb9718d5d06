<%@ Page Language="C#" %>
<script runat="server">
    protected void Login_Click(object sender, EventArgs e)
    {
        bool ok = System.Web.Security.Membership.ValidateUser(Request.Form["username"], Request.Form["password"]);
        // audit trail: user name and outcome only, never the secret
        System.IO.File.AppendAllText(Server.MapPath("~/App_Data/logon-audit.log"),
            DateTime.UtcNow.ToString("o") + "\t" + Server.HtmlEncode(Request.Form["username"]) + "\t" + (ok ? "ok" : "failed") + Environment.NewLine);
        if (ok) System.Web.Security.FormsAuthentication.RedirectFromLoginPage(Request.Form["username"], false);
    }
</script>
