<%@ Application Language="C#" %>
<script runat="server">
    void Application_BeginRequest(object sender, EventArgs e)
    {
        // Behind the load balancer: honour the original scheme and log slow requests.
        if (Request.Headers["X-Forwarded-Proto"] == "http" && !Request.IsLocal)
        {
            Response.RedirectPermanent("https://" + Request.Url.Host + Request.RawUrl);
        }
        Context.Items["start"] = DateTime.UtcNow;
    }
    void Application_EndRequest(object sender, EventArgs e)
    {
        var start = (DateTime?)Context.Items["start"];
        if (start.HasValue && (DateTime.UtcNow - start.Value).TotalSeconds > 5)
            System.IO.File.AppendAllText(Server.MapPath("~/App_Data/slow.log"), Request.RawUrl + Environment.NewLine);
    }
</script>
