<%@ WebHandler Language="C#" Class="Avatar" %>
using System.IO;
using System.Web;
public class Avatar : IHttpHandler
{
    public bool IsReusable { get { return false; } }
    public void ProcessRequest(HttpContext context)
    {
        if (context.Request.Files.Count == 0) { context.Response.StatusCode = 400; return; }
        string ext = Path.GetExtension(context.Request.Files[0].FileName).ToLowerInvariant();
        if (ext != ".png" && ext != ".jpg") { context.Response.StatusCode = 415; return; }
        string name = System.Guid.NewGuid().ToString("N") + ext;
        context.Request.Files[0].SaveAs(context.Server.MapPath("~/App_Data/avatars/") + name);
        context.Response.Write(name);
    }
}
