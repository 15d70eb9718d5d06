<%@ WebHandler Language="C#" Class="FeedProxy" %>
using System.Net;
using System.Web;
public class FeedProxy : IHttpHandler
{
    static readonly string[] Feeds = { "https://blogs.example.com/rss", "https://status.example.com/feed" };
    public bool IsReusable { get { return true; } }
    public void ProcessRequest(HttpContext ctx)
    {
        int i;
        if (!int.TryParse(ctx.Request.QueryString["feed"], out i) || i < 0 || i >= Feeds.Length) { ctx.Response.StatusCode = 404; return; }
        using (var wc = new WebClient())
        {
            ctx.Response.ContentType = "application/rss+xml";
            ctx.Response.BinaryWrite(wc.DownloadData(Feeds[i]));
        }
    }
}
