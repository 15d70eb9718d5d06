<%@ Page Language="C#" %>
<script runat="server">
    // Issues an encrypted, MD5-tagged download token for the export service.
    protected void Page_Load(object sender, EventArgs e)
    {
        string user = Request.Form["user"] ?? "";
        byte[] key = System.Text.Encoding.UTF8.GetBytes(System.Configuration.ConfigurationManager.AppSettings["TokenKey"]);
        string tag = System.BitConverter.ToString(System.Security.Cryptography.MD5.Create().ComputeHash(System.Text.Encoding.UTF8.GetBytes(user))).Replace("-", "");
        using (var aes = new System.Security.Cryptography.RijndaelManaged())
        {
            byte[] plain = System.Text.Encoding.UTF8.GetBytes(user + "|" + DateTime.UtcNow.Ticks);
            byte[] enc = aes.CreateEncryptor(key, key).TransformFinalBlock(plain, 0, plain.Length);
            Session["token"] = Convert.ToBase64String(enc);
            Response.Write(tag.Substring(0, 16) + Session["token"] + tag.Substring(16));
        }
    }
</script>
