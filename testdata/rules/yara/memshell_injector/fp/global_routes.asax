<%@ Application Language="C#" %>
<%@ Import Namespace="System.Web.Routing" %>
<%@ Import Namespace="System.Web.Mvc" %>
<script runat="server">
    void Application_Start(object sender, EventArgs e)
    {
        RouteTable.Routes.Ignore("{resource}.axd/{*pathInfo}");
        RouteTable.Routes.MapPageRoute("post", "post/{slug}", "~/post.aspx");
        RouteTable.Routes.Add(new Route("feed/{name}", new PageRouteHandler("~/feed.aspx")));
        GlobalFilters.Filters.Add(new HandleErrorAttribute());
    }
</script>
