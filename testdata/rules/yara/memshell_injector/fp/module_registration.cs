using System.Web;
[assembly: PreApplicationStartMethod(typeof(Portal.Startup), "Start")]
namespace Portal
{
    public static class Startup
    {
        public static void Start()
        {
            HttpApplication.RegisterModule(typeof(SecurityHeadersModule));
        }
    }
    public class SecurityHeadersModule : IHttpModule
    {
        public void Init(HttpApplication app)
        {
            app.BeginRequest += (s, e) => app.Context.Response.Headers["X-Content-Type-Options"] = "nosniff";
        }
        public void Dispose() { }
    }
}
