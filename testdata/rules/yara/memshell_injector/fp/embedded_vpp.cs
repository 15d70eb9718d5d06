using System.Web.Hosting;

namespace Portal.Themes
{
    // Serves theme files embedded in the assembly; registered from AppInitialize.
    public static class AppStart
    {
        public static void AppInitialize()
        {
            HostingEnvironment.RegisterVirtualPathProvider(new EmbeddedThemeProvider());
        }
    }

    public class EmbeddedThemeProvider : VirtualPathProvider
    {
        public override bool FileExists(string virtualPath)
        {
            return virtualPath.StartsWith("/themes/") || Previous.FileExists(virtualPath);
        }
    }
}
