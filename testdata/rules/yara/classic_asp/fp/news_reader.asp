<%@ Language="VBScript" %>
<%
Option Explicit
Dim fso, f, page
page = Request.QueryString("page")
If page = "" Or Not IsNumeric(page) Then page = "1"
Set fso = Server.CreateObject("Scripting.FileSystemObject")
Set f = fso.OpenTextFile(Server.MapPath("/news/page" & CInt(page) & ".txt"), 1)
Response.Write Server.HTMLEncode(f.ReadAll)
f.Close
%>
