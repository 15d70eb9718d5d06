<%@ Page Language="C#" %>
<script runat="server">
    protected void Page_Load(object sender, EventArgs e)
    {
        string lang = Request.Form["lang"];
        if (lang == "en" || lang == "de" || lang == "fr")
        {
            HttpCookie ck = new HttpCookie("lang", Request.Form["lang"]);
            ck.Expires = DateTime.Now.AddDays(30);
            Response.Cookies.Add(ck);
        }
    }
</script>
<form method="post"><select name="lang"><option>en</option><option>de</option><option>fr</option></select><input type="submit" value="Save" /></form>
