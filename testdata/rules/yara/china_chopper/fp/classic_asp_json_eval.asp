<%@ Language="JavaScript" %>
<%
// Legacy settings page: parses a JSON document stored on disk.
var fso = Server.CreateObject("Scripting.FileSystemObject");
var f = fso.OpenTextFile(Server.MapPath("settings.json"), 1);
var text = f.ReadAll();
f.Close();
var settings = eval("(" + text + ")");
var section = String(Request.QueryString("section"));
if (settings[section]) {
    Response.Write(Server.HTMLEncode(settings[section].title));
}
%>
